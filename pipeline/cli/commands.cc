#include "pipeline/cli/commands.h"

#include <chrono>
#include <iostream>
#include <optional>
#include <unordered_set>

#include <oneapi/tbb/global_control.h>

#include "matchers/catalogue_io.h"
#include "matchers/compiled_catalogue.h"
#include "matchers/validate.h"
#include "pipeline/annotate.h"
#include "pipeline/atomic_file.h"
#include "pipeline/log.h"
#include "pipeline/match_cohort.h"
#include "pipeline/outputs.h"
#include "reference/bundle.h"
#include "reference/error.h"
#include "reference/hgnc.h"
#include "reference/oncotree.h"

namespace rarematch::cli {

namespace v1 = rarematch::v1;
using pipeline::Log;

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// The optional reference data of matching and validation, loaded once.
struct MatchReferences {
  std::optional<reference::OncoTree> oncotree;
  std::optional<std::unordered_set<std::string>> hgnc;

  explicit MatchReferences(const pipeline::ReferenceSettings& settings) {
    if (!settings.oncotree.empty()) oncotree = reference::OncoTree::load_json(settings.oncotree);
    if (!settings.hgnc.empty()) hgnc = reference::load_hgnc_symbols(settings.hgnc);
  }

  matchers::ValidationContext validation() const {
    return {oncotree ? &*oncotree : nullptr, hgnc ? &*hgnc : nullptr};
  }
};

/// Reads and validates the catalogue (refusing an invalid one), and compiles it.
matchers::CompiledCatalogue load_catalogue(const pipeline::MatchSettings& settings, const MatchReferences& refs) {
  auto loaded = matchers::LoadedCatalogue::read(settings.catalogue);
  matchers::throw_if_invalid(matchers::validate_catalogue(loaded, refs.validation()));
  if (!refs.oncotree && matchers::uses_diagnosis_criteria(loaded.catalogue())) {
    throw_usage("--oncotree", settings.catalogue + " has diagnosis criteria, which need the OncoTree",
                "give the OncoTree JSON with --oncotree FILE");
  }
  return matchers::CompiledCatalogue::compile(loaded.catalogue(), settings.include_closed);
}

matchers::EvaluationContext evaluation_context(const pipeline::MatchSettings& settings, const MatchReferences& refs) {
  matchers::EvaluationContext context;
  context.oncotree = refs.oncotree ? &*refs.oncotree : nullptr;
  context.min_depth = settings.min_depth;
  context.min_vaf = settings.min_vaf;
  return context;
}

std::string encode_catalogue(const matchers::CompiledCatalogue& catalogue) {
  return matchers::serialize_catalogue(catalogue.catalogue(), matchers::CatalogueFormat::kBinary);
}

/// Matches, then writes the result folder; returns the exit code.
int match_and_write(const std::vector<v1::PatientProfile>& profiles, const matchers::CompiledCatalogue& catalogue,
                    const matchers::EvaluationContext& context, const pipeline::ExecutionSettings& execution,
                    const std::string& output_dir, const std::string& command, const pipeline::AnnotateReport* annotate,
                    pipeline::PendingOutputs* pending, Clock::time_point start, const Log& log) {
  const auto matches = pipeline::match_cohort(profiles, catalogue, context);
  const pipeline::RunInfo info{command, execution.command_line, execution.threads, seconds_since(start)};
  pipeline::write_result_folder(output_dir,
                                {{"profiles.pb", pipeline::serialize_profiles(profiles)},
                                 {"annotated_calls.tsv", pipeline::format_annotated_calls_tsv(profiles)},
                                 {"catalogue.pb", encode_catalogue(catalogue)},
                                 {"candidates.tsv", pipeline::format_candidates_tsv(matches.patients)},
                                 {"candidates.json", pipeline::format_candidates_json(matches.patients)},
                                 {"summary.json", pipeline::format_summary_json(info, annotate, &matches.report)}});
  if (pending != nullptr) pending->commit();
  const auto& r = matches.report;
  log.info(std::to_string(r.patients) + " patients: " + std::to_string(r.patients_with_eligible) +
           " with an ELIGIBLE arm, " + std::to_string(r.patients_with_only_potential) + " with only POTENTIAL, " +
           std::to_string(r.patients_without_candidates) + " with none (" + std::to_string(r.candidates) +
           " candidates)");
  log.info("results in " + output_dir + "/ (candidates.tsv, candidates.json, summary.json)");
  const bool failures = annotate != nullptr && !annotate->failed_samples.empty();
  return failures ? kExitSomeSamplesFailed : 0;
}

}  // namespace

