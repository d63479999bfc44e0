// Reference bundles: writing and loading rarematch.v1.ReferenceBundle.
//
// Writing (write_bundle):
//   1. For every transcript of every gene: resolve its contig in the sequence source and collect the windows
//      bundle_windows() names. Per contig, sort the windows and merge those that overlap or touch, so that every
//      range the Annotator fetches lies inside one stored window.
//   2. Refuse a bundle whose sequence alone would pass protobuf's 2 GiB message limit, before reading any base.
//   3. Fill the message (genes in model order, contigs, sources with MD5, the genome build), fetch each merged
//      window once, serialize, and append the checksum field: the tag byte of field 15 (fixed64) and a 64-bit hash
//      of all the bytes before it (bundle_checksum below), little-endian. Protobuf writes known fields in
//      field-number order, so the checksum is the last field of a valid file.
//   4. Write to a temporary name in the destination folder, fsync, rename.
//
// Loading (ReferenceBundle::load):
//   1. Read the whole file; check that its last 9 bytes are the checksum field and that the hash of the bytes
//      before them matches (a truncated file loses them, an altered one fails the hash).
//   2. Parse with a CodedInputStream whose total-bytes limit is set to the 2^31 - 1 maximum.
//   3. Check format name, version and consistency (windows inside their contigs, sorted and disjoint; paired
//      start/end lists), move the window bases out of the message, and build the GeneModel through
//      GeneModel::from_genes, the one place that builds the overlap index.
//
// bundle_checksum: four 64-bit lanes consume the input in 32-byte stripes (each lane one little-endian word per
// stripe: lane = rotl(lane + word * P2, 31) * P1), are combined, then the remaining words and bytes are folded in
// and the result is avalanched. P1..P3 are the odd constants below. It detects accidental damage, not tampering.

#include "reference/bundle.h"

#include <fcntl.h>
#include <htslib/hts.h>
#include <htslib/kstring.h>
#include <sys/stat.h>
#include <unistd.h>

#include <google/protobuf/arena.h>
#include <google/protobuf/io/coded_stream.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <utility>

#include "rarematch/v1/reference_bundle.pb.h"
#include "reference/annotator.h"
#include "reference/contig.h"
#include "reference/error.h"
#include "reference/genome.h"

