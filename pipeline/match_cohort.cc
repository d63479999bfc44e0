#include "pipeline/match_cohort.h"

#include <algorithm>

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

#include "matchers/match.h"

namespace rarematch::pipeline {

namespace v1 = rarematch::v1;

namespace {

/// True when some sample of the patient has small variants without declared coverage: its genomic leaves read
/// "no call" as FALSE although the assay may never have covered the gene (counted in summary.json).
bool rests_on_calls_only(const v1::PatientProfile& profile) {
  return std::any_of(profile.samples().begin(), profile.samples().end(), [](const v1::Sample& sample) {
    return sample.small_variants().state() == v1::COVERAGE_STATE_CALLS_ONLY;
  });
}

}  // namespace

CohortMatches match_cohort(const std::vector<v1::PatientProfile>& profiles,
                           const matchers::CompiledCatalogue& catalogue, const matchers::EvaluationContext& context) {
  CohortMatches out;
  out.patients.resize(profiles.size());
  oneapi::tbb::parallel_for(oneapi::tbb::blocked_range<std::size_t>(0, profiles.size()),
                            [&](const oneapi::tbb::blocked_range<std::size_t>& range) {
                              for (std::size_t i = range.begin(); i != range.end(); ++i) {
                                out.patients[i] = matchers::match_patient(catalogue, profiles[i], context);
                              }
                            });
  MatchReport& report = out.report;
  report.patients = profiles.size();
  report.trials = static_cast<std::uint64_t>(catalogue.catalogue().trials_size());
  report.arms_matched = catalogue.stats().arms_compiled;
  report.arms_skipped_closed = catalogue.stats().arms_skipped_closed;
  for (std::size_t i = 0; i < profiles.size(); ++i) {
    const auto& candidates = out.patients[i].candidates();
    const auto eligible = static_cast<std::uint64_t>(std::count_if(
        candidates.begin(), candidates.end(),
        [](const v1::Candidate& c) { return c.eligibility() == v1::ELIGIBILITY_ELIGIBLE; }));
    report.candidates += static_cast<std::uint64_t>(candidates.size());
    report.eligible += eligible;
    report.potential += static_cast<std::uint64_t>(candidates.size()) - eligible;
    if (candidates.empty()) {
      ++report.patients_without_candidates;
    } else if (eligible > 0) {
      ++report.patients_with_eligible;
    } else {
      ++report.patients_with_only_potential;
    }
    if (!candidates.empty() && rests_on_calls_only(profiles[i])) ++report.patients_calls_only;
  }
  return out;
}

}  // namespace rarematch::pipeline
