#pragma once
// The reference a run annotates against, and how one call's allele becomes annotations.
//
// The reference is a GFF3/GTF + FASTA, a reference bundle, or nothing (pre-annotated input). Normalisation
// (REF check, left-alignment, as bcftools norm) reads bases: a FASTA through one faidx handle per thread (HTSlib
// handles are not thread-safe), a bundle directly (immutable). The Annotator is shared by all threads.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/log.h"
#include "pipeline/settings.h"
#include "reference/annotator.h"
#include "reference/sequence_source.h"

namespace rarematch::pipeline {

/// What became of one allele: either annotations (possibly none: outside the gene model) or a skip reason.
struct AlleleOutcome {
  std::string skip_reason;  ///< empty when annotated; else a summary.json key ("ref_mismatch", "reference_n", ...)
  std::string detail;       ///< for a REF mismatch: what the reference has, naming contig:pos
  std::uint64_t position = 0;  ///< normalised 1-based position (VCF convention)
  std::string ref;             ///< normalised REF
  std::string alt;             ///< normalised ALT
  std::vector<reference::Annotation> annotations;  ///< the most severe per gene
};

/// The loaded reference; thread-safe after construction.
class ReferenceContext {
 public:
  /// Loads what `settings` names: the bundle, or the gene model and FASTA. Returns nullptr when neither is given
  /// (pre-annotated input only). Throws rarematch::Error for unreadable or malformed reference files.
  static std::unique_ptr<ReferenceContext> load(const ReferenceSettings& settings,
                                                const AnnotationSettings& annotation, const Log& log);

  ~ReferenceContext();

  /// The reference's sequence for serial checks (contig names and lengths); not for concurrent fetches.
  const reference::SequenceSource& sequence() const;

  /// Normalises REF>ALT at `position` of `contig` and annotates it on the selected transcripts, keeping the most
  /// severe annotation per gene. Call from any thread.
  AlleleOutcome annotate(const std::string& contig, std::uint64_t position, const std::string& ref,
                         const std::string& alt) const;

 private:
  struct Impl;
  explicit ReferenceContext(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// The annotator options `annotation` asks for.
reference::AnnotatorOptions annotator_options(const AnnotationSettings& annotation);

}  // namespace rarematch::pipeline
