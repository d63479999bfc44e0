// Consequence of a small variant on the canonical transcript of each nearby gene.
//
// Algorithm.
//   Construction, once per gene's canonical transcript: copy its exons in transcript order (5'->3'), its CDS
//   segments in transcript order with the number of coding bases before each (the CDS offset of its first base),
//   and read the spliced coding sequence from the FASTA (reverse-complemented on the minus strand, so that it reads
//   like the mRNA). Transcripts are sorted by (contig key, start - 5 kb) with a running maximum of end + 5 kb per
//   contig, so a lookup is a binary search plus a short walk left, as in the gene model's overlap index.
//
//   annotate(): trim the bases REF and ALT share (start first: the VCF anchor base goes; then end), then, for each
//   transcript whose 5 kb-extended span overlaps the allele, locate the allele and collect terms:
//     outside the transcript                         -> upstream / downstream_gene_variant (transcript orientation)
//     substitution, every base coding                -> translate each changed codon with the standard code:
//                                                        codon 1 -> start_lost; stop -> stop_lost or stop_retained;
//                                                        -> stop_gained; else missense or synonymous. Several
//                                                        codons: the terms of each, 5'->3', up to the first
//                                                        start_lost or stop_gained; synonymous only if all are
//     substitution, some bases coding                -> coding_sequence_variant
//     indel touching the CDS                         -> frameshift_variant when the length change (of the whole
//                                                        allele, intronic bases included) is not a multiple of 3,
//                                                        else inframe_deletion / inframe_insertion
//     other exonic bases                             -> 5'/3' UTR (coding transcript), else
//                                                        non_coding_transcript_exon_variant
//     intron bases 1-2 at the intron's 5' / 3' end   -> splice_donor / splice_acceptor_variant
//     intron bases 3-8 or exon bases 1-3 from one    -> splice_region_variant
//     intron bases, no exonic or splice-site term    -> intron_variant
//   Terms are reported in VEP's severity order; the impact is that of the first.
//
//   Insertions (empty REF after trimming) lie between two bases, their flanks. They count as exonic when either
//   flank is exonic (bases inserted at an exon edge stay in the mRNA: the splice dinucleotide is intact), as
//   intronic only when both flanks are, hit a splice site only when inserted between its two bases, and are coding
//   only when inserted strictly inside the CDS (not before the first or after the last coding base).

#include "reference/annotator.h"

#include <algorithm>
#include <array>
#include <bitset>
#include <map>
#include <optional>
#include <utility>

#include "reference/contig.h"
#include "reference/error.h"

namespace rarematch::reference {

namespace annotator_detail {

/// A CDS segment with the CDS offset (0-based, transcript orientation) of its first base in transcript order.
struct CodingPiece {
  Segment genomic;
  std::uint64_t offset = 0;
};

/// What annotation needs of one canonical transcript, copied from the gene model and the FASTA.
struct PreparedTranscript {
  std::string contig_key;
  std::string gene_name;
  std::string transcript_id;
  char strand = '+';
  std::uint64_t start = 0;           // first exonic base (1-based)
  std::uint64_t end = 0;             // last exonic base (1-based, inclusive)
  std::uint64_t window_start = 0;    // start - kUpDownstreamBases (at least 1)
  std::uint64_t window_end = 0;      // end + kUpDownstreamBases
  std::uint64_t max_window_end = 0;  // largest window_end of this and the earlier transcripts on the contig
  std::vector<Segment> exons;        // transcript order (5'->3')
  std::vector<CodingPiece> cds;      // transcript order; empty for non-coding transcripts
  Segment coding_span;               // genomic extent of the CDS
  std::string coding_sequence;       // spliced CDS, 5'->3', upper case

