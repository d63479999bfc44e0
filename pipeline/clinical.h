#pragma once
// cBioPortal clinical files (data_clinical_patient.txt / data_clinical_sample.txt): tab-separated, optionally
// preceded by the four '#' metadata lines, then a header row of attribute names. A file with a SAMPLE_ID column is
// a sample file, otherwise a patient file (PATIENT_ID required in both).
//
// Attributes read: PATIENT_ID, SAMPLE_ID, ONCOTREE_CODE, AGE, SEX, ECOG, PRIOR_THERAPIES (';'-separated),
// PRIOR_LINES, MSI_STATUS, MMR_STATUS, TMB (also TMB_NONSYNONYMOUS). Others are ignored. Empty, "NA", "N/A",
// "[Not Available]", "[Unknown]", "[Not Applicable]" and similar bracketed cBioPortal null values are absent:
// the fact stays unknown, never 0.
//
// Values (case-insensitive): SEX Male/Female/M/F (Unknown, U, Other, Not reported: unknown). MSI_STATUS MSI-H,
// MSI-High, MSIH, Instable / MSI-L, MSI-Low / MSS, Stable, Microsatellite stable; MMR_STATUS Deficient, dMMR,
// MMR-D, MMR-Deficient / Proficient, pMMR, MMR-P, Intact (text in parentheses is ignored: "Proficient (MMR-P /
// MSS)"); for both, Indeterminate, Cannot assess, Not evaluated, Unknown and similar stay unknown. AGE in years,
// decimals allowed. PRIOR_THERAPIES "None" means known to have had none. Patient-level attributes (AGE, SEX, ECOG,
// PRIOR_THERAPIES, PRIOR_LINES) in a sample file are facts of the sample's patient: they must agree across the
// patient's rows and files.

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "rarematch/v1/profile.pb.h"

namespace rarematch::pipeline {

/// Facts given per sample (sample file).
struct SampleClinical {
  std::string patient_id;                    ///< PATIENT_ID of the row
  std::optional<std::string> oncotree_code;  ///< upper case as given (resolution against OncoTree is later)
  std::optional<double> tmb_mut_per_mb;      ///< TMB (else TMB_NONSYNONYMOUS), mutations per megabase
  rarematch::v1::MsiStatus msi_status = rarematch::v1::MSI_STATUS_UNSPECIFIED;  ///< MSI_STATUS
  rarematch::v1::MmrStatus mmr_status = rarematch::v1::MMR_STATUS_UNSPECIFIED;  ///< MMR_STATUS
  std::string file;        ///< where it came from, for messages
  std::uint64_t line = 0;  ///< 1-based
};

/// Facts given per patient (patient file; ONCOTREE_CODE, TMB, MSI/MMR there are accepted too).
struct PatientClinical {
  rarematch::v1::ClinicalFacts facts;    ///< absent fields: not stated
  rarematch::v1::Biomarkers biomarkers;  ///< TMB (source GIVEN), MSI and MMR status when stated
  /// Where it came from, for messages: the patient-file row, or (without one) the first sample-file row that gave
  /// a patient-level fact.
  std::string file;
  std::uint64_t line = 0;  ///< 1-based
  bool from_patient_file = false;  ///< a patient file has a row for this patient
};

/// Clinical data of a cohort, merged from any number of patient and sample files.
struct ClinicalData {
  std::map<std::string, PatientClinical> patients;  ///< by PATIENT_ID
  std::map<std::string, SampleClinical> samples;    ///< by SAMPLE_ID
};

/// Reads one clinical file into `into`.
/// Throws rarematch::Error (kBadInput) naming file, line and attribute: no header row, no PATIENT_ID column,
/// wrong field count, a duplicated PATIENT_ID (patient file) or SAMPLE_ID (sample file), within the file or
/// across files, a value of the wrong type or impossible (AGE outside 0..150, ECOG outside 0..5, negative
/// PRIOR_LINES or TMB, unknown SEX, MSI_STATUS or MMR_STATUS spelling).
void read_clinical_file(const std::string& path, ClinicalData& into);

}  // namespace rarematch::pipeline
