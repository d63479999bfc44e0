#pragma once
// The OncoTree cancer-type hierarchy, read from the JSON tree the OncoTree API serves (`tumorTypes/tree`):
// a root object {"TISSUE": {"code": "TISSUE", "name": ..., "tissue": ..., "children": {CODE: {...}}}} whose nodes
// carry `code`, `name`, `tissue`, `parent`, `history` (former codes) and `children`.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace rarematch::reference {

/// One OncoTree node.
struct OncoTreeNode {
  std::string code;      ///< upper case, e.g. "LUAD"
  std::string name;      ///< e.g. "Lung Adenocarcinoma"
  std::string tissue;    ///< e.g. "Lung"; "Myeloid" and "Lymphoid" are the liquid tissues
  std::string parent;    ///< parent code; empty for the root ("TISSUE")
  std::uint32_t level = 0;  ///< depth: root 0, tissues 1, ...
};

/// Relation of a patient's diagnosis code to a criterion's code.
enum class DiagnosisRelation {
  kSameOrDescendant,  ///< patient code is the criterion code or below it: criterion TRUE
  kAncestor,          ///< patient code is strictly above it (less specific): criterion UNKNOWN
  kUnrelated,         ///< neither: criterion FALSE
};

/// Immutable tree; safe to share between threads.
class OncoTree {
 public:
  /// The special criterion codes: every tissue but Myeloid and Lymphoid / only those two.
  static constexpr std::string_view kSolid = "_SOLID_";
  static constexpr std::string_view kLiquid = "_LIQUID_";

  /// Reads the JSON tree. Throws rarematch::Error (kBadInput) naming the file when it is not valid JSON or not
  /// an OncoTree tree (no node with a code), or a code appears twice.
  static OncoTree load_json(const std::string& path);

  /// Number of nodes, the root included.
  std::size_t size() const { return nodes_.size(); }

  /// The node of a current code (case-insensitive), or nullptr.
  const OncoTreeNode* find(std::string_view code) const;

  /// The current code for `code`: itself when current, its successor when the tree's history lists it as a
  /// former code, nullopt when unknown. Case-insensitive; returns upper case.
  /// Successors come from the node fields `history` (synonyms), then `precursors`, then `revocations`: the first
  /// field naming the former code decides, and only when exactly one node names it there (a code revoked by two
  /// nodes, such as ALL by BLL and TLL, is ambiguous and resolves to nullopt).
  std::optional<std::string> resolve(std::string_view code) const;

  /// Codes whose node name equals `name` exactly (case-insensitive), sorted; several when ambiguous.
  std::vector<std::string> codes_named(std::string_view name) const;

  /// Relation of patient code to criterion code (both current codes, or kSolid/kLiquid for the criterion).
  /// Former codes are first mapped with resolve(); unknown codes are kUnrelated.
  /// For kSolid/kLiquid: the root and "TISSUE"-level ancestors are kAncestor;
  /// a node is solid when its tissue is neither Myeloid nor Lymphoid.
  DiagnosisRelation relation(std::string_view patient_code, std::string_view criterion_code) const;

 private:
  std::unordered_map<std::string, OncoTreeNode> nodes_;
  std::unordered_map<std::string, std::string> successors_;  // former code -> current code
};

}  // namespace rarematch::reference
