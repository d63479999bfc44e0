#pragma once
// Variant annotation against the transcripts of a gene model: Sequence Ontology consequences, exon/intron number,
// affected residues, and HGVS names (c./n. of the transcript, p. of the protein in long and short form).
//
// What is annotated: substitutions (SNVs, MNVs), deletions, insertions and deletion-insertions, against the
// canonical transcript of each gene (default), a user-given list of transcripts, or all transcripts. The
// algorithm and its rules (3' shifting, splice sites, indels across exon/intron boundaries) are described at the
// top of annotator.cc.
//
// Reference sequence is read once at construction, and only the windows sequence_windows() names (exons with a
// short flank), so a reference bundle that stores exactly those windows gives the same results as the FASTA.
// After construction the Annotator is immutable: annotate() is const and thread-safe.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "reference/gene_model.h"
#include "reference/sequence_source.h"
#include "rarematch/v1/profile.pb.h"

namespace rarematch::reference {

/// How far (bases) beyond a transcript's ends a variant is still reported as upstream/downstream_gene_variant.
inline constexpr std::uint64_t kUpDownstreamBases = 5000;

/// Bases of intron (or of flanking sequence beyond the transcript's ends) read on each side of every exon. They
/// let an intronic indel near an exon be shifted 3' and recognised as a duplication; splice sites and the splice
/// region (intron bases 1-8) lie within them. Indels deeper in an intron are shifted only as far as these bases
/// reach (their c. name then stays where the stored sequence ends).
inline constexpr std::uint64_t kSequenceFlankBases = 10;

/// A closed 1-based range of reference sequence.
struct GenomicWindow {
  std::string contig;       ///< the transcript's contig as the gene model writes it
  std::uint64_t start = 0;  ///< 1-based, inclusive
  std::uint64_t end = 0;    ///< 1-based, inclusive
};

/// The reference sequence the Annotator reads for `transcript`: every exon (its CDS segments when it lists no
/// exons, its span when it lists neither) extended by kSequenceFlankBases on both sides, clipped to
/// [1, contig_length], windows that overlap or touch merged; sorted by start. This covers the 5' UTR, CDS and
/// 3' UTR (read through for stop-loss extensions and frameshifts). The Annotator calls SequenceSource::fetch
/// exactly once for each distinct window of the transcripts it prepares and for nothing else, so a reference bundle
/// storing these windows (contig names resolved as SequenceSource::resolve_contig does) serves it completely.
std::vector<GenomicWindow> sequence_windows(const Transcript& transcript, std::uint64_t contig_length);

/// The annotation of one allele against one transcript.
struct Annotation {
  std::string gene;     ///< HGNC symbol
  std::string gene_id;  ///< e.g. "ENSG00000146648" (as the gene model holds it)
  std::string transcript_id;
  std::string transcript_biotype;  ///< e.g. "protein_coding", "nonsense_mediated_decay", "lncRNA"
  /// True when this is the gene's canonical transcript (Gene::canonical_transcript(): tagged Ensembl_canonical or
  /// MANE_Select, else the longest coding one).
  bool canonical = false;
  /// SO terms, most severe first (VEP's order: splice_acceptor, splice_donor, stop_gained, frameshift, stop_lost,
  /// start_lost, inframe_insertion, inframe_deletion, missense, protein_altering, splice_region, stop_retained,
  /// synonymous, coding_sequence, 5'UTR, 3'UTR, non_coding_transcript_exon, intron, upstream, downstream).
  std::vector<std::string> consequences;
  rarematch::v1::Impact impact = rarematch::v1::IMPACT_UNSPECIFIED;  ///< of the most severe consequence
  /// HGVS name on the transcript, without the transcript id: "c.2573T>G", "c.2236_2250del", "c.2155dup",
  /// "c.100_101insAG", "c.100_102delinsTT", "c.1111+47T>C", "c.-20A>G", "c.*150C>T" for coding transcripts,
  /// "n.345G>A" for non-coding ones; indels shifted 3' along the genome as far as the stored sequence shows (see
  /// annotator.cc). Empty for upstream/downstream alleles, and for a coding transcript whose CDS is not one stretch
  /// of its exons (never so in Ensembl or GENCODE).
  std::string hgvs_c;
  /// HGVS protein change, long form, for an allele that changes coding sequence within exons: "p.Leu858Arg",
  /// "p.Arg658Ter", "p.Leu858=", "p.Met1?", "p.Glu746_Ala750del", "p.Ala767_Val769dup",
  /// "p.Ala767_Val768insSerValAsp", "p.Leu747_Pro753delinsSer", "p.Ser68ArgfsTer12" ("...fsTer?" when no stop is
  /// reached in the transcript), "p.Ter1211GlnextTer5" ("...extTer?"), "p.Ter1211=". Empty when no coding base
  /// changes, for indels crossing an exon/intron boundary (wherever they are moved), for indels equivalent to a
  /// 5' UTR change, and when a codon holds a base other than A, C, G, T.
  std::string hgvs_p;
  /// Short form of hgvs_p: "p.L858R", "p.R658*", "p.E746_A750del", "p.S68Rfs*12", "p.*1211Qext*5", "p.M1?".
  std::string hgvs_p_short;
  /// First affected residue (1-based), 0 when no coding base is affected. The residues cover both the codons the
  /// allele touches (an insertion between two codons touches the two flanking residues, one within a codon that
  /// codon) and the residues hgvs_p names (which the 3' rule may move further).
  std::uint32_t protein_start = 0;
  std::uint32_t protein_end = 0;  ///< last affected residue (1-based, inclusive)
  std::uint32_t exon = 0;         ///< 1-based exon number in transcript order (5'->3'), 0 when not exonic
  std::uint32_t intron = 0;       ///< 1-based intron number, 0 when not intronic
  std::uint32_t exon_count = 0;   ///< exons of the transcript
};

/// Which transcripts of each gene are annotated.
enum class TranscriptSet {
  kCanonical,  ///< each gene's canonical transcript (Gene::canonical_transcript())
  /// The transcripts listed in AnnotatorOptions::transcript_ids; a gene none of whose transcripts is listed is
  /// annotated on its canonical transcript, so listing the transcripts of a few genes changes only those genes.
  kListed,
  kAll,  ///< every transcript of every gene
};

/// Options fixed at construction.
struct AnnotatorOptions {
  TranscriptSet transcripts = TranscriptSet::kCanonical;  ///< which transcripts of each gene are annotated
  /// For kListed: transcript ids, with or without a version suffix ("ENST00000275493" or "ENST00000275493.7").
  std::vector<std::string> transcript_ids = {};
};

namespace annotator_detail {
struct PreparedTranscript;  // a transcript's structure, copied from the gene model (defined in annotator.cc)
struct ContigSequence;      // the stored reference windows of one contig (defined in annotator.cc)
}  // namespace annotator_detail

/// Annotates alleles against transcripts of a gene model. Holds its own copy of what it needs, so the GeneModel
/// and SequenceSource may be destroyed after construction. Immutable, so safe to share between threads.
class Annotator {
 public:
  /// Prepares annotation of the transcripts `options` selects, reading their sequence_windows() from `genome`
  /// (contig aliases resolved, "7" = "chr7").
  /// Throws rarematch::Error: kBadInput when a transcript's contig is absent from the genome or an exon lies beyond
  /// the contig's end (a FASTA of another build); kUsage when a listed transcript id is not in the gene model.
  Annotator(const GeneModel& model, const SequenceSource& genome, const AnnotatorOptions& options = {});

