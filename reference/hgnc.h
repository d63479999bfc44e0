#pragma once
// The HGNC gene symbol list, used to check the gene symbols a catalogue names.

#include <string>
#include <unordered_set>

namespace rarematch::reference {

/// Approved symbols from an HGNC table: tab-separated with a header naming the symbol column ("symbol",
/// "Approved symbol" or "Approved Symbol", any case), plain or gzip-compressed. Previous symbols and synonyms
/// are not approved symbols and are not included.
/// Throws rarematch::Error (kBadInput) naming the file when it cannot be read, has no symbol column, or no row.
std::unordered_set<std::string> load_hgnc_symbols(const std::string& path);

}  // namespace rarematch::reference