namespace rarematch::reference {

namespace {

constexpr std::string_view kFormatName = "rarematch.ReferenceBundle";
constexpr std::uint32_t kFormatVersion = 1;
constexpr unsigned char kChecksumTag = (15 << 3) | 1;  // field 15, wire type 1 (64-bit)
constexpr std::size_t kChecksumFieldBytes = 9;         // tag byte + fixed64
constexpr std::string_view kRebuildHint = "rebuild the bundle with `rarematch reference build`";

// ---- checksum -------------------------------------------------------------------------------------------------

constexpr std::uint64_t kPrime1 = 0x9E3779B185EBCA87ULL;
constexpr std::uint64_t kPrime2 = 0xC2B2AE3D27D4EB4FULL;
constexpr std::uint64_t kPrime3 = 0x165667B19E3779F9ULL;

std::uint64_t rotate_left(std::uint64_t value, int bits) { return (value << bits) | (value >> (64 - bits)); }

std::uint64_t read_le64(const unsigned char* bytes) {
  std::uint64_t value = 0;
  if constexpr (std::endian::native == std::endian::little) {
    std::memcpy(&value, bytes, sizeof value);
  } else {
    for (int i = 7; i >= 0; --i) value = (value << 8) | bytes[i];
  }
  return value;
}

std::uint64_t lane_round(std::uint64_t lane, std::uint64_t word) {
  return rotate_left(lane + word * kPrime2, 31) * kPrime1;
}

std::uint64_t bundle_checksum(std::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t size = text.size();
  std::array<std::uint64_t, 4> lanes = {kPrime1 + kPrime2, kPrime2, 0, 0 - kPrime1};
  std::size_t i = 0;
  for (; i + 32 <= size; i += 32) {
    for (std::size_t lane = 0; lane < 4; ++lane) lanes[lane] = lane_round(lanes[lane], read_le64(bytes + i + 8 * lane));
  }
  std::uint64_t hash = rotate_left(lanes[0], 1) + rotate_left(lanes[1], 7) + rotate_left(lanes[2], 12) +
                       rotate_left(lanes[3], 18);
  for (const std::uint64_t lane : lanes) hash = (hash ^ lane_round(0, lane)) * kPrime1 + kPrime3;
  hash += size;
  for (; i + 8 <= size; i += 8) hash = rotate_left(hash ^ lane_round(0, read_le64(bytes + i)), 27) * kPrime1 + kPrime3;
  for (; i < size; ++i) hash = rotate_left(hash ^ (bytes[i] * kPrime3), 11) * kPrime1;
  hash ^= hash >> 33;
  hash *= kPrime2;
  hash ^= hash >> 29;
  hash *= kPrime3;
  hash ^= hash >> 32;
  return hash;
}

// ---- small helpers --------------------------------------------------------------------------------------------

std::string range_text(std::string_view contig, std::uint64_t start, std::uint64_t end) {
  return std::string(contig) + ":" + std::to_string(start) + "-" + std::to_string(end);
}

std::string lower_case(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

v1::Strand to_proto_strand(char strand) { return strand == '-' ? v1::STRAND_REVERSE : v1::STRAND_FORWARD; }

v1::SequenceScope to_proto_scope(BundleScope scope) {
  return scope == BundleScope::kTranscriptSpans ? v1::SEQUENCE_SCOPE_TRANSCRIPT_SPANS
                                                : v1::SEQUENCE_SCOPE_ANNOTATOR_WINDOWS;
}

struct FileCloser {
  void operator()(std::FILE* file) const noexcept { std::fclose(file); }
};

struct HtsFileCloser {
  void operator()(htsFile* file) const noexcept { hts_close(file); }
};

struct Md5Destroyer {
  void operator()(hts_md5_context* context) const noexcept { hts_md5_destroy(context); }
};

// ---- genome build ---------------------------------------------------------------------------------------------

// The build an assembly name denotes: "GRCh38.p14" and "hg38" are GRCh38; "GRCh37", "hg19", "b37" GRCh37.
v1::GenomeBuild build_of_name(std::string_view name) {
  const std::string lower = lower_case(name);
  if (lower.find("grch38") != std::string::npos || lower.find("hg38") != std::string::npos) {
    return v1::GENOME_BUILD_GRCH38;
  }
  if (lower.find("grch37") != std::string::npos || lower.find("hg19") != std::string::npos ||
      lower.find("b37") != std::string::npos) {
    return v1::GENOME_BUILD_GRCH37;
  }
  return v1::GENOME_BUILD_UNSPECIFIED;
}

// The assembly a GFF3/GTF header states: the value of `#!genome-build`, else the first "GRCh<digits>[.p<digits>]"
// token of a header line (GENCODE: "##description: evidence-based annotation of the human genome (GRCh38), ...").
// Empty when the header states none or the file cannot be read (the loader has already reported that).
std::string declared_assembly(const std::string& path) {
  std::unique_ptr<htsFile, HtsFileCloser> file(hts_open(path.c_str(), "r"));
  if (!file) return {};
  kstring_t line = KS_INITIALIZE;
  std::string token;
  std::string found;
  for (int count = 0; count < 1000 && hts_getline(file.get(), '\n', &line) >= 0; ++count) {
    const std::string_view text(line.s, line.l);
    if (text.empty() || text.front() != '#') break;  // the header ends at the first feature line
    constexpr std::string_view kBuildKey = "#!genome-build";
    if (text.substr(0, kBuildKey.size()) == kBuildKey) {
      std::string_view value = text.substr(kBuildKey.size());
      while (!value.empty() && std::isspace(static_cast<unsigned char>(value.front()))) value.remove_prefix(1);
      while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back()))) value.remove_suffix(1);
      found = std::string(value);
      break;
    }
    if (token.empty()) {
      const std::size_t at = text.find("GRCh");
      if (at != std::string_view::npos) {
        std::size_t end = at + 4;
        while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '.')) ++end;
        if (end > at + 4 && std::isdigit(static_cast<unsigned char>(text[at + 4]))) token = text.substr(at, end - at);
      }
    }
  }
  ks_free(&line);
  return found.empty() ? token : found;
}

