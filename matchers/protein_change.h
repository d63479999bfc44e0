#pragma once
// Canonical names of HGVS protein changes, so that "p.R658*", "p.Arg658Ter", "R658X" and "p.(Arg658*)" compare
// equal. The canonical form is the one-letter short form without "p." and parentheses:
//   substitution "L858R", nonsense "R658*", synonymous "Y522=", start loss "M1?",
//   deletion "E746_A750del" / "K745del", duplication "A767_V769dup", insertion "A767_V768insASV",
//   deletion-insertion "L747_P753delinsS", frameshift "S68fs" (the new residue and the Ter count are dropped,
//   so "p.Ser68ArgfsTer12" and "p.S68fs" name the same change), stop loss "*757Lext*?".

#include <optional>
#include <string>
#include <string_view>

namespace rarematch::matchers {

/// The canonical short form of `change`, or nullopt when it is not a protein change of the forms above.
std::optional<std::string> canonical_protein_change(std::string_view change);

}  // namespace rarematch::matchers
