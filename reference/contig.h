#pragma once
// Contig name aliases: "chr7" and "7", "chrM" and "MT", "chrX" and "X" name the same sequence.

#include <string>
#include <string_view>

namespace rarematch::reference {

/// Canonical alias key of a contig name: a leading "chr" (any case) is removed, and "M" becomes "MT".
/// Two names refer to the same contig when their keys are equal. Other names ("GL000192.1") are kept as given.
std::string contig_key(std::string_view name);

}  // namespace rarematch::reference
