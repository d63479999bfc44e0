#pragma once
// Evaluation of one leaf criterion for one patient, with its evidence or the datum that is missing.
//
// Genomic leaves: calls first, then coverage (DESIGN.md). The patient's calls in the leaf's gene are each
// classified as not matching, qualifying (matching, PASS, deep enough, VAF high enough), failing quality
// (matching but filtered, shallow or below the VAF threshold) or undecidable (the call lacks the annotation or
// value the leaf needs, e.g. no protein change or no VAF). A qualifying call decides: TRUE for a positive leaf,
// FALSE for a negated one. Otherwise a failing or undecidable matching call makes either polarity UNKNOWN.
// Otherwise coverage decides: not tested -> UNKNOWN; covered -> FALSE / negated TRUE; calls only -> FALSE /
// negated UNKNOWN; declared but not covering -> UNKNOWN.

#include <cstdint>
#include <string>
#include <vector>

#include "matchers/compiled_catalogue.h"
#include "matchers/patient_view.h"
#include "matchers/truth.h"
#include "reference/oncotree.h"
#include "rarematch/v1/results.pb.h"

namespace rarematch::matchers {

/// Settings and reference data for evaluation. Thresholds apply to every genomic leaf (a leaf's own min_vaf
/// tightens them).
struct EvaluationContext {
  const reference::OncoTree* oncotree = nullptr;  ///< required when the catalogue has diagnosis leaves
  std::uint32_t min_depth = 0;                    ///< minimum read depth of a qualifying call; 0: no minimum
  double min_vaf = 0.0;                           ///< minimum VAF of a qualifying call (0..1); 0: no minimum
  bool hotspots_annotated = false;                ///< profiles carry hotspot flags (a --hotspots file was used)
};

/// A leaf's value with its explanation.
struct LeafOutcome {
  Truth value = Truth::kUnknown;
  std::vector<rarematch::v1::Evidence> evidence;  ///< facts behind a TRUE/FALSE value (calls, clinical values)
  rarematch::v1::UnknownReason unknown_reason = rarematch::v1::UNKNOWN_REASON_UNSPECIFIED;
  rarematch::v1::MissingKind missing_kind = rarematch::v1::MISSING_KIND_UNSPECIFIED;
  std::string missing_datum;  ///< for UNKNOWN: what would decide it, e.g. "AGE", "small variants in KRAS"
};

/// Evaluates `leaf` (polarity applied) for the patient. Throws rarematch::Error (kUsage) when a diagnosis leaf is
/// evaluated without an OncoTree in the context.
LeafOutcome evaluate_leaf(const CompiledLeaf& leaf, const PatientView& patient, const EvaluationContext& context);

}  // namespace rarematch::matchers