  bool is_coding() const { return !cds.empty(); }
  bool plus() const { return strand == '+'; }
};

}  // namespace annotator_detail

namespace {

using annotator_detail::CodingPiece;
using annotator_detail::PreparedTranscript;
using rarematch::v1::Impact;

// ---------------------------------------------------------------------------------------------------------------
// Terms, in severity order (most severe first, as VEP ranks them).

enum Term : std::size_t {
  kSpliceAcceptor,
  kSpliceDonor,
  kStopGained,
  kFrameshift,
  kStopLost,
  kStartLost,
  kInframeInsertion,
  kInframeDeletion,
  kMissense,
  kSpliceRegion,
  kStopRetained,
  kSynonymous,
  kCodingSequence,
  kFivePrimeUtr,
  kThreePrimeUtr,
  kNonCodingExon,
  kIntron,
  kUpstream,
  kDownstream,
  kTermCount
};

struct TermInfo {
  std::string_view name;
  Impact impact;
};

constexpr std::array<TermInfo, kTermCount> kTerms = {{
    {"splice_acceptor_variant", v1::IMPACT_HIGH},
    {"splice_donor_variant", v1::IMPACT_HIGH},
    {"stop_gained", v1::IMPACT_HIGH},
    {"frameshift_variant", v1::IMPACT_HIGH},
    {"stop_lost", v1::IMPACT_HIGH},
    {"start_lost", v1::IMPACT_HIGH},
    {"inframe_insertion", v1::IMPACT_MODERATE},
    {"inframe_deletion", v1::IMPACT_MODERATE},
    {"missense_variant", v1::IMPACT_MODERATE},
    {"splice_region_variant", v1::IMPACT_LOW},
    {"stop_retained_variant", v1::IMPACT_LOW},
    {"synonymous_variant", v1::IMPACT_LOW},
    {"coding_sequence_variant", v1::IMPACT_MODIFIER},
    {"5_prime_UTR_variant", v1::IMPACT_MODIFIER},
    {"3_prime_UTR_variant", v1::IMPACT_MODIFIER},
    {"non_coding_transcript_exon_variant", v1::IMPACT_MODIFIER},
    {"intron_variant", v1::IMPACT_MODIFIER},
    {"upstream_gene_variant", v1::IMPACT_MODIFIER},
    {"downstream_gene_variant", v1::IMPACT_MODIFIER},
}};

using Terms = std::bitset<kTermCount>;

// ---------------------------------------------------------------------------------------------------------------
// Bases and the standard genetic code.

char complement(char base) {
  switch (base) {
    case 'A': return 'T';
    case 'C': return 'G';
    case 'G': return 'C';
    case 'T': return 'A';
    default: return 'N';
  }
}

void reverse_complement(std::string& bases) {
  std::reverse(bases.begin(), bases.end());
  for (char& base : bases) base = complement(base);
}

int base_index(char base) {  // TCAG order of the codon table below
  switch (base) {
    case 'T': return 0;
    case 'C': return 1;
    case 'A': return 2;
    case 'G': return 3;
    default: return -1;
  }
}

// One-letter amino acid of a codon ('*' for stop, 'X' when the codon holds a base other than ACGT).
char translate(std::string_view codon) {
  static constexpr std::string_view kStandardCode = "FFLLSSSSYY**CC*WLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG";
  int index = 0;
  for (char base : codon) {
    const int value = base_index(base);
    if (value < 0) return 'X';
    index = index * 4 + value;
  }
  return kStandardCode[static_cast<std::size_t>(index)];
}

std::string_view three_letter(char amino_acid) {
  switch (amino_acid) {
    case 'A': return "Ala";
    case 'R': return "Arg";
    case 'N': return "Asn";
    case 'D': return "Asp";
    case 'C': return "Cys";
    case 'Q': return "Gln";
    case 'E': return "Glu";
    case 'G': return "Gly";
    case 'H': return "His";
    case 'I': return "Ile";
    case 'L': return "Leu";
    case 'K': return "Lys";
    case 'M': return "Met";
    case 'F': return "Phe";
    case 'P': return "Pro";
    case 'S': return "Ser";
    case 'T': return "Thr";
    case 'W': return "Trp";
    case 'Y': return "Tyr";
    case 'V': return "Val";
    case '*': return "Ter";
    default: return "Xaa";
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The allele.

// An allele after trimming. It changes the REF bases [position, position + ref.size() - 1]; an insertion (empty
// REF) goes between position - 1 and position.
struct Allele {
  std::uint64_t position = 0;
  std::string ref;
  std::string alt;

  bool is_insertion() const { return ref.empty(); }
  bool is_substitution() const { return ref.size() == alt.size(); }
  // The bases the allele touches: its REF bases, or the two flanks of an insertion.
  std::uint64_t first() const { return is_insertion() ? position - 1 : position; }
  std::uint64_t last() const { return is_insertion() ? position : position + ref.size() - 1; }
};

// Upper-cases `text`; false when it holds anything but A, C, G, T (either case).
bool to_plain_bases(std::string_view text, std::string& out) {
  out.clear();
  out.reserve(text.size());
  for (char c : text) {
    const char upper = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    if (base_index(upper) < 0) return false;
    out += upper;
  }
  return true;
}

// Removes the bases REF and ALT share, from the start (the VCF anchor base; `position` moves right) and then from
// the end; nullopt when the allele is not plain bases or changes nothing.
std::optional<Allele> trim_allele(std::uint64_t position, std::string_view ref, std::string_view alt) {
  Allele allele;
  if (position == 0 || !to_plain_bases(ref, allele.ref) || !to_plain_bases(alt, allele.alt)) return std::nullopt;
  std::size_t shared = 0;
  while (shared < allele.ref.size() && shared < allele.alt.size() && allele.ref[shared] == allele.alt[shared]) {
    ++shared;
  }
  allele.ref.erase(0, shared);
  allele.alt.erase(0, shared);
  allele.position = position + shared;
  while (!allele.ref.empty() && !allele.alt.empty() && allele.ref.back() == allele.alt.back()) {
    allele.ref.pop_back();
    allele.alt.pop_back();
  }
  if (allele.ref.empty() && allele.alt.empty()) return std::nullopt;
  return allele;
}

// True when the allele touches a base of [start, end]: one of its REF bases, or either flank of an insertion.
bool touches(const Allele& allele, std::uint64_t start, std::uint64_t end) {
  return allele.first() <= end && allele.last() >= start;
}

// True when the allele lies in [start, end]: a REF base there, or an insertion with both flanks there. For sites
// and introns, whose bases an insertion disrupts only when it goes between two of them.
bool lies_in(const Allele& allele, std::uint64_t start, std::uint64_t end) {
  if (allele.is_insertion()) return allele.first() >= start && allele.last() <= end;
  return touches(allele, start, end);
}

// ---------------------------------------------------------------------------------------------------------------
// Construction.

// The exons to annotate with, sorted by genomic start: the transcript's exons, else its CDS, else its span.
std::vector<Segment> exons_of(const Transcript& transcript) {
  if (!transcript.exons.empty()) return transcript.exons;
  if (!transcript.cds.empty()) return transcript.cds;
  return {{transcript.start, transcript.end}};
}

std::vector<CodingPiece> coding_pieces(const Transcript& transcript) {
  std::vector<CodingPiece> pieces;
  pieces.reserve(transcript.cds.size());
  for (const Segment& segment : transcript.cds) pieces.push_back({segment, 0});
  if (transcript.strand == '-') std::reverse(pieces.begin(), pieces.end());
  std::uint64_t offset = 0;
  for (CodingPiece& piece : pieces) {
    piece.offset = offset;
    offset += piece.genomic.end - piece.genomic.start + 1;
  }
  return pieces;
}

std::string read_coding_sequence(const PreparedTranscript& prepared, const std::string& contig, const SequenceSource& genome) {
  std::string sequence;
  for (const CodingPiece& piece : prepared.cds) {
    std::string bases = genome.fetch(contig, piece.genomic.start, piece.genomic.end);
    if (!prepared.plus()) reverse_complement(bases);
    sequence += bases;
  }
  return sequence;
}

PreparedTranscript prepare(const Gene& gene, const Transcript& transcript, const SequenceSource& genome) {
  const auto contig = genome.resolve_contig(transcript.contig);
  if (!contig) {
    throw_bad_input(genome.path(), std::nullopt, "prepare transcript " + transcript.id + " of gene " + gene.name,
                    "its contig '" + transcript.contig + "' is not in the FASTA",
                    "use the FASTA of the genome build the GFF3 describes (contig names may differ by a 'chr' "
                    "prefix only)");
  }
  PreparedTranscript prepared;
  prepared.contig_key = contig_key(transcript.contig);
  prepared.gene_name = gene.name;
  prepared.transcript_id = transcript.id;
  prepared.strand = transcript.strand;
  prepared.exons = exons_of(transcript);
  prepared.start = prepared.exons.front().start;
  for (const Segment& exon : prepared.exons) prepared.end = std::max(prepared.end, exon.end);
  if (!prepared.plus()) std::reverse(prepared.exons.begin(), prepared.exons.end());
  prepared.window_start = prepared.start > kUpDownstreamBases ? prepared.start - kUpDownstreamBases : 1;
  prepared.window_end = prepared.end + kUpDownstreamBases;
  prepared.cds = coding_pieces(transcript);
  if (prepared.is_coding()) {
    prepared.coding_span = {transcript.cds.front().start, transcript.cds.back().end};
    for (const Segment& segment : transcript.cds) {
      prepared.coding_span.end = std::max(prepared.coding_span.end, segment.end);
    }
    prepared.coding_sequence = read_coding_sequence(prepared, *contig, genome);
  }
  return prepared;
}

// ---------------------------------------------------------------------------------------------------------------
// Locating the allele on one transcript.

// CDS offset (0-based, transcript orientation) of a base of `piece`.
std::uint64_t offset_in(const PreparedTranscript& transcript, const CodingPiece& piece, std::uint64_t position) {
  return piece.offset + (transcript.plus() ? position - piece.genomic.start : piece.genomic.end - position);
}

std::optional<std::uint64_t> cds_offset(const PreparedTranscript& transcript, std::uint64_t position) {
  for (const CodingPiece& piece : transcript.cds) {
    if (position >= piece.genomic.start && position <= piece.genomic.end) {
      return offset_in(transcript, piece, position);
    }
  }
  return std::nullopt;
}

// The coding bases among the REF bases of a (non-insertion) allele: lowest and highest CDS offsets, and count.
struct CodingRange {
  std::uint64_t first = 0;
  std::uint64_t last = 0;
  std::uint64_t bases = 0;
};

CodingRange coding_range(const PreparedTranscript& transcript, const Allele& allele) {
  CodingRange range;
  for (const CodingPiece& piece : transcript.cds) {
    const std::uint64_t low = std::max(piece.genomic.start, allele.first());
    const std::uint64_t high = std::min(piece.genomic.end, allele.last());
    if (low > high) continue;
    // On the minus strand the highest genomic base has the lowest offset.
    const std::uint64_t low_offset = offset_in(transcript, piece, transcript.plus() ? low : high);
    const std::uint64_t high_offset = offset_in(transcript, piece, transcript.plus() ? high : low);
    range.first = range.bases == 0 ? low_offset : std::min(range.first, low_offset);
    range.last = range.bases == 0 ? high_offset : std::max(range.last, high_offset);
    range.bases += high - low + 1;
  }
  return range;
}

// CDS offset of the coding base that follows an insertion in transcript orientation, when the insertion goes
// strictly inside the CDS; nullopt before the first or after the last coding base, or outside the CDS.
std::optional<std::uint64_t> insertion_offset(const PreparedTranscript& transcript, const Allele& allele) {
  const std::uint64_t upstream_flank = transcript.plus() ? allele.first() : allele.last();
  const std::uint64_t downstream_flank = transcript.plus() ? allele.last() : allele.first();
  std::optional<std::uint64_t> offset = cds_offset(transcript, downstream_flank);
  if (!offset) {
    offset = cds_offset(transcript, upstream_flank);
    if (offset) ++*offset;
  }
  if (!offset || *offset == 0 || *offset >= transcript.coding_sequence.size()) return std::nullopt;
  return offset;
}

// Intron `index` (0-based, transcript order): the bases between exon index and exon index + 1. Empty (start >
// end) when the two exons touch.
Segment intron(const PreparedTranscript& transcript, std::size_t index) {
  const Segment& upstream = transcript.exons[index];
  const Segment& downstream = transcript.exons[index + 1];
  return transcript.plus() ? Segment{upstream.end + 1, downstream.start - 1}
                           : Segment{downstream.end + 1, upstream.start - 1};
}

// 1-based number of the first exon (transcript order) the allele touches; 0 when none.
std::uint32_t exon_number(const PreparedTranscript& transcript, const Allele& allele) {
  for (std::size_t i = 0; i < transcript.exons.size(); ++i) {
    if (touches(allele, transcript.exons[i].start, transcript.exons[i].end)) return static_cast<std::uint32_t>(i + 1);
  }
  return 0;
}

// Splice terms of one intron: donor/acceptor sites (its first/last two bases in transcript orientation) and the
// splice region (its bases 3..8 from either end, and the 3 exonic bases on each side). True when the allele lies
// in the intron.
bool add_intron_terms(const PreparedTranscript& transcript, const Segment& bases, const Allele& allele, Terms& terms) {
  const std::uint64_t length = bases.end - bases.start + 1;
  const Segment low_site{bases.start, bases.start + std::min<std::uint64_t>(1, length - 1)};
  const Segment high_site{bases.end - std::min<std::uint64_t>(1, length - 1), bases.end};
  const Segment& donor = transcript.plus() ? low_site : high_site;
  const Segment& acceptor = transcript.plus() ? high_site : low_site;
  if (lies_in(allele, donor.start, donor.end)) terms.set(kSpliceDonor);
  if (lies_in(allele, acceptor.start, acceptor.end)) terms.set(kSpliceAcceptor);

  bool region = touches(allele, bases.start > 3 ? bases.start - 3 : 1, bases.start - 1) ||
                touches(allele, bases.end + 1, bases.end + 3);
  if (length > 2) {
    const std::uint64_t reach = std::min<std::uint64_t>(7, length - 1);
    region = region || touches(allele, bases.start + 2, bases.start + reach) ||
             touches(allele, bases.end - reach, bases.end - 2);
  }
  if (region) terms.set(kSpliceRegion);
  return lies_in(allele, bases.start, bases.end);
}

// Adds the splice terms of every intron; returns the 1-based number of the first intron the allele lies in, or 0.
std::uint32_t add_splice_terms(const PreparedTranscript& transcript, const Allele& allele, Terms& terms) {
  std::uint32_t number = 0;
  for (std::size_t i = 0; i + 1 < transcript.exons.size(); ++i) {
    const Segment bases = intron(transcript, i);
    if (bases.start > bases.end || !touches(allele, bases.start > 3 ? bases.start - 3 : 1, bases.end + 3)) continue;
    if (add_intron_terms(transcript, bases, allele, terms) && number == 0) number = static_cast<std::uint32_t>(i + 1);
  }
  return number;
}

// ---------------------------------------------------------------------------------------------------------------
// Coding consequences.

Term codon_term(std::uint64_t codon_index, char ref_amino_acid, char alt_amino_acid) {
  if (ref_amino_acid == 'X' || alt_amino_acid == 'X') return kCodingSequence;
  if (codon_index == 0) return kStartLost;
  if (ref_amino_acid == '*') return alt_amino_acid == '*' ? kStopRetained : kStopLost;
  if (alt_amino_acid == '*') return kStopGained;
  return ref_amino_acid == alt_amino_acid ? kSynonymous : kMissense;
}

// HGVS protein names of a one-codon change, long and short.
void name_protein_change(std::uint64_t codon_index, char ref_amino_acid, char alt_amino_acid, Term term,
                         Annotation& out) {
  const std::string residue = std::to_string(codon_index + 1);
  const std::string ref_long = "p." + std::string(three_letter(ref_amino_acid)) + residue;
  const std::string ref_short = "p." + std::string(1, ref_amino_acid) + residue;
  switch (term) {
    case kMissense:
    case kStopGained:
      out.hgvs_p = ref_long + std::string(three_letter(alt_amino_acid));
      out.hgvs_p_short = ref_short + alt_amino_acid;
      break;
    case kSynonymous:
    case kStopRetained:
      out.hgvs_p = ref_long + "=";
      out.hgvs_p_short = ref_short + "=";
      break;
    case kStartLost:
      out.hgvs_p = ref_long + "?";
      out.hgvs_p_short = ref_short + "?";
      break;
    default:  // stop_lost needs the extension (3' UTR translation); untranslatable codons have no name
      break;
  }
}

// Translates the codons a substitution changes; every REF base is coding.
void add_substitution_terms(const PreparedTranscript& transcript, const Allele& allele, Terms& terms, Annotation& out) {
  std::map<std::uint64_t, std::string> alt_codons;  // codon index -> codon with the change applied
  const std::string& cds = transcript.coding_sequence;
  Terms codon_terms;
  for (std::size_t i = 0; i < allele.alt.size(); ++i) {
    const std::uint64_t offset = *cds_offset(transcript, allele.position + i);
    const std::uint64_t codon = offset / 3;
    if (codon * 3 + 3 > cds.size()) {  // an incomplete last codon cannot be translated
      codon_terms.set(kCodingSequence);
      continue;
    }
    std::string& alt_codon = alt_codons.try_emplace(codon, cds.substr(codon * 3, 3)).first->second;
    alt_codon[offset % 3] = transcript.plus() ? allele.alt[i] : complement(allele.alt[i]);
  }
  const bool one_codon = alt_codons.size() == 1 && !codon_terms.test(kCodingSequence);
  for (const auto& [codon, alt_codon] : alt_codons) {  // in transcript order
    const char ref_amino_acid = translate(std::string_view(cds).substr(codon * 3, 3));
    const char alt_amino_acid = translate(alt_codon);
    const Term term = codon_term(codon, ref_amino_acid, alt_amino_acid);
    codon_terms.set(term);
    if (one_codon) name_protein_change(codon, ref_amino_acid, alt_amino_acid, term, out);
    if (term == kStartLost || term == kStopGained) break;  // later codons are no longer translated
  }
  // Several codons: the change is synonymous only when every codon is.
  const Terms protein_changing = Terms().set(kStartLost).set(kStopLost).set(kStopGained).set(kMissense);
  if ((codon_terms & protein_changing).any()) codon_terms.reset(kSynonymous).reset(kStopRetained);
  terms |= codon_terms;
}

// Adds the coding terms and the affected residues; false when the allele changes no coding base.
bool add_coding_terms(const PreparedTranscript& transcript, const Allele& allele, Terms& terms, Annotation& out) {
  if (allele.is_insertion()) {
    const auto offset = insertion_offset(transcript, allele);
    if (!offset) return false;
    const bool between_codons = *offset % 3 == 0;
    out.protein_start = static_cast<std::uint32_t>(between_codons ? *offset / 3 : *offset / 3 + 1);
    out.protein_end = static_cast<std::uint32_t>(*offset / 3 + 1);
  } else {
    const CodingRange range = coding_range(transcript, allele);
    if (range.bases == 0) return false;
    out.protein_start = static_cast<std::uint32_t>(range.first / 3 + 1);
    out.protein_end = static_cast<std::uint32_t>(range.last / 3 + 1);
    if (allele.is_substitution()) {
      if (range.bases == allele.ref.size()) {
        add_substitution_terms(transcript, allele, terms, out);
      } else {
        terms.set(kCodingSequence);
      }
      return true;
    }
  }
  const std::size_t change = allele.ref.size() > allele.alt.size() ? allele.ref.size() - allele.alt.size()
                                                                   : allele.alt.size() - allele.ref.size();
  if (change % 3 != 0) {
    terms.set(kFrameshift);
  } else {
    terms.set(allele.ref.size() > allele.alt.size() ? kInframeDeletion : kInframeInsertion);
  }
  return true;
}

// UTR side of an exonic, non-coding allele of a coding transcript; non_coding_transcript_exon_variant otherwise.
Term exonic_term(const PreparedTranscript& transcript, const Allele& allele) {
  if (!transcript.is_coding()) return kNonCodingExon;
  const bool five_prime =
      transcript.plus() ? allele.first() < transcript.coding_span.start : allele.last() > transcript.coding_span.end;
  return five_prime ? kFivePrimeUtr : kThreePrimeUtr;
}

// ---------------------------------------------------------------------------------------------------------------
// One transcript.

void set_terms(const Terms& terms, Annotation& out) {
  for (std::size_t term = 0; term < kTermCount; ++term) {
    if (!terms.test(term)) continue;
    if (out.consequences.empty()) out.impact = kTerms[term].impact;
    out.consequences.emplace_back(kTerms[term].name);
  }
}

Annotation annotate_transcript(const PreparedTranscript& transcript, const Allele& allele) {
  Annotation out;
  out.gene = transcript.gene_name;
  out.transcript_id = transcript.transcript_id;
  out.exon_count = static_cast<std::uint32_t>(transcript.exons.size());
  Terms terms;
  if (allele.last() < transcript.start || allele.first() > transcript.end) {
    const bool before = allele.last() < transcript.start;
    terms.set(before == transcript.plus() ? kUpstream : kDownstream);
    set_terms(terms, out);
    return out;
  }
  out.exon = exon_number(transcript, allele);
  out.intron = add_splice_terms(transcript, allele, terms);
  const bool coding = transcript.is_coding() && add_coding_terms(transcript, allele, terms, out);
  if (!coding && out.exon != 0) terms.set(exonic_term(transcript, allele));
  if (out.intron != 0 && out.exon == 0 && !terms.test(kSpliceDonor) && !terms.test(kSpliceAcceptor)) {
    terms.set(kIntron);
  }
  set_terms(terms, out);
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------------
// Annotator.

Annotator::Annotator(const GeneModel& model, const SequenceSource& genome) {
  for (const Gene& gene : model.genes()) {
    const Transcript* canonical = gene.canonical_transcript();
    if (canonical != nullptr) transcripts_.push_back(prepare(gene, *canonical, genome));
  }
  std::sort(transcripts_.begin(), transcripts_.end(), [](const PreparedTranscript& a, const PreparedTranscript& b) {
    if (a.contig_key != b.contig_key) return a.contig_key < b.contig_key;
    if (a.window_start != b.window_start) return a.window_start < b.window_start;
    return a.transcript_id < b.transcript_id;
  });
  for (std::size_t i = 0; i < transcripts_.size(); ++i) {
    PreparedTranscript& current = transcripts_[i];
    const bool same_contig = i > 0 && transcripts_[i - 1].contig_key == current.contig_key;
    current.max_window_end =
        same_contig ? std::max(transcripts_[i - 1].max_window_end, current.window_end) : current.window_end;
  }
}

Annotator::Annotator(Annotator&&) noexcept = default;
Annotator& Annotator::operator=(Annotator&&) noexcept = default;
Annotator::~Annotator() = default;

std::vector<Annotation> Annotator::annotate(std::string_view contig, std::uint64_t position, std::string_view ref,
                                            std::string_view alt) const {
  std::vector<Annotation> out;
  const std::optional<Allele> allele = trim_allele(position, ref, alt);
  if (!allele) return out;
  const std::string key = contig_key(contig);
  const auto contig_begin = std::partition_point(transcripts_.begin(), transcripts_.end(),
                                                 [&key](const PreparedTranscript& t) { return t.contig_key < key; });
  const auto contig_end = std::partition_point(contig_begin, transcripts_.end(),
                                               [&key](const PreparedTranscript& t) { return t.contig_key == key; });
  // Walk left from the last window starting at or before the allele's end while windows can still reach it.
  auto it = std::partition_point(contig_begin, contig_end,
                                 [&allele](const PreparedTranscript& t) { return t.window_start <= allele->last(); });
  while (it != contig_begin) {
    --it;
    if (it->max_window_end < allele->first()) break;
    if (it->window_end >= allele->first()) out.push_back(annotate_transcript(*it, *allele));
  }
  std::sort(out.begin(), out.end(), [](const Annotation& a, const Annotation& b) {
    return a.gene != b.gene ? a.gene < b.gene : a.transcript_id < b.transcript_id;
  });
  return out;
}

}  // namespace rarematch::reference
