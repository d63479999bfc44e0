#pragma once
// Reference bundles: a gene model and the reference sequence around its transcripts, written once from a GFF3/GTF
// and a FASTA (`rarematch reference build`) and loaded in a fraction of the time those take to read. The layout is
// the protobuf message rarematch.v1.ReferenceBundle (proto/rarematch/v1/reference_bundle.proto, which documents
// every field, the 2 GiB size limit and the trailing checksum).
//
// Loaded, a bundle gives the two things the Annotator is built from: a GeneModel equal to the one the GFF3/GTF
// gives, and a SequenceSource (BundleSequence) serving the stored windows. An Annotator built from them annotates
// exactly as one built from the GFF3/GTF and FASTA.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "reference/gene_model.h"
#include "reference/sequence_source.h"
#include "rarematch/v1/profile.pb.h"

namespace rarematch::reference {

/// Which reference sequence a bundle stores (rarematch.v1.SequenceScope).
enum class BundleScope {
  /// Each transcript's span extended by kBundleFlankBases on both sides, plus every window the Annotator reads:
  /// enough to annotate, and to normalise (check REF, left-align), any variant within the Annotator's reach of a
  /// transcript. The size is that of the genes' spans: right for gene panels, too large for a whole annotation.
  kTranscriptSpans,
  /// Only the windows the Annotator reads (sequence_windows() in annotator.h: exons with a short flank). Smallest;
  /// annotation is unchanged, but variants outside these windows cannot be normalised against the bundle.
  kAnnotatorWindows,
};

/// Bases kept on both sides of a transcript's span with BundleScope::kTranscriptSpans: the Annotator's
/// upstream/downstream reach (kUpDownstreamBases, 5 kb) plus 1 kb for splice margins and for left-aligning indels
/// that start within the reach.
inline constexpr std::uint64_t kBundleFlankBases = 6000;

/// The largest bundle file protobuf can parse: 2^31 - 1 bytes (one message; see reference_bundle.proto).
inline constexpr std::uint64_t kMaxBundleBytes = 2147483647;

/// What write_bundle records besides the genes and the sequence.
struct BundleOptions {
  /// Which sequence to store.
  BundleScope scope = BundleScope::kTranscriptSpans;
  /// The assembly, e.g. "GRCh38" or "GRCh38.p14". Empty: read from the gene model file's header
  /// (`#!genome-build GRCh38.p14`, or a "GRCh3N" token in a header line such as GENCODE's `##description`), else
  /// the build is recognised from the length of chromosome 1 (GRCh37 or GRCh38), else it stays unknown.
  std::string genome_build;
  /// The GFF3/GTF the model was read from: recorded by name, size and MD5, and its header read for the build.
  /// Empty: no gene model file is recorded.
  std::string gene_model_path;
  /// Contigs recorded with their lengths, named as the sequence source names them, in this order (give
  /// Genome::contigs() to record the whole FASTA, so that VCF ##contig lines can be checked against it). Contigs of
  /// transcripts missing from the list are added after it. Empty: the contigs of the transcripts, in model order.
  std::vector<std::string> contigs;
};

/// A contig of a bundle's reference.
struct BundleContig {
  std::string name;         ///< as the FASTA names it, e.g. "chr7"
  std::uint64_t length = 0; ///< bases
};

/// A file a bundle was built from.
struct BundleSource {
  std::string role;              ///< "gene_model" (GFF3/GTF) or "fasta"
  std::string name;              ///< file name without folder
  std::uint64_t size_bytes = 0;  ///< as stored on disk (compressed size for compressed files)
  std::string md5;               ///< of the bytes on disk, 32 lower-case hex digits (as md5sum prints it)
};

/// The reference windows a bundle stores for `transcript` (contig `contig_length` bases long): closed 1-based
/// ranges on the transcript's contig, clipped to [1, contig_length], possibly overlapping (write_bundle merges
/// them). Always includes the Annotator's sequence_windows(); with kTranscriptSpans also the span extended by
/// kBundleFlankBases on both sides.
/// This is the one place that decides which sequence a bundle holds.
std::vector<Segment> bundle_windows(const Transcript& transcript, std::uint64_t contig_length, BundleScope scope);

/// Writes the bundle of `model` and of `genome`'s sequence in the windows bundle_windows() names for every
/// transcript of every gene, to `path` (written to a temporary name in the same folder, then renamed; mode 0666
/// less the umask). Windows are fetched by the sequence source's contig names (aliases resolved).
/// Throws rarematch::Error (kBadInput): naming genome.path() when a transcript's contig is absent from the sequence
/// source or the transcript ends beyond the contig (another build), or a listed contig is absent; naming `path`
/// when the bundle would exceed kMaxBundleBytes (before any sequence is read) or cannot be written. Errors of the
/// sequence source (a corrupt FASTA) propagate.
void write_bundle(const GeneModel& model, const SequenceSource& genome, const std::string& path,
                  const BundleOptions& options = {});

/// Reads the gene model at `gene_model_path` (GeneModel::load: GFF3 or GTF by extension) and the FASTA at
/// `fasta_path` (Genome::open), and writes their bundle to `out_path` with write_bundle, recording every FASTA
/// contig and both files. `options.gene_model_path` and `options.contigs` are filled in here when empty.
/// Throws rarematch::Error as the loaders and write_bundle do.
void build_bundle(const std::string& gene_model_path, const std::string& fasta_path, const std::string& out_path,
                  const BundleOptions& options = {});

/// Reference sequence served from a bundle's stored windows. Immutable once loaded, so safe to share between
/// threads (unlike Genome).
class BundleSequence final : public SequenceSource {
 public:
  /// The bundle's path.
  const std::string& path() const override { return path_; }

