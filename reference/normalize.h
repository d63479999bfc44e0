#pragma once
// Normalisation of one biallelic VCF allele against the reference genome, as `bcftools norm -f` (1.16) does it:
// check REF against the reference, trim the bases shared at the right end (left-aligning indels through repeats),
// then trim the bases shared at the left end, keeping one anchor base for indels. MNVs and complex alleles are
// trimmed, never split. The algorithm, and where and why it differs from bcftools, are stated in normalize.cc.
//
// Multi-allelic records are split before this step (the VCF reader hands over one ALT at a time).

#include <cstdint>
#include <string>
#include <string_view>

#include "reference/sequence_source.h"

namespace rarematch::reference {

/// What normalisation made of an allele. Every status other than kNormalized leaves the allele as given.
enum class NormalizeStatus {
  /// The allele is normalised (possibly unchanged): NormalizedAllele holds it.
  kNormalized,
  /// REF disagrees with the reference: a REF base differs from an A/C/G/T reference base (an IUPAC code or N in
  /// REF counts as different), or REF runs past the end of the contig. `expected_ref` holds the reference bases.
  kRefMismatch,
  /// REF agrees with the reference wherever the reference has A/C/G/T, but the reference has N (or another
  /// non-ACGT code) at one or more bases within REF, so REF cannot be checked. Its own skip reason.
  kReferenceN,
  /// Not a sequence allele this step can place: symbolic (`<DEL>`, `<CN0>`, `<*>`), breakend (`A[chr2:5[`, `A.`),
  /// spanning deletion `*`, missing ALT `.`, an ALT with characters other than A/C/G/T/N, REF not made of letters,
  /// REF equal to ALT, or POS 0. Counted as skipped by the caller, never an error.
  kNotNormalizable,
  /// The contig is not in the reference (after alias resolution, "7" = "chr7").
  kContigUnknown,
};

/// A stable lower-case name of `status` for counts and messages: "normalized", "ref_mismatch", "reference_n",
/// "not_normalizable", "contig_unknown".
std::string_view to_string(NormalizeStatus status);

/// The result of normalising one allele.
struct NormalizedAllele {
  /// What became of the allele; the fields below say which of them it fills.
  NormalizeStatus status = NormalizeStatus::kNotNormalizable;
  /// 1-based POS in VCF convention: for kNormalized the normalised position (the anchor base of an indel, which
  /// is the base before the event, or the base after it when the event starts at position 1); otherwise the input.
  std::uint64_t position = 0;
  /// For kNormalized the normalised REF and ALT, upper case (an anchor base the reference has as N or another
  /// IUPAC code is written N, as bcftools does); otherwise REF and ALT exactly as given.
  std::string ref;
  std::string alt;
  /// True when position, REF or ALT differ from the input other than by letter case (kNormalized only).
  bool changed = false;
  /// kRefMismatch and kReferenceN: the reference bases over the span of the input REF, upper case, as the
  /// sequence source gives them (shorter than REF when REF runs past the contig end); empty otherwise.
  std::string expected_ref;
  /// Every status but kNormalized: why, in words, naming the contig and position, e.g.
  /// "REF 'AC' disagrees with the reference 'AT' at chr7:55174771-55174772". Empty for kNormalized.
  std::string detail;
};

/// Normalises the biallelic allele (`contig`, `position`, `ref`, `alt`) as a VCF record writes it (1-based POS;
/// REF and ALT in any letter case; indels with their anchor base) against `sequence`, as `bcftools norm -f` does
/// (see the file comment and normalize.cc).
/// Checks, in order: contig known (kContigUnknown); the allele text (kNotNormalizable); REF against the reference
/// (kRefMismatch, then kReferenceN); then trims and left-aligns (kNormalized). Reference bases are fetched in
/// windows that grow as an indel moves left through a repeat, never the whole contig.
/// Keeps no state between calls: safe to call from many threads as long as each thread uses a `sequence` it may
/// use (a Genome is not thread-safe: one per thread). Throws rarematch::Error only when `sequence` fails to return
/// bases of a range inside the contig (a truncated or unreadable FASTA).
NormalizedAllele normalize_allele(std::string_view contig, std::uint64_t position, std::string_view ref,
                                  std::string_view alt, const SequenceSource& sequence);

}  // namespace rarematch::reference
