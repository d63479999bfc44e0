#pragma once
// Pre-annotated VCFs: the consequences VEP (INFO/CSQ), SnpEff (INFO/ANN) or bcftools csq (INFO/BCSQ) wrote into
// a VCF, read as they are (`--annotation vep|snpeff|bcsq|auto`) and given to the pipeline as the same
// rarematch::reference::Annotation structs the built-in annotator returns. The layout of each tool's field is read
// from its header Description, once, by PreannotationParser::from_header; records are then parsed on any thread.
//
// Field mapping (column names as the tools write them; "-": the tool has no such column, the field stays empty):
//
// | Annotation         | VEP CSQ                                 | SnpEff ANN                | bcftools BCSQ          |
// |--------------------|-----------------------------------------|---------------------------|------------------------|
// | gene               | SYMBOL, else Gene                       | Gene_Name                 | gene                   |
// | gene_id            | Gene (version dropped)                  | Gene_ID (version dropped) | -                      |
// | transcript_id      | Feature (version dropped)               | Feature_ID (v. dropped)   | transcript (v. dropped)|
// | transcript_biotype | BIOTYPE                                 | Transcript_BioType        | biotype                |
// | canonical          | CANONICAL = YES, or MANE_SELECT given   | - (false)                 | - (false)              |
// | consequences       | Consequence, '&'-split                  | Annotation, '&'-split     | Consequence, '&'-split |
// | impact             | IMPACT                                  | Annotation_Impact         | of the first term      |
// | hgvs_c             | HGVSc, text after ':'                   | HGVS.c, text after ':'    | -                      |
// | hgvs_p(_short)     | HGVSp after ':', else Amino_acids (*)   | HGVS.p                    | amino_acid_change (**) |
// | protein_start/end  | Protein_position ("858", "746-750")     | AA.pos                    | amino_acid_change (**) |
// | exon, intron,      | EXON "19/28", INTRON "18/27"            | Rank "19/28" (***)        | -                      |
// |   exon_count       |                                         |                           |                        |
//   (*) VEP without --hgvs (or HGVSp naming no residue, as "p.="): Amino_acids "L/R" (or "S" when synonymous)
//       at a single Protein_position names a one-residue change.
//   (**) converted by the rules below. BCSQ's transcript is empty for csq's gene-level intron/non_coding entries;
//       its impact is that of the most severe term by VEP's impact table.
//   (***) see below.
// Protein positions cover the residues the position column gives (VEP: the codons the allele touches; SnpEff's
// AA.pos: the first residue) and those the HGVS name names, as Annotation::protein_start/end require.
//
// Text rules. HGVS values are URL-unescaped (VEP writes '=' as "%3D"), lose the "ENST...:"/"ENSP...:" prefix and
// parentheses ("p.(Leu858Arg)" -> "p.Leu858Arg"); VEP's "c.X(p.Y)" form keeps p.Y. A protein change given in
// either form gets the other: three-letter codes <-> one letter, Ter <-> '*' ("p.Ser68ArgfsTer12" <->
// "p.S68Rfs*12"); a substitution naming the same residue twice (SnpEff's "p.Leu858Leu") becomes "p.Leu858=".
// Transcript and gene ids lose trailing ".N" version groups (SnpEff's "NR_106918.1.3" -> "NR_106918").
// Consequence terms are de-duplicated and ordered most severe first by VEP's table (unknown terms last, as
// written); obsolete and tool-specific names become SO terms:
//   SnpEff: conservative_/disruptive_inframe_insertion -> inframe_insertion, conservative_/disruptive_inframe_deletion
//   -> inframe_deletion, intergenic_region -> intergenic_variant; old VEP/SnpEff: non_coding_exon_variant ->
//   non_coding_transcript_exon_variant, nc_transcript_variant -> non_coding_transcript_variant;
//   bcftools csq: missense -> missense_variant, synonymous -> synonymous_variant, stop_gained, stop_lost,
//   start_lost, stop_retained -> stop_retained_variant, start_retained -> start_retained_variant, frameshift ->
//   frameshift_variant, inframe_deletion, inframe_insertion, inframe_altering -> protein_altering_variant,
//   splice_donor -> splice_donor_variant, splice_acceptor -> splice_acceptor_variant, splice_region ->
//   splice_region_variant, 5_prime_utr -> 5_prime_UTR_variant, 3_prime_utr -> 3_prime_UTR_variant, coding_sequence
//   -> coding_sequence_variant, intron -> intron_variant, non_coding -> non_coding_transcript_variant, intergenic ->
//   intergenic_variant, feature_elongation, feature_truncation, NMD_transcript -> NMD_transcript_variant.
//   (The tables are kTermSynonyms and kCsqTerms at the top of preannotated.cc.)
// SnpEff's Rank is an exon rank unless the entry is intronic: its HGVS.c names an intronic position
// ("c.2184+1G>A", "n.100-5del"), or, without HGVS.c, its terms include intron_variant; exon_count is the exon
// total (intron total + 1 for an intron rank).
//
// Which entries are an allele's. VEP: the ALLELE_NUM column when the header has it (1-based ALT index). Else
// the Allele column compared with the allele as VEP writes it: when some ALT differs in length from REF (an indel
// record) and REF and every ALT other than '*' share their first base, VEP drops that base from each ('-' when
// nothing is left: A>AT,AG gives "T" and "G"; CA>C gives "-"); otherwise alleles are as written (A>G,T; AT>GC;
// A>AT,G). An entry that matches no ALT so is compared with the minimal form (common leading, then trailing
// bases dropped; or trailing, then leading), as `vep --minimal` writes it; it goes to every ALT whose minimal form
// it matches. SnpEff: Allele equals the ALT as written; entries "ALT-OTHER" (cancer mode: the effect relative to
// another ALT, not to REF) are skipped. BCSQ: an entry with a dna_change ("55191822T>G", '+'-joined for csq's
// compound haplotype consequences) is the allele's whose "{POS}{REF}>{ALT}" is one of its parts; an entry without
// one (UTR, splice, intron and non-coding entries, which csq writes once for all ALTs of a record) goes to every
// ALT; "@POS" entries (haplotype mode: the consequence is printed at the record at POS) are skipped; a leading
// '*' (csq's mark that a stop was gained upstream in the haplotype) is dropped and the entry kept. csq's
// per-sample FORMAT/BCSQ bitmask (written in local mode too) is not read: which samples carry an allele is
// decided from GT/AD by decode_calls.
// Entries kept: VEP Feature_type "Transcript" (regulatory and motif features, intergenic entries skipped); SnpEff
// Feature_Type "transcript" (intergenic_region and other feature types skipped); BCSQ entries naming a gene.
//
// BCSQ amino_acid_change ("{pos}{ref residues}[>{pos}{alt residues}]", the residues of the codons the REF
// allele spans, for frameshifts translated on to the first stop) to HGVS, short form, rules in order:
//   start_lost                                  -> p.M1?
//   no '>' (synonymous): 858L, 352NR            -> p.L858=, p.N352_R353=
//   alternate with '?' (csq could not translate), or the two positions differ -> no name
//   frameshift: the first residue where the two differ, at P:
//     becomes '*'                                -> p.{ref}{P}*
//     is the reference stop                      -> p.*{P}{alt}ext*?
//     otherwise                                  -> p.{ref}{P}{alt}fs*{n}, n counting that residue as 1 up to the
//                                                   first stop of the alternate; fs*? without one
//   otherwise the residues both share at the start, then at the end, are dropped; when dropping the end first
//   would drop a different number (a repeat: the change could be placed elsewhere), there is no name. Then:
//     nothing left (stop retained: 260*>260*)    -> p.*260=
//     one residue each: 858L>858R, 157W>157*     -> p.L858R, p.W157*; the reference stop: 260*>260C -> p.*260Cext*?
//     reference residues include the stop       -> no name
//     the alternate starts with a stop           -> p.{first ref}{P}* (519SQQ>519* -> p.S519*)
//     deletion: 745KELREA>745K, 508VA>508V      -> p.E746_A750del, p.A509del
//     insertion with both flanking residues known: 10AB>10AKB -> p.A10_B11insK; else no name
//     otherwise (delins): 174EL>174DS           -> p.E174_L175delinsDS
// The long form follows from the short one. csq shows only the codons the REF allele spans, so a deletion at the
// end of a run of equal residues is named where csq shows it (the 3' rule needs the residues after it, which
// csq does not print). Protein positions cover the residues the field shows (for a frameshift, its first one)
// and those the name names: 745KELREA>745K gives 745..750, 858L>858R 858..858.
//
// Thread safety: a PreannotationParser is immutable after from_header; annotations_for is const and may run on
// any thread, for distinct records.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <htslib/vcf.h>

