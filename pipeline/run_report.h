#pragma once
// What a run read, kept and skipped: the counts summary.json reports, so nothing is lost silently.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace rarematch::pipeline {

/// One input file and what was read from it.
struct InputReport {
  std::string path;
  std::string kind;                  ///< "vcf", "samplesheet", "clinical", "catalogue", "profiles"
  std::uint64_t records = 0;         ///< data records read (VCF records, table rows, trials, profiles)
  std::vector<std::string> samples;  ///< sample columns used (VCF)
  /// File name (in the result folder) of the annotated copy of this VCF, e.g. "annotated.1.vcf.gz"; empty when
  /// none is written. Numbered by input order, never named after the input (file names may hold patient ids).
  std::string annotated_vcf;
};

/// A sample left out under --keep-going, with the reason.
struct FailedSample {
  std::string patient;
  std::string sample;
  std::string error;  ///< the full error message
};

/// Counts of one annotate run.
struct AnnotateReport {
  std::vector<InputReport> inputs;
  std::uint64_t records = 0;       ///< VCF records read
  std::uint64_t alleles = 0;       ///< ALT alleles examined
  std::uint64_t calls = 0;         ///< (allele, sample) calls carried by a sample column
  std::uint64_t annotated = 0;     ///< calls annotated to at least one gene and kept in a profile
  std::map<std::string, std::uint64_t> skipped;  ///< by reason, e.g. "outside_gene_model", "symbolic_allele"
  std::vector<FailedSample> failed_samples;
  std::uint64_t patients = 0;
  std::uint64_t samples = 0;
  /// Clinical rows whose patient / sample has no variant input (not profiled, so not matched).
  std::uint64_t clinical_patients_without_samples = 0;
  std::uint64_t clinical_samples_without_variants = 0;
};

/// Counts of one match run.
struct MatchReport {
  std::uint64_t patients = 0;
  std::uint64_t patients_with_eligible = 0;       ///< >= 1 ELIGIBLE candidate
  std::uint64_t patients_with_only_potential = 0;  ///< candidates, none ELIGIBLE
  std::uint64_t patients_without_candidates = 0;
  std::uint64_t patients_calls_only = 0;  ///< a candidate rests on calls-only coverage (see DESIGN.md)
  std::uint64_t candidates = 0;
  std::uint64_t eligible = 0;
  std::uint64_t potential = 0;
  std::uint64_t trials = 0;
  std::uint64_t arms_matched = 0;
  std::uint64_t arms_skipped_closed = 0;
};

}  // namespace rarematch::pipeline
