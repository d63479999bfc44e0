#pragma once
// The result folder (DESIGN.md "Command line"): candidates.tsv, candidates.json, summary.json, profiles.pb and
// catalogue.pb. Formatting is separate from writing, so each format is tested on its own and every file of a run
// is composed before the first one is written.

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "pipeline/run_report.h"
#include "rarematch/v1/catalogue.pb.h"
#include "rarematch/v1/profile.pb.h"
#include "rarematch/v1/results.pb.h"

namespace rarematch::pipeline {

/// candidates.tsv: header then one row per patient x arm candidate, patients in the given order (sorted by id),
/// candidates by rank. Columns: patient_id, sample_id (evidence samples ';'-joined), rank, trial_id, arm_id,
/// eligibility, specificity, matched (TRUE leaves with their evidence, ';'-joined), unknown (UNKNOWN leaves with
/// reason and missing datum, ';'-joined). Tabs, newlines and ';' inside items are replaced so columns stay intact.
std::string format_candidates_tsv(const std::vector<rarematch::v1::PatientMatches>& patients);

/// annotated_calls.tsv: one row per (sample, allele, gene) kept in the profiles, in profile order. Columns:
/// patient_id, sample_id, contig, position (1-based, VCF convention, normalised), ref, alt, gene, transcript_id,
/// consequences (','-joined SO terms, most severe first), impact, hgvs_c, hgvs_p, hgvs_p_short, exon, intron,
/// vaf (4 decimals, empty when not computable), depth, alt_depth, filter (PASS or the ';'-joined filters),
/// source_record (file:line or file: record N).
std::string format_annotated_calls_tsv(const std::vector<rarematch::v1::PatientProfile>& profiles);

/// candidates.json: {"patients": [PatientMatches as proto3 JSON, ...]} with every leaf and its evidence.
std::string format_candidates_json(const std::vector<rarematch::v1::PatientMatches>& patients);

/// What summary.json records besides the counts.
struct RunInfo {
  std::string command;       ///< "run", "annotate" or "match"
  std::string command_line;  ///< as invoked
  int threads = 1;
  double seconds = 0.0;      ///< wall time
};

/// summary.json: versions, command line, inputs, records read and skipped by reason, failed samples, patient
/// and candidate counts. `annotate` / `match` may be null when the command did not run that stage.
std::string format_summary_json(const RunInfo& info, const AnnotateReport* annotate, const MatchReport* match);

/// profiles.pb: length-delimited PatientProfile messages (varint size + message, repeated).
std::string serialize_profiles(const std::vector<rarematch::v1::PatientProfile>& profiles);

/// Reads profiles.pb. Throws rarematch::Error (kBadInput) naming the file and the profile number when a message
/// is truncated or malformed.
std::vector<rarematch::v1::PatientProfile> read_profiles(const std::string& path);

/// One output file: its name within the result folder and its content.
struct OutputFile {
  std::string name;
  std::string content;
};

/// Writes every file into `dir` (created 0700 if missing), each atomically with mode 0600.
void write_result_folder(const std::filesystem::path& dir, const std::vector<OutputFile>& files);

/// Version string of rarematch and the libraries it was built with, e.g. "rarematch 0.1.0 (htslib 1.16, ...)".
std::string version_text();

}  // namespace rarematch::pipeline
