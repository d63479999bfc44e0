// Normalisation of one biallelic allele, the way `bcftools norm -f` 1.16 does it (vcfnorm.c, realign()).
//
// Algorithm. Positions below are 0-based while the alleles are being trimmed, 1-based in the API.
//   1. The contig must resolve in the sequence source (kContigUnknown otherwise).
//   2. The allele text must be a sequence allele: POS > 0, REF made of letters, ALT made of A/C/G/T/N (any case),
//      not symbolic (`<...>`), not a breakend (`[`, `]`, a leading or trailing `.`), not `*` or `.`, and ALT != REF
//      (kNotNormalizable otherwise). bcftools checks REF first and only then the ALT kind; we look at the text
//      first, so a symbolic or breakend record goes to its own path whatever its REF base says.
//   3. REF is compared with the reference, ignoring letter case. A REF base that differs from an A/C/G/T reference
//      base is a mismatch, and so is a REF that runs past the contig end (kRefMismatch). IUPAC codes and N in REF
//      never match an A/C/G/T base: bcftools reports them as NON_ACGTN_REF or REF_MISMATCH and leaves the record,
//      and so do we. When nothing mismatches but the reference itself holds N (or an IUPAC code) within REF, REF
//      cannot be checked: kReferenceN. bcftools would call most of these a REF mismatch (REF A against reference
//      N), and normalise those whose REF has N exactly where the reference has N; we skip both with this reason.
//   4. Trim the right end: while the last bases of REF and ALT are equal, remove them, unless one allele would
//      become empty at the contig start (then stop: the event at position 1 keeps its anchor on the right, as VCF
//      writes it). When an allele becomes empty, prepend the same reference bases to both and move the start left
//      by as many; those bases are fetched in windows of 64, 128, ... up to 65,536 bases (bcftools fetches 100 at
//      a time; the result does not depend on the window, only on where the loop stops). This is what moves an
//      indel left through a repeat: each removed base re-enters on the left from the reference. Fetched bases other
//      than A/C/G/T become N, as bcftools writes them.
//   5. Trim the left end: while the first bases are equal and the shorter allele keeps more than one base, remove
//      them and move the start right. An indel keeps exactly one anchor base; an SNV or MNV loses every shared
//      base on both sides ("CAT">"CGT" becomes "A">"G" one base on), and so does a complex allele, which stays
//      one record ("GATTACA">"GACCCA" becomes "TTA">"CC"); MNVs are not split into SNVs (bcftools norm without -a).
// No state survives a call: every base comes from the caller's sequence source.

#include "reference/normalize.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>

