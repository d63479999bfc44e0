#pragma once
// Variant annotation against the canonical transcript of each overlapping gene: Sequence Ontology consequence,
// exon/intron number, affected residues and, for substitutions within one codon, the HGVS protein change.
//
// First version (foundation): substitutions (SNVs, MNVs of equal length) in coding sequence are translated
// (missense, synonymous, stop_gained, stop_lost, stop_retained, start_lost); coding indels are classed by length
// (frameshift_variant, inframe_insertion, inframe_deletion); splice_donor/acceptor (first/last two intronic bases
// of an intron), splice_region_variant (intronic 3..8 or exonic 1..3 bases from a boundary), 5'/3' UTR, intron,
// non_coding_transcript_exon_variant, upstream/downstream (within 5 kb). HGVS c., indel protein names,
// stop-lost extensions and normalisation come with the annotation issue.
//
// Coding sequences are read once at construction, so annotate() is const and thread-safe.

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

/// The annotation of one allele against one gene's canonical transcript.
struct Annotation {
  std::string gene;  ///< HGNC symbol
  std::string transcript_id;
  /// SO terms, most severe first (VEP's order: splice_acceptor, splice_donor, stop_gained, frameshift, stop_lost,
  /// start_lost, inframe_insertion, inframe_deletion, missense, splice_region, stop_retained, synonymous,
  /// coding_sequence, 5'UTR, 3'UTR, non_coding_transcript_exon, intron, upstream, downstream).
  std::vector<std::string> consequences;
  rarematch::v1::Impact impact = rarematch::v1::IMPACT_UNSPECIFIED;  ///< of the most severe consequence
  /// Long form for a substitution changing exactly one complete codon: "p.Leu858Arg", "p.Arg658Ter",
  /// "p.Leu858=", "p.Ter1211=" (stop retained), "p.Met1?" (start lost); empty otherwise (stop_lost included).
  std::string hgvs_p;
  std::string hgvs_p_short;  ///< short form of hgvs_p: "p.L858R", "p.R658*", "p.L858=", "p.*1211=", "p.M1?"
  /// First affected residue (1-based), 0 when no coding base is affected. For an insertion between two codons,
  /// the two flanking residues; within a codon, that codon.
  std::uint32_t protein_start = 0;
  std::uint32_t protein_end = 0;  ///< last affected residue (1-based, inclusive)
  std::uint32_t exon = 0;         ///< 1-based exon number in transcript order (5'->3'), 0 when not exonic
  std::uint32_t intron = 0;       ///< 1-based intron number, 0 when not intronic
  std::uint32_t exon_count = 0;   ///< exons of the transcript
};

namespace annotator_detail {
struct PreparedTranscript;  // the canonical transcript with its coding sequence (defined in annotator.cc)
}  // namespace annotator_detail

/// Annotates alleles against the canonical transcripts of a gene model. Holds its own copy of what it needs, so
/// the GeneModel and Genome may be destroyed after construction. Immutable, so safe to share between threads.
class Annotator {
 public:
  /// Prepares annotation of every gene in `model` that has a canonical transcript (Gene::canonical_transcript()),
  /// reading its coding sequence from `genome` (contig aliases resolved, "7" = "chr7").
  /// Throws rarematch::Error (kBadInput) when a transcript's contig is absent from the genome or its coding
  /// sequence lies outside the contig (a FASTA of another build).
  Annotator(const GeneModel& model, const SequenceSource& genome);

  Annotator(Annotator&&) noexcept;
  Annotator& operator=(Annotator&&) noexcept;
  ~Annotator();

  /// Annotations of allele REF>ALT at 1-based `position` (of the first REF base) on `contig` (aliases resolved),
  /// one per gene whose canonical transcript, extended by kUpDownstreamBases on both sides, overlaps it; sorted by
  /// gene name, then transcript id. Empty when no gene is near or the contig is unknown.
  ///
  /// Alleles are taken as a VCF writes them: bases shared by REF and ALT are trimmed here, first from the start
  /// (the anchor base of an indel; `position` moves right), then from the end. So the anchor base is expected, not
  /// required: (chr7, 55174771, "AGGAATTAAGAGAAGC", "A") and (chr7, 55174772, "GGAATTAAGAGAAGC", "") are the same
  /// deletion, and (chr1, 100, "A", "AGG") inserts GG between 100 and 101. After trimming, an empty REF is an
  /// insertion between `position` - 1 and `position`. Indels are annotated where they are written: left-align them
  /// first (bcftools norm) for results that do not depend on the caller's choice within a repeat.
  /// REF and ALT are bases A, C, G, T (either case); an allele with any other character (N, '*', '.', "<DEL>",
  /// breakends) is not annotated (empty result), nor is one with REF equal to ALT. REF is not compared with the
  /// genome: the reference codon comes from the FASTA.
  std::vector<Annotation> annotate(std::string_view contig, std::uint64_t position, std::string_view ref,
                                   std::string_view alt) const;

 private:
  std::vector<annotator_detail::PreparedTranscript> transcripts_;  // sorted by (contig key, window start)
};

}  // namespace rarematch::reference
