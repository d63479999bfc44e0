#include "pipeline/profile_builder.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "reference/error.h"

namespace rarematch::pipeline {

namespace v1 = rarematch::v1;

namespace {

bool declares_genome_wide(const std::string& assay) { return assay == "WES" || assay == "WGS"; }

void set_coverage(v1::Sample& sample, const SampleSource& source) {
  auto* small = sample.mutable_small_variants();
  if (declares_genome_wide(source.assay)) {
    small->set_state(v1::COVERAGE_STATE_DECLARED);
    small->set_genome_wide(true);
    small->set_panel(source.assay);
  } else {
    small->set_state(v1::COVERAGE_STATE_CALLS_ONLY);
  }
  sample.mutable_copy_number()->set_state(v1::COVERAGE_STATE_NOT_TESTED);
  sample.mutable_structural_variants()->set_state(v1::COVERAGE_STATE_NOT_TESTED);
}

/// The current OncoTree code for `code` given at file:line; throws when the tree does not know it.
std::string resolve_code(const std::string& code, const reference::OncoTree* oncotree, const std::string& file,
                         std::uint64_t line) {
  if (oncotree == nullptr) return code;
  const auto current = oncotree->resolve(code);
  if (!current) {
    throw_bad_input(file, line, "column ONCOTREE_CODE", "'" + code + "' is not a code of the OncoTree given",
                    "use a current OncoTree code, NA when unknown, or pass the OncoTree version the file uses");
  }
  return *current;
}

/// Fills the patient's diagnosis and biomarkers from its samples' clinical rows (patient rows fill the rest).
void apply_sample_clinical(v1::PatientProfile& profile, const SampleClinical& row, const reference::OncoTree* oncotree,
                           std::string& code_origin) {
  auto* clinical = profile.mutable_clinical();
  if (row.oncotree_code) {
    const std::string code = resolve_code(*row.oncotree_code, oncotree, row.file, row.line);
    const std::string origin = row.file + ":" + std::to_string(row.line);
    if (clinical->has_oncotree_code() && clinical->oncotree_code() != code) {
      throw_bad_input(row.file, row.line, "column ONCOTREE_CODE",
                      "patient " + profile.patient_id() + " has code " + code + " here but " +
                          clinical->oncotree_code() + " at " + code_origin,
                      "give the patient's samples one diagnosis code");
    }
    clinical->set_oncotree_code(code);
    code_origin = origin;
  }
  auto* markers = profile.mutable_biomarkers();
  if (row.tmb_mut_per_mb) {
    markers->set_tmb_mut_per_mb(*row.tmb_mut_per_mb);
    markers->set_tmb_source(v1::VALUE_SOURCE_GIVEN);
  }
  if (row.msi_status != v1::MSI_STATUS_UNSPECIFIED) markers->set_msi_status(row.msi_status);
  if (row.mmr_status != v1::MMR_STATUS_UNSPECIFIED) markers->set_mmr_status(row.mmr_status);
}

void apply_patient_clinical(v1::PatientProfile& profile, const PatientClinical& row,
                            const reference::OncoTree* oncotree) {
  v1::ClinicalFacts facts = row.facts;
  if (facts.has_oncotree_code()) facts.set_oncotree_code(resolve_code(facts.oncotree_code(), oncotree, row.file, row.line));
  profile.mutable_clinical()->MergeFrom(facts);
  profile.mutable_biomarkers()->MergeFrom(row.biomarkers);
}

bool variant_order(const v1::SmallVariant& a, const v1::SmallVariant& b) {
  return std::forward_as_tuple(a.sample_id(), a.contig(), a.position(), a.ref(), a.alt(), a.gene()) <
         std::forward_as_tuple(b.sample_id(), b.contig(), b.position(), b.ref(), b.alt(), b.gene());
}

}  // namespace

std::vector<v1::PatientProfile> build_profiles(const std::vector<SampleSource>& samples,
                                               std::vector<v1::SmallVariant> variants, const ClinicalData& clinical,
                                               const reference::OncoTree* oncotree) {
  std::map<std::string, v1::PatientProfile> by_patient;
  std::map<std::string, std::string> patient_of_sample;
  for (const auto& source : samples) {
    auto& profile = by_patient[source.patient];
    profile.set_patient_id(source.patient);
    auto* sample = profile.add_samples();
    sample->set_sample_id(source.sample);
    sample->set_source_file(source.vcf);
    sample->set_vcf_column(source.vcf_column);
    sample->set_normal_column(source.normal_column);
    sample->set_assay(source.assay);
    set_coverage(*sample, source);
    patient_of_sample[source.sample] = source.patient;
  }
  std::sort(variants.begin(), variants.end(), variant_order);
  for (auto& variant : variants) {
    const auto owner = patient_of_sample.find(variant.sample_id());
    if (owner == patient_of_sample.end()) continue;  // callers pass only variants of listed samples
    *by_patient[owner->second].add_small_variants() = std::move(variant);
  }
  std::vector<v1::PatientProfile> profiles;
  profiles.reserve(by_patient.size());
  for (auto& [patient_id, profile] : by_patient) {
    if (const auto row = clinical.patients.find(patient_id); row != clinical.patients.end()) {
      apply_patient_clinical(profile, row->second, oncotree);
    }
    std::string code_origin;
    std::sort(profile.mutable_samples()->begin(), profile.mutable_samples()->end(),
              [](const v1::Sample& a, const v1::Sample& b) { return a.sample_id() < b.sample_id(); });
    for (const auto& sample : profile.samples()) {
      const auto row = clinical.samples.find(sample.sample_id());
      if (row == clinical.samples.end()) continue;
      if (row->second.patient_id != patient_id) {
        throw_bad_input(row->second.file, row->second.line, "column PATIENT_ID",
                        "sample " + sample.sample_id() + " belongs to patient " + row->second.patient_id +
                            " here but to " + patient_id + " in the variant inputs",
                        "make the clinical file and the samplesheet agree");
      }
      apply_sample_clinical(profile, row->second, oncotree, code_origin);
    }
    profiles.push_back(std::move(profile));
  }
  return profiles;
}

}  // namespace rarematch::pipeline
