#include "matchers/match.h"

#include <algorithm>
#include <optional>
#include <set>
#include <tuple>

#include "matchers/patient_view.h"

namespace rarematch::matchers {

namespace v1 = rarematch::v1;

namespace {

v1::TruthValue to_proto(Truth value) {
  switch (value) {
    case Truth::kTrue: return v1::TRUTH_VALUE_TRUE;
    case Truth::kFalse: return v1::TRUTH_VALUE_FALSE;
    case Truth::kUnknown: return v1::TRUTH_VALUE_UNKNOWN;
  }
  return v1::TRUTH_VALUE_UNKNOWN;
}

/// Per-patient evaluation state: leaf outcomes and node values, each computed at most once.
class PatientEvaluation {
 public:
  PatientEvaluation(const CompiledCatalogue& catalogue, const PatientView& patient, const EvaluationContext& context)
      : catalogue_(catalogue),
        patient_(patient),
        context_(context),
        leaves_(catalogue.leaves().size()),
        nodes_(catalogue.nodes().size()) {}

  const LeafOutcome& leaf(std::uint32_t index) {
    auto& slot = leaves_[index];
    if (!slot) slot = evaluate_leaf(catalogue_.leaves()[index], patient_, context_);
    return *slot;
  }

  Truth node(std::uint32_t index) {
    auto& slot = nodes_[index];
    if (slot) return *slot;
    const CompiledNode& node = catalogue_.nodes()[index];
    Truth value;
    if (node.leaf >= 0) {
      value = leaf(static_cast<std::uint32_t>(node.leaf)).value;
    } else {
      std::uint32_t true_count = 0;
      std::uint32_t unknown_count = 0;
      for (auto child : node.children) {
        const Truth child_value = this->node(child);
        true_count += child_value == Truth::kTrue;
        unknown_count += child_value == Truth::kUnknown;
      }
      value = at_least(node.k, true_count, unknown_count);
    }
    slot = value;
    return value;
  }

 private:
  const CompiledCatalogue& catalogue_;
  const PatientView& patient_;
  const EvaluationContext& context_;
  std::vector<std::optional<LeafOutcome>> leaves_;
  std::vector<std::optional<Truth>> nodes_;
};

v1::Candidate make_candidate(const CompiledCatalogue& catalogue, const CompiledArm& arm, Truth value,
                             PatientEvaluation& evaluation, const std::string& patient_id) {
  v1::Candidate candidate;
  candidate.set_patient_id(patient_id);
  candidate.set_trial_id(arm.trial->id());
  candidate.set_arm_id(arm.arm->id());
  const auto eligibility = value == Truth::kTrue ? v1::ELIGIBILITY_ELIGIBLE : v1::ELIGIBILITY_POTENTIAL;
  candidate.set_eligibility(eligibility);
  v1::Specificity best = v1::SPECIFICITY_CLINICAL_ONLY;
  std::uint32_t unknown_leaves = 0;
  std::set<std::string> samples;
  for (auto index : arm.leaves) {
    const CompiledLeaf& leaf = catalogue.leaves()[index];
    const LeafOutcome& outcome = evaluation.leaf(index);
    auto* result = candidate.add_leaves();
    result->set_path(leaf.path);
    result->set_description(leaf.description);
    result->set_negated(leaf.negated);
    result->set_value(to_proto(outcome.value));
    for (const auto& evidence : outcome.evidence) *result->add_evidence() = evidence;
    if (outcome.value == Truth::kUnknown) {
      ++unknown_leaves;
      result->set_unknown_reason(outcome.unknown_reason);
      result->set_missing_kind(outcome.missing_kind);
      result->set_missing_datum(outcome.missing_datum);
    }
    if (outcome.value == Truth::kTrue) {
      result->set_specificity(leaf.specificity);
      best = std::max(best, leaf.specificity);
      for (const auto& evidence : outcome.evidence) {
        if (!evidence.sample_id().empty()) samples.insert(evidence.sample_id());
      }
    }
  }
  for (const auto& sample : samples) candidate.add_evidence_samples(sample);
  auto* key = candidate.mutable_rank_key();
  key->set_eligibility(eligibility);
  key->set_specificity(best);
  key->set_arm_open(arm.open);
  key->set_unknown_leaves(unknown_leaves);
  key->set_phase_rank(arm.phase_rank);
  return candidate;
}

}  // namespace

bool ranks_before(const v1::Candidate& a, const v1::Candidate& b) {
  const auto& x = a.rank_key();
  const auto& y = b.rank_key();
  // Smaller tuple first: ELIGIBLE(1) < POTENTIAL(2); negate what ranks higher-first.
  return std::make_tuple(static_cast<int>(x.eligibility()), -static_cast<int>(x.specificity()), !x.arm_open(),
                         x.unknown_leaves(), -static_cast<int>(x.phase_rank()), a.trial_id(), a.arm_id()) <
         std::make_tuple(static_cast<int>(y.eligibility()), -static_cast<int>(y.specificity()), !y.arm_open(),
                         y.unknown_leaves(), -static_cast<int>(y.phase_rank()), b.trial_id(), b.arm_id());
}

v1::PatientMatches match_patient(const CompiledCatalogue& catalogue, const v1::PatientProfile& profile,
                                 const EvaluationContext& context) {
  const PatientView patient(profile);
  PatientEvaluation evaluation(catalogue, patient, context);
  std::vector<v1::Candidate> candidates;
  for (const auto& arm : catalogue.arms()) {
    const Truth value = evaluation.node(arm.root);
    if (value == Truth::kFalse) continue;
    candidates.push_back(make_candidate(catalogue, arm, value, evaluation, profile.patient_id()));
  }
  std::sort(candidates.begin(), candidates.end(), ranks_before);
  v1::PatientMatches matches;
  matches.set_patient_id(profile.patient_id());
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    candidates[i].set_rank(static_cast<std::uint32_t>(i + 1));
    *matches.add_candidates() = std::move(candidates[i]);
  }
  return matches;
}

}  // namespace rarematch::matchers
