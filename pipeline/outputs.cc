#include "pipeline/outputs.h"

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iomanip>
#include <sstream>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl.h>
#include <google/protobuf/stubs/common.h>
#include <google/protobuf/util/delimited_message_util.h>
#include <google/protobuf/util/json_util.h>
#include <htslib/hts.h>
#include <nlohmann/json.hpp>
#include <oneapi/tbb/version.h>

#include "pipeline/atomic_file.h"
#include "pipeline/text_table.h"
#include "reference/error.h"

#ifndef RAREMATCH_VERSION
#define RAREMATCH_VERSION "unknown"
#endif

namespace rarematch::pipeline {

namespace v1 = rarematch::v1;

namespace {

/// Keeps an item inside its TSV cell and its ';'-joined list.
std::string cell_safe(std::string text) {
  for (auto& c : text) {
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
    if (c == ';') c = ',';
  }
  return text;
}

std::string lower_enum(const std::string& name, std::size_t prefix) { return to_lower(name.substr(prefix)); }

std::string format_vaf(double vaf) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(2) << vaf;
  return out.str();
}

std::string evidence_text(const v1::Evidence& evidence) {
  if (!evidence.clinical_field().empty()) return evidence.clinical_field() + "=" + evidence.clinical_value();
  std::string text = evidence.alteration();
  if (!evidence.sample_id().empty()) text += " in " + evidence.sample_id();
  if (evidence.has_vaf()) text += " (VAF " + format_vaf(evidence.vaf()) + ")";
  return text;
}

std::string unknown_reason_text(v1::UnknownReason reason) {
  switch (reason) {
    case v1::UNKNOWN_REASON_CLINICAL_VALUE_MISSING: return "clinical value missing";
    case v1::UNKNOWN_REASON_DATA_KIND_NOT_TESTED: return "data kind not tested";
    case v1::UNKNOWN_REASON_OUTSIDE_COVERAGE: return "outside the assay's coverage";
    case v1::UNKNOWN_REASON_NEGATED_WITHOUT_COVERAGE: return "negated criterion without declared coverage";
    case v1::UNKNOWN_REASON_CALL_FILTERED_OR_SHALLOW: return "matching call filtered or too shallow";
    case v1::UNKNOWN_REASON_VALUE_NOT_COMPUTABLE: return "value not computable";
    case v1::UNKNOWN_REASON_DIAGNOSIS_LESS_SPECIFIC: return "diagnosis less specific than the criterion";
    case v1::UNKNOWN_REASON_CRITERION_NOT_UNDERSTOOD: return "criterion not understood";
    default: return "unknown";
  }
}

std::string matched_items(const v1::Candidate& candidate) {
  std::string out;
  for (const auto& leaf : candidate.leaves()) {
    if (leaf.value() != v1::TRUTH_VALUE_TRUE) continue;
    std::string item = leaf.description();
    std::string evidence;
    for (const auto& fact : leaf.evidence()) evidence += (evidence.empty() ? "" : ", ") + evidence_text(fact);
    if (!evidence.empty()) item += ": " + evidence;
    out += (out.empty() ? "" : ";") + cell_safe(item);
  }
  return out;
}

std::string unknown_items(const v1::Candidate& candidate) {
  std::string out;
  for (const auto& leaf : candidate.leaves()) {
    if (leaf.value() != v1::TRUTH_VALUE_UNKNOWN) continue;
    std::string item = leaf.description() + ": " + unknown_reason_text(leaf.unknown_reason());
    if (!leaf.missing_datum().empty()) item += " (" + leaf.missing_datum() + ")";
    out += (out.empty() ? "" : ";") + cell_safe(item);
  }
  return out;
}

std::string join(const google::protobuf::RepeatedPtrField<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ";") + cell_safe(item);
  return out;
}

std::string to_json(const google::protobuf::Message& message) {
  std::string out;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  const auto status = google::protobuf::util::MessageToJsonString(message, &out, options);
  if (!status.ok()) {
    throw Error(ErrorKind::kInternal, {}, std::nullopt, "cannot encode JSON", std::string(status.message()));
  }
  return out;
}

}  // namespace

