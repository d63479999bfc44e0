#pragma once
// Assembling per-patient profiles from the samples read, their annotated calls and the clinical data.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/clinical.h"
#include "reference/oncotree.h"
#include "rarematch/v1/profile.pb.h"

namespace rarematch::pipeline {

/// One sample to profile and where its data came from.
struct SampleSource {
  std::string patient;
  std::string sample;
  std::string vcf;           ///< variant file
  std::string vcf_column;    ///< tumour column used
  std::string normal_column; ///< matched normal column, when known
  std::string assay;         ///< "WES"/"WGS" declare genome-wide coverage; anything else is calls-only
  std::string origin_file;   ///< where the sample was declared: the samplesheet, or the VCF for --vcf input
  std::optional<std::uint64_t> origin_line;  ///< samplesheet line (1-based); none for --vcf input

  /// "file:line" of the declaration, for messages.
  std::string origin() const {
    return origin_line ? origin_file + ":" + std::to_string(*origin_line) : origin_file;
  }
};

/// Builds one profile per patient (sorted by patient id; samples and calls sorted as profile.proto says).
/// Coverage: small variants DECLARED genome-wide for WES/WGS samples, else CALLS_ONLY; copy number and
/// structural variants NOT_TESTED (no source of those kinds yet). Clinical facts come from `clinical` by
/// PATIENT_ID, sample facts (ONCOTREE_CODE, TMB, MSI/MMR) by SAMPLE_ID; OncoTree codes are resolved to current
/// codes with `oncotree` (nullptr: kept as given).
/// Throws rarematch::Error (kBadInput) naming the clinical file and line for an OncoTree code the tree does not
/// know, or for samples of one patient with different codes.
std::vector<rarematch::v1::PatientProfile> build_profiles(const std::vector<SampleSource>& samples,
                                                          std::vector<rarematch::v1::SmallVariant> variants,
                                                          const ClinicalData& clinical,
                                                          const reference::OncoTree* oncotree);

}  // namespace rarematch::pipeline
