#pragma once
// Test-only: a seeded generator of small variants around the transcripts of a gene model, for comparing our
// annotator with bcftools csq on real sequence (../shared/data/mini-grch38).
//
// Algorithm. For every transcript of every gene (all transcripts, not only canonical ones), in gene-model order,
// draw `per_transcript` variants; each draw picks a category by weight (coding SNV, coding MNV, coding deletion,
// coding insertion or duplication, coding delins, splice-site neighbourhood, start/stop codon, other exonic base,
// deep intron; non-coding transcripts use only the non-coding categories), then a site in the transcript's
// features of that category, then the alleles. REF comes from the sequence source; a draw whose REF or anchor
// holds N, or that repeats an earlier variant, is drawn again (up to a bound). Indels carry the VCF anchor base
// (the base before). The random source is SplitMix64 with fixed arithmetic, so a seed gives the same variants on
// every platform and standard library. The result is sorted by contig (first-seen order of the model), position,
// REF, ALT.

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "reference/gene_model.h"
#include "reference/sequence_source.h"

namespace rarematch::testing {

/// What a generated variant is, after trimming shared bases.
enum class VariantKind { kSnv, kMnv, kInsertion, kDeletion, kDelins };

/// One generated allele, as a VCF record writes it.
struct GeneratedVariant {
  std::string contig;          ///< as the gene model names it
  std::uint64_t position = 0;  ///< 1-based POS (the anchor base of an indel)
  std::string ref;
  std::string alt;
  VariantKind kind = VariantKind::kSnv;
  std::string category;        ///< the draw's category, e.g. "coding-deletion", "splice"
  std::string transcript_id;   ///< the transcript it was drawn for
  bool near_splice_site = false;  ///< changed bases within 10 bp of an exon-intron junction of that transcript
};

/// Settings of a run.
struct GeneratorOptions {
  std::uint64_t seed = 1;
  std::size_t per_transcript = 14;  ///< draws per transcript
};

/// The variants and their tallies.
struct GeneratedSet {
  std::vector<GeneratedVariant> variants;             ///< sorted, unique
  std::map<std::string, std::size_t> per_transcript;  ///< transcript id -> variants drawn for it

  std::size_t count(VariantKind kind) const;
  std::size_t near_splice_sites() const;
};

/// Draws the variants (see the file comment). Throws std::runtime_error when a transcript has no site free of N
/// within the draw bound (its sequence is not in the source).
GeneratedSet generate_variants(const reference::GeneModel& model, const reference::SequenceSource& genome,
                               const GeneratorOptions& options);

/// A VCF 4.2 text of `variants` (sorted as given), with ##contig lines (lengths from `genome`) for the contigs
/// they use and INFO/CAT (the category) and INFO/TX (the transcript drawn for).
std::string to_vcf(const std::vector<GeneratedVariant>& variants, const reference::SequenceSource& genome);

}  // namespace rarematch::testing