std::string format_candidates_tsv(const std::vector<v1::PatientMatches>& patients) {
  std::string out =
      "patient_id\tsample_id\trank\ttrial_id\tarm_id\teligibility\tspecificity\tmatched\tunknown\n";
  for (const auto& patient : patients) {
    for (const auto& candidate : patient.candidates()) {
      out += cell_safe(candidate.patient_id()) + '\t' + join(candidate.evidence_samples()) + '\t' +
             std::to_string(candidate.rank()) + '\t' + cell_safe(candidate.trial_id()) + '\t' +
             cell_safe(candidate.arm_id()) + '\t' + lower_enum(v1::Eligibility_Name(candidate.eligibility()), 12) +
             '\t' + lower_enum(v1::Specificity_Name(candidate.rank_key().specificity()), 12) + '\t' +
             matched_items(candidate) + '\t' + unknown_items(candidate) + '\n';
    }
  }
  return out;
}

std::string format_annotated_calls_tsv(const std::vector<v1::PatientProfile>& profiles) {
  std::string out =
      "patient_id\tsample_id\tcontig\tposition\tref\talt\tgene\ttranscript_id\tconsequences\timpact\thgvs_c\t"
      "hgvs_p\thgvs_p_short\texon\tintron\tvaf\tdepth\talt_depth\tfilter\tsource_record\n";
  const auto number_or_empty = [](bool present, std::uint64_t value) {
    return present ? std::to_string(value) : std::string();
  };
  for (const auto& profile : profiles) {
    for (const auto& call : profile.small_variants()) {
      std::string consequences;
      for (const auto& term : call.consequences()) consequences += (consequences.empty() ? "" : ",") + term;
      std::string filter = "PASS";
      if (!call.filter_pass()) filter = join(call.filters());
      std::ostringstream vaf;
      if (call.has_vaf()) vaf << std::fixed << std::setprecision(4) << call.vaf();
      out += cell_safe(profile.patient_id()) + '\t' + cell_safe(call.sample_id()) + '\t' + call.contig() + '\t' +
             std::to_string(call.position()) + '\t' + call.ref() + '\t' + call.alt() + '\t' + call.gene() + '\t' +
             call.transcript_id() + '\t' + consequences + '\t' +
             lower_enum(v1::Impact_Name(call.impact()), 7) + '\t' + call.hgvs_c() + '\t' + call.hgvs_p() + '\t' +
             call.hgvs_p_short() + '\t' + number_or_empty(call.exon() > 0, call.exon()) + '\t' +
             number_or_empty(call.intron() > 0, call.intron()) + '\t' + vaf.str() + '\t' +
             number_or_empty(call.has_depth(), call.depth()) + '\t' +
             number_or_empty(call.has_alt_depth(), call.alt_depth()) + '\t' + filter + '\t' +
             cell_safe(call.source_record()) + '\n';
    }
  }
  return out;
}

std::string format_candidates_json(const std::vector<v1::PatientMatches>& patients) {
  std::string out = "{\"patients\": [";
  for (std::size_t i = 0; i < patients.size(); ++i) {
    out += (i == 0 ? "\n  " : ",\n  ") + to_json(patients[i]);
  }
  out += patients.empty() ? "]}\n" : "\n]}\n";
  return out;
}