// The build recognised from the length of chromosome 1, if it is one of GRCh37's or GRCh38's.
v1::GenomeBuild build_of_contigs(const std::vector<BundleContig>& contigs) {
  for (const BundleContig& contig : contigs) {
    if (contig_key(contig.name) != "1") continue;
    if (contig.length == 248956422) return v1::GENOME_BUILD_GRCH38;
    if (contig.length == 249250621) return v1::GENOME_BUILD_GRCH37;
  }
  return v1::GENOME_BUILD_UNSPECIFIED;
}

// ---- source files ---------------------------------------------------------------------------------------------

// Name, size and MD5 of the file at `path` (read in 1 MiB pieces).
BundleSource describe_source(const std::string& role, const std::string& path) {
  BundleSource source;
  source.role = role;
  source.name = std::filesystem::path(path).filename().string();
  errno = 0;
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (!file) {
    throw_bad_input(path, std::nullopt, "checksum " + role + " file", std::strerror(errno),
                    "check that the file exists and is readable");
  }
  std::unique_ptr<hts_md5_context, Md5Destroyer> md5(hts_md5_init());
  if (!md5) throw Error(ErrorKind::kInternal, path, std::nullopt, "checksum " + role + " file", "out of memory");
  std::vector<char> buffer(1 << 20);
  std::size_t read = 0;
  while ((read = std::fread(buffer.data(), 1, buffer.size(), file.get())) > 0) {
    hts_md5_update(md5.get(), buffer.data(), static_cast<unsigned long>(read));
    source.size_bytes += read;
  }
  if (std::ferror(file.get())) {
    throw_bad_input(path, std::nullopt, "checksum " + role + " file", "the file cannot be read",
                    "check the file and the disk");
  }
  unsigned char digest[16];
  char hex[33];
  hts_md5_final(digest, md5.get());
  hts_md5_hex(hex, digest);
  source.md5 = hex;
  return source;
}

// ---- writing --------------------------------------------------------------------------------------------------

[[noreturn]] void fail_write(const std::string& path, const std::string& what, int error_number) {
  throw_bad_input(path, std::nullopt, what, std::strerror(error_number),
                  "check that the folder exists and is writable and that the disk is not full");
}

// Writes `content` to `path` through a temporary file in the same folder, then renames it into place.
void write_atomically(const std::string& path, std::string_view content) {
  const std::filesystem::path target(path);
  const std::filesystem::path temporary =
      target.parent_path() / ("." + target.filename().string() + ".tmp." + std::to_string(::getpid()));
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) fail_write(path, "create reference bundle", errno);
  std::size_t written = 0;
  while (written < content.size()) {
    const ssize_t count = ::write(fd, content.data() + written, content.size() - written);
    if (count < 0) {
      if (errno == EINTR) continue;
      const int error_number = errno;
      ::close(fd);
      ::unlink(temporary.c_str());
      fail_write(path, "write reference bundle", error_number);
    }
    written += static_cast<std::size_t>(count);
  }
  if (::fsync(fd) != 0) {
    const int error_number = errno;
    ::close(fd);
    ::unlink(temporary.c_str());
    fail_write(path, "write reference bundle", error_number);
  }
  if (::close(fd) != 0) {
    const int error_number = errno;
    ::unlink(temporary.c_str());
    fail_write(path, "write reference bundle", error_number);
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    const int error_number = errno;
    ::unlink(temporary.c_str());
    fail_write(path, "rename reference bundle into place", error_number);
  }
}

void fill_transcript(const Transcript& transcript, v1::ReferenceTranscript& out) {
  out.set_id(transcript.id);
  out.set_biotype(transcript.biotype);
  out.set_strand(to_proto_strand(transcript.strand));
  out.set_start(transcript.start);
  out.set_end(transcript.end);
  out.set_canonical(transcript.canonical);
  for (const std::string& tag : transcript.tags) out.add_tags(tag);
  out.mutable_exon_starts()->Reserve(static_cast<int>(transcript.exons.size()));
  out.mutable_exon_ends()->Reserve(static_cast<int>(transcript.exons.size()));
  for (const Segment& exon : transcript.exons) {
    out.add_exon_starts(exon.start);
    out.add_exon_ends(exon.end);
  }
  out.mutable_cds_starts()->Reserve(static_cast<int>(transcript.cds.size()));
  out.mutable_cds_ends()->Reserve(static_cast<int>(transcript.cds.size()));
  for (const Segment& segment : transcript.cds) {
    out.add_cds_starts(segment.start);
    out.add_cds_ends(segment.end);
  }
}