#include "reference/annotator.h"

namespace rarematch::pipeline {

/// The annotation tools whose INFO fields are read.
enum class PreannotationFormat {
  kVep,     ///< Ensembl VEP: INFO/CSQ, or another tag whose Description is VEP's ("... Ensembl VEP. Format: ...")
  kSnpEff,  ///< SnpEff: INFO/ANN, Description "Functional annotations: 'Allele | Annotation | ...'"
  kBcsq,    ///< bcftools csq: INFO/BCSQ, Description "... Format: Consequence|gene|transcript|..."
};

/// The option value naming `format`: "vep", "snpeff" or "bcsq".
std::string_view preannotation_format_name(PreannotationFormat format);

/// The format an option value names ("vep", "snpeff", "bcsq"; case-sensitive); nullopt for anything else.
std::optional<PreannotationFormat> parse_preannotation_format(std::string_view name);

/// The pre-annotations `header` declares, each once, in order of preference: VEP, SnpEff, BCSQ. An INFO line
/// declares VEP when its Description mentions "Ensembl VEP" or its ID is CSQ; SnpEff when its Description starts
/// "Functional annotations" or (not being VEP's) its ID is ANN; BCSQ when its ID is BCSQ or its Description
/// mentions "BCFtools/csq". Whether the Description also gives a usable layout is checked by from_header.
std::vector<PreannotationFormat> declared_preannotations(const bcf_hdr_t* header);

/// The pre-annotation `--annotation auto` reads: the first of declared_preannotations(header) (VEP before
/// SnpEff before BCSQ, when a file carries several), or nullopt when the header declares none.
std::optional<PreannotationFormat> detect_preannotation(const bcf_hdr_t* header);

namespace preannotation_detail {
/// The fields a PreannotationParser reads, whatever each tool calls them.
enum Column : std::size_t {
  kAllele,           ///< VEP Allele, SnpEff Allele
  kConsequence,      ///< VEP Consequence, SnpEff Annotation, BCSQ Consequence
  kImpact,           ///< VEP IMPACT, SnpEff Annotation_Impact
  kSymbol,           ///< VEP SYMBOL, SnpEff Gene_Name, BCSQ gene
  kGeneId,           ///< VEP Gene, SnpEff Gene_ID
  kFeatureType,      ///< VEP Feature_type, SnpEff Feature_Type
  kFeature,          ///< VEP Feature, SnpEff Feature_ID, BCSQ transcript
  kBiotype,          ///< VEP BIOTYPE, SnpEff Transcript_BioType, BCSQ biotype
  kExon,             ///< VEP EXON
  kIntron,           ///< VEP INTRON
  kRank,             ///< SnpEff Rank
  kHgvsC,            ///< VEP HGVSc, SnpEff HGVS.c
  kHgvsP,            ///< VEP HGVSp, SnpEff HGVS.p
  kProteinPosition,  ///< VEP Protein_position, SnpEff AA.pos / AA.length
  kAminoAcids,       ///< VEP Amino_acids
  kCanonical,        ///< VEP CANONICAL
  kManeSelect,       ///< VEP MANE_SELECT
  kAlleleNumber,     ///< VEP ALLELE_NUM
  kAminoAcidChange,  ///< BCSQ amino_acid_change
  kDnaChange,        ///< BCSQ dna_change
  kColumnCount
};
}  // namespace preannotation_detail

/// Reads one tool's annotations from records, with the field layout its header describes (see the top of this
/// file for the mapping). Built once per file with from_header; immutable, movable and copyable.
class PreannotationParser {
 public:
  /// Finds the INFO field of `format` in `header` (for VEP, CSQ before any other tag with VEP's Description) and
  /// reads its layout. `path` names the file in errors. Throws rarematch::Error (kBadInput) naming the file
  /// when the header declares no such field, when the field is not Type=String, when its Description gives no
  /// layout ("Format: A|B|..." or SnpEff's quoted list), or when the layout lacks a column the format needs
  /// (VEP and SnpEff: Allele and Consequence/Annotation; BCSQ: Consequence and gene).
  static PreannotationParser from_header(const bcf_hdr_t* header, PreannotationFormat format,
                                         const std::string& path);

