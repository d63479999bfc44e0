#include "pipeline/clinical.h"

#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "reference/error.h"
#include "tests/support/test_support.h"

namespace rarematch::pipeline {
namespace {

namespace fs = std::filesystem;
namespace v1 = rarematch::v1;
using ::rarematch::testing::expect_error;
using ::rarematch::testing::shared_data_dir;
using ::rarematch::testing::TempDir;

const char* const kMetadata =
    "#Patient Identifier\tAge\tSex\n"
    "#Patient identifier\tAge in years\tSex\n"
    "#STRING\tNUMBER\tSTRING\n"
    "#1\t1\t1\n";

class ClinicalTest : public ::testing::Test {
 protected:
  std::string write(const std::string& name, const std::string& content) { return dir_.write(name, content).string(); }
  /// Reads `content` (written as `name`) into `data`, expecting rarematch::Error naming the file.
  Error read_error(const std::string& name, const std::string& content, ClinicalData& data) {
    SCOPED_TRACE(name + ":\n" + content);
    const std::string path = write(name, content);
    const Error error = expect_error([&] { read_clinical_file(path, data); });
    EXPECT_EQ(error.kind(), ErrorKind::kBadInput);
    EXPECT_EQ(error.file(), path);
    EXPECT_FALSE(error.hint().empty()) << error.message();
    return error;
  }
  Error read_error(const std::string& content) {
    ClinicalData data;
    return read_error("bad.txt", content, data);
  }

