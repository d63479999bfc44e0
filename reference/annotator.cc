// Consequences and HGVS names of a small variant on the transcripts of nearby genes.
//
// Algorithm.
//   Construction: choose the transcripts (canonical per gene, a listed set, or all); copy each one's exons and CDS
//   segments in transcript order (5'->3'), the mRNA index of each exon's first base and of the first coding base;
//   read the reference windows sequence_windows() names (exons +- kSequenceFlankBases) once, merged per contig.
//   Transcripts are sorted by (contig key, start - 5 kb) with a running maximum of end + 5 kb per contig, so a
//   lookup is a binary search plus a short walk left, as in the gene model's overlap index.
//
//   annotate(): trim the bases REF and ALT share (start first: the VCF anchor base goes; then end), then, for each
//   transcript whose 5 kb-extended span overlaps the allele, collect terms where the allele is written (VEP and
//   bcftools csq do the same; a normalised VCF writes indels at their leftmost position). One exception: a
//   deletion written across an exon/intron boundary that, moved along a repeat, fits wholly inside the exon or
//   wholly inside the intron is that same change and is annotated there (the exonic placement first: the splice
//   site then survives at the new junction; else the intronic one farthest from the exon).
//     outside the transcript                         -> upstream / downstream_gene_variant (transcript orientation)
//     intron bases 1-2 at the intron's 5' / 3' end   -> splice_donor / splice_acceptor_variant
//     intron bases 3-8 or exon bases 1-3 from one    -> splice_region_variant, unless a donor/acceptor site is hit
//                                                        (the site says more; VEP and csq report it alone)
//     coding bases, all REF bases exonic:
//       substitution, every base coding              -> translate each changed codon: codon 1 (ATG) -> start_lost;
//                                                        stop -> stop_lost or stop_retained; -> stop_gained; else
//                                                        missense or synonymous. Several codons: the terms of each,
//                                                        5'->3', up to the first start_lost or stop_gained
//       5' UTR and CDS, or an indel changing ATG     -> start_lost (+ 5_prime_UTR_variant and the frame term of the
//                                                        coding bases for a change from the UTR), unless the indel,
//                                                        moved 5' along its exon, lies wholly in the 5' UTR: then it
//                                                        is that UTR change (the start codon stays intact)
//       indel (or a change from the CDS into the 3' UTR)
//                                                    -> apply it to the mRNA and translate from the first changed
//                                                        codon to the first stop (into the 3' UTR if need be):
//                                                        frameshift_variant when the coding length change is not a
//                                                        multiple of 3; else inframe_deletion / inframe_insertion for
//                                                        a pure DNA deletion / insertion, and for a DNA delins the
//                                                        protein decides: a pure residue deletion or insertion, else
//                                                        the DNA length change (inframe_deletion / insertion, as csq). Added: stop_gained when a new stop is among the first
//                                                        changed residues (a frameshift whose first new codon is a
//                                                        stop included, as HGVS names it p.Tyr4Ter), stop_lost when
//                                                        the reference stop is gone, stop_retained when the stop codon
//                                                        is touched but still ends the protein, 3_prime_UTR_variant
//                                                        when UTR bases are changed too. An unchanged protein (a
//                                                        rebuilt stop codon, a change equivalent to one in the 3' UTR)
//                                                        gets stop_retained / synonymous and no frame term: a
//                                                        frameshift or in-frame term would claim a protein change.
//     coding bases and intron bases (an indel across an exon/intron boundary, wherever it is moved)
//                                                    -> coding_sequence_variant beside the splice term, no frame term
//                                                        and no protein name: the outcome depends on splicing. VEP
//                                                        reports splice_donor/acceptor_variant & coding_sequence_variant
//                                                        (MET exon 14 deletions read so); bcftools csq 1.16 reports the
//                                                        acceptor side so but adds frameshift/inframe on the donor side.
//                                                        An "inframe_deletion" here could satisfy a trial's in-frame
//                                                        deletion criterion for what is a splice-site deletion.
//     substitution, some bases coding (exon/intron)  -> coding_sequence_variant
//     other exonic bases                             -> 5'/3' UTR (coding transcript), else
//                                                        non_coding_transcript_exon_variant
//     intron bases, no exonic or splice-site term    -> intron_variant
//   Terms are reported in VEP's severity order; the impact is that of the first.
//
//   Insertions (empty REF after trimming) lie between two bases, their flanks. They count as exonic when either
//   flank is exonic (bases inserted at an exon edge stay in the mRNA: the splice dinucleotide is intact), as
//   intronic only when both flanks are, hit a splice site only when inserted between its two bases, fall in the
//   splice region only when both flanks do (exon bases 1-3 to intron base 8 on one side, as VEP; csq tests the base
//   before the insertion), and are coding only when inserted strictly inside the CDS.
//
//   HGVS c./n. (hgvs.h spells it): positions in transcript orientation; intronic bases are numbered from the
//   nearer exon (the middle base of an odd-length intron from the upstream one); c.-N before the CDS start, c.*N
//   after its end (also beyond the transcript's ends). Indels are shifted 3' in transcript orientation along the
//   genome, as far as the stored sequence shows (3' rule; HGVS c. descriptions follow the genomic sequence, so the
//   one exception, exon/exon junctions of an mRNA reference, cannot arise, and a shift may cross an exon/intron
//   border as VEP's does: c.2284-5_2290dup). An insertion then equal to the bases just 5' of it is a dup. Several
//   substituted bases, and deletion-insertions, are delins (not shifted).
//
//   HGVS p. (hgvs.cc describes and spells it): from the translations of reference and changed sequence, with the
//   3' rule at the protein level, dup before ins, nonsense for a first changed residue that is a stop, extensions
//   for a changed stop codon, frameshifts with the distance to the new stop (counted in the 3' UTR too).

#include "reference/annotator.h"

#include <algorithm>
#include <array>
#include <bitset>
#include <cctype>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "reference/contig.h"
#include "reference/error.h"
#include "reference/hgvs.h"

namespace rarematch::reference {

namespace annotator_detail {

/// A CDS segment with the CDS offset (0-based, transcript orientation) of its first base in transcript order.
struct CodingPiece {
  Segment genomic;
  std::uint64_t offset = 0;
};

/// One stored stretch of reference sequence.
struct SequenceWindow {
  std::uint64_t start = 0;  // 1-based position of bases[0]
  std::string bases;        // upper case, forward strand
};

/// The reference windows read for one contig: sorted by start, disjoint and not touching.
struct ContigSequence {
  std::string key;  // contig_key()
  std::vector<SequenceWindow> windows;