  /// The bundle's (FASTA) name of the contig that `name` refers to (aliases resolved: "7" = "chr7"), if recorded.
  std::optional<std::string> resolve_contig(std::string_view name) const override;

  /// Length of the contig in bases, or nullopt when the bundle does not record it (aliases resolved).
  std::optional<std::uint64_t> contig_length(std::string_view name) const override;

  /// Upper-case bases of the closed 1-based range [start, end] of `contig` (aliases resolved).
  /// Throws rarematch::Error (kBadInput) naming the bundle, the contig and the range when the contig is not
  /// recorded, the range is empty or reaches beyond the contig, or it is not wholly inside one stored window.
  std::string fetch(std::string_view contig, std::uint64_t start, std::uint64_t end) const override;

  /// True when fetch(contig, start, end) would return bases: the contig is recorded, 1 <= start <= end, and the
  /// range lies inside a stored window. For callers that must tell "not stored" from an error (normalisation).
  bool covers(std::string_view contig, std::uint64_t start, std::uint64_t end) const;

  /// The recorded contigs with their lengths, in the bundle's order (FASTA order for build_bundle).
  const std::vector<BundleContig>& contigs() const { return contigs_; }

  /// Stored windows of the contig at `contig_index` (an index into contigs()), sorted by start, as closed 1-based
  /// ranges. Empty when none is stored there.
  std::vector<Segment> windows(std::size_t contig_index) const;

 private:
  friend class ReferenceBundle;
  BundleSequence() = default;  // made by ReferenceBundle::load

  struct Window {
    std::uint64_t start = 0;  // 1-based position of bases[0]
    std::string bases;
  };

  // The window of contig `index` holding [start, end], or nullptr.
  const Window* find_window(std::size_t index, std::uint64_t start, std::uint64_t end) const;
  std::optional<std::size_t> contig_index(std::string_view name) const;

  std::string path_;
  std::vector<BundleContig> contigs_;
  std::unordered_map<std::string, std::size_t> index_by_key_;  // contig_key -> contigs_ index
  std::vector<std::vector<Window>> windows_;                   // per contigs_ index, sorted, disjoint
};

/// A loaded bundle: its gene model, its sequence and what it records about its origin. Immutable, so safe to
/// share between threads. The references it returns live as long as the ReferenceBundle (and move with it).
class ReferenceBundle {
 public:
  /// Reads and checks the bundle at `path`: the trailing checksum, the protobuf message (total-bytes limit raised
  /// to kMaxBundleBytes), the format name and version, and the consistency of contigs, windows and genes.
  /// Throws rarematch::Error (kBadInput) naming `path` when the file cannot be read, is larger than
  /// kMaxBundleBytes, is truncated or corrupt (checksum), is not a bundle, has another format version, or its
  /// content is inconsistent.
  static ReferenceBundle load(const std::string& path);

  /// The file it was loaded from.
  const std::string& path() const { return sequence_.path(); }
  /// The genes, equal to those of the GFF3/GTF the bundle was built from.
  const GeneModel& gene_model() const { return model_; }
  /// The stored reference sequence.
  const BundleSequence& sequence() const { return sequence_; }
  /// The genome build of its coordinates (GENOME_BUILD_UNSPECIFIED when unknown).
  v1::GenomeBuild genome_build() const { return genome_build_; }
  /// The assembly as stated when it was built, e.g. "GRCh38.p14"; empty when not stated.
  const std::string& assembly_name() const { return assembly_name_; }
  /// The files it was built from: the gene model, then the FASTA (either may be missing).
  const std::vector<BundleSource>& sources() const { return sources_; }
  /// Which sequence it stores.
  BundleScope scope() const { return scope_; }

 private:
  ReferenceBundle(GeneModel model, BundleSequence sequence);

  GeneModel model_;
  BundleSequence sequence_;
  v1::GenomeBuild genome_build_ = v1::GENOME_BUILD_UNSPECIFIED;
  std::string assembly_name_;
  std::vector<BundleSource> sources_;
  BundleScope scope_ = BundleScope::kTranscriptSpans;
};

}  // namespace rarematch::reference