std::string format_summary_json(const RunInfo& info, const AnnotateReport* annotate, const MatchReport* match) {
  nlohmann::ordered_json summary;
  summary["rarematch_version"] = RAREMATCH_VERSION;
  summary["versions"] = version_text();
  summary["command"] = info.command;
  summary["command_line"] = info.command_line;
  summary["threads"] = info.threads;
  summary["wall_seconds"] = info.seconds;
  if (annotate != nullptr) {
    auto& inputs = summary["inputs"] = nlohmann::ordered_json::array();
    for (const auto& input : annotate->inputs) {
      nlohmann::ordered_json entry{{"path", input.path}, {"kind", input.kind}, {"records", input.records}};
      if (!input.samples.empty()) entry["samples"] = input.samples;
      if (!input.annotated_vcf.empty()) entry["annotated_vcf"] = input.annotated_vcf;
      inputs.push_back(entry);
    }
    summary["records"] = {{"vcf_records", annotate->records},
                          {"alt_alleles", annotate->alleles},
                          {"sample_calls", annotate->calls},
                          {"annotated_calls", annotate->annotated}};
    summary["skipped"] = nlohmann::ordered_json::object();
    for (const auto& [reason, count] : annotate->skipped) summary["skipped"][reason] = count;
    auto& failed = summary["failed_samples"] = nlohmann::ordered_json::array();
    for (const auto& sample : annotate->failed_samples) {
      failed.push_back({{"patient", sample.patient}, {"sample", sample.sample}, {"error", sample.error}});
    }
    summary["profiles"] = {{"patients", annotate->patients},
                           {"samples", annotate->samples},
                           {"clinical_patients_without_samples", annotate->clinical_patients_without_samples},
                           {"clinical_samples_without_variants", annotate->clinical_samples_without_variants}};
  }
  if (match != nullptr) {
    summary["matching"] = {{"patients", match->patients},
                           {"patients_with_eligible", match->patients_with_eligible},
                           {"patients_with_only_potential", match->patients_with_only_potential},
                           {"patients_without_candidates", match->patients_without_candidates},
                           {"patients_with_calls_only_coverage", match->patients_calls_only},
                           {"candidates", match->candidates},
                           {"eligible", match->eligible},
                           {"potential", match->potential},
                           {"trials", match->trials},
                           {"arms_matched", match->arms_matched},
                           {"arms_skipped_closed", match->arms_skipped_closed}};
  }
  return summary.dump(2) + "\n";
}

std::string serialize_profiles(const std::vector<v1::PatientProfile>& profiles) {
  std::string out;
  {
    google::protobuf::io::StringOutputStream stream(&out);
    for (const auto& profile : profiles) {
      if (!google::protobuf::util::SerializeDelimitedToZeroCopyStream(profile, &stream)) {
        throw Error(ErrorKind::kInternal, {}, std::nullopt, "cannot encode profile " + profile.patient_id(),
                    "serialisation failed");
      }
    }
  }
  return out;
}

std::vector<v1::PatientProfile> read_profiles(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw_bad_input(path, std::nullopt, "cannot open the profiles", std::strerror(errno),
                    "give the profiles.pb written by 'rarematch annotate'");
  }
  google::protobuf::io::IstreamInputStream stream(&in);
  std::vector<v1::PatientProfile> profiles;
  while (true) {
    v1::PatientProfile profile;
    bool clean_eof = false;
    if (!google::protobuf::util::ParseDelimitedFromZeroCopyStream(&profile, &stream, &clean_eof)) {
      if (clean_eof) break;
      throw_bad_input(path, std::nullopt, "profile #" + std::to_string(profiles.size() + 1),
                      "truncated or not a PatientProfile message",
                      "profiles.pb must be written by 'rarematch annotate' (length-delimited PatientProfile)");
    }
    profiles.push_back(std::move(profile));
  }
  return profiles;
}

void write_result_folder(const std::filesystem::path& dir, const std::vector<OutputFile>& files) {
  prepare_output_dir(dir);
  for (const auto& file : files) write_file_atomically(dir / file.name, file.content);
}

std::string version_text() {
  const int protobuf = GOOGLE_PROTOBUF_VERSION;
  return std::string("rarematch ") + RAREMATCH_VERSION + " (htslib " + hts_version() + ", oneTBB " +
         TBB_runtime_version() + ", protobuf " + std::to_string(protobuf / 1000000) + "." +
         std::to_string(protobuf / 1000 % 1000) + "." + std::to_string(protobuf % 1000) + ")";
}

}  // namespace rarematch::pipeline
