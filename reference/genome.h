#pragma once
// The reference genome sequence, read through HTSlib faidx (plain FASTA or bgzip with .fai/.gzi).
// A Genome handle is not thread-safe (faidx_t is not): open one per thread.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "reference/sequence_source.h"

namespace rarematch::reference {

class Genome final : public SequenceSource {
 public:
  /// Opens `path`, building the .fai index in memory-less mode if missing (HTSlib fai_load3 with FAI_CREATE).
  /// Throws rarematch::Error (kBadInput) naming the file when it cannot be opened or indexed.
  static Genome open(const std::string& path);

  Genome(Genome&&) noexcept;
  Genome& operator=(Genome&&) noexcept;
  ~Genome();

  const std::string& path() const override { return path_; }

  /// Sequence names as written in the FASTA, in file order.
  std::vector<std::string> contigs() const;

  /// The FASTA name of the contig that `name` refers to (aliases resolved with contig_key), if present.
  std::optional<std::string> resolve_contig(std::string_view name) const override;

  /// Length of the contig in bases, or nullopt when absent (aliases resolved).
  std::optional<std::uint64_t> contig_length(std::string_view name) const override;

  /// Upper-case bases of the closed 1-based range [start, end] of `contig` (aliases resolved).
  /// Throws rarematch::Error when the contig is absent or the range lies outside it.
  std::string fetch(std::string_view contig, std::uint64_t start, std::uint64_t end) const override;

 private:
  struct Impl;
  explicit Genome(std::unique_ptr<Impl> impl, std::string path);
  std::unique_ptr<Impl> impl_;
  std::string path_;
};

}  // namespace rarematch::reference
