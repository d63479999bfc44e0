#pragma once
// The cohort samplesheet, nf-core style: a CSV with a header naming its columns
// `patient,sample,vcf[,tumor_sample,assay,panel,cna,sv]` in any order (extra columns are ignored).

#include <cstdint>
#include <string>
#include <vector>

namespace rarematch::pipeline {

/// One samplesheet row: one sample of one patient. Several rows may share a patient or a VCF.
struct SamplesheetRow {
  std::string patient;       ///< patient id, as given (required, non-empty)
  std::string sample;        ///< sample id, as given (required, non-empty)
  std::string vcf;           ///< VCF/BCF path, resolved against the samplesheet's folder (required)
  std::string tumor_sample;  ///< VCF column holding this sample; empty: decided by the VCF reader
  std::string assay;         ///< "WES", "WGS", "panel" or empty (written in any case; stored in this spelling)
  std::string panel;         ///< panel BED path, resolved; empty when none
  std::string cna;           ///< copy-number file path, resolved; empty when none
  std::string sv;            ///< structural-variant file path, resolved; empty when none
  std::uint64_t line = 0;    ///< 1-based line in the samplesheet, for messages
};

/// A samplesheet as read.
struct Samplesheet {
  std::string path;                   ///< as given
  std::vector<SamplesheetRow> rows;   ///< in file order
};

/// Reads and validates a samplesheet (plain or gzip). Relative paths in it are resolved against the samplesheet's
/// folder (joined, not normalised; absolute paths are kept as given). Column names match case-insensitively;
/// values are trimmed. Quoted fields ("a,b") and CRLF line ends are accepted; blank lines, lines starting with '#'
/// and rows of empty fields are skipped.
/// Throws rarematch::Error (kBadInput) naming the file, line and column: missing required column, missing
/// value, wrong number of fields, a duplicated (patient, sample) pair (naming both lines), an unknown assay
/// (allowed: WES, WGS, panel, empty), or an empty samplesheet.
Samplesheet read_samplesheet(const std::string& path);

}  // namespace rarematch::pipeline
