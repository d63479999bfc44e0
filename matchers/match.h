#pragma once
// Matching one patient against a compiled catalogue, and ranking the candidates.
//
// Every arm's tree (trial AND arm) is evaluated with Kleene logic over leaf values computed once per patient:
// TRUE -> ELIGIBLE, UNKNOWN -> POTENTIAL, FALSE -> not listed. Candidates are ranked by the tuple of DESIGN.md
// "Ranking", compared in order: ELIGIBLE before POTENTIAL; higher specificity of the best TRUE genomic leaf;
// open arm (unknown slots count as open) first; fewer UNKNOWN leaves; later phase (I/II as II); trial id; arm id.

#include "matchers/compiled_catalogue.h"
#include "matchers/evaluate.h"
#include "rarematch/v1/profile.pb.h"
#include "rarematch/v1/results.pb.h"

namespace rarematch::matchers {

/// The ranked candidates of one patient: every arm of `catalogue` whose value is TRUE or UNKNOWN, each with every
/// leaf's value and evidence, sorted by rank (rank 1 first). Deterministic; thread-safe (shares only const data).
rarematch::v1::PatientMatches match_patient(const CompiledCatalogue& catalogue,
                                            const rarematch::v1::PatientProfile& profile,
                                            const EvaluationContext& context);

/// True when candidate `a` ranks before `b` by the ranking tuple (trial id and arm id break ties).
bool ranks_before(const rarematch::v1::Candidate& a, const rarematch::v1::Candidate& b);

}  // namespace rarematch::matchers