namespace rarematch::reference {
namespace {

/// The first window of reference bases fetched to the left of an allele, and the largest one (windows double).
constexpr std::uint64_t kFirstWindow = 64;
constexpr std::uint64_t kLargestWindow = 65536;

char upper(char base) { return (base >= 'a' && base <= 'z') ? static_cast<char>(base - 'a' + 'A') : base; }

bool is_acgt(char base) { return base == 'A' || base == 'C' || base == 'G' || base == 'T'; }

bool is_letter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

std::string to_upper(std::string_view text) {
  std::string out(text);
  for (char& base : out) base = upper(base);
  return out;
}

/// The 1-based position of the last base of `size` (>= 1) bases from `position`, saturating instead of wrapping.
std::uint64_t last_base(std::uint64_t position, std::size_t size) {
  const std::uint64_t rest = size - 1;
  return position > std::numeric_limits<std::uint64_t>::max() - rest ? std::numeric_limits<std::uint64_t>::max()
                                                                      : position + rest;
}

/// "chr7:5" or "chr7:5-9": a closed 1-based range for messages.
std::string locus(std::string_view contig, std::uint64_t start, std::uint64_t end) {
  std::string out = std::string(contig) + ":" + std::to_string(start);
  if (end > start) out += "-" + std::to_string(end);
  return out;
}

NormalizedAllele unchanged(NormalizeStatus status, std::uint64_t position, std::string_view ref, std::string_view alt,
                           std::string detail, std::string expected_ref = {}) {
  NormalizedAllele out;
  out.status = status;
  out.position = position;
  out.ref = std::string(ref);
  out.alt = std::string(alt);
  out.expected_ref = std::move(expected_ref);
  out.detail = std::move(detail);
  return out;
}

/// Why the allele text is not a sequence allele this step can place, or empty when it is one.
std::string text_problem(std::uint64_t position, std::string_view ref, std::string_view alt) {
  if (position == 0) return "POS 0 is not a base of the contig";
  if (ref.empty()) return "REF is empty";
  if (!std::all_of(ref.begin(), ref.end(), is_letter)) return "REF '" + std::string(ref) + "' is not made of bases";
  if (alt.empty() || alt == ".") return "no ALT allele ('.')";
  if (alt == "*") return "ALT '*' is a spanning deletion (an allele of another record)";
  if (alt.front() == '<') return "ALT '" + std::string(alt) + "' is a symbolic allele";
  if (alt.find_first_of("[]") != std::string_view::npos ||
      (alt.size() > 1 && (alt.front() == '.' || alt.back() == '.'))) {
    return "ALT '" + std::string(alt) + "' is a breakend";
  }
  for (const char c : alt) {
    const char base = upper(c);
    if (!is_acgt(base) && base != 'N') {
      return "ALT '" + std::string(alt) + "' has a character other than A, C, G, T or N";
    }
  }
  if (to_upper(ref) == to_upper(alt)) return "ALT '" + std::string(alt) + "' equals REF";
  return {};
}

}  // namespace

std::string_view to_string(NormalizeStatus status) {
  switch (status) {
    case NormalizeStatus::kNormalized:
      return "normalized";
    case NormalizeStatus::kRefMismatch:
      return "ref_mismatch";
    case NormalizeStatus::kReferenceN:
      return "reference_n";
    case NormalizeStatus::kNotNormalizable:
      return "not_normalizable";
    case NormalizeStatus::kContigUnknown:
      return "contig_unknown";
  }
  return "unknown";
}

NormalizedAllele normalize_allele(std::string_view contig, std::uint64_t position, std::string_view ref,
                                  std::string_view alt, const SequenceSource& sequence) {
  // 1. Contig.
  const auto length = sequence.contig_length(contig);
  if (!length) {
    return unchanged(NormalizeStatus::kContigUnknown, position, ref, alt,
                     "contig '" + std::string(contig) + "' is not in the reference " + sequence.path());
  }

  // 2. Allele text.
  if (std::string problem = text_problem(position, ref, alt); !problem.empty()) {
    return unchanged(NormalizeStatus::kNotNormalizable, position, ref, alt,
                     std::move(problem) + " at " + locus(contig, position, position));
  }

  // 3. REF against the reference.
  const std::uint64_t ref_end = last_base(position, ref.size());
  if (position > *length || ref.size() > *length - position + 1) {
    std::string available = position <= *length ? sequence.fetch(contig, position, *length) : std::string();
    std::string detail = "REF '" + std::string(ref) + "' at " + locus(contig, position, ref_end) +
                         " runs past the end of the contig (length " + std::to_string(*length) + ")";
    return unchanged(NormalizeStatus::kRefMismatch, position, ref, alt, std::move(detail), to_upper(available));
  }
  std::string expected = to_upper(sequence.fetch(contig, position, ref_end));
  std::string normal_ref = to_upper(ref);
  bool mismatch = false;
  bool reference_n = false;
  for (std::size_t i = 0; i < normal_ref.size(); ++i) {
    if (!is_acgt(expected[i])) {
      reference_n = true;
    } else if (normal_ref[i] != expected[i]) {
      mismatch = true;
    }
  }
  if (mismatch) {
    std::string detail = "REF '" + std::string(ref) + "' disagrees with the reference '" + expected + "' at " +
                         locus(contig, position, ref_end);
    return unchanged(NormalizeStatus::kRefMismatch, position, ref, alt, std::move(detail), std::move(expected));
  }
  if (reference_n) {
    std::string detail = "the reference has N (or another non-ACGT code) within REF: '" + expected + "' at " +
                         locus(contig, position, ref_end);
    return unchanged(NormalizeStatus::kReferenceN, position, ref, alt, std::move(detail), std::move(expected));
  }

  // 4. Trim the right end, refilling from the left with reference bases.
  std::string normal_alt = to_upper(alt);
  std::uint64_t start = position - 1;  // 0-based position of the first base of both alleles
  std::uint64_t window = kFirstWindow;
  while (normal_ref.back() == normal_alt.back()) {
    if (std::min(normal_ref.size(), normal_alt.size()) <= 1 && start == 0) break;
    normal_ref.pop_back();
    normal_alt.pop_back();
    if (!normal_ref.empty() && !normal_alt.empty()) continue;
    const std::uint64_t take = std::min(window, start);
    // 0-based [start - take, start - 1] is 1-based [start - take + 1, start].
    std::string left = sequence.fetch(contig, start - take + 1, start);
    for (char& base : left) {
      base = upper(base);
      if (!is_acgt(base)) base = 'N';
    }
    normal_ref.insert(0, left);
    normal_alt.insert(0, left);
    start -= take;
    window = std::min(window * 2, kLargestWindow);
  }

  // 5. Trim the left end, keeping at least one base in the shorter allele.
  std::size_t shared = 0;
  while (std::min(normal_ref.size(), normal_alt.size()) - shared > 1 && normal_ref[shared] == normal_alt[shared]) {
    ++shared;
  }
  normal_ref.erase(0, shared);
  normal_alt.erase(0, shared);

  NormalizedAllele out;
  out.status = NormalizeStatus::kNormalized;
  out.position = start + shared + 1;
  out.changed = out.position != position || normal_ref != to_upper(ref) || normal_alt != to_upper(alt);
  out.ref = std::move(normal_ref);
  out.alt = std::move(normal_alt);
  return out;
}

}  // namespace rarematch::reference