int run_command(const pipeline::RunSettings& settings) {
  const auto start = Clock::now();
  const auto& execution = settings.annotate.execution;
  const oneapi::tbb::global_control threads(oneapi::tbb::global_control::max_allowed_parallelism,
                                            static_cast<std::size_t>(execution.threads));
  const Log log(execution.verbosity);
  const MatchReferences refs(settings.annotate.reference);
  const auto catalogue = load_catalogue(settings.match, refs);
  auto cohort = pipeline::annotate_cohort(settings.annotate, log);
  return match_and_write(cohort.profiles, catalogue, evaluation_context(settings.match, refs), execution,
                         settings.annotate.output_dir, "run", &cohort.report, &cohort.outputs, start, log);
}

int annotate_command(const pipeline::AnnotateSettings& settings) {
  const auto start = Clock::now();
  const oneapi::tbb::global_control threads(oneapi::tbb::global_control::max_allowed_parallelism,
                                            static_cast<std::size_t>(settings.execution.threads));
  const Log log(settings.execution.verbosity);
  auto cohort = pipeline::annotate_cohort(settings, log);
  const pipeline::RunInfo info{"annotate", settings.execution.command_line, settings.execution.threads,
                               seconds_since(start)};
  pipeline::write_result_folder(settings.output_dir,
                                {{"profiles.pb", pipeline::serialize_profiles(cohort.profiles)},
                                 {"annotated_calls.tsv", pipeline::format_annotated_calls_tsv(cohort.profiles)},
                                 {"summary.json", pipeline::format_summary_json(info, &cohort.report, nullptr)}});
  cohort.outputs.commit();
  log.info(std::to_string(cohort.profiles.size()) + " patient profiles in " + settings.output_dir + "/profiles.pb");
  return cohort.report.failed_samples.empty() ? 0 : kExitSomeSamplesFailed;
}

int match_command(const pipeline::MatchCommandSettings& settings) {
  const auto start = Clock::now();
  const oneapi::tbb::global_control threads(oneapi::tbb::global_control::max_allowed_parallelism,
                                            static_cast<std::size_t>(settings.execution.threads));
  const Log log(settings.execution.verbosity);
  const MatchReferences refs(settings.reference);
  const auto catalogue = load_catalogue(settings.match, refs);
  const auto profiles = pipeline::read_profiles(settings.profiles);
  return match_and_write(profiles, catalogue, evaluation_context(settings.match, refs), settings.execution,
                         settings.output_dir, "match", nullptr, nullptr, start, log);
}

int catalogue_validate_command(const CatalogueValidateSettings& settings) {
  const MatchReferences refs(settings.reference);
  std::size_t problems = 0;
  for (const auto& path : settings.catalogues) {
    const auto loaded = matchers::LoadedCatalogue::read(path);
    const auto issues = matchers::validate_catalogue(loaded, refs.validation());
    for (const auto& issue : issues) {
      std::cerr << "rarematch: " << issue.message() << '\n';
      if (!issue.hint.empty()) std::cerr << "  hint: " << issue.hint << '\n';
    }
    problems += issues.size();
    if (issues.empty() && settings.verbosity != pipeline::Verbosity::kQuiet) {
      std::size_t arms = 0;
      for (const auto& trial : loaded.catalogue().trials()) arms += static_cast<std::size_t>(trial.arms_size());
      std::cout << path << ": valid (" << loaded.catalogue().trials_size() << " trials, " << arms << " arms)";
      if (!refs.oncotree && matchers::uses_diagnosis_criteria(loaded.catalogue())) {
        std::cout << "; OncoTree codes not checked (no --oncotree)";
      }
      std::cout << '\n';
    }
  }
  if (problems > 0) {
    std::cerr << "rarematch: " << problems << (problems == 1 ? " problem" : " problems") << " found\n";
    return static_cast<int>(ErrorKind::kBadInput);
  }
  return 0;
}

int catalogue_convert_command(const CatalogueConvertSettings& settings) {
  const auto format = matchers::catalogue_format_for(settings.output);
  const auto loaded = matchers::LoadedCatalogue::read(settings.input);
  matchers::throw_if_invalid(matchers::validate_catalogue(loaded, {}));
  pipeline::write_file_atomically(settings.output, matchers::serialize_catalogue(loaded.catalogue(), format));
  return 0;
}

int reference_build_command(const ReferenceBuildSettings& settings) {
  reference::BundleOptions options;
  options.genome_build = settings.genome_build;
  options.scope = settings.windows_only ? reference::BundleScope::kAnnotatorWindows
                                        : reference::BundleScope::kTranscriptSpans;
  reference::build_bundle(settings.gene_model, settings.fasta, settings.output, options);
  std::cerr << "rarematch: reference bundle written to " << settings.output << '\n';
  return 0;
}

}  // namespace rarematch::cli
