#include "reference/error.h"

#include <gtest/gtest.h>

namespace rarematch {
namespace {

TEST(ErrorTest, MessageNamesFileLineWhatAndWhy) {
  const Error error(ErrorKind::kBadInput, "clinical.txt", 12, "column AGE", "'-3' is outside 0..150", "use NA");
  EXPECT_EQ(error.message(), "clinical.txt:12: column AGE: '-3' is outside 0..150");
  EXPECT_STREQ(error.what(), "clinical.txt:12: column AGE: '-3' is outside 0..150");
  EXPECT_EQ(error.hint(), "use NA");
  EXPECT_EQ(error.kind(), ErrorKind::kBadInput);
}

TEST(ErrorTest, MessageLeavesOutWhatIsUnknown) {
  EXPECT_EQ(Error(ErrorKind::kBadInput, "a.vcf", std::nullopt, "header", "not a VCF").message(),
            "a.vcf: header: not a VCF");
  EXPECT_EQ(Error(ErrorKind::kUsage, "", std::nullopt, "run", "missing --catalogue").message(),
            "run: missing --catalogue");
}

TEST(ErrorTest, ThrowHelpersSetTheKind) {
  try {
    throw_bad_input("f.csv", 2, "column patient", "empty", "fill it in");
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kBadInput);
    EXPECT_EQ(error.line(), 2u);
  }
  try {
    throw_usage("match", "missing --profiles");
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kUsage);
    EXPECT_TRUE(error.file().empty());
  }
}

TEST(ErrorTest, ExitCodesAreTheDocumentedOnes) {
  EXPECT_EQ(static_cast<int>(ErrorKind::kBadInput), 1);
  EXPECT_EQ(static_cast<int>(ErrorKind::kUsage), 2);
  EXPECT_EQ(static_cast<int>(ErrorKind::kInternal), 4);
}

}  // namespace
}  // namespace rarematch