  Annotator(Annotator&&) noexcept;
  Annotator& operator=(Annotator&&) noexcept;
  ~Annotator();

  /// Annotations of allele REF>ALT at 1-based `position` (of the first REF base) on `contig` (aliases resolved),
  /// one per selected transcript that, extended by kUpDownstreamBases on both sides, overlaps it; sorted by gene
  /// name, then transcript id. Empty when no transcript is near or the contig is unknown.
  ///
  /// Alleles are taken as a VCF writes them: bases shared by REF and ALT are trimmed here, first from the start
  /// (the anchor base of an indel; `position` moves right), then from the end. So the anchor base is expected, not
  /// required: (chr7, 55174771, "AGGAATTAAGAGAAGC", "A") and (chr7, 55174772, "GGAATTAAGAGAAGC", "") are the same
  /// deletion, and (chr1, 100, "A", "AGG") inserts GG between 100 and 101. After trimming, an empty REF is an
  /// insertion between `position` - 1 and `position`. Consequences are computed where the allele is written
  /// (left-align first with bcftools norm, as VEP and bcftools csq expect); HGVS names shift indels 3' themselves.
  /// REF and ALT are bases A, C, G, T (either case); an allele with any other character (N, '*', '.', "<DEL>",
  /// breakends) is not annotated (empty result), nor is one with REF equal to ALT. REF is not compared with the
  /// genome: codons come from the stored reference sequence.
  std::vector<Annotation> annotate(std::string_view contig, std::uint64_t position, std::string_view ref,
                                   std::string_view alt) const;

 private:
  std::vector<annotator_detail::PreparedTranscript> transcripts_;  // sorted by (contig key, window start)
  std::vector<annotator_detail::ContigSequence> sequences_;        // one per contig key, sorted by key
};

/// The most severe annotation of each gene among `annotations` (one allele's, as annotate() returns them): the one
/// whose first consequence comes first in the severity order of Annotation::consequences; ties go to the canonical
/// transcript, then to the smaller transcript id. Genes are told apart by gene_id (then name); the result is sorted
/// by gene name, then gene id.
std::vector<Annotation> most_severe_per_gene(const std::vector<Annotation>& annotations);

}  // namespace rarematch::reference