  // Forward-strand base at a 1-based position; 0 when it was not read.
  char base(std::uint64_t position) const {
    const auto after = std::upper_bound(windows.begin(), windows.end(), position,
                                        [](std::uint64_t p, const SequenceWindow& w) { return p < w.start; });
    if (after == windows.begin()) return 0;
    const SequenceWindow& window = *std::prev(after);
    const std::uint64_t index = position - window.start;
    return index < window.bases.size() ? window.bases[index] : 0;
  }

  // Appends the forward-strand bases of [start, end] (1-based, closed); 'N' for bases not read.
  void append(std::uint64_t start, std::uint64_t end, std::string& out) const {
    auto window = std::upper_bound(windows.begin(), windows.end(), start,
                                   [](std::uint64_t p, const SequenceWindow& w) { return p < w.start; });
    if (window != windows.begin()) --window;
    std::uint64_t position = start;
    while (position <= end) {
      while (window != windows.end() && window->start + window->bases.size() <= position) ++window;
      if (window == windows.end() || window->start > position) {  // not read: N up to the next window
        const std::uint64_t gap_end = window == windows.end() ? end : std::min(end, window->start - 1);
        out.append(gap_end - position + 1, 'N');
        position = gap_end + 1;
        continue;
      }
      const std::uint64_t take_end = std::min(end, window->start + window->bases.size() - 1);
      out.append(window->bases, position - window->start, take_end - position + 1);
      position = take_end + 1;
    }
  }
};

/// What annotation needs of one transcript, copied from the gene model.
struct PreparedTranscript {
  std::string contig_key;
  std::size_t sequence = 0;  // index of its contig in Annotator::sequences_
  std::string gene_id;
  std::string gene_name;
  std::string transcript_id;
  std::string biotype;
  bool canonical = false;
  char strand = '+';
  std::uint64_t start = 0;           // first exonic base (1-based)
  std::uint64_t end = 0;             // last exonic base (1-based, inclusive)
  std::uint64_t window_start = 0;    // start - kUpDownstreamBases (at least 1)
  std::uint64_t window_end = 0;      // end + kUpDownstreamBases
  std::uint64_t max_window_end = 0;  // largest window_end of this and the earlier transcripts on the contig
  std::vector<Segment> exons;        // transcript order (5'->3')
  std::vector<std::uint64_t> exon_index;  // mRNA index (0-based) of each exon's 5' base, transcript order
  std::uint64_t mrna_length = 0;     // sum of exon lengths
  std::vector<CodingPiece> cds;      // transcript order; empty for non-coding transcripts
  Segment coding_span;               // genomic extent of the CDS
  std::uint64_t coding_length = 0;   // CDS bases
  std::uint64_t cds_first = 0;       // mRNA index of the first coding base
  bool numbered = false;             // the CDS is one stretch of the mRNA: c. numbering and mRNA edits work

