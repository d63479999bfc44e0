#pragma once
// Where reference bases come from: a FASTA through faidx (Genome), or the sequence stored in a reference bundle.
// Consumers that prepare data once (the Annotator) take this interface, so both sources give the same result.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rarematch::reference {

/// Read access to reference sequence by contig name. Implementations document their thread-safety.
class SequenceSource {
 public:
  virtual ~SequenceSource() = default;

  /// Name of the source for messages (a file path).
  virtual const std::string& path() const = 0;

  /// The source's own name of the contig that `name` refers to (aliases resolved: "7" = "chr7"), if present.
  virtual std::optional<std::string> resolve_contig(std::string_view name) const = 0;

  /// Length of the contig in bases, or nullopt when absent (aliases resolved).
  virtual std::optional<std::uint64_t> contig_length(std::string_view name) const = 0;

  /// Upper-case bases of the closed 1-based range [start, end] of `contig` (aliases resolved).
  /// Throws rarematch::Error when the contig is absent or the range is not available from this source.
  virtual std::string fetch(std::string_view contig, std::uint64_t start, std::uint64_t end) const = 0;
};

}  // namespace rarematch::reference
