#include "pipeline/profile_builder.h"

#include <gtest/gtest.h>

#include "reference/error.h"
#include "tests/support/test_support.h"

namespace rarematch::pipeline {
namespace {

namespace v1 = rarematch::v1;

SampleSource source(const std::string& patient, const std::string& sample, const std::string& assay) {
  return SampleSource{patient, sample, "x.vcf", sample, "", assay, "sheet.csv", 2};
}

v1::SmallVariant variant(const std::string& sample, const std::string& contig, std::uint64_t position) {
  v1::SmallVariant out;
  out.set_sample_id(sample);
  out.set_contig(contig);
  out.set_position(position);
  out.set_gene("EGFR");
  return out;
}

TEST(ProfileBuilderTest, GroupsSamplesAndCallsByPatientInOrder) {
  const std::vector<SampleSource> samples = {source("P2", "P2-T", "WES"), source("P1", "P1-M", ""),
                                             source("P1", "P1-T", "WGS")};
  const auto profiles = build_profiles(
      samples, {variant("P1-T", "chr7", 20), variant("P2-T", "chr1", 5), variant("P1-M", "chr7", 10)}, {}, nullptr);
  ASSERT_EQ(profiles.size(), 2u);
  EXPECT_EQ(profiles[0].patient_id(), "P1");
  ASSERT_EQ(profiles[0].samples_size(), 2);
  EXPECT_EQ(profiles[0].samples(0).sample_id(), "P1-M");
  EXPECT_EQ(profiles[0].samples(0).small_variants().state(), v1::COVERAGE_STATE_CALLS_ONLY);
  EXPECT_EQ(profiles[0].samples(1).small_variants().state(), v1::COVERAGE_STATE_DECLARED);
  EXPECT_TRUE(profiles[0].samples(1).small_variants().genome_wide());
  EXPECT_EQ(profiles[0].samples(1).copy_number().state(), v1::COVERAGE_STATE_NOT_TESTED);
  ASSERT_EQ(profiles[0].small_variants_size(), 2);
  EXPECT_EQ(profiles[0].small_variants(0).sample_id(), "P1-M");
  EXPECT_EQ(profiles[1].small_variants_size(), 1);
}

TEST(ProfileBuilderTest, TakesClinicalFactsByPatientAndSample) {
  ClinicalData clinical;
  clinical.patients["P1"].facts.set_age_years(51);
  clinical.samples["P1-T"] = SampleClinical{"P1", std::string("LUAD"), 12.5, v1::MSI_STATUS_MSS,
                                            v1::MMR_STATUS_UNSPECIFIED, "samples.txt", 6};
  const auto tree =
      reference::OncoTree::load_json((testing::source_dir() / "tests/data/oncotree-mini.json").string());
  const auto profiles = build_profiles({source("P1", "P1-T", "WES")}, {}, clinical, &tree);
  ASSERT_EQ(profiles.size(), 1u);
  EXPECT_EQ(profiles[0].clinical().age_years(), 51);
  EXPECT_EQ(profiles[0].clinical().oncotree_code(), "LUAD");
  EXPECT_EQ(profiles[0].biomarkers().tmb_mut_per_mb(), 12.5);
  EXPECT_EQ(profiles[0].biomarkers().msi_status(), v1::MSI_STATUS_MSS);
  EXPECT_FALSE(profiles[0].clinical().has_ecog());
}

TEST(ProfileBuilderTest, UnknownOncoTreeCodeNamesTheClinicalLine) {
  ClinicalData clinical;
  clinical.samples["P1-T"] = SampleClinical{"P1", std::string("NOPE"), std::nullopt, v1::MSI_STATUS_UNSPECIFIED,
                                            v1::MMR_STATUS_UNSPECIFIED, "samples.txt", 7};
  const auto tree =
      reference::OncoTree::load_json((testing::source_dir() / "tests/data/oncotree-mini.json").string());
  try {
    build_profiles({source("P1", "P1-T", "WES")}, {}, clinical, &tree);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.file(), "samples.txt");
    EXPECT_EQ(error.line(), 7u);
    EXPECT_NE(error.why().find("NOPE"), std::string::npos);
  }
}

}  // namespace
}  // namespace rarematch::pipeline
