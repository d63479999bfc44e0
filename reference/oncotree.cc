// OncoTree: reads the nested JSON tree (tumorTypes/tree) with an explicit stack, keys nodes by upper-case code,
// and derives the former-code -> current-code map from the three history fields OncoTree keeps per node:
//   history     synonyms: the node was called that before (same cases)        -> successor
//   precursors  codes whose meaning became part of this node (CLL -> CLLSLL)  -> successor when only one node
//   revocations codes this node was part of, since revoked (GBM -> GB)        -> successor when only one node
// A former code takes its successor from the first field, in that order, that names it, and only when exactly
// one node names it there (ALL, revoked by both BLL and TLL, maps to nothing). Current codes never map away.

#include "reference/oncotree.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <utility>

#include "reference/error.h"

namespace rarematch::reference {
namespace {

constexpr std::string_view kTreeHint =
    "give the OncoTree tree as the API serves it (tumorTypes/tree): {\"TISSUE\": {\"code\": ..., \"children\": "
    "{...}}}";

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool is_liquid_tissue(std::string_view tissue) {
  const std::string key = lower(tissue);
  return key == "myeloid" || key == "lymphoid";
}

// A string member, "" when absent or null; an error when of another type.
std::string string_member(const nlohmann::json& node, const char* key, const std::string& path,
                          const std::string& where) {
  const auto it = node.find(key);
  if (it == node.end() || it->is_null()) return {};
  if (!it->is_string()) {
    throw_bad_input(path, std::nullopt, "OncoTree node " + where, std::string("field '") + key + "' is not a string",
                    std::string(kTreeHint));
  }
  return it->get<std::string>();
}

// The string elements of an array member (history, precursors, revocations); absent or null gives none.
std::vector<std::string> code_list(const nlohmann::json& node, const char* key, const std::string& path,
                                   const std::string& where) {
  std::vector<std::string> out;
  const auto it = node.find(key);
  if (it == node.end() || it->is_null()) return out;
  if (!it->is_array()) {
    throw_bad_input(path, std::nullopt, "OncoTree node " + where, std::string("field '") + key + "' is not a list",
                    std::string(kTreeHint));
  }
  for (const auto& element : *it) {
    if (element.is_string() && !element.get<std::string>().empty()) out.push_back(upper(element.get<std::string>()));
  }
  return out;
}

std::uint64_t line_of_byte(const std::string& text, std::size_t byte) {
  const std::size_t end = std::min(byte, text.size());
  const auto newlines = std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(end), '\n');
  return 1 + static_cast<std::uint64_t>(newlines);
}

}  // namespace

