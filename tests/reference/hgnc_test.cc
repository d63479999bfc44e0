#include "reference/hgnc.h"

#include <fstream>

#include <gtest/gtest.h>

#include "reference/error.h"
#include "tests/support/test_support.h"

namespace rarematch::reference {
namespace {

namespace fs = std::filesystem;

TEST(HgncTest, ReadsTheApprovedSymbolColumnOfTheRealTable) {
  const fs::path path = testing::shared_data_dir() / "hgnc-genes/genes.csv";
  RAREMATCH_REQUIRE_SHARED_DATA(path);
  const auto symbols = load_hgnc_symbols(path.string());
  EXPECT_GT(symbols.size(), 39000u);
  EXPECT_TRUE(symbols.contains("EGFR"));
  EXPECT_TRUE(symbols.contains("A1BG-AS1"));
  EXPECT_FALSE(symbols.contains("Approved Symbol"));
}

TEST(HgncTest, RefusesATableWithoutASymbolColumn) {
  const fs::path dir = testing::make_temp_dir("hgnc");
  std::ofstream(dir / "genes.tsv") << "id\tname\nHGNC:1\tfoo\n";
  try {
    load_hgnc_symbols((dir / "genes.tsv").string());
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.line(), 1u);
    EXPECT_NE(error.why().find("symbol"), std::string::npos);
  }
  fs::remove_all(dir);
}

TEST(HgncTest, AcceptsTheLowerCaseHeaderOfTheCompleteSet) {
  const fs::path dir = testing::make_temp_dir("hgnc");
  std::ofstream(dir / "set.txt") << "hgnc_id\tsymbol\tname\r\nHGNC:5\tA1BG\talpha\r\nHGNC:6\tKIT\tkit\r\n";
  const auto symbols = load_hgnc_symbols((dir / "set.txt").string());
  EXPECT_EQ(symbols.size(), 2u);
  EXPECT_TRUE(symbols.contains("KIT"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace rarematch::reference
