#pragma once
// A catalogue compiled for matching. Each trial's and arm's eligibility tree is put in negation normal form:
// NOT is pushed down to the leaves (NOT ALL -> ANY of NOTs, NOT ANY -> ALL of NOTs, NOT AT_LEAST k of n ->
// AT_LEAST n-k+1 of the negated children; linear in the tree, never disjunctive normal form), so every inner node
// is an AT_LEAST k node and every leaf knows its polarity. A genomic leaf with `wildtype: true` is the negation of
// the same leaf without it. A missing tree is TRUE (AT_LEAST 0 of nothing).
//
// An arm's root is AT_LEAST 2 of {trial tree, arm tree}; the trial tree's nodes are shared by its arms.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "rarematch/v1/catalogue.pb.h"
#include "rarematch/v1/results.pb.h"

namespace rarematch::matchers {

/// What a leaf looks at.
enum class LeafKind { kSmallVariant, kCopyNumber, kFusion, kBiomarker, kClinical, kUnmapped };

/// A leaf criterion with its polarity.
struct CompiledLeaf {
  const rarematch::v1::Criterion* source = nullptr;  ///< the leaf node in the owned catalogue
  LeafKind kind = LeafKind::kUnmapped;
  bool negated = false;               ///< polarity after negation normal form (wildtype folded in)
  std::string path;                   ///< e.g. "trial/all[1]/not/clinical", "arm A/any[0]/genomic"
  std::string description;            ///< readable, polarity applied: "EGFR mutation", "not diagnosis COADREAD"
  std::vector<std::string> protein_changes;  ///< canonical short forms of a genomic leaf's protein_changes
  /// Specificity a TRUE value of this leaf gives the candidate (DESIGN.md "Ranking").
  rarematch::v1::Specificity specificity = rarematch::v1::SPECIFICITY_CLINICAL_ONLY;
};

/// An AT_LEAST k node over children, or a leaf (leaf >= 0, no children).
struct CompiledNode {
  std::uint32_t k = 0;
  std::vector<std::uint32_t> children;  ///< node indices
  std::int32_t leaf = -1;               ///< leaf index when this node is a leaf
};

/// One arm ready to be matched.
struct CompiledArm {
  const rarematch::v1::Trial* trial = nullptr;  ///< in the owned catalogue
  const rarematch::v1::Arm* arm = nullptr;
  std::uint32_t root = 0;                       ///< node index
  std::vector<std::uint32_t> leaves;            ///< leaf indices of trial then arm tree, in tree order
  bool open = true;                             ///< trial and arm enrolment open (ranking: slots too)
  std::uint32_t phase_rank = 0;                 ///< later phase = higher; I/II ranks as II, II/III as III
};

/// Counts of what compilation left out.
struct CompileStats {
  std::uint32_t arms_compiled = 0;
  std::uint32_t arms_skipped_closed = 0;  ///< closed, suspended or not yet open (trial or arm)
};

/// The compiled catalogue. Owns the catalogue message it points into; immutable and thread-safe once built.
class CompiledCatalogue {
 public:
  /// Compiles every arm; arms whose trial or own status is closed, suspended or not yet open are left out unless
  /// `include_closed`. The catalogue should have passed validate_catalogue().
  static CompiledCatalogue compile(rarematch::v1::Catalogue catalogue, bool include_closed);

  const rarematch::v1::Catalogue& catalogue() const { return *catalogue_; }
  const std::vector<CompiledArm>& arms() const { return arms_; }
  const std::vector<CompiledNode>& nodes() const { return nodes_; }
  const std::vector<CompiledLeaf>& leaves() const { return leaves_; }
  const CompileStats& stats() const { return stats_; }

 private:
  friend class TreeCompiler;
  std::unique_ptr<rarematch::v1::Catalogue> catalogue_;
  std::vector<CompiledArm> arms_;
  std::vector<CompiledNode> nodes_;
  std::vector<CompiledLeaf> leaves_;
  CompileStats stats_;
};

/// Readable statement of a leaf criterion in positive form, e.g. "EGFR mutation", "age >= 18",
/// "diagnosis LUAD or NSCLC".
std::string describe_leaf(const rarematch::v1::Criterion& leaf);

/// Ranking value of a phase: later phase higher, I/II as II, II/III as III, unspecified lowest.
std::uint32_t phase_rank(rarematch::v1::Phase phase);

}  // namespace rarematch::matchers