  TempDir dir_{"rarematch-clinical"};
};

TEST_F(ClinicalTest, ReadsPatientFileWithMetadataLines) {
  const std::string path = write(
      "patients.txt",
      std::string(kMetadata) +
          "PATIENT_ID\tAGE\tSEX\tECOG\tPRIOR_THERAPIES\tPRIOR_LINES\tONCOTREE_CODE\tMSI_STATUS\tMMR_STATUS\tTMB\tOS\n"
          "P1\t61.5\tfemale\t1\t carboplatin ; ;paclitaxel;\t2\tluad\tMSI-High\tdMMR\t12.25\tx\n"
          "P2\tNA\tM\t[Not Available]\t\tNA\t\tMSS\tProficient (MMR-P / MSS)\t[Unknown]\t\n"
          "P3\t\tUnknown\t0\tNone\t0\tNA\tIndeterminate\tCannot assess\t0\t\n");
  ClinicalData data;
  read_clinical_file(path, data);
  ASSERT_EQ(data.patients.size(), 3u);
  EXPECT_TRUE(data.samples.empty());

  const PatientClinical& p1 = data.patients.at("P1");
  EXPECT_EQ(p1.file, path);
  EXPECT_EQ(p1.line, 6u);
  EXPECT_TRUE(p1.from_patient_file);
  EXPECT_DOUBLE_EQ(p1.facts.age_years(), 61.5);
  EXPECT_EQ(p1.facts.sex(), v1::SEX_FEMALE);
  EXPECT_EQ(p1.facts.ecog(), 1u);
  ASSERT_TRUE(p1.facts.has_prior_therapies());
  EXPECT_EQ(std::vector<std::string>(p1.facts.prior_therapies().agents().begin(),
                                     p1.facts.prior_therapies().agents().end()),
            (std::vector<std::string>{"carboplatin", "paclitaxel"}));
  EXPECT_EQ(p1.facts.prior_lines(), 2u);
  EXPECT_EQ(p1.facts.oncotree_code(), "LUAD");
  EXPECT_EQ(p1.biomarkers.msi_status(), v1::MSI_STATUS_MSI_HIGH);
  EXPECT_EQ(p1.biomarkers.mmr_status(), v1::MMR_STATUS_DEFICIENT);
  EXPECT_DOUBLE_EQ(p1.biomarkers.tmb_mut_per_mb(), 12.25);
  EXPECT_EQ(p1.biomarkers.tmb_source(), v1::VALUE_SOURCE_GIVEN);

  // Null values stay absent, never 0.
  const PatientClinical& p2 = data.patients.at("P2");
  EXPECT_FALSE(p2.facts.has_age_years());
  EXPECT_EQ(p2.facts.sex(), v1::SEX_MALE);
  EXPECT_FALSE(p2.facts.has_ecog());
  EXPECT_FALSE(p2.facts.has_prior_therapies());
  EXPECT_FALSE(p2.facts.has_prior_lines());
  EXPECT_FALSE(p2.facts.has_oncotree_code());
  EXPECT_EQ(p2.biomarkers.msi_status(), v1::MSI_STATUS_MSS);
  EXPECT_EQ(p2.biomarkers.mmr_status(), v1::MMR_STATUS_PROFICIENT);
  EXPECT_FALSE(p2.biomarkers.has_tmb_mut_per_mb());

  // Zeros are values; "None" is a known empty therapy list; inconclusive statuses stay unknown.
  const PatientClinical& p3 = data.patients.at("P3");
  EXPECT_FALSE(p3.facts.has_age_years());
  EXPECT_EQ(p3.facts.sex(), v1::SEX_UNSPECIFIED);
  ASSERT_TRUE(p3.facts.has_ecog());
  EXPECT_EQ(p3.facts.ecog(), 0u);
  ASSERT_TRUE(p3.facts.has_prior_therapies());
  EXPECT_TRUE(p3.facts.prior_therapies().agents().empty());
  ASSERT_TRUE(p3.facts.has_prior_lines());
  EXPECT_EQ(p3.facts.prior_lines(), 0u);
  EXPECT_EQ(p3.biomarkers.msi_status(), v1::MSI_STATUS_UNSPECIFIED);
  EXPECT_EQ(p3.biomarkers.mmr_status(), v1::MMR_STATUS_UNSPECIFIED);
  ASSERT_TRUE(p3.biomarkers.has_tmb_mut_per_mb());
  EXPECT_EQ(p3.biomarkers.tmb_mut_per_mb(), 0.0);
}

TEST_F(ClinicalTest, ReadsSampleFileWithoutMetadataLines) {
  const std::string path = write("samples.txt",
                                 "PATIENT_ID\tSAMPLE_ID\tONCOTREE_CODE\tTMB_NONSYNONYMOUS\tMSI_STATUS\tAGE\n"
                                 "P1\tS1\tcoad\t40.5\tMSIH\t70\n"
                                 "P1\tS2\tNA\tNA\tstable\t70\n"
                                 "P2\tS3\tBRCA\t1\tNA\tNA\n");
  ClinicalData data;
  read_clinical_file(path, data);
  ASSERT_EQ(data.samples.size(), 3u);
  const SampleClinical& s1 = data.samples.at("S1");
  EXPECT_EQ(s1.patient_id, "P1");
  EXPECT_EQ(s1.oncotree_code, "COAD");
  EXPECT_EQ(s1.tmb_mut_per_mb, 40.5);
  EXPECT_EQ(s1.msi_status, v1::MSI_STATUS_MSI_HIGH);
  EXPECT_EQ(s1.file, path);
  EXPECT_EQ(s1.line, 2u);
  const SampleClinical& s2 = data.samples.at("S2");
  EXPECT_FALSE(s2.oncotree_code.has_value());
  EXPECT_FALSE(s2.tmb_mut_per_mb.has_value());
  EXPECT_EQ(s2.msi_status, v1::MSI_STATUS_MSS);

  // AGE in a sample file is a fact of the patient; P2 gave none, so it has no entry.
  ASSERT_EQ(data.patients.size(), 1u);
  const PatientClinical& p1 = data.patients.at("P1");
  EXPECT_DOUBLE_EQ(p1.facts.age_years(), 70.0);
  EXPECT_FALSE(p1.from_patient_file);
  EXPECT_EQ(p1.line, 2u);
  EXPECT_FALSE(p1.biomarkers.has_tmb_mut_per_mb());
}

TEST_F(ClinicalTest, MergesPatientAndSampleFilesInEitherOrder) {
  const std::string samples = write("samples.txt", "PATIENT_ID\tSAMPLE_ID\tSEX\nP1\tS1\tF\n");
  const std::string patients = write("patients.txt", "PATIENT_ID\tAGE\tSEX\nP1\t50\tFemale\n");
  ClinicalData data;
  read_clinical_file(samples, data);
  read_clinical_file(patients, data);
  const PatientClinical& p1 = data.patients.at("P1");
  EXPECT_TRUE(p1.from_patient_file);
  EXPECT_EQ(p1.file, patients);
  EXPECT_EQ(p1.facts.sex(), v1::SEX_FEMALE);
  EXPECT_DOUBLE_EQ(p1.facts.age_years(), 50.0);
}

TEST_F(ClinicalTest, MapsStatusSpellings) {
  struct Case {
    const char* msi;
    v1::MsiStatus expected;
  };
  const std::vector<Case> msi_cases = {
      {"MSI-H", v1::MSI_STATUS_MSI_HIGH}, {"MSI-High", v1::MSI_STATUS_MSI_HIGH}, {"msih", v1::MSI_STATUS_MSI_HIGH},
      {"MSI_H", v1::MSI_STATUS_MSI_HIGH}, {"Instable", v1::MSI_STATUS_MSI_HIGH}, {"MSI-L", v1::MSI_STATUS_MSI_LOW},
      {"MSI-Low", v1::MSI_STATUS_MSI_LOW}, {"MSS", v1::MSI_STATUS_MSS}, {"Stable", v1::MSI_STATUS_MSS},
      {"Microsatellite Stable", v1::MSI_STATUS_MSS}, {"Indeterminate", v1::MSI_STATUS_UNSPECIFIED},
      {"Do not report", v1::MSI_STATUS_UNSPECIFIED}, {"[Not Available]", v1::MSI_STATUS_UNSPECIFIED}};
  std::string content = "PATIENT_ID\tMSI_STATUS\tMMR_STATUS\n";
  // MMR spellings, including the ones of MatchMiner's real patient data.
  const std::vector<std::pair<const char*, v1::MmrStatus>> mmr_cases = {
      {"Deficient (MMR-D / MSI-H)", v1::MMR_STATUS_DEFICIENT}, {"MMR-Deficient", v1::MMR_STATUS_DEFICIENT},
      {"dMMR", v1::MMR_STATUS_DEFICIENT}, {"Proficient (MMR-P / MSS)", v1::MMR_STATUS_PROFICIENT},
      {"pMMR", v1::MMR_STATUS_PROFICIENT}, {"MMR-P", v1::MMR_STATUS_PROFICIENT},
      {"Cannot assess", v1::MMR_STATUS_UNSPECIFIED}, {"Indeterminate (see note)", v1::MMR_STATUS_UNSPECIFIED}};
  const std::size_t rows = std::max(msi_cases.size(), mmr_cases.size());
  for (std::size_t i = 0; i < rows; ++i) {
    content += "P" + std::to_string(i) + "\t" + (i < msi_cases.size() ? msi_cases[i].msi : "NA") + "\t" +
               (i < mmr_cases.size() ? mmr_cases[i].first : "NA") + "\n";
  }
  ClinicalData data;
  read_clinical_file(write("statuses.txt", content), data);
  for (std::size_t i = 0; i < msi_cases.size(); ++i) {
    EXPECT_EQ(data.patients.at("P" + std::to_string(i)).biomarkers.msi_status(), msi_cases[i].expected)
        << msi_cases[i].msi;
  }
  for (std::size_t i = 0; i < mmr_cases.size(); ++i) {
    EXPECT_EQ(data.patients.at("P" + std::to_string(i)).biomarkers.mmr_status(), mmr_cases[i].second)
        << mmr_cases[i].first;
  }
}

TEST_F(ClinicalTest, RejectsUnknownMsiStatusNamingValue) {
  const Error error = read_error(std::string(kMetadata) + "PATIENT_ID\tMSI_STATUS\nP1\tMSI-H\nP2\tMSI\n");
  EXPECT_EQ(error.line(), 7u);
  EXPECT_EQ(error.what_failed(), "column MSI_STATUS");
  EXPECT_NE(error.why().find("'MSI'"), std::string::npos) << error.why();
}

TEST_F(ClinicalTest, RejectsUnknownMmrStatusAndSex) {
  EXPECT_EQ(read_error("PATIENT_ID\tMMR_STATUS\nP1\tpartial\n").what_failed(), "column MMR_STATUS");
  const Error sex = read_error("PATIENT_ID\tSEX\nP1\tX\n");
  EXPECT_EQ(sex.what_failed(), "column SEX");
  EXPECT_EQ(sex.line(), 2u);
  EXPECT_NE(sex.why().find("'X'"), std::string::npos);
}

TEST_F(ClinicalTest, RejectsAgeOutsideRangeNamingFileLineAndColumn) {
  const Error error = read_error(std::string(kMetadata) + "PATIENT_ID\tAGE\nP1\t40\nP2\t-3\n");
  EXPECT_EQ(error.line(), 7u);
  EXPECT_EQ(error.what_failed(), "column AGE");
  EXPECT_EQ(error.why(), "'-3' is outside 0..150 years");
  EXPECT_NE(error.message().find("bad.txt:7: column AGE: '-3' is outside 0..150 years"), std::string::npos)
      << error.message();
}

TEST_F(ClinicalTest, RejectsValuesOfWrongTypeOrRange) {
  EXPECT_NE(read_error("PATIENT_ID\tAGE\nP1\t61,5\n").why().find("not a number"), std::string::npos);
  EXPECT_NE(read_error("PATIENT_ID\tAGE\nP1\t>89\n").why().find("not a number"), std::string::npos);
  EXPECT_NE(read_error("PATIENT_ID\tECOG\nP1\t6\n").why().find("outside 0..5"), std::string::npos);
  EXPECT_NE(read_error("PATIENT_ID\tECOG\nP1\t1.5\n").why().find("not a whole number"), std::string::npos);
  EXPECT_EQ(read_error("PATIENT_ID\tPRIOR_LINES\nP1\t-1\n").what_failed(), "column PRIOR_LINES");
  EXPECT_EQ(read_error("PATIENT_ID\tTMB\nP1\t-0.5\n").what_failed(), "column TMB");
  EXPECT_EQ(read_error("PATIENT_ID\tTMB\nP1\tinf\n").what_failed(), "column TMB");
  EXPECT_EQ(read_error("PATIENT_ID\tPRIOR_THERAPIES\nP1\t ; ;\n").what_failed(), "column PRIOR_THERAPIES");
}

TEST_F(ClinicalTest, RejectsDuplicatedPatientWithinFileNamingBothLines) {
  const Error error = read_error(std::string(kMetadata) + "PATIENT_ID\tAGE\nP1\t40\nP2\t41\nP1\t40\n");
  EXPECT_EQ(error.line(), 8u);
  EXPECT_EQ(error.what_failed(), "column PATIENT_ID");
  EXPECT_NE(error.why().find("given twice, on lines 6 and 8"), std::string::npos) << error.why();
}

TEST_F(ClinicalTest, RejectsDuplicatedPatientAcrossFilesNamingTheOtherFile) {
  const std::string first = write("patients_a.txt", "PATIENT_ID\tAGE\nP0\t1\nP1\t40\n");
  ClinicalData data;
  read_clinical_file(first, data);
  const Error error = read_error("patients_b.txt", "PATIENT_ID\tAGE\nP1\t40\n", data);
  EXPECT_EQ(error.line(), 2u);
  EXPECT_NE(error.why().find(first + ":3"), std::string::npos) << error.why();
}

TEST_F(ClinicalTest, RejectsDuplicatedSampleWithinAndAcrossFiles) {
  const Error within = read_error("PATIENT_ID\tSAMPLE_ID\nP1\tS1\nP2\tS1\n");
  EXPECT_EQ(within.line(), 3u);
  EXPECT_EQ(within.what_failed(), "column SAMPLE_ID");
  EXPECT_NE(within.why().find("lines 2 and 3"), std::string::npos);

  const std::string first = write("samples_a.txt", "PATIENT_ID\tSAMPLE_ID\nP1\tS1\n");
  ClinicalData data;
  read_clinical_file(first, data);
  const Error across = read_error("samples_b.txt", "PATIENT_ID\tSAMPLE_ID\nP9\tS1\n", data);
  EXPECT_NE(across.why().find(first + ":2"), std::string::npos) << across.why();
}

TEST_F(ClinicalTest, RejectsContradictingPatientFactsAndKeepsDataUnchanged) {
  const std::string patients = write("patients.txt", "PATIENT_ID\tSEX\nP1\tMale\n");
  ClinicalData data;
  read_clinical_file(patients, data);
  const Error error =
      read_error("samples.txt", "PATIENT_ID\tSAMPLE_ID\tSEX\nP2\tS2\tF\nP1\tS1\tFemale\n", data);
  EXPECT_EQ(error.line(), 3u);
  EXPECT_EQ(error.what_failed(), "column SEX");
  EXPECT_NE(error.why().find("contradicts 'Male' given at " + patients + ":2"), std::string::npos) << error.why();
  // The bad file left nothing behind.
  EXPECT_EQ(data.patients.size(), 1u);
  EXPECT_TRUE(data.samples.empty());
}

TEST_F(ClinicalTest, RejectsFileWithoutPatientIdColumnOrWithEmptyId) {
  const Error no_column = read_error("SAMPLE_ID\tONCOTREE_CODE\nS1\tLUAD\n");
  EXPECT_EQ(no_column.line(), 1u);
  EXPECT_EQ(no_column.what_failed(), "column PATIENT_ID");

  const Error empty_id = read_error("PATIENT_ID\tAGE\nP1\t3\n[Not Available]\t4\n");
  EXPECT_EQ(empty_id.line(), 3u);
  EXPECT_EQ(empty_id.what_failed(), "column PATIENT_ID");

  const Error no_header = read_error("#a\n#b\n#c\n#d\n");
  EXPECT_EQ(no_header.what_failed(), "header row");
}

TEST_F(ClinicalTest, RejectsRowWithWrongFieldCount) {
  const Error error = read_error(std::string(kMetadata) + "PATIENT_ID\tAGE\tSEX\nP1\t40\n");
  EXPECT_EQ(error.line(), 6u);
  EXPECT_NE(error.why().find("has 2 fields"), std::string::npos) << error.why();
}

TEST(ClinicalRealDataTest, ReadsCbioportalStudyClinicalFiles) {
  const fs::path study = shared_data_dir() / "cbioportal-study_es_0";
  RAREMATCH_REQUIRE_SHARED_DATA(study / "data_clinical_patients.txt");
  ClinicalData data;
  read_clinical_file((study / "data_clinical_patients.txt").string(), data);
  read_clinical_file((study / "data_clinical_samples.txt").string(), data);
  // 846 and 850 lines, each with 4 metadata lines and a header row.
  EXPECT_EQ(data.patients.size(), 841u);
  EXPECT_EQ(data.samples.size(), 845u);

  // The study has none of the attributes rarematch reads besides the ids: every fact stays absent.
  const PatientClinical& patient = data.patients.at("TCGA-A1-A0SB");
  EXPECT_EQ(patient.line, 580u);
  EXPECT_TRUE(patient.from_patient_file);
  EXPECT_FALSE(patient.facts.has_age_years());
  EXPECT_EQ(patient.facts.sex(), v1::SEX_UNSPECIFIED);
  EXPECT_FALSE(patient.facts.has_oncotree_code());
  EXPECT_FALSE(patient.facts.has_prior_therapies());
  EXPECT_FALSE(patient.biomarkers.has_tmb_mut_per_mb());
  EXPECT_EQ(patient.biomarkers.msi_status(), v1::MSI_STATUS_UNSPECIFIED);

  // Two samples of that patient, on lines 580 and 581 of the sample file.
  EXPECT_EQ(data.samples.at("TCGA-A1-A0SB-01").patient_id, "TCGA-A1-A0SB");
  EXPECT_EQ(data.samples.at("TCGA-A1-A0SB-01").line, 580u);
  EXPECT_EQ(data.samples.at("TCGA-A1-A0SB-02").patient_id, "TCGA-A1-A0SB");
  EXPECT_EQ(data.samples.at("TCGA-A1-A0SB-02").line, 581u);
  EXPECT_EQ(data.samples.at("TEST_SAMPLE_SOMATIC_UNDEFINED").patient_id, "TEST_PATIENT_NAMESPACE");
  EXPECT_FALSE(data.samples.at("TCGA-A2-A04P-01").oncotree_code.has_value());
}

TEST(ClinicalRealDataTest, ReadsOncotreeClinicalSampleExample) {
  const fs::path file = shared_data_dir() / "oncotree" / "cbioportal_data_clinical_sample_example.txt";
  RAREMATCH_REQUIRE_SHARED_DATA(file);
  ClinicalData data;
  read_clinical_file(file.string(), data);
  ASSERT_EQ(data.samples.size(), 18u);
  EXPECT_EQ(data.samples.at("S1").oncotree_code, "ALL");
  EXPECT_EQ(data.samples.at("S7").oncotree_code, "SPCC");  // written "SpCC"
  EXPECT_FALSE(data.samples.at("S10").oncotree_code.has_value());  // empty
  EXPECT_FALSE(data.samples.at("S11").oncotree_code.has_value());  // NA
  EXPECT_EQ(data.samples.at("S11").patient_id, "P11");
  EXPECT_EQ(data.samples.at("S11").line, 12u);
  // AGE_AT_SEQ_REPORT ("<18" for P3) is not an attribute rarematch reads.
  EXPECT_TRUE(data.patients.empty());
}

TEST(ClinicalRealDataTest, RejectsOncokbClinicalFileWithoutPatientId) {
  const fs::path file = shared_data_dir() / "oncokb-annotator-examples" / "example_clinical.txt";
  RAREMATCH_REQUIRE_SHARED_DATA(file);
  ClinicalData data;
  const Error error = expect_error([&] { read_clinical_file(file.string(), data); });
  EXPECT_EQ(error.file(), file.string());
  EXPECT_EQ(error.line(), 1u);
  EXPECT_EQ(error.what_failed(), "column PATIENT_ID");
}

}  // namespace
}  // namespace rarematch::pipeline