// Sorts windows by start and merges those that overlap or touch.
std::vector<Segment> merge_windows(std::vector<Segment> windows) {
  std::sort(windows.begin(), windows.end(),
            [](const Segment& a, const Segment& b) { return a.start != b.start ? a.start < b.start : a.end < b.end; });
  std::vector<Segment> merged;
  for (const Segment& window : windows) {
    if (!merged.empty() && window.start <= merged.back().end + 1) {
      merged.back().end = std::max(merged.back().end, window.end);
    } else {
      merged.push_back(window);
    }
  }
  return merged;
}

// ---- loading --------------------------------------------------------------------------------------------------

[[noreturn]] void fail_load(const std::string& path, const std::string& why) {
  throw_bad_input(path, std::nullopt, "read reference bundle", why, std::string(kRebuildHint));
}

// A file's bytes (not zero-filled first: it may be large).
struct FileBytes {
  std::unique_ptr<unsigned char[]> data;
  std::size_t size = 0;
};

FileBytes read_whole_file(const std::string& path) {
  errno = 0;
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (!file) {
    throw_bad_input(path, std::nullopt, "open reference bundle", std::strerror(errno),
                    "check the path given as the reference bundle");
  }
  std::error_code error;
  const std::uintmax_t size = std::filesystem::file_size(path, error);
  if (error) {
    throw_bad_input(path, std::nullopt, "open reference bundle", error.message(), "give a regular file");
  }
  if (size > kMaxBundleBytes) {
    fail_load(path, "the file has " + std::to_string(size) + " bytes, more than a protobuf message can hold (" +
                        std::to_string(kMaxBundleBytes) + ")");
  }
  FileBytes content{std::make_unique_for_overwrite<unsigned char[]>(static_cast<std::size_t>(size)),
                    static_cast<std::size_t>(size)};
  const std::size_t read = content.size == 0 ? 0 : std::fread(content.data.get(), 1, content.size, file.get());
  if (read != content.size || std::ferror(file.get())) fail_load(path, "the file cannot be read completely");
  return content;
}

std::optional<char> from_proto_strand(v1::Strand strand) {
  if (strand == v1::STRAND_FORWARD) return '+';
  if (strand == v1::STRAND_REVERSE) return '-';
  return std::nullopt;
}

// Segments from parallel start/end lists; nullopt when their lengths differ.
std::optional<std::vector<Segment>> segments_of(const google::protobuf::RepeatedField<std::uint64_t>& starts,
                                                const google::protobuf::RepeatedField<std::uint64_t>& ends) {
  if (starts.size() != ends.size()) return std::nullopt;
  std::vector<Segment> out(static_cast<std::size_t>(starts.size()));
  for (int i = 0; i < starts.size(); ++i) out[static_cast<std::size_t>(i)] = {starts[i], ends[i]};
  return out;
}