  /// The format read.
  PreannotationFormat format() const { return format_; }
  /// The INFO tag read ("CSQ", "ANN", "BCSQ", or the tag VEP was told to write).
  const std::string& info_tag() const { return tag_; }
  /// The column names of the layout, as the header writes them (spaces around SnpEff's names trimmed).
  const std::vector<std::string>& columns() const { return columns_; }
  /// True when the layout can tell canonical transcripts (VEP's CANONICAL or MANE_SELECT column); when false,
  /// every Annotation::canonical is false and says nothing.
  bool has_canonical_flag() const;

  /// The annotations of ALT allele `allele_index` (1-based allele index, 1 = first ALT) of `record`: one per entry
  /// of the INFO field that belongs to that allele and is kept (see the top of this file), in the field's order.
  /// Empty when the record has no such INFO field (or "."), or no entry is the allele's. `header` must know the
  /// record's contig and the INFO tag (RecordBatch::header); `line` is the record's line in the file, for errors.
  /// Throws rarematch::Error: kBadInput naming the file, line and record when a VEP or SnpEff entry has another
  /// number of '|'-separated fields than the layout (a BCSQ entry more; csq leaves trailing empty fields out);
  /// kInternal when `allele_index` is not an ALT of the record. Thread-safe for distinct records.
  std::vector<reference::Annotation> annotations_for(bcf1_t* record, int allele_index, const bcf_hdr_t* header,
                                                     std::optional<std::uint64_t> line = std::nullopt) const;

 private:
  PreannotationParser() = default;

  PreannotationFormat format_ = PreannotationFormat::kVep;
  std::string path_;
  std::string tag_;
  std::vector<std::string> columns_;
  /// Index in columns_ of each field read (preannotation_detail::Column order); -1 when the layout lacks it.
  std::array<int, preannotation_detail::kColumnCount> index_{};
};

}  // namespace rarematch::pipeline
