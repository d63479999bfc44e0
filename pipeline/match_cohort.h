#pragma once
// The match stage: every patient against the compiled catalogue, a oneTBB parallel_for over patients writing
// into per-patient slots, so the result is the same for any thread count.

#include <vector>

#include "matchers/compiled_catalogue.h"
#include "matchers/evaluate.h"
#include "pipeline/run_report.h"
#include "rarematch/v1/profile.pb.h"
#include "rarematch/v1/results.pb.h"

namespace rarematch::pipeline {

/// Candidates of every patient, in the order of `profiles`, and the counts for summary.json.
struct CohortMatches {
  std::vector<rarematch::v1::PatientMatches> patients;
  MatchReport report;
};

/// Matches all profiles. Thread-safe inputs; throws what evaluation throws (the first error cancels the rest).
CohortMatches match_cohort(const std::vector<rarematch::v1::PatientProfile>& profiles,
                           const matchers::CompiledCatalogue& catalogue, const matchers::EvaluationContext& context);

}  // namespace rarematch::pipeline