std::vector<Gene> genes_of(v1::ReferenceBundle& message, const std::string& path) {
  std::vector<Gene> genes;
  genes.reserve(static_cast<std::size_t>(message.genes_size()));
  for (v1::ReferenceGene& stored : *message.mutable_genes()) {
    Gene gene;
    gene.id = std::move(*stored.mutable_id());
    gene.name = std::move(*stored.mutable_name());
    gene.biotype = std::move(*stored.mutable_biotype());
    gene.contig = std::move(*stored.mutable_contig());
    const auto gene_strand = from_proto_strand(stored.strand());
    if (!gene_strand) fail_load(path, "gene " + gene.id + " has no strand");
    gene.strand = *gene_strand;
    gene.start = stored.start();
    gene.end = stored.end();
    gene.transcripts.reserve(static_cast<std::size_t>(stored.transcripts_size()));
    for (v1::ReferenceTranscript& stored_transcript : *stored.mutable_transcripts()) {
      Transcript transcript;
      transcript.id = std::move(*stored_transcript.mutable_id());
      transcript.biotype = std::move(*stored_transcript.mutable_biotype());
      transcript.contig = gene.contig;
      const auto strand = from_proto_strand(stored_transcript.strand());
      if (!strand) fail_load(path, "transcript " + transcript.id + " has no strand");
      transcript.strand = *strand;
      transcript.start = stored_transcript.start();
      transcript.end = stored_transcript.end();
      transcript.canonical = stored_transcript.canonical();
      transcript.tags.reserve(static_cast<std::size_t>(stored_transcript.tags_size()));
      for (std::string& tag : *stored_transcript.mutable_tags()) transcript.tags.push_back(std::move(tag));
      auto exons = segments_of(stored_transcript.exon_starts(), stored_transcript.exon_ends());
      auto cds = segments_of(stored_transcript.cds_starts(), stored_transcript.cds_ends());
      if (!exons || !cds) fail_load(path, "transcript " + transcript.id + " has unpaired segment starts and ends");
      transcript.exons = std::move(*exons);
      transcript.cds = std::move(*cds);
      gene.transcripts.push_back(std::move(transcript));
    }
    genes.push_back(std::move(gene));
  }
  return genes;
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------------
// Windows: the one place that decides which sequence a bundle stores.

std::vector<Segment> bundle_windows(const Transcript& transcript, std::uint64_t contig_length, BundleScope scope) {
  std::vector<Segment> out;
  // What the Annotator reads (annotator.h). Kept in every scope, so a bundle always serves the Annotator even if
  // its windows reach further than kBundleFlankBases one day.
  for (const GenomicWindow& window : sequence_windows(transcript, contig_length)) {
    out.push_back({window.start, window.end});
  }
  if (scope == BundleScope::kTranscriptSpans && transcript.start <= contig_length) {
    const std::uint64_t start = transcript.start > kBundleFlankBases ? transcript.start - kBundleFlankBases : 1;
    const std::uint64_t end = std::min(contig_length, transcript.end + kBundleFlankBases);
    out.push_back({start, end});
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Writing.

void write_bundle(const GeneModel& model, const SequenceSource& genome, const std::string& path,
                  const BundleOptions& options) {
  v1::ReferenceBundle message;
  message.set_format(std::string(kFormatName));
  message.set_format_version(kFormatVersion);

  // Contigs: the listed ones first, then those of transcripts not listed.
  std::vector<BundleContig> contigs;
  std::map<std::string, std::size_t> contig_index;  // contig_key -> contigs index
  const auto add_contig = [&](const std::string& name, std::uint64_t length) {
    const auto [it, added] = contig_index.emplace(contig_key(name), contigs.size());
    if (added) contigs.push_back({name, length});
    return it->second;
  };
  for (const std::string& name : options.contigs) {
    const auto resolved = genome.resolve_contig(name);
    const auto length = genome.contig_length(name);
    if (!resolved || !length) {
      throw_bad_input(genome.path(), std::nullopt, "record contig " + name, "it is not in the sequence source",
                      "list contigs as the FASTA names them (Genome::contigs())");
    }
    add_contig(*resolved, *length);
  }

  // Windows per contig, from every transcript.
  std::map<std::size_t, std::vector<Segment>> wanted;  // contigs index -> windows
  for (const Gene& gene : model.genes()) {
    for (const Transcript& transcript : gene.transcripts) {
      const std::string what = "bundle transcript " + transcript.id + " of gene " + gene.name;
      const auto resolved = genome.resolve_contig(transcript.contig);
      const auto length = genome.contig_length(transcript.contig);
      if (!resolved || !length) {
        throw_bad_input(genome.path(), std::nullopt, what,
                        "its contig '" + transcript.contig + "' is not in the FASTA",
                        "use the FASTA of the genome build the gene model describes (contig names may differ by a "
                        "'chr' prefix only)");
      }
      if (transcript.end > *length) {
        throw_bad_input(genome.path(), std::nullopt, what,
                        "it ends at " + transcript.contig + ":" + std::to_string(transcript.end) +
                            ", beyond the contig's " + std::to_string(*length) + " bases",
                        "use the FASTA of the genome build the gene model describes");
      }
      std::vector<Segment>& windows = wanted[add_contig(*resolved, *length)];
      for (const Segment& window : bundle_windows(transcript, *length, options.scope)) windows.push_back(window);
    }
  }
  std::uint64_t total_bases = 0;
  for (auto& [index, windows] : wanted) {
    windows = merge_windows(std::move(windows));
    for (const Segment& window : windows) total_bases += window.end - window.start + 1;
  }
  if (total_bases > kMaxBundleBytes) {
    throw_bad_input(path, std::nullopt, "write reference bundle",
                    "its sequence alone would take " + std::to_string(total_bases) +
                        " bytes, beyond protobuf's limit of " + std::to_string(kMaxBundleBytes) + " for one message",
                    "store only the Annotator's windows (BundleScope::kAnnotatorWindows), or bundle fewer genes");
  }

  // Genome build: given, else stated by the gene model's header, else recognised from chromosome 1.
  std::string assembly = options.genome_build;
  if (assembly.empty() && !options.gene_model_path.empty()) assembly = declared_assembly(options.gene_model_path);
  v1::GenomeBuild build = build_of_name(assembly);
  if (build == v1::GENOME_BUILD_UNSPECIFIED) build = build_of_contigs(contigs);
  message.set_genome_build(build);
  message.set_assembly_name(assembly);

  std::vector<BundleSource> sources;
  if (!options.gene_model_path.empty()) sources.push_back(describe_source("gene_model", options.gene_model_path));
  std::error_code error;
  if (std::filesystem::is_regular_file(genome.path(), error)) {
    sources.push_back(describe_source("fasta", genome.path()));
  }
  for (const BundleSource& source : sources) {
    v1::ReferenceSourceFile& out = *message.add_sources();
    out.set_role(source.role);
    out.set_name(source.name);
    out.set_size_bytes(source.size_bytes);
    out.set_md5(source.md5);
  }
  for (const BundleContig& contig : contigs) {
    v1::ReferenceContig& out = *message.add_contigs();
    out.set_name(contig.name);
    out.set_length(contig.length);
  }
  message.mutable_genes()->Reserve(static_cast<int>(model.genes().size()));
  for (const Gene& gene : model.genes()) {
    v1::ReferenceGene& out = *message.add_genes();
    out.set_id(gene.id);
    out.set_name(gene.name);
    out.set_biotype(gene.biotype);
    out.set_contig(gene.contig);
    out.set_strand(to_proto_strand(gene.strand));
    out.set_start(gene.start);
    out.set_end(gene.end);
    for (const Transcript& transcript : gene.transcripts) fill_transcript(transcript, *out.add_transcripts());
  }
  message.set_sequence_scope(to_proto_scope(options.scope));
  message.set_flank_bases(options.scope == BundleScope::kTranscriptSpans ? kBundleFlankBases : 0);
  for (const auto& [index, windows] : wanted) {  // contigs index order = contigs order
    const std::string& name = contigs[index].name;
    for (const Segment& window : windows) {
      v1::SequenceWindow& out = *message.add_windows();
      out.set_contig(name);
      out.set_start(window.start);
      out.set_bases(genome.fetch(name, window.start, window.end));
    }
  }

  const std::size_t size = message.ByteSizeLong();
  if (size + kChecksumFieldBytes > kMaxBundleBytes) {
    throw_bad_input(path, std::nullopt, "write reference bundle",
                    "it would take " + std::to_string(size + kChecksumFieldBytes) +
                        " bytes, beyond protobuf's limit of " + std::to_string(kMaxBundleBytes) + " for one message",
                    "store only the Annotator's windows (BundleScope::kAnnotatorWindows), or bundle fewer genes");
  }
  std::string bytes;
  if (!message.SerializeToString(&bytes)) {
    throw Error(ErrorKind::kInternal, path, std::nullopt, "write reference bundle", "protobuf serialization failed");
  }
  const std::uint64_t checksum = bundle_checksum(bytes);
  bytes.push_back(static_cast<char>(kChecksumTag));
  for (int i = 0; i < 8; ++i) bytes.push_back(static_cast<char>((checksum >> (8 * i)) & 0xff));
  write_atomically(path, bytes);
}

void build_bundle(const std::string& gene_model_path, const std::string& fasta_path, const std::string& out_path,
                  const BundleOptions& options) {
  const GeneModel model = GeneModel::load(gene_model_path);
  const Genome genome = Genome::open(fasta_path);
  BundleOptions filled = options;
  if (filled.gene_model_path.empty()) filled.gene_model_path = gene_model_path;
  if (filled.contigs.empty()) filled.contigs = genome.contigs();
  write_bundle(model, genome, out_path, filled);
}

// ---------------------------------------------------------------------------------------------------------------
// BundleSequence.

std::optional<std::size_t> BundleSequence::contig_index(std::string_view name) const {
  const auto it = index_by_key_.find(contig_key(name));
  if (it == index_by_key_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> BundleSequence::resolve_contig(std::string_view name) const {
  const auto index = contig_index(name);
  if (!index) return std::nullopt;
  return contigs_[*index].name;
}

std::optional<std::uint64_t> BundleSequence::contig_length(std::string_view name) const {
  const auto index = contig_index(name);
  if (!index) return std::nullopt;
  return contigs_[*index].length;
}

const BundleSequence::Window* BundleSequence::find_window(std::size_t index, std::uint64_t start,
                                                          std::uint64_t end) const {
  const std::vector<Window>& windows = windows_[index];
  // The last window starting at or before `start`.
  auto it = std::upper_bound(windows.begin(), windows.end(), start,
                             [](std::uint64_t position, const Window& window) { return position < window.start; });
  if (it == windows.begin()) return nullptr;
  --it;
  return end - it->start < it->bases.size() ? &*it : nullptr;
}

bool BundleSequence::covers(std::string_view contig, std::uint64_t start, std::uint64_t end) const {
  const auto index = contig_index(contig);
  return index && start >= 1 && start <= end && find_window(*index, start, end) != nullptr;
}

std::string BundleSequence::fetch(std::string_view contig, std::uint64_t start, std::uint64_t end) const {
  const auto index = contig_index(contig);
  if (!index) {
    throw_bad_input(path_, std::nullopt, "fetch " + range_text(contig, start, end),
                    "the bundle records no contig '" + std::string(contig) + "'",
                    "use the bundle built for the genome build of this data");
  }
  const BundleContig& known = contigs_[*index];
  if (start < 1 || start > end || end > known.length) {
    throw_bad_input(path_, std::nullopt, "fetch " + range_text(known.name, start, end),
                    "the range is empty or outside the contig's " + std::to_string(known.length) + " bases");
  }
  const Window* window = find_window(*index, start, end);
  if (window == nullptr) {
    throw_bad_input(path_, std::nullopt, "fetch " + range_text(known.name, start, end),
                    "the bundle stores sequence only around transcripts, and this range is not wholly inside one of "
                    "its " + std::to_string(windows_[*index].size()) + " windows on " + known.name,
                    "use the FASTA (--gff3/--fasta) for sequence far from genes, or rebuild the bundle with this "
                    "version of rarematch if the Annotator now reads more");
  }
  return window->bases.substr(start - window->start, end - start + 1);
}

std::vector<Segment> BundleSequence::windows(std::size_t contig_index) const {
  std::vector<Segment> out;
  if (contig_index >= windows_.size()) return out;
  for (const Window& window : windows_[contig_index]) {
    out.push_back({window.start, window.start + window.bases.size() - 1});
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// ReferenceBundle.

ReferenceBundle::ReferenceBundle(GeneModel model, BundleSequence sequence)
    : model_(std::move(model)), sequence_(std::move(sequence)) {}

ReferenceBundle ReferenceBundle::load(const std::string& path) {
  FileBytes content = read_whole_file(path);
  const unsigned char* bytes = content.data.get();
  if (content.size < kChecksumFieldBytes || bytes[content.size - kChecksumFieldBytes] != kChecksumTag) {
    fail_load(path, "the file does not end with a bundle checksum: it is truncated, or not a reference bundle");
  }
  const std::uint64_t stored_checksum = read_le64(bytes + content.size - 8);
  const std::size_t payload = content.size - kChecksumFieldBytes;
  if (bundle_checksum(std::string_view(reinterpret_cast<const char*>(bytes), payload)) != stored_checksum) {
    fail_load(path, "the checksum does not match the content: the file is truncated or corrupt");
  }

  // Parsed on an arena: one allocation pass for the many small messages, freed at once.
  google::protobuf::Arena arena;
  v1::ReferenceBundle& message = *google::protobuf::Arena::CreateMessage<v1::ReferenceBundle>(&arena);
  {
    google::protobuf::io::CodedInputStream input(bytes, static_cast<int>(content.size));
    input.SetTotalBytesLimit(INT_MAX);
    if (!message.ParseFromCodedStream(&input) || !input.ConsumedEntireMessage()) {
      fail_load(path, "the file is not a valid protobuf ReferenceBundle message");
    }
  }
  content = {};
  if (message.format() != kFormatName) fail_load(path, "the file is not a rarematch reference bundle");
  if (message.format_version() != kFormatVersion) {
    fail_load(path, "bundle format version " + std::to_string(message.format_version()) +
                        " is not the version this rarematch reads (" + std::to_string(kFormatVersion) + ")");
  }

  BundleSequence sequence;
  sequence.path_ = path;
  sequence.contigs_.reserve(static_cast<std::size_t>(message.contigs_size()));
  for (const v1::ReferenceContig& contig : message.contigs()) {
    if (contig.name().empty() || contig.length() == 0) fail_load(path, "a contig has no name or no length");
    const auto [it, added] = sequence.index_by_key_.emplace(contig_key(contig.name()), sequence.contigs_.size());
    if (!added) fail_load(path, "contig " + contig.name() + " is recorded twice");
    sequence.contigs_.push_back({contig.name(), contig.length()});
  }
  sequence.windows_.resize(sequence.contigs_.size());
  for (v1::SequenceWindow& window : *message.mutable_windows()) {
    const auto index = sequence.contig_index(window.contig());
    if (!index || sequence.contigs_[*index].name != window.contig()) {
      fail_load(path, "a sequence window lies on contig '" + window.contig() + "', which the bundle does not record");
    }
    const std::uint64_t length = sequence.contigs_[*index].length;
    const std::uint64_t size = window.bases().size();
    if (window.start() < 1 || size == 0 || size > length || window.start() > length - size + 1) {
      fail_load(path, "sequence window at " + window.contig() + ":" + std::to_string(window.start()) + " (" +
                          std::to_string(size) + " bases) is empty or reaches beyond the contig");
    }
    std::vector<BundleSequence::Window>& windows = sequence.windows_[*index];
    if (!windows.empty() && window.start() <= windows.back().start + windows.back().bases.size()) {
      fail_load(path, "sequence windows on " + window.contig() + " are not sorted, disjoint and apart");
    }
    windows.push_back({window.start(), std::move(*window.mutable_bases())});
  }

  v1::GenomeBuild build = message.genome_build();
  std::string assembly = std::move(*message.mutable_assembly_name());
  std::vector<BundleSource> sources;
  for (const v1::ReferenceSourceFile& source : message.sources()) {
    sources.push_back({source.role(), source.name(), source.size_bytes(), source.md5()});
  }
  BundleScope scope = BundleScope::kTranscriptSpans;
  if (message.sequence_scope() == v1::SEQUENCE_SCOPE_ANNOTATOR_WINDOWS) {
    scope = BundleScope::kAnnotatorWindows;
  } else if (message.sequence_scope() != v1::SEQUENCE_SCOPE_TRANSCRIPT_SPANS) {
    fail_load(path, "the bundle does not say which sequence it stores");
  }

  ReferenceBundle bundle(GeneModel::from_genes(genes_of(message, path), path), std::move(sequence));
  bundle.genome_build_ = v1::GenomeBuild_IsValid(build) ? build : v1::GENOME_BUILD_UNSPECIFIED;
  bundle.assembly_name_ = std::move(assembly);
  bundle.sources_ = std::move(sources);
  bundle.scope_ = scope;
  return bundle;
}

}  // namespace rarematch::reference
