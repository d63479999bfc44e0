#include "pipeline/reference_context.h"

#include <algorithm>

#include <oneapi/tbb/enumerable_thread_specific.h>

#include "reference/bundle.h"
#include "reference/gene_model.h"
#include "reference/genome.h"
#include "reference/normalize.h"

namespace rarematch::pipeline {

struct ReferenceContext::Impl {
  std::optional<reference::ReferenceBundle> bundle;
  std::optional<reference::Genome> genome;  // the serial handle (FASTA input)
  std::string fasta_path;
  /// One faidx handle per worker thread, opened on first use.
  mutable oneapi::tbb::enumerable_thread_specific<std::optional<reference::Genome>> thread_genomes;
  std::optional<reference::Annotator> annotator;

  const reference::SequenceSource& serial_sequence() const {
    if (bundle) return bundle->sequence();
    return *genome;
  }

  const reference::SequenceSource& thread_sequence() const {
    if (bundle) return bundle->sequence();
    auto& local = thread_genomes.local();
    if (!local) local.emplace(reference::Genome::open(fasta_path));
    return *local;
  }
};

reference::AnnotatorOptions annotator_options(const AnnotationSettings& annotation) {
  reference::AnnotatorOptions options;
  switch (annotation.transcripts) {
    case TranscriptChoice::kCanonical: options.transcripts = reference::TranscriptSet::kCanonical; break;
    case TranscriptChoice::kAll: options.transcripts = reference::TranscriptSet::kAll; break;
    case TranscriptChoice::kListed:
      options.transcripts = reference::TranscriptSet::kListed;
      options.transcript_ids = annotation.transcript_ids;
      break;
  }
  return options;
}

ReferenceContext::ReferenceContext(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ReferenceContext::~ReferenceContext() = default;

std::unique_ptr<ReferenceContext> ReferenceContext::load(const ReferenceSettings& settings,
                                                         const AnnotationSettings& annotation, const Log& log) {
  auto impl = std::make_unique<Impl>();
  if (!settings.bundle.empty()) {
    log.info("loading reference bundle " + settings.bundle);
    impl->bundle.emplace(reference::ReferenceBundle::load(settings.bundle));
    impl->annotator.emplace(impl->bundle->gene_model(), impl->bundle->sequence(), annotator_options(annotation));
  } else if (!settings.gff3.empty() && !settings.fasta.empty()) {
    log.info("loading reference " + settings.gff3 + " + " + settings.fasta);
    const auto model = reference::GeneModel::load(settings.gff3);
    impl->genome.emplace(reference::Genome::open(settings.fasta));
    impl->fasta_path = settings.fasta;
    impl->annotator.emplace(model, *impl->genome, annotator_options(annotation));
  } else {
    return nullptr;
  }
  return std::unique_ptr<ReferenceContext>(new ReferenceContext(std::move(impl)));
}

const reference::SequenceSource& ReferenceContext::sequence() const { return impl_->serial_sequence(); }

AlleleOutcome ReferenceContext::annotate(const std::string& contig, std::uint64_t position, const std::string& ref,
                                         const std::string& alt) const {
  AlleleOutcome outcome;
  const std::uint64_t last = position + std::max<std::uint64_t>(ref.size(), 1) - 1;
  if (impl_->bundle && !impl_->bundle->sequence().covers(contig, position, last)) {
    outcome.skip_reason = "outside_gene_model";  // the bundle stores every base within reach of a transcript
    return outcome;
  }
  const auto normal = reference::normalize_allele(contig, position, ref, alt, impl_->thread_sequence());
  switch (normal.status) {
    case reference::NormalizeStatus::kNormalized: break;
    case reference::NormalizeStatus::kRefMismatch:
      outcome.skip_reason = "ref_mismatch";
      outcome.detail = normal.detail;
      return outcome;
    case reference::NormalizeStatus::kReferenceN: outcome.skip_reason = "reference_n"; return outcome;
    case reference::NormalizeStatus::kNotNormalizable: outcome.skip_reason = "not_normalizable"; return outcome;
    case reference::NormalizeStatus::kContigUnknown: outcome.skip_reason = "contig_not_in_reference"; return outcome;
  }
  outcome.position = normal.position;
  outcome.ref = normal.ref;
  outcome.alt = normal.alt;
  outcome.annotations =
      reference::most_severe_per_gene(impl_->annotator->annotate(contig, normal.position, normal.ref, normal.alt));
  if (outcome.annotations.empty()) outcome.skip_reason = "outside_gene_model";
  return outcome;
}

}  // namespace rarematch::pipeline
