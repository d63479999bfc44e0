#pragma once
// Catalogue validation: every problem found, each naming the file, line (text format), trial id and the
// criterion's path, so a curator can fix a catalogue in one pass.

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "matchers/catalogue_io.h"
#include "reference/oncotree.h"

namespace rarematch::matchers {

/// One problem in a catalogue.
struct ValidationIssue {
  std::string file;
  std::optional<std::uint64_t> line;  ///< 1-based, text format only
  std::string trial_id;               ///< empty for catalogue-level problems
  std::string path;                   ///< e.g. "arm A/eligibility/all[1]/genomic", empty for trial-level fields
  std::string reason;
  std::string hint;

  /// "file:line: trial T1: arm A/eligibility/all[1]/genomic: reason".
  std::string message() const;
};

/// Reference data validation can use; each member is optional (nullptr: that check is not made).
struct ValidationContext {
  const reference::OncoTree* oncotree = nullptr;               ///< checks diagnosis codes
  const std::unordered_set<std::string>* hgnc_symbols = nullptr;  ///< checks gene symbols
};

/// Checks the catalogue's structure and values: ids present, well-formed and unique (trials in the catalogue,
/// arms in a trial), NCT numbers, every criterion node set, no empty ALL/ANY, AT_LEAST k <= n, ranges not
/// inverted or out of bounds, protein changes well-formed, genomic leaves of one kind (small variant, copy
/// number or fusion), enum values not UNSPECIFIED where one is needed, OncoTree codes and gene symbols known
/// (when the context has the reference). Returns every issue, in catalogue order; empty when valid.
std::vector<ValidationIssue> validate_catalogue(const LoadedCatalogue& catalogue, const ValidationContext& context);

/// Throws rarematch::Error (kBadInput) for the first issue, saying how many there are in all; the hint points
/// to `rarematch catalogue validate`.
void throw_if_invalid(const std::vector<ValidationIssue>& issues);

/// True when some leaf of the catalogue is a diagnosis criterion (an OncoTree is then needed to match).
bool uses_diagnosis_criteria(const rarematch::v1::Catalogue& catalogue);

}  // namespace rarematch::matchers