  bool is_coding() const { return !cds.empty(); }
  bool plus() const { return strand == '+'; }
};

}  // namespace annotator_detail

namespace {

using annotator_detail::CodingPiece;
using annotator_detail::ContigSequence;
using annotator_detail::PreparedTranscript;
using annotator_detail::SequenceWindow;
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
  kProteinAltering,
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
    {"protein_altering_variant", v1::IMPACT_MODERATE},
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

constexpr std::array<char, 256> kComplement = [] {
  std::array<char, 256> table{};
  table.fill('N');
  table['A'] = 'T';
  table['C'] = 'G';
  table['G'] = 'C';
  table['T'] = 'A';
  return table;
}();

constexpr std::array<std::int8_t, 256> kBaseIndex = [] {  // TCAG order of the codon table below
  std::array<std::int8_t, 256> table{};
  table.fill(-1);
  table['T'] = 0;
  table['C'] = 1;
  table['A'] = 2;
  table['G'] = 3;
  return table;
}();

char complement(char base) { return kComplement[static_cast<unsigned char>(base)]; }

std::string reverse_complement(std::string_view bases) {
  std::string out(bases.rbegin(), bases.rend());
  for (char& base : out) base = complement(base);
  return out;
}

int base_index(char base) { return kBaseIndex[static_cast<unsigned char>(base)]; }

bool is_base(char base) { return base_index(base) >= 0; }

// One-letter amino acid of a codon ('*' for stop, 'X' when the codon holds a base other than ACGT).
char translate(std::string_view codon) {
  static constexpr std::string_view kStandardCode = "FFLLSSSSYY**CC*WLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG";
  const int first = base_index(codon[0]);
  const int second = base_index(codon[1]);
  const int third = base_index(codon[2]);
  if ((first | second | third) < 0) return 'X';
  return kStandardCode[static_cast<std::size_t>(first * 16 + second * 4 + third)];
}

// Translation of the complete codons of `bases`; with `to_stop`, ends after the first stop.
std::string translate_all(std::string_view bases, bool to_stop) {
  std::string out;
  out.reserve(bases.size() / 3);
  for (std::size_t i = 0; i + 3 <= bases.size(); i += 3) {
    out += translate(bases.substr(i, 3));
    if (to_stop && out.back() == '*') break;
  }
  return out;
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
  bool is_deletion() const { return alt.empty(); }
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
    if (!is_base(upper)) return false;
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
  if (allele.is_insertion() && allele.position < 2) return std::nullopt;  // no base before the insertion
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

std::uint64_t length_of(const Segment& segment) { return segment.end - segment.start + 1; }

// mRNA index of an exonic base; nullopt when the base is not exonic.
std::optional<std::uint64_t> mrna_index(const PreparedTranscript& transcript, std::uint64_t position) {
  for (std::size_t i = 0; i < transcript.exons.size(); ++i) {
    const Segment& exon = transcript.exons[i];
    if (position >= exon.start && position <= exon.end) {
      return transcript.exon_index[i] + (transcript.plus() ? position - exon.start : exon.end - position);
    }
  }
  return std::nullopt;
}

PreparedTranscript prepare(const Gene& gene, const Transcript& transcript, bool canonical) {
  PreparedTranscript prepared;
  prepared.contig_key = contig_key(transcript.contig);
  prepared.gene_id = gene.id;
  prepared.gene_name = gene.name;
  prepared.transcript_id = transcript.id;
  prepared.biotype = transcript.biotype;
  prepared.canonical = canonical;
  prepared.strand = transcript.strand;
  prepared.exons = exons_of(transcript);
  prepared.start = prepared.exons.front().start;
  for (const Segment& exon : prepared.exons) prepared.end = std::max(prepared.end, exon.end);
  if (!prepared.plus()) std::reverse(prepared.exons.begin(), prepared.exons.end());
  for (const Segment& exon : prepared.exons) {
    prepared.exon_index.push_back(prepared.mrna_length);
    prepared.mrna_length += length_of(exon);
  }
  prepared.window_start = prepared.start > kUpDownstreamBases ? prepared.start - kUpDownstreamBases : 1;
  prepared.window_end = prepared.end + kUpDownstreamBases;
  prepared.cds = coding_pieces(transcript);
  if (prepared.is_coding()) {
    prepared.coding_span = {transcript.cds.front().start, transcript.cds.back().end};
    for (const Segment& segment : transcript.cds) {
      prepared.coding_span.end = std::max(prepared.coding_span.end, segment.end);
    }
    prepared.coding_length = transcript.coding_length();
    // c. numbering and mRNA edits need the CDS to be one stretch of the spliced exons (always so in Ensembl and
    // GENCODE); otherwise coding changes are still classified, but not named.
    const CodingPiece& first = prepared.cds.front();
    const auto first_index = mrna_index(prepared, prepared.plus() ? first.genomic.start : first.genomic.end);
    if (first_index) {
      prepared.cds_first = *first_index;
      prepared.numbered = std::all_of(prepared.cds.begin(), prepared.cds.end(), [&](const CodingPiece& piece) {
        const auto index = mrna_index(prepared, prepared.plus() ? piece.genomic.start : piece.genomic.end);
        const auto last = mrna_index(prepared, prepared.plus() ? piece.genomic.end : piece.genomic.start);
        return index && last && *index == prepared.cds_first + piece.offset &&
               *last == *index + length_of(piece.genomic) - 1;
      });
    }
  }
  return prepared;
}

// Version-less id as the gene model stores it: "ENST00000275493.7" -> "ENST00000275493",
// "ENST00000381192.10_PAR_Y" -> "ENST00000381192_PAR_Y".
std::string versionless(std::string_view id) {
  const std::size_t dot = id.rfind('.');
  if (dot == std::string_view::npos) return std::string(id);
  std::size_t digits_end = dot + 1;
  while (digits_end < id.size() && std::isdigit(static_cast<unsigned char>(id[digits_end])) != 0) ++digits_end;
  if (digits_end == dot + 1 || (digits_end != id.size() && id[digits_end] != '_')) return std::string(id);
  return std::string(id.substr(0, dot)) + std::string(id.substr(digits_end));
}

// The transcripts of `gene` the options select.
std::vector<const Transcript*> selected_transcripts(const Gene& gene, const AnnotatorOptions& options,
                                                    const std::unordered_set<std::string>& listed,
                                                    std::unordered_set<std::string>& found) {
  std::vector<const Transcript*> out;
  if (options.transcripts != TranscriptSet::kCanonical) {
    for (const Transcript& transcript : gene.transcripts) {
      const bool take = options.transcripts == TranscriptSet::kAll || listed.count(transcript.id) != 0;
      if (!take) continue;
      out.push_back(&transcript);
      found.insert(transcript.id);
    }
  }
  if (out.empty() && options.transcripts != TranscriptSet::kAll) {
    const Transcript* canonical = gene.canonical_transcript();
    if (canonical != nullptr) out.push_back(canonical);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// One transcript with its sequence: positions in transcript orientation.
//
// An "oriented" coordinate u runs 5'->3' along the transcript: u = position on the + strand, u = -position on the
// - strand, so u + 1 is always the next base 3'.

class TranscriptView {
 public:
  TranscriptView(const PreparedTranscript& transcript, const ContigSequence& sequence)
      : t_(transcript), sequence_(sequence) {}

  const PreparedTranscript& transcript() const { return t_; }

  std::int64_t oriented(std::uint64_t position) const {
    return t_.plus() ? static_cast<std::int64_t>(position) : -static_cast<std::int64_t>(position);
  }
  std::uint64_t genomic(std::int64_t u) const { return static_cast<std::uint64_t>(t_.plus() ? u : -u); }

  // Base at u in transcript orientation; 0 when not stored.
  char base(std::int64_t u) const {
    const char forward = sequence_.base(genomic(u));
    if (forward == 0) return 0;
    return t_.plus() ? forward : complement(forward);
  }

  std::int64_t exon_first(std::size_t i) const {
    return oriented(t_.plus() ? t_.exons[i].start : t_.exons[i].end);
  }
  std::int64_t exon_last(std::size_t i) const { return oriented(t_.plus() ? t_.exons[i].end : t_.exons[i].start); }

  // Index of the exon holding u, or nullopt.
  std::optional<std::size_t> exon_at(std::int64_t u) const {
    for (std::size_t i = 0; i < t_.exons.size(); ++i) {
      if (u >= exon_first(i) && u <= exon_last(i)) return i;
    }
    return std::nullopt;
  }

  // Index i of the intron (between exons i and i + 1) holding u, or nullopt.
  std::optional<std::size_t> intron_at(std::int64_t u) const {
    for (std::size_t i = 0; i + 1 < t_.exons.size(); ++i) {
      if (u > exon_last(i) && u < exon_first(i + 1)) return i;
    }
    return std::nullopt;
  }

  // mRNA bases [from, to) (mRNA indices), 'N' where not stored.
  std::string mrna(std::uint64_t from, std::uint64_t to) const {
    std::string out;
    out.reserve(to > from ? to - from : 0);
    for (std::size_t i = 0; i < t_.exons.size() && from < to; ++i) {
      const std::uint64_t exon_from = t_.exon_index[i];
      const std::uint64_t exon_to = exon_from + length_of(t_.exons[i]);
      const std::uint64_t low = std::max(from, exon_from);
      const std::uint64_t high = std::min(to, exon_to);
      if (low >= high) continue;
      const Segment& exon = t_.exons[i];
      std::string piece;
      if (t_.plus()) {
        sequence_.append(exon.start + (low - exon_from), exon.start + (high - exon_from) - 1, piece);
      } else {
        sequence_.append(exon.end - (high - exon_from) + 1, exon.end - (low - exon_from), piece);
        piece = reverse_complement(piece);
      }
      out += piece;
    }
    return out;
  }

  // CDS bases [from, to) (CDS offsets); numbered transcripts only.
  std::string cds(std::uint64_t from, std::uint64_t to) const { return mrna(t_.cds_first + from, t_.cds_first + to); }

  // HGVS position of u (any u: exonic, intronic or beyond the transcript's ends).
  hgvs::NucleotidePosition position(std::int64_t u) const {
    const std::size_t exons = t_.exons.size();
    std::int64_t index = 0;  // signed mRNA index: negative before the transcript, >= length after it
    std::int64_t offset = 0;
    if (u < exon_first(0)) {
      index = -(exon_first(0) - u);
    } else if (u > exon_last(exons - 1)) {
      index = static_cast<std::int64_t>(t_.mrna_length) - 1 + (u - exon_last(exons - 1));
    } else if (const auto exon = exon_at(u)) {
      index = static_cast<std::int64_t>(t_.exon_index[*exon]) + (u - exon_first(*exon));
    } else if (const auto intron = intron_at(u)) {
      const std::int64_t from_upstream = u - exon_last(*intron);
      const std::int64_t to_downstream = exon_first(*intron + 1) - u;
      if (from_upstream <= to_downstream) {
        index = static_cast<std::int64_t>(t_.exon_index[*intron] + length_of(t_.exons[*intron])) - 1;
        offset = from_upstream;
      } else {
        index = static_cast<std::int64_t>(t_.exon_index[*intron + 1]);
        offset = -to_downstream;
      }
    }
    hgvs::NucleotidePosition out;
    out.offset = offset;
    std::int64_t first = 0;  // index numbered 1
    std::int64_t last = static_cast<std::int64_t>(t_.mrna_length) - 1;
    if (coding_numbers()) {
      first = static_cast<std::int64_t>(t_.cds_first);
      last = first + static_cast<std::int64_t>(t_.coding_length) - 1;
    }
    if (index < first) {
      out.region = hgvs::Region::kFivePrime;
      out.number = static_cast<std::uint64_t>(first - index);
    } else if (index > last) {
      out.region = hgvs::Region::kThreePrime;
      out.number = static_cast<std::uint64_t>(index - last);
    } else {
      out.number = static_cast<std::uint64_t>(index - first + 1);
    }
    return out;
  }

  bool coding_numbers() const { return t_.is_coding() && t_.numbered; }

 private:
  const PreparedTranscript& t_;
  const ContigSequence& sequence_;
};

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
  if (!offset || *offset == 0 || *offset >= transcript.coding_length) return std::nullopt;
  return offset;
}

// mRNA indices [first, last] of the REF bases of a non-insertion allele when all of them are exonic and
// consecutive in the mRNA (no intron base among them); nullopt otherwise.
std::optional<std::pair<std::uint64_t, std::uint64_t>> exonic_span(const PreparedTranscript& transcript,
                                                                   const Allele& allele) {
  const auto low = mrna_index(transcript, allele.first());
  const auto high = mrna_index(transcript, allele.last());
  if (!low || !high) return std::nullopt;
  const auto [first, last] = std::minmax(*low, *high);
  if (last - first + 1 != allele.ref.size()) return std::nullopt;
  return std::make_pair(first, last);
}

// Intron `index` (0-based, transcript order): the bases between exon index and exon index + 1. Empty (start >
// end) when the two exons touch.
Segment intron(const PreparedTranscript& transcript, std::size_t index) {
  const Segment& upstream = transcript.exons[index];
  const Segment& downstream = transcript.exons[index + 1];
  return transcript.plus() ? Segment{upstream.end + 1, downstream.start - 1}
                           : Segment{downstream.end + 1, upstream.start - 1};
}

// True when the REF bases of a (non-insertion) allele include both exonic and intronic bases.
bool touches_exon_and_intron(const PreparedTranscript& transcript, const Allele& allele) {
  bool exonic = false;
  bool intronic = false;
  for (std::size_t i = 0; i < transcript.exons.size(); ++i) {
    exonic = exonic || touches(allele, transcript.exons[i].start, transcript.exons[i].end);
    if (i + 1 < transcript.exons.size()) {
      const Segment bases = intron(transcript, i);
      intronic = intronic || (bases.start <= bases.end && touches(allele, bases.start, bases.end));
    }
  }
  return exonic && intronic;
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

  const std::uint64_t reach = std::min<std::uint64_t>(7, length - 1);
  const std::uint64_t low_exon = bases.start > 3 ? bases.start - 3 : 1;
  bool region = false;
  if (allele.is_insertion()) {
    // Inserted between two bases of one side's stretch (3 exonic bases, the site, intron bases 3..8).
    region = lies_in(allele, low_exon, bases.start + reach) || lies_in(allele, bases.end - reach, bases.end + 3);
  } else {
    region = touches(allele, low_exon, bases.start - 1) || touches(allele, bases.end + 1, bases.end + 3);
    if (length > 2) {
      region = region || touches(allele, bases.start + 2, bases.start + reach) ||
               touches(allele, bases.end - reach, bases.end - 2);
    }
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

// Residues (1-based, inclusive) an annotation reports; widened to cover each range added.
struct ResidueSpan {
  std::uint64_t start = 0;
  std::uint64_t end = 0;

  void add(std::uint64_t from, std::uint64_t to) {
    if (from == 0 || to < from) return;
    start = start == 0 ? from : std::min(start, from);
    end = std::max(end, to);
  }
};

void set_protein_names(const hgvs::ProteinChange& change, ResidueSpan& span, Annotation& out) {
  out.hgvs_p = hgvs::format_protein_change(change, false);
  out.hgvs_p_short = hgvs::format_protein_change(change, true);
  if (change.type != hgvs::ProteinChangeType::kNone) span.add(change.start, change.end);
}

void set_start_lost(Terms& terms, ResidueSpan& span, Annotation& out) {
  terms.set(kStartLost);
  hgvs::ProteinChange change;
  change.type = hgvs::ProteinChangeType::kStartLost;
  change.start = change.end = 1;
  change.start_residue = change.end_residue = 'M';
  set_protein_names(change, span, out);
}

Term codon_term(std::uint64_t codon_index, char ref_amino_acid, char alt_amino_acid) {
  if (ref_amino_acid == 'X' || alt_amino_acid == 'X') return kCodingSequence;
  if (codon_index == 0 && ref_amino_acid == 'M') return kStartLost;  // (an incomplete CDS may start otherwise)
  if (ref_amino_acid == '*') return alt_amino_acid == '*' ? kStopRetained : kStopLost;
  if (alt_amino_acid == '*') return kStopGained;
  return ref_amino_acid == alt_amino_acid ? kSynonymous : kMissense;
}

// Translates the codons a substitution changes; every REF base is coding.
void add_substitution_terms(const TranscriptView& view, const Allele& allele, const CodingRange& range,
                            Terms& terms, ResidueSpan& span, Annotation& out) {
  const PreparedTranscript& transcript = view.transcript();
  const std::uint64_t first_codon = range.first / 3;
  const std::uint64_t last_codon = range.last / 3;
  if (last_codon * 3 + 3 > transcript.coding_length) {  // an incomplete last codon cannot be translated
    terms.set(kCodingSequence);
    return;
  }
  const std::string ref_codons = view.cds(first_codon * 3, last_codon * 3 + 3);
  std::string alt_codons = ref_codons;
  for (std::size_t i = 0; i < allele.alt.size(); ++i) {
    const std::uint64_t offset = *cds_offset(transcript, allele.position + i);
    alt_codons[offset - first_codon * 3] = transcript.plus() ? allele.alt[i] : complement(allele.alt[i]);
  }
  const std::string ref_residues = translate_all(ref_codons, false);
  const std::string alt_residues = translate_all(alt_codons, false);
  Terms codon_terms;
  for (std::size_t i = 0; i < ref_residues.size(); ++i) {  // in transcript order
    if (ref_codons.compare(i * 3, 3, alt_codons, i * 3, 3) == 0) continue;
    const Term term = codon_term(first_codon + i, ref_residues[i], alt_residues[i]);
    codon_terms.set(term);
    if (term == kStartLost || term == kStopGained) break;  // later codons are no longer translated
  }
  // Several codons: the change is synonymous only when every codon is.
  const Terms protein_changing = Terms().set(kStartLost).set(kStopLost).set(kStopGained).set(kMissense);
  if ((codon_terms & protein_changing).any()) codon_terms.reset(kSynonymous).reset(kStopRetained);
  terms |= codon_terms;

  if (codon_terms.test(kStartLost)) {
    set_start_lost(terms, span, out);
    return;
  }
  std::string readthrough;  // the frame after a changed stop codon, for the extension's length
  const std::uint64_t stop_codon_end = last_codon * 3 + 3;
  if (ref_residues.back() == '*' && stop_codon_end == transcript.coding_length) {
    readthrough = translate_all(view.mrna(transcript.cds_first + stop_codon_end, transcript.mrna_length), true);
  }
  set_protein_names(hgvs::describe_substitution(ref_residues, alt_residues, first_codon + 1, readthrough), span,
                    out);
}

// Frame term of a change of `change` bases in the coding sequence (0 for a substitution).
std::optional<Term> frame_term(std::int64_t change) {
  if (change % 3 != 0) return kFrameshift;
  if (change == 0) return std::nullopt;
  return change < 0 ? kInframeDeletion : kInframeInsertion;
}

// An indel (or a change running from the CDS into the 3' UTR) applied to the mRNA: `tail_first` and `tail_last`
// are the CDS offsets of its first and last REF bases (last < first for an insertion, which goes before
// tail_first); the offsets may run past the CDS into the 3' UTR. `coding_change`: the length change of the coding
// sequence, which decides the frame term (bcftools csq counts only coding bases for a change running into the UTR).
void add_indel_terms(const TranscriptView& view, const Allele& allele, std::uint64_t tail_first,
                     std::uint64_t tail_last, std::int64_t coding_change, Terms& terms, ResidueSpan& span,
                     Annotation& out) {
  const PreparedTranscript& transcript = view.transcript();
  const std::string alt_bases = transcript.plus() ? allele.alt : reverse_complement(allele.alt);
  const std::uint64_t ref_length = allele.ref.size();
  const std::uint64_t length_change =
      alt_bases.size() > ref_length ? alt_bases.size() - ref_length : ref_length - alt_bases.size();
  const bool frameshift = length_change % 3 != 0;  // of the translated frame downstream
  const std::uint64_t codons = transcript.coding_length / 3;  // complete codons of the CDS

  // Codons the change alters: those its REF bases cover, or the one an insertion splits (none between codons).
  std::uint64_t replaced_first = tail_first / 3;
  std::uint64_t replaced_last = allele.is_insertion() ? (tail_first % 3 == 0 ? replaced_first : replaced_first + 1)
                                                      : tail_last / 3 + 1;  // one past
  if (allele.is_insertion() && tail_first % 3 == 0) span.add(replaced_first, replaced_first + 1);
  span.add(replaced_first + 1, std::min(replaced_last, codons));

  // Translate both from a few codons before the change (room to recognise a duplication): the reference to the
  // end of the CDS, the changed sequence to its first stop. An in-frame change is compared over the whole rest of
  // the protein (its shared end is trimmed); a frameshift only up to the new frame's stop, so its mRNA is read in
  // growing pieces.
  const std::uint64_t back = std::min<std::uint64_t>(replaced_first, alt_bases.size() / 3 + 2);
  const std::uint64_t from = (replaced_first - back) * 3;
  const std::uint64_t available = transcript.mrna_length - (transcript.cds_first + from);
  std::uint64_t length = frameshift ? tail_first + ref_length - from + 3 * 256 : available;
  std::string tail;
  std::string alt_protein;
  for (;;) {
    length = std::min(length, available);
    tail = view.mrna(transcript.cds_first + from, transcript.cds_first + from + length);
    std::string changed = tail.substr(0, tail_first - from) + alt_bases;
    if (tail_first + ref_length - from < tail.size()) changed.append(tail, tail_first + ref_length - from);
    alt_protein = translate_all(changed, true);
    if (length == available || (!alt_protein.empty() && alt_protein.back() == '*')) break;
    length *= 4;
  }
  const std::uint64_t ref_bases = codons * 3 > from ? std::min(codons * 3 - from, tail.size()) : 0;
  const std::string ref_protein = translate_all(std::string_view(tail).substr(0, ref_bases - ref_bases % 3), false);

  if (replaced_first == 0 && !ref_protein.empty() && ref_protein[0] == 'M' &&
      (alt_protein.empty() || alt_protein[0] != 'M')) {
    set_start_lost(terms, span, out);
    return;
  }
  hgvs::IndelContext context;
  context.ref = ref_protein;
  context.alt = alt_protein;
  context.offset = from / 3;
  context.touched_first = replaced_first + 1;
  context.touched_last = std::min(replaced_last, codons);
  context.residue_delta = (static_cast<std::int64_t>(alt_bases.size()) - static_cast<std::int64_t>(ref_length)) / 3;
  context.frameshift = frameshift;
  const hgvs::ProteinChange change = hgvs::describe_indel(context);
  set_protein_names(change, span, out);

  using Type = hgvs::ProteinChangeType;
  const bool ref_stops = codons > 0 && translate(view.cds(codons * 3 - 3, codons * 3)) == '*';
  // The stop codon is touched when the change covers or splits it, or inserts right before it (as csq counts it).
  const bool stop_touched = ref_stops && ((replaced_last >= codons && replaced_first < codons) ||
                                          (allele.is_insertion() && tail_first == codons * 3 - 3));
  const bool stop_gained = change.type == Type::kNonsense || change.alt.find('*') != std::string::npos;
  // The reference stop is gone: changed into a residue, or passed by a new frame (a frameshift over the stop
  // codon, or an in-frame change named as a frameshift because it removed the stop).
  const bool stop_lost = change.type == Type::kExtension ||
                         (change.type == Type::kFrameshift && (!frameshift || stop_touched));
  if (change.type == Type::kNone) {
    terms.set(kCodingSequence);  // a codon that cannot be translated
    if (const auto term = frame_term(coding_change)) terms.set(*term);
    return;
  }
  const std::optional<Term> by_length = frame_term(coding_change);
  if (change.type == Type::kUnchanged) {
    // The same protein (a stop codon rebuilt, or a change equivalent to one in the 3' UTR): no frame term, which
    // would claim a truncating or in-frame change that does not happen.
    terms.set(stop_touched ? kStopRetained : kSynonymous);
    return;
  }
  if (!by_length) {
    // Same length (a substitution running into the 3' UTR): as a substitution of codons would be.
    if (change.type == Type::kMissense || change.type == Type::kDelins) terms.set(kMissense);
    if (change.type == Type::kUnchanged && !stop_touched) terms.set(kSynonymous);
  } else if (*by_length == kFrameshift || allele.is_deletion() || allele.is_insertion()) {
    terms.set(*by_length);
  } else if (change.type == Type::kDeletion) {  // a DNA delins: the protein decides
    terms.set(kInframeDeletion);
  } else if (change.type == Type::kInsertion || change.type == Type::kDuplication) {
    terms.set(kInframeInsertion);
  } else {
    // Residues replaced by others, a new stop, or the stop lost: the DNA length change decides, as bcftools csq
    // and VEP's in-frame predicates do (a protein_altering_variant label would escape "in-frame deletion" and
    // "in-frame insertion" trial criteria that these variants meet by length).
    terms.set(*by_length);
  }
  if (stop_gained) terms.set(kStopGained);
  if (stop_lost) terms.set(kStopLost);
  if (stop_touched && !stop_gained && !stop_lost) terms.set(kStopRetained);
}

// True when an insertion or deletion at the CDS start is the same change as one in the 5' UTR: moved 5' along its
// exon (as far as the bases allow), it no longer reaches c.1. A normalised VCF writes indels at their leftmost
// genomic position, which on the - strand is the 3'-most in the transcript, so a 5' UTR deletion next to the start
// codon can arrive written over the A of the ATG; the start codon is intact all the same.
bool five_prime_utr_equivalent(const TranscriptView& view, const Allele& allele, std::uint64_t first,
                               std::uint64_t last) {
  const PreparedTranscript& transcript = view.transcript();
  if (!allele.is_deletion() && !allele.is_insertion()) return false;
  // 5' end of the exon holding `first` (mRNA index).
  std::uint64_t exon_start = 0;
  for (std::size_t i = 0; i < transcript.exons.size(); ++i) {
    if (transcript.exon_index[i] <= first) exon_start = transcript.exon_index[i];
  }
  const std::string bases = view.mrna(exon_start, last + 1);  // exon start .. the change's end
  const auto at = [&bases, exon_start](std::uint64_t index) { return bases[index - exon_start]; };
  if (allele.is_deletion()) {
    while (first > exon_start && at(first - 1) == at(last) && is_base(at(last))) {
      --first;
      --last;
    }
    return last < transcript.cds_first;
  }
  // An insertion before mRNA index `first`.
  std::string inserted = transcript.plus() ? allele.alt : reverse_complement(allele.alt);
  while (first > exon_start && at(first - 1) == inserted.back()) {
    std::rotate(inserted.rbegin(), inserted.rbegin() + 1, inserted.rend());
    --first;
  }
  return first <= transcript.cds_first;
}

// Adds the coding terms, names and affected residues; false when the allele changes no coding base.
bool add_coding_terms(const TranscriptView& view, const Allele& allele, Terms& terms, Annotation& out) {
  const PreparedTranscript& transcript = view.transcript();
  ResidueSpan span;
  const auto finish = [&span, &out] {
    out.protein_start = static_cast<std::uint32_t>(span.start);
    out.protein_end = static_cast<std::uint32_t>(span.end);
    return true;
  };
  if (allele.is_insertion()) {
    const auto offset = insertion_offset(transcript, allele);
    if (!offset) return false;
    if (!transcript.numbered) {
      span.add(*offset % 3 == 0 ? *offset / 3 : *offset / 3 + 1, *offset / 3 + 1);
      terms.set(kCodingSequence);
      return finish();
    }
    const std::uint64_t point = transcript.cds_first + *offset;  // the insertion goes before this mRNA index
    if (*offset < 3 && five_prime_utr_equivalent(view, allele, point, point - 1)) {
      terms.set(kFivePrimeUtr);
      return true;
    }
    add_indel_terms(view, allele, *offset, *offset - 1, static_cast<std::int64_t>(allele.alt.size()), terms, span,
                    out);
    return finish();
  }
  const CodingRange range = coding_range(transcript, allele);
  if (range.bases == 0) return false;
  span.add(range.first / 3 + 1, range.last / 3 + 1);
  const auto exonic = exonic_span(transcript, allele);
  if (!exonic || !transcript.numbered) {  // across an exon/intron boundary (or an unusual CDS): splicing decides
    terms.set(kCodingSequence);
    return finish();
  }
  if (allele.is_substitution() && range.bases == allele.ref.size()) {
    add_substitution_terms(view, allele, range, terms, span, out);
    return finish();
  }
  if (range.first < 3 && five_prime_utr_equivalent(view, allele, exonic->first, exonic->second)) {
    terms.set(kFivePrimeUtr);
    out.protein_start = out.protein_end = 0;
    return true;
  }
  // Length change of the coding sequence: a change running into a UTR counts only its coding bases (as csq).
  std::int64_t coding_change = static_cast<std::int64_t>(allele.alt.size()) - static_cast<std::int64_t>(range.bases);
  if (allele.is_substitution()) coding_change = 0;
  if (!allele.is_deletion() && !allele.is_substitution()) {
    coding_change = static_cast<std::int64_t>(allele.alt.size()) - static_cast<std::int64_t>(allele.ref.size());
  }
  if (exonic->first < transcript.cds_first) {  // from the 5' UTR into the start codon
    terms.set(kFivePrimeUtr);
    if (const auto term = frame_term(coding_change)) terms.set(*term);
    if (translate(view.cds(0, 3)) == 'M') {
      set_start_lost(terms, span, out);
    } else {
      terms.set(kCodingSequence);
    }
    return finish();
  }
  if (exonic->second >= transcript.cds_first + transcript.coding_length) terms.set(kThreePrimeUtr);
  add_indel_terms(view, allele, exonic->first - transcript.cds_first, exonic->second - transcript.cds_first,
                  coding_change, terms, span, out);
  return finish();
}

// UTR side of an exonic, non-coding allele of a coding transcript; non_coding_transcript_exon_variant otherwise.
Term exonic_term(const PreparedTranscript& transcript, const Allele& allele) {
  if (!transcript.is_coding()) return kNonCodingExon;
  const bool five_prime =
      transcript.plus() ? allele.first() < transcript.coding_span.start : allele.last() > transcript.coding_span.end;
  return five_prime ? kFivePrimeUtr : kThreePrimeUtr;
}

// ---------------------------------------------------------------------------------------------------------------
// HGVS c./n.

std::string name_nucleotide_change(const TranscriptView& view, const Allele& allele) {
  const PreparedTranscript& transcript = view.transcript();
  if (transcript.is_coding() && !transcript.numbered) return {};
  const char prefix = view.coding_numbers() ? 'c' : 'n';
  const bool plus = transcript.plus();
  hgvs::NucleotideChange change;
  change.alt = plus ? allele.alt : reverse_complement(allele.alt);
  using Type = hgvs::NucleotideChangeType;

  if (allele.is_insertion()) {
    // Inserted before oriented position p (between p - 1 and p).
    std::int64_t p = plus ? view.oriented(allele.position) : view.oriented(allele.position - 1);
    std::string& inserted = change.alt;
    while (view.base(p) == inserted.front()) {
      std::rotate(inserted.begin(), inserted.begin() + 1, inserted.end());
      ++p;
    }
    const auto length = static_cast<std::int64_t>(inserted.size());
    bool duplicate = true;
    for (std::int64_t i = 0; i < length && duplicate; ++i) {
      duplicate = view.base(p - length + i) == inserted[static_cast<std::size_t>(i)];
    }
    if (duplicate) {
      change.type = Type::kDuplication;
      change.first = view.position(p - length);
      change.last = view.position(p - 1);
    } else {
      change.type = Type::kInsertion;
      change.first = view.position(p - 1);
      change.last = view.position(p);
    }
    return hgvs::format_nucleotide_change(prefix, change);
  }

  std::int64_t first = view.oriented(plus ? allele.first() : allele.last());
  std::int64_t last = first + static_cast<std::int64_t>(allele.ref.size()) - 1;
  if (allele.is_deletion()) {
    // The deleted bases come from REF, so only the bases after the deletion need to be stored.
    std::string deleted = plus ? allele.ref : reverse_complement(allele.ref);
    while (view.base(last + 1) == deleted.front()) {
      std::rotate(deleted.begin(), deleted.begin() + 1, deleted.end());
      ++first;
      ++last;
    }
    change.type = Type::kDeletion;
  } else if (allele.ref.size() == 1 && allele.alt.size() == 1) {
    change.type = Type::kSubstitution;
    change.ref = plus ? allele.ref : reverse_complement(allele.ref);
  } else {
    change.type = Type::kDelins;
  }
  change.first = view.position(first);
  change.last = view.position(last);
  return hgvs::format_nucleotide_change(prefix, change);
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

// Whether the bases [first, last] lie wholly inside one exon, or wholly inside one intron (and which).
struct Lodging {
  bool in_exon = false;
  bool in_intron = false;
  Segment intron;  // the intron's bases, when in_intron
};

Lodging lodging(const PreparedTranscript& transcript, std::uint64_t first, std::uint64_t last) {
  Lodging out;
  for (std::size_t i = 0; i < transcript.exons.size(); ++i) {
    if (first >= transcript.exons[i].start && last <= transcript.exons[i].end) out.in_exon = true;
    if (i + 1 < transcript.exons.size()) {
      const Segment bases = intron(transcript, i);
      if (first >= bases.start && last <= bases.end) {
        out.in_intron = true;
        out.intron = bases;
      }
    }
  }
  return out;
}

// Where a deletion written across an exon/intron boundary really lies. Moved along a repeat, the same deletion
// may fit wholly inside the exon (the intron, and its splice site, intact) or wholly inside the intron (the exon
// intact): then it is that change. The exonic placement comes first (the splice site survives at the new junction:
// "..AAG|GTAAG" less one G splices at "..AA|GTAAG"), else the intronic one farthest from the exon (less "AG" from
// "..AGAG|exon" leaves "..AG|exon"). Other alleles, and deletions that straddle the boundary wherever they go,
// are returned as written.
Allele placed_deletion(const PreparedTranscript& transcript, const ContigSequence& sequence, const Allele& allele) {
  if (!allele.is_deletion() || !touches_exon_and_intron(transcript, allele)) return allele;
  const Lodging written = lodging(transcript, allele.first(), allele.last());
  if (written.in_exon || written.in_intron) return allele;
  // Leftmost placement, then each one to the right, as far as the stored sequence shows.
  Allele candidate = allele;
  while (candidate.position > 1 && sequence.base(candidate.position - 1) == candidate.ref.back()) {
    std::rotate(candidate.ref.rbegin(), candidate.ref.rbegin() + 1, candidate.ref.rend());
    --candidate.position;
  }
  std::optional<Allele> intronic;
  std::uint64_t intronic_depth = 0;  // bases between the placement and the nearer end of its intron
  for (;;) {
    const Lodging here = lodging(transcript, candidate.first(), candidate.last());
    if (here.in_exon) return candidate;
    if (here.in_intron) {
      const std::uint64_t depth =
          std::min(candidate.first() - here.intron.start, here.intron.end - candidate.last());
      if (!intronic || depth > intronic_depth) {
        intronic = candidate;
        intronic_depth = depth;
      }
    }
    if (sequence.base(candidate.last() + 1) != candidate.ref.front()) break;
    std::rotate(candidate.ref.begin(), candidate.ref.begin() + 1, candidate.ref.end());
    ++candidate.position;
  }
  return intronic ? *intronic : allele;
}

Annotation annotate_transcript(const PreparedTranscript& transcript, const ContigSequence& sequence,
                               const Allele& written) {
  Annotation out;
  out.gene = transcript.gene_name;
  out.gene_id = transcript.gene_id;
  out.transcript_id = transcript.transcript_id;
  out.transcript_biotype = transcript.biotype;
  out.canonical = transcript.canonical;
  out.exon_count = static_cast<std::uint32_t>(transcript.exons.size());
  Terms terms;
  if (written.last() < transcript.start || written.first() > transcript.end) {
    const bool before = written.last() < transcript.start;
    terms.set(before == transcript.plus() ? kUpstream : kDownstream);
    set_terms(terms, out);
    return out;
  }
  const TranscriptView view(transcript, sequence);
  const Allele allele = placed_deletion(transcript, sequence, written);
  out.exon = exon_number(transcript, allele);
  out.intron = add_splice_terms(transcript, allele, terms);
  const bool coding = transcript.is_coding() && add_coding_terms(view, allele, terms, out);
  if (!coding && out.exon != 0) terms.set(exonic_term(transcript, allele));
  if (terms.test(kSpliceDonor) || terms.test(kSpliceAcceptor)) {
    terms.reset(kSpliceRegion);  // the site is the stronger statement (VEP and bcftools csq report it alone)
  } else if (out.intron != 0 && out.exon == 0) {
    terms.set(kIntron);
  }
  set_terms(terms, out);
  out.hgvs_c = name_nucleotide_change(view, written);
  return out;
}

std::size_t term_rank(std::string_view name) {
  for (std::size_t term = 0; term < kTermCount; ++term) {
    if (kTerms[term].name == name) return term;
  }
  return kTermCount;
}

std::size_t severity_rank(const Annotation& annotation) {
  return annotation.consequences.empty() ? kTermCount + 1 : term_rank(annotation.consequences.front());
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------------
// Windows, Annotator.

std::vector<GenomicWindow> sequence_windows(const Transcript& transcript, std::uint64_t contig_length) {
  std::vector<GenomicWindow> out;
  for (const Segment& exon : exons_of(transcript)) {
    const std::uint64_t start = exon.start > kSequenceFlankBases ? exon.start - kSequenceFlankBases : 1;
    const std::uint64_t end = std::min(contig_length, exon.end + kSequenceFlankBases);
    if (start > end) continue;
    if (!out.empty() && start <= out.back().end + 1) {
      out.back().end = std::max(out.back().end, end);
    } else {
      out.push_back({transcript.contig, start, end});
    }
  }
  return out;
}

Annotator::Annotator(const GeneModel& model, const SequenceSource& genome, const AnnotatorOptions& options) {
  std::unordered_set<std::string> listed;
  for (const std::string& id : options.transcript_ids) listed.insert(versionless(id));
  std::unordered_set<std::string> found;

  // Distinct windows per contig key, with the FASTA's contig name to fetch them by.
  std::map<std::string, std::pair<std::string, std::set<std::pair<std::uint64_t, std::uint64_t>>>> wanted;
  for (const Gene& gene : model.genes()) {
    const Transcript* canonical = gene.canonical_transcript();
    for (const Transcript* transcript : selected_transcripts(gene, options, listed, found)) {
      const std::string what = "prepare transcript " + transcript->id + " of gene " + gene.name;
      const auto contig = genome.resolve_contig(transcript->contig);
      const auto length = genome.contig_length(transcript->contig);
      if (!contig || !length) {
        throw_bad_input(genome.path(), std::nullopt, what, "its contig '" + transcript->contig + "' is not in the FASTA",
                        "use the FASTA of the genome build the GFF3 describes (contig names may differ by a 'chr' "
                        "prefix only)");
      }
      PreparedTranscript prepared = prepare(gene, *transcript, transcript == canonical);
      if (prepared.end > *length) {
        throw_bad_input(genome.path(), std::nullopt, what,
                        "it ends at " + transcript->contig + ":" + std::to_string(prepared.end) +
                            ", beyond the contig's " + std::to_string(*length) + " bases",
                        "use the FASTA of the genome build the GFF3 describes");
      }
      auto& [fasta_name, windows] = wanted[prepared.contig_key];
      fasta_name = *contig;
      for (const GenomicWindow& window : sequence_windows(*transcript, *length)) {
        windows.emplace(window.start, window.end);
      }
      transcripts_.push_back(std::move(prepared));
    }
  }
  if (options.transcripts == TranscriptSet::kListed && found.size() != listed.size()) {
    std::string missing;
    for (const std::string& id : listed) {
      if (found.count(id) == 0) missing += (missing.empty() ? "" : ", ") + id;
    }
    throw_usage("transcript list", "transcripts not in the gene model: " + missing,
                "give Ensembl/GENCODE transcript ids of the GFF3 in use (a version suffix is ignored)");
  }

  // Read each distinct window once; merge overlapping ones per contig.
  for (const auto& [key, entry] : wanted) {
    const auto& [fasta_name, windows] = entry;
    ContigSequence sequence;
    sequence.key = key;
    for (const auto& [start, end] : windows) {
      std::string bases = genome.fetch(fasta_name, start, end);
      if (!sequence.windows.empty()) {
        SequenceWindow& previous = sequence.windows.back();
        const std::uint64_t previous_end = previous.start + previous.bases.size() - 1;
        if (start <= previous_end + 1) {
          if (end > previous_end) previous.bases += bases.substr(previous_end + 1 - start);
          continue;
        }
      }
      sequence.windows.push_back({start, std::move(bases)});
    }
    sequences_.push_back(std::move(sequence));
  }
  for (PreparedTranscript& transcript : transcripts_) {
    transcript.sequence = static_cast<std::size_t>(
        std::lower_bound(sequences_.begin(), sequences_.end(), transcript.contig_key,
                         [](const ContigSequence& s, const std::string& key) { return s.key < key; }) -
        sequences_.begin());
  }

  std::sort(transcripts_.begin(), transcripts_.end(), [](const PreparedTranscript& a, const PreparedTranscript& b) {
    return std::tie(a.contig_key, a.window_start, a.transcript_id) <
           std::tie(b.contig_key, b.window_start, b.transcript_id);
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
    if (it->window_end >= allele->first()) out.push_back(annotate_transcript(*it, sequences_[it->sequence], *allele));
  }
  std::sort(out.begin(), out.end(), [](const Annotation& a, const Annotation& b) {
    return std::tie(a.gene, a.transcript_id) < std::tie(b.gene, b.transcript_id);
  });
  return out;
}

std::vector<Annotation> most_severe_per_gene(const std::vector<Annotation>& annotations) {
  std::vector<Annotation> out;
  const auto same_gene = [](const Annotation& a, const Annotation& b) {
    return a.gene_id == b.gene_id && a.gene == b.gene;
  };
  const auto better = [](const Annotation& a, const Annotation& b) {
    const std::size_t rank_a = severity_rank(a);
    const std::size_t rank_b = severity_rank(b);
    if (rank_a != rank_b) return rank_a < rank_b;
    if (a.canonical != b.canonical) return a.canonical;
    return a.transcript_id < b.transcript_id;
  };
  for (const Annotation& annotation : annotations) {
    const auto found = std::find_if(out.begin(), out.end(),
                                    [&](const Annotation& kept) { return same_gene(kept, annotation); });
    if (found == out.end()) {
      out.push_back(annotation);
    } else if (better(annotation, *found)) {
      *found = annotation;
    }
  }
  std::sort(out.begin(), out.end(), [](const Annotation& a, const Annotation& b) {
    return std::tie(a.gene, a.gene_id) < std::tie(b.gene, b.gene_id);
  });
  return out;
}

}  // namespace rarematch::reference