OncoTree OncoTree::load_json(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw_bad_input(path, std::nullopt, "open OncoTree JSON", "the file cannot be opened", "check the --oncotree path");
  }
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    // e.byte is 1-based: the byte at which parsing stopped.
    throw_bad_input(path, line_of_byte(text, e.byte == 0 ? 0 : e.byte - 1), "parse OncoTree JSON",
                    std::string("not valid JSON: ") + e.what(), std::string(kTreeHint));
  }

  struct Visit {
    const nlohmann::json* node;
    std::string parent;
    std::uint32_t level;
    std::string where;  // "TISSUE/LUNG/NSCLC", for messages
  };
  std::vector<Visit> stack;
  if (document.is_object() && document.contains("code")) {
    stack.push_back({&document, {}, 0, "(top level)"});
  } else if (document.is_object()) {
    for (auto it = document.begin(); it != document.end(); ++it) stack.push_back({&it.value(), {}, 0, it.key()});
  } else if (document.is_array()) {
    for (const auto& element : document) stack.push_back({&element, {}, 0, "(top level)"});
  } else {
    throw_bad_input(path, std::nullopt, "read OncoTree JSON", "the document is not an object", std::string(kTreeHint));
  }
  std::reverse(stack.begin(), stack.end());

  OncoTree tree;
  // Former code -> the nodes naming it, per field (0 history, 1 precursors, 2 revocations).
  std::array<std::map<std::string, std::set<std::string>>, 3> former;
  while (!stack.empty()) {
    Visit visit = std::move(stack.back());
    stack.pop_back();
    const nlohmann::json& node = *visit.node;
    if (!node.is_object()) {
      throw_bad_input(path, std::nullopt, "OncoTree node " + visit.where, "the node is not an object",
                      std::string(kTreeHint));
    }
    const std::string code = upper(string_member(node, "code", path, visit.where));
    if (code.empty()) {
      throw_bad_input(path, std::nullopt, "OncoTree node " + visit.where, "the node has no code",
                      std::string(kTreeHint));
    }
    OncoTreeNode entry;
    entry.code = code;
    entry.name = string_member(node, "name", path, visit.where);
    entry.tissue = string_member(node, "tissue", path, visit.where);
    entry.parent = visit.parent;
    entry.level = visit.level;
    if (!tree.nodes_.emplace(code, std::move(entry)).second) {
      throw_bad_input(path, std::nullopt, "OncoTree node " + visit.where, "code '" + code + "' appears twice",
                      "each OncoTree code must name one node; is the file a concatenation of two trees?");
    }
    const std::array<const char*, 3> fields = {"history", "precursors", "revocations"};
    for (std::size_t f = 0; f < fields.size(); ++f) {
      for (const std::string& old_code : code_list(node, fields[f], path, visit.where)) {
        former[f][old_code].insert(code);
      }
    }

    const auto children = node.find("children");
    if (children == node.end() || children->is_null()) continue;
    std::vector<Visit> next;
    if (children->is_object()) {
      for (auto it = children->begin(); it != children->end(); ++it) {
        next.push_back({&it.value(), code, visit.level + 1, visit.where + "/" + it.key()});
      }
    } else if (children->is_array()) {
      for (const auto& child : *children) next.push_back({&child, code, visit.level + 1, visit.where + "/[]"});
    } else {
      throw_bad_input(path, std::nullopt, "OncoTree node " + visit.where, "field 'children' is not an object",
                      std::string(kTreeHint));
    }
    std::move(next.rbegin(), next.rend(), std::back_inserter(stack));
  }
  if (tree.nodes_.empty()) {
    throw_bad_input(path, std::nullopt, "read OncoTree JSON", "the tree has no node", std::string(kTreeHint));
  }

  std::set<std::string> decided;  // former codes settled by an earlier field (mapped or ambiguous)
  for (const auto& by_code : former) {
    for (const auto& [old_code, successors] : by_code) {
      if (tree.nodes_.count(old_code) > 0 || decided.count(old_code) > 0) continue;
      decided.insert(old_code);
      if (successors.size() == 1) tree.successors_.emplace(old_code, *successors.begin());
    }
  }
  return tree;
}

const OncoTreeNode* OncoTree::find(std::string_view code) const {
  const auto it = nodes_.find(upper(code));
  return it == nodes_.end() ? nullptr : &it->second;
}

std::optional<std::string> OncoTree::resolve(std::string_view code) const {
  std::string key = upper(code);
  if (nodes_.count(key) > 0) return key;
  const auto it = successors_.find(key);
  if (it == successors_.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> OncoTree::codes_named(std::string_view name) const {
  const std::string wanted = lower(name);
  std::vector<std::string> out;
  for (const auto& [code, node] : nodes_) {
    if (lower(node.name) == wanted) out.push_back(code);
  }
  std::sort(out.begin(), out.end());
  return out;
}

DiagnosisRelation OncoTree::relation(std::string_view patient_code, std::string_view criterion_code) const {
  const auto patient = resolve(patient_code);
  if (!patient) return DiagnosisRelation::kUnrelated;
  const OncoTreeNode& patient_node = nodes_.at(*patient);

  const std::string criterion_upper = upper(criterion_code);
  if (criterion_upper == kSolid || criterion_upper == kLiquid) {
    // The root has no tissue: it is above both groups.
    if (patient_node.tissue.empty()) return DiagnosisRelation::kAncestor;
    const bool wants_liquid = criterion_upper == kLiquid;
    return is_liquid_tissue(patient_node.tissue) == wants_liquid ? DiagnosisRelation::kSameOrDescendant
                                                                 : DiagnosisRelation::kUnrelated;
  }

  const auto criterion = resolve(criterion_upper);
  if (!criterion) return DiagnosisRelation::kUnrelated;
  // Walk up from the patient: meeting the criterion means the patient is at or below it.
  for (const OncoTreeNode* node = &patient_node; node != nullptr;) {
    if (node->code == *criterion) return DiagnosisRelation::kSameOrDescendant;
    node = node->parent.empty() ? nullptr : find(node->parent);
  }
  // Walk up from the criterion: meeting the patient means the patient is strictly above it.
  for (const OncoTreeNode* node = find(*criterion); node != nullptr;) {
    if (node->code == *patient) return DiagnosisRelation::kAncestor;
    node = node->parent.empty() ? nullptr : find(node->parent);
  }
  return DiagnosisRelation::kUnrelated;
}

}  // namespace rarematch::reference
