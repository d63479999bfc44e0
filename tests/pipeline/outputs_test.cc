#include "pipeline/outputs.h"

#include <google/protobuf/text_format.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <fstream>

#include "reference/error.h"
#include "tests/support/test_support.h"

namespace rarematch::pipeline {
namespace {

namespace v1 = rarematch::v1;

v1::PatientMatches matches(const std::string& text) {
  v1::PatientMatches out;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &out)) << text;
  return out;
}

TEST(OutputsTest, CandidatesTsvHasTheDesignColumnsAndReadableItems) {
  const auto patient = matches(R"(
    patient_id: "P1"
    candidates {
      patient_id: "P1" trial_id: "T1" arm_id: "A" eligibility: ELIGIBILITY_POTENTIAL rank: 1
      evidence_samples: "P1-T" evidence_samples: "P1-M"
      rank_key { specificity: SPECIFICITY_EXACT }
      leaves { description: "EGFR p.L858R" value: TRUTH_VALUE_TRUE
               evidence { sample_id: "P1-T" alteration: "EGFR p.L858R" vaf: 0.254 } }
      leaves { description: "age >= 18" value: TRUTH_VALUE_UNKNOWN
               unknown_reason: UNKNOWN_REASON_CLINICAL_VALUE_MISSING missing_datum: "AGE" }
      leaves { description: "ECOG <= 1" value: TRUTH_VALUE_FALSE }
    })");
  const std::string tsv = format_candidates_tsv({patient});
  EXPECT_EQ(tsv,
            "patient_id\tsample_id\trank\ttrial_id\tarm_id\teligibility\tspecificity\tmatched\tunknown\n"
            "P1\tP1-T;P1-M\t1\tT1\tA\tpotential\texact\tEGFR p.L858R: EGFR p.L858R in P1-T (VAF 0.25)\t"
            "age >= 18: clinical value missing (AGE)\n");
}

TEST(OutputsTest, ItemsCannotBreakColumnsOrLists) {
  const auto patient = matches(R"(
    patient_id: "P\t1"
    candidates { patient_id: "P\t1" trial_id: "T1" arm_id: "A" eligibility: ELIGIBILITY_ELIGIBLE rank: 1
      leaves { description: "a;b\nc" value: TRUTH_VALUE_TRUE } })");
  const std::string tsv = format_candidates_tsv({patient});
  const std::string row = tsv.substr(tsv.find('\n') + 1);
  EXPECT_EQ(std::count(row.begin(), row.end(), '\t'), 8);
  EXPECT_EQ(std::count(row.begin(), row.end(), '\n'), 1);
  EXPECT_NE(row.find("a,b c"), std::string::npos) << row;
}

TEST(OutputsTest, ProfilesRoundTripAsADelimitedStream) {
  std::vector<v1::PatientProfile> profiles(3);
  profiles[0].set_patient_id("P1");
  profiles[1].set_patient_id("P2");
  profiles[1].mutable_clinical()->set_age_years(40);
  profiles[2].set_patient_id("P3");
  const auto dir = testing::make_temp_dir("outputs");
  const auto path = dir / "profiles.pb";
  std::ofstream(path, std::ios::binary) << serialize_profiles(profiles);
  const auto back = read_profiles(path.string());
  ASSERT_EQ(back.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(profiles[i], back[i]));
  }
  // Truncated stream: an error naming the file and the profile number.
  std::string bytes = serialize_profiles(profiles);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes.substr(0, bytes.size() - 2);
  try {
    read_profiles(path.string());
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.file(), path.string());
    EXPECT_EQ(error.what_failed(), "profile #3");
  }
  std::filesystem::remove_all(dir);
}

TEST(OutputsTest, SummaryRecordsSkippedRecordsByReason) {
  AnnotateReport annotate;
  annotate.records = 10;
  annotate.skipped["outside_gene_model"] = 4;
  annotate.failed_samples.push_back({"P1", "P1-T", "bad.vcf:3: broken"});
  MatchReport match;
  match.patients_with_eligible = 2;
  const std::string json = format_summary_json({"run", "rarematch run x", 2, 1.5}, &annotate, &match);
  EXPECT_NE(json.find("\"outside_gene_model\": 4"), std::string::npos) << json;
  EXPECT_NE(json.find("\"error\": \"bad.vcf:3: broken\""), std::string::npos);
  EXPECT_NE(json.find("\"patients_with_eligible\": 2"), std::string::npos);
  EXPECT_NE(json.find("\"command_line\": \"rarematch run x\""), std::string::npos);
}

TEST(OutputsTest, ResultFolderFilesArePrivateAndComplete) {
  const auto dir = testing::make_temp_dir("outputs") / "result";
  write_result_folder(dir, {{"a.txt", "alpha"}, {"b.txt", "beta"}});
  EXPECT_EQ(testing::read_file(dir / "a.txt"), "alpha");
  EXPECT_EQ(std::filesystem::status(dir / "b.txt").permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  EXPECT_EQ(std::filesystem::status(dir).permissions() & std::filesystem::perms::all, std::filesystem::perms::owner_all);
  std::filesystem::remove_all(dir.parent_path());
}

}  // namespace
}  // namespace rarematch::pipeline

namespace rarematch::pipeline {
namespace {

TEST(OutputsTest, AnnotatedCallsTsvHasOneRowPerKeptCall) {
  v1::PatientProfile profile;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(R"(
    patient_id: "P1"
    small_variants { sample_id: "P1-T" contig: "chr7" position: 55191822 ref: "T" alt: "G" gene: "EGFR"
      transcript_id: "ENST00000275493" consequences: "missense_variant" impact: IMPACT_MODERATE
      hgvs_c: "c.2573T>G" hgvs_p: "p.Leu858Arg" hgvs_p_short: "p.L858R" exon: 21 vaf: 0.25 depth: 100
      filter_pass: true source_record: "a.vcf:12" }
    small_variants { sample_id: "P1-T" contig: "chr7" position: 55000000 ref: "A" alt: "C" gene: "EGFR"
      consequences: "intron_variant" consequences: "splice_region_variant" intron: 3 filter_pass: false
      filters: "LowQual" filters: "weak" })",
                                                            &profile));
  const std::string tsv = format_annotated_calls_tsv({profile});
  const auto first_row = tsv.substr(tsv.find('\n') + 1);
  EXPECT_EQ(first_row.substr(0, first_row.find('\n')),
            "P1\tP1-T\tchr7\t55191822\tT\tG\tEGFR\tENST00000275493\tmissense_variant\tmoderate\tc.2573T>G\t"
            "p.Leu858Arg\tp.L858R\t21\t\t0.2500\t100\t\tPASS\ta.vcf:12");
  EXPECT_NE(tsv.find("intron_variant,splice_region_variant\tunspecified\t\t\t\t\t3\t\t\t\tLowQual;weak\t"),
            std::string::npos)
      << tsv;
}

}  // namespace
}  // namespace rarematch::pipeline
