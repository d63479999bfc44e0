#pragma once
// The annotate stage: variant files -> annotated calls -> per-patient profiles.
//
// Each VCF/BCF is streamed through a oneTBB parallel_pipeline with a token limit (2 x threads):
//   serial_in_order  read a batch of records and decode the selected sample columns into calls
//                    (everything touching the HTSlib header stays here: HTSlib adds undeclared contigs and tags
//                    to the header while reading, so the header is not safe to read from other threads);
//                    (pre-annotated input: the VEP/SnpEff/BCSQ entries of each call's allele are read here too);
//   parallel         normalise each carried allele (REF check, left-alignment, as bcftools norm; one faidx handle
//                    per thread) and annotate it on the selected transcripts (the Annotator is immutable), keeping
//                    the most severe consequence per gene;
//   serial_in_order  fold the annotated calls into the file's result, in file order.
//                    With an output folder, that stage also writes each record, unchanged but for an added INFO/RMCSQ
//                    (one entry per carried ALT allele and gene), to DIR/annotated.<i>.vcf.gz under a temporary name.
// Files are processed one after another in samplesheet order, so output never depends on the thread count.
// Memory is bounded by the tokens in flight plus the kept calls (a profile holds only annotated calls).
// Nothing is dropped silently: summary.json counts, by reason, records on contigs the reference lacks
// (--skip-unknown-contigs), and ALT alleles skipped as symbolic, for a REF mismatch (--skip-ref-mismatch), a
// reference N, an allele that cannot be normalised, no annotation for the allele, or no gene within reach. An allele
// carried by several samples is normalised and annotated once, then given to each of them.

#include <vector>

#include "pipeline/atomic_file.h"
#include "pipeline/log.h"
#include "pipeline/run_report.h"
#include "pipeline/settings.h"
#include "rarematch/v1/profile.pb.h"

namespace rarematch::pipeline {

/// The header line declaring the INFO field of the annotated VCFs: one entry per (carried ALT allele, gene), the
/// allele as normalised, consequences '&'-joined, impact HIGH/MODERATE/LOW/MODIFIER, exon and intron numbers
/// (empty when none); characters VCF does not allow in an INFO value are percent-encoded.
inline constexpr const char* kRmcsqHeaderLine =
    "##INFO=<ID=RMCSQ,Number=.,Type=String,Description=\"rarematch annotation. Format: "
    "Allele|Gene|Transcript|Consequence|Impact|HGVSc|HGVSp|Exon|Intron\">";

/// Profiles of a cohort and how they were made.
struct CohortProfiles {
  std::vector<rarematch::v1::PatientProfile> profiles;  ///< sorted by patient id
  AnnotateReport report;
  /// The annotated VCFs (annotated.<i>.vcf.gz, i = 1.. in input order), written under temporary names in
  /// settings.output_dir. The caller commits them once the whole run has succeeded; dropping them uncommitted
  /// removes them, and the output folder when this run created it. Empty without an output_dir.
  PendingOutputs outputs;
};

/// Reads the inputs of `settings`, annotates and builds the profiles; with `settings.output_dir`, also writes the
/// annotated VCFs (see CohortProfiles::outputs), with the header line
/// kRmcsqHeaderLine added to the input's header.
/// Throws rarematch::Error: kUsage when no input or no reference is given; kBadInput for any bad input (naming
/// file and line or record). With keep_going, a failing VCF's samples are left out and listed in the report.
CohortProfiles annotate_cohort(const AnnotateSettings& settings, const Log& log);

}  // namespace rarematch::pipeline
