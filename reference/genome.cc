// Genome: a thin owner of an HTSlib faidx_t. HTSlib counts positions 0-based and inclusive at both ends in
// faidx_fetch_seq64; this API is 1-based closed, so [start, end] becomes [start - 1, end - 1] at the boundary.

#include "reference/genome.h"

#include <htslib/faidx.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <unordered_map>
#include <utility>

#include "reference/contig.h"
#include "reference/error.h"

namespace rarematch::reference {
namespace {

struct FaidxDeleter {
  void operator()(faidx_t* fai) const noexcept { fai_destroy(fai); }
};

struct MallocDeleter {
  void operator()(char* text) const noexcept { std::free(text); }
};

std::string range_text(std::string_view contig, std::uint64_t start, std::uint64_t end) {
  return std::string(contig) + ":" + std::to_string(start) + "-" + std::to_string(end);
}

}  // namespace

struct Genome::Impl {
  std::unique_ptr<faidx_t, FaidxDeleter> fai;
  std::vector<std::string> names;                           // FASTA order
  std::unordered_map<std::string, std::size_t> by_key;      // contig_key -> first name with that key
};

Genome::Genome(std::unique_ptr<Impl> impl, std::string path) : impl_(std::move(impl)), path_(std::move(path)) {}
Genome::Genome(Genome&&) noexcept = default;
Genome& Genome::operator=(Genome&&) noexcept = default;
Genome::~Genome() = default;

Genome Genome::open(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    throw_bad_input(path, std::nullopt, "open FASTA", "no such file",
                    "check the --fasta path; the FASTA may be plain or bgzip-compressed");
  }
  errno = 0;
  std::unique_ptr<faidx_t, FaidxDeleter> fai(fai_load3(path.c_str(), nullptr, nullptr, FAI_CREATE));
  if (!fai) {
    const int saved = errno;
    std::string why = "HTSlib could not load or build its faidx index";
    if (saved != 0) why += " (" + std::string(std::strerror(saved)) + ")";
    throw_bad_input(path, std::nullopt, "index FASTA", why,
                    "the FASTA must be plain or compressed with bgzip (not gzip), with lines of equal length per "
                    "sequence; if its folder is read-only, create FILE.fai (and FILE.gzi) with `samtools faidx FILE`");
  }
  auto impl = std::make_unique<Impl>();
  const int count = faidx_nseq(fai.get());
  impl->names.reserve(count > 0 ? static_cast<std::size_t>(count) : 0);
  for (int i = 0; i < count; ++i) {
    const char* name = faidx_iseq(fai.get(), i);
    if (name == nullptr) continue;
    impl->names.emplace_back(name);
    impl->by_key.emplace(contig_key(impl->names.back()), impl->names.size() - 1);
  }
  if (impl->names.empty()) {
    throw_bad_input(path, std::nullopt, "index FASTA", "the FASTA holds no sequence",
                    "give a FASTA file with at least one '>name' record");
  }
  impl->fai = std::move(fai);
  return Genome(std::move(impl), path);
}

std::vector<std::string> Genome::contigs() const {
  if (!impl_) return {};
  return impl_->names;
}

std::optional<std::string> Genome::resolve_contig(std::string_view name) const {
  if (!impl_) return std::nullopt;
  const std::string exact(name);
  if (faidx_has_seq(impl_->fai.get(), exact.c_str()) != 0) return exact;
  const auto it = impl_->by_key.find(contig_key(name));
  if (it == impl_->by_key.end()) return std::nullopt;
  return impl_->names[it->second];
}

std::optional<std::uint64_t> Genome::contig_length(std::string_view name) const {
  const auto resolved = resolve_contig(name);
  if (!resolved) return std::nullopt;
  // HTSlib 1.16 reports lengths as int; human contigs are far below INT_MAX.
  const int length = faidx_seq_len(impl_->fai.get(), resolved->c_str());
  if (length < 0) return std::nullopt;
  return static_cast<std::uint64_t>(length);
}

std::string Genome::fetch(std::string_view contig, std::uint64_t start, std::uint64_t end) const {
  const auto resolved = resolve_contig(contig);
  if (!resolved) {
    throw_bad_input(path_, std::nullopt, "fetch " + range_text(contig, start, end),
                    "contig '" + std::string(contig) + "' is not in the FASTA",
                    "use a FASTA of the same genome build as the input, with this contig");
  }
  const auto length = contig_length(*resolved);
  if (start < 1 || start > end || !length || end > *length) {
    throw_bad_input(path_, std::nullopt, "fetch " + range_text(contig, start, end),
                    "the range lies outside contig '" + *resolved + "' (length " +
                        std::to_string(length.value_or(0)) + "), or start is after end",
                    "positions are 1-based and inclusive; check that the input uses the same genome build");
  }
  hts_pos_t fetched = 0;
  std::unique_ptr<char, MallocDeleter> bases(faidx_fetch_seq64(impl_->fai.get(), resolved->c_str(),
                                                               static_cast<hts_pos_t>(start - 1),
                                                               static_cast<hts_pos_t>(end - 1), &fetched));
  const auto expected = static_cast<hts_pos_t>(end - start + 1);
  if (!bases || fetched != expected) {
    throw_bad_input(path_, std::nullopt, "fetch " + range_text(*resolved, start, end),
                    "HTSlib returned " + std::to_string(fetched < 0 ? 0 : fetched) + " of " +
                        std::to_string(expected) + " bases",
                    "the FASTA or its .fai/.gzi index may be truncated or stale; rebuild the index");
  }
  std::string out(bases.get(), static_cast<std::size_t>(fetched));
  for (char& base : out) base = static_cast<char>(std::toupper(static_cast<unsigned char>(base)));
  return out;
}

}  // namespace rarematch::reference
