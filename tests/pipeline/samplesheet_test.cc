#include "pipeline/samplesheet.h"

#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "reference/error.h"
#include "tests/support/test_support.h"

namespace rarematch::pipeline {
namespace {

namespace fs = std::filesystem;
using ::rarematch::testing::expect_error;
using ::rarematch::testing::TempDir;

class SamplesheetTest : public ::testing::Test {
 protected:
  std::string write(const std::string& content, const std::string& name = "samplesheet.csv") {
    return dir_.write(name, content).string();
  }
  /// Reads `content` as a samplesheet, expecting rarematch::Error.
  Error read_error(const std::string& content) {
    SCOPED_TRACE("samplesheet:\n" + content);
    const std::string path = write(content);
    const Error error = expect_error([&] { read_samplesheet(path); });
    EXPECT_EQ(error.kind(), ErrorKind::kBadInput);
    EXPECT_EQ(error.file(), path);
    EXPECT_FALSE(error.hint().empty()) << error.message();
    return error;
  }

  TempDir dir_{"rarematch-samplesheet"};
};

TEST_F(SamplesheetTest, ReadsColumnsByNameAndResolvesRelativePaths) {
  const std::string path = write(
      "# cohort of two\r\n"
      "Sample,extra,patient,VCF,tumor_sample,assay,panel,cna,sv\r\n"
      "S1,ignored,P1,vcf/p1.vcf.gz,TUMOR,wes,,cna/p1.txt,/abs/sv.vcf\r\n"
      "\r\n"
      "\"S2,b\",,P1, /abs/p1b.bcf ,,Panel,\"beds/panel one.bed\",,\r\n",
      "cohort/samplesheet.csv");
  const Samplesheet sheet = read_samplesheet(path);
  EXPECT_EQ(sheet.path, path);
  ASSERT_EQ(sheet.rows.size(), 2u);
  const fs::path folder = dir_.path() / "cohort";

  const SamplesheetRow& first = sheet.rows[0];
  EXPECT_EQ(first.patient, "P1");
  EXPECT_EQ(first.sample, "S1");
  EXPECT_EQ(first.vcf, (folder / "vcf/p1.vcf.gz").string());
  EXPECT_EQ(first.tumor_sample, "TUMOR");
  EXPECT_EQ(first.assay, "WES");
  EXPECT_EQ(first.panel, "");
  EXPECT_EQ(first.cna, (folder / "cna/p1.txt").string());
  EXPECT_EQ(first.sv, "/abs/sv.vcf");
  EXPECT_EQ(first.line, 3u);

  const SamplesheetRow& second = sheet.rows[1];
  EXPECT_EQ(second.sample, "S2,b");
  EXPECT_EQ(second.vcf, "/abs/p1b.bcf");
  EXPECT_EQ(second.tumor_sample, "");
  EXPECT_EQ(second.assay, "panel");
  EXPECT_EQ(second.panel, (folder / "beds/panel one.bed").string());
  EXPECT_EQ(second.cna, "");
  EXPECT_EQ(second.line, 5u);
}

TEST_F(SamplesheetTest, ReadsMinimalColumnsWithoutOptionalOnes) {
  const std::string path = write("patient,sample,vcf\nP1,S1,a.vcf\nP2,S2,a.vcf\n");
  const Samplesheet sheet = read_samplesheet(path);
  ASSERT_EQ(sheet.rows.size(), 2u);
  EXPECT_EQ(sheet.rows[1].vcf, (dir_.path() / "a.vcf").string());
  EXPECT_EQ(sheet.rows[1].assay, "");
  EXPECT_EQ(sheet.rows[1].tumor_sample, "");
}

TEST_F(SamplesheetTest, RejectsDuplicatedPatientSampleNamingBothLines) {
  const Error error = read_error("patient,sample,vcf\nP1,S1,a.vcf\nP1,S2,a.vcf\n\nP1,S1,b.vcf\n");
  EXPECT_EQ(error.line(), 5u);
  EXPECT_NE(error.why().find("patient 'P1' sample 'S1' is given twice, on lines 2 and 5"), std::string::npos)
      << error.why();
}

TEST_F(SamplesheetTest, AcceptsSameSampleIdUnderTwoPatients) {
  const Samplesheet sheet = read_samplesheet(write("patient,sample,vcf\nP1,T,a.vcf\nP2,T,b.vcf\n"));
  EXPECT_EQ(sheet.rows.size(), 2u);
}

TEST_F(SamplesheetTest, RejectsMissingRequiredColumnNamingHeaderLine) {
  const Error error = read_error("#c\npatient,sample,vcf_path\nP1,S1,a.vcf\n");
  EXPECT_EQ(error.line(), 2u);
  EXPECT_EQ(error.what_failed(), "column vcf");
  EXPECT_NE(error.why().find("patient, sample, vcf_path"), std::string::npos) << error.why();
}

TEST_F(SamplesheetTest, RejectsEmptyRequiredValue) {
  const Error error = read_error("patient,sample,vcf\nP1,S1,a.vcf\nP2, ,b.vcf\n");
  EXPECT_EQ(error.line(), 3u);
  EXPECT_EQ(error.what_failed(), "column sample");
  EXPECT_EQ(error.why(), "the value is empty");
}

TEST_F(SamplesheetTest, RejectsUnknownAssay) {
  const Error error = read_error("patient,sample,vcf,assay\nP1,S1,a.vcf,RNA-seq\n");
  EXPECT_EQ(error.line(), 2u);
  EXPECT_EQ(error.what_failed(), "column assay");
  EXPECT_NE(error.why().find("'RNA-seq'"), std::string::npos) << error.why();
}

TEST_F(SamplesheetTest, RejectsRowWithWrongFieldCount) {
  const Error error = read_error("patient,sample,vcf\nP1,S1,a.vcf\nP2,S2,b,vcf\n");
  EXPECT_EQ(error.line(), 3u);
  EXPECT_NE(error.why().find("has 4 fields"), std::string::npos) << error.why();
}

TEST_F(SamplesheetTest, RejectsUnclosedQuote) {
  const Error error = read_error("patient,sample,vcf\nP1,\"S1,a.vcf\n");
  EXPECT_EQ(error.line(), 2u);
  EXPECT_NE(error.why().find("not closed"), std::string::npos) << error.why();
}

TEST_F(SamplesheetTest, RejectsSamplesheetWithoutRows) {
  const Error header_only = read_error("patient,sample,vcf\n\n# nothing\n");
  EXPECT_EQ(header_only.line(), 1u);
  EXPECT_NE(header_only.why().find("not followed by any sample row"), std::string::npos);

  const Error empty = read_error("");
  EXPECT_EQ(empty.what_failed(), "header row");
}

TEST_F(SamplesheetTest, RejectsMissingFile) {
  const std::string path = (dir_.path() / "absent.csv").string();
  const Error error = expect_error([&] { read_samplesheet(path); });
  EXPECT_EQ(error.file(), path);
  EXPECT_NE(error.why().find("No such file"), std::string::npos) << error.why();
}

}  // namespace
}  // namespace rarematch::pipeline
