#include "pipeline/text_table.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "reference/error.h"
#include "tests/support/test_support.h"

namespace rarematch::pipeline {
namespace {

namespace fs = std::filesystem;
using ::rarematch::testing::expect_error;
using ::rarematch::testing::read_file;
using ::rarematch::testing::run_command;
using ::rarematch::testing::shell_quote;
using ::rarematch::testing::TempDir;
using ::rarematch::testing::write_compressed_file;

constexpr const char* kTempPrefix = "rarematch-text-table";

std::vector<std::string> all_lines(const fs::path& path) {
  LineReader reader = LineReader::open(path.string());
  std::vector<std::string> lines;
  std::string line;
  while (reader.next(line)) lines.push_back(line);
  return lines;
}

TEST(TextTableTest, SplitsTabFieldsKeepingQuotesAndEmptyFields) {
  const auto fields = split_fields("a\t\"b c\"\t\t d ", FieldSeparator::kTab, "f", 1);
  EXPECT_EQ(fields, (std::vector<std::string>{"a", "\"b c\"", "", " d "}));
  EXPECT_EQ(split_fields("", FieldSeparator::kTab, "f", 1), std::vector<std::string>{""});
}

TEST(TextTableTest, SplitsCsvWithQuotedCommasAndDoubledQuotes) {
  const auto fields =
      split_fields(R"(P1, "S1,a" ,"say ""hi""",,x"y,)", FieldSeparator::kComma, "f", 1);
  EXPECT_EQ(fields, (std::vector<std::string>{"P1", "S1,a", "say \"hi\"", "", "x\"y", ""}));
}

TEST(TextTableTest, RejectsUnclosedCsvQuoteNamingFileAndLine) {
  const Error error = expect_error([] { split_fields("a,\"b,c", FieldSeparator::kComma, "sheet.csv", 7); });
  EXPECT_EQ(error.file(), "sheet.csv");
  EXPECT_EQ(error.line(), 7u);
  EXPECT_EQ(error.what_failed(), "field 2");
  EXPECT_NE(error.why().find("not closed"), std::string::npos) << error.why();
  EXPECT_FALSE(error.hint().empty());
}

TEST(TextTableTest, RejectsTextAfterClosingQuote) {
  const Error error = expect_error([] { split_fields("\"a\"b,c", FieldSeparator::kComma, "sheet.csv", 3); });
  EXPECT_EQ(error.line(), 3u);
  EXPECT_EQ(error.what_failed(), "field 1");
}

TEST(TextTableTest, TrimsSpacesAndTabsOnly) {
  EXPECT_EQ(trim(" \t a b\t "), "a b");
  EXPECT_EQ(trim("   "), "");
  EXPECT_TRUE(equals_ignore_case("Patient_ID", "PATIENT_id"));
  EXPECT_FALSE(equals_ignore_case("PATIENT", "PATIENT_ID"));
  EXPECT_EQ(to_upper("SpCc1"), "SPCC1");
  EXPECT_EQ(to_lower("MSI-H"), "msi-h");
}

TEST(TextTableTest, LineReaderStripsCarriageReturnAndByteOrderMark) {
  TempDir dir(kTempPrefix);
  const auto path = dir.write("crlf.txt", "\xEF\xBB\xBFh1,h2\r\n\r\nx,y\r\nlast");
  EXPECT_EQ(all_lines(path), (std::vector<std::string>{"h1,h2", "", "x,y", "last"}));
}

TEST(TextTableTest, LineReaderReadsBgzipAndGzipFiles) {
  TempDir dir(kTempPrefix);
  std::string text;
  for (int i = 1; i <= 5000; ++i) text += "line\t" + std::to_string(i) + "\n";
  const auto bgzipped = dir.path() / "lines.txt.gz";
  write_compressed_file(bgzipped, text, "w", 4096);
  const auto lines = all_lines(bgzipped);
  ASSERT_EQ(lines.size(), 5000u);
  EXPECT_EQ(lines.front(), "line\t1");
  EXPECT_EQ(lines.back(), "line\t5000");

  const auto plain = dir.write("plain.txt", text);
  const auto gzip = run_command("(gzip -c " + shell_quote(plain.string()) + " > " +
                                shell_quote((dir.path() / "gzip.txt.gz").string()) + ")");
  if (gzip.exit_code != 0) GTEST_SKIP() << "gzip not available: " << gzip.err;
  EXPECT_EQ(all_lines(dir.path() / "gzip.txt.gz"), lines);
}

TEST(TextTableTest, LineReaderRejectsTruncatedBgzipNamingFileAndLine) {
  TempDir dir(kTempPrefix);
  std::string text;
  for (int i = 1; i <= 20000; ++i) text += "row " + std::to_string(i) + " with some text to compress\n";
  const auto whole = dir.path() / "whole.txt.gz";
  write_compressed_file(whole, text, "w", 8192);
  const std::string bytes = read_file(whole);
  ASSERT_GT(bytes.size(), 4000u);

  // Cut in the middle: no BGZF end-of-file block, refused at open.
  const auto cut = dir.write("cut.txt.gz", bytes.substr(0, bytes.size() / 2));
  const Error at_open = expect_error([&] { LineReader::open(cut.string()); });
  EXPECT_EQ(at_open.file(), cut.string());
  EXPECT_NE(at_open.why().find("truncated"), std::string::npos) << at_open.message();

  // Cut in the middle of a block, end-of-file block restored: reading fails at a line.
  const std::string eof_block = bytes.substr(bytes.size() - 28);
  const auto damaged = dir.write("damaged.txt.gz", bytes.substr(0, bytes.size() / 2) + eof_block);
  LineReader reader = LineReader::open(damaged.string());
  std::string line;
  std::uint64_t read = 0;
  const Error while_reading = expect_error([&] {
    while (reader.next(line)) ++read;
  });
  EXPECT_EQ(while_reading.file(), damaged.string());
  ASSERT_TRUE(while_reading.line().has_value());
  EXPECT_EQ(*while_reading.line(), read + 1);
  EXPECT_LT(read, 20000u);
}

TEST(TextTableTest, OpenRejectsMissingFileAndUrls) {
  TempDir dir(kTempPrefix);
  const auto missing = (dir.path() / "absent.tsv").string();
  const Error error = expect_error([&] { LineReader::open(missing); });
  EXPECT_EQ(error.file(), missing);
  EXPECT_NE(error.why().find("No such file"), std::string::npos) << error.why();

  const Error remote = expect_error([] { LineReader::open("https://example.org/clinical.tsv"); });
  EXPECT_NE(remote.why().find("local"), std::string::npos) << remote.why();
}

TEST(TextTableTest, TableReadsHeaderAfterCommentsAndSkipsBlankCommentAndEmptyRows) {
  TempDir dir(kTempPrefix);
  const auto path = dir.write("t.tsv",
                              "#meta 1\n#meta 2\n\n"
                              " A \tb\tC\n"          // line 4
                              "1\t2\t3\n"            // line 5
                              "\n"                   // line 6
                              "# a comment\n"        // line 7
                              "\t\t\n"               // line 8: all empty
                              " x \t\ty\n");         // line 9
  TextTable table = TextTable::open(path.string(), FieldSeparator::kTab);
  EXPECT_EQ(table.columns(), (std::vector<std::string>{"A", "b", "C"}));
  EXPECT_EQ(table.header_line(), 4u);
  EXPECT_EQ(table.find_column("a"), 0u);
  EXPECT_EQ(table.find_column("B "), 1u);
  EXPECT_FALSE(table.find_column("D").has_value());

  TableRow row;
  ASSERT_TRUE(table.next_row(row));
  EXPECT_EQ(row.line, 5u);
  EXPECT_EQ(row.fields, (std::vector<std::string>{"1", "2", "3"}));
  ASSERT_TRUE(table.next_row(row));
  EXPECT_EQ(row.line, 9u);
  EXPECT_EQ(row.fields, (std::vector<std::string>{"x", "", "y"}));
  EXPECT_FALSE(table.next_row(row));
}

TEST(TextTableTest, TableRejectsRowWithWrongFieldCountNamingFileAndLine) {
  TempDir dir(kTempPrefix);
  const auto path = dir.write("t.tsv", "A\tB\n1\t2\n3\n");
  TextTable table = TextTable::open(path.string(), FieldSeparator::kTab);
  TableRow row;
  ASSERT_TRUE(table.next_row(row));
  const Error error = expect_error([&] { table.next_row(row); });
  EXPECT_EQ(error.file(), path.string());
  EXPECT_EQ(error.line(), 3u);
  EXPECT_NE(error.why().find("has 1 fields but the header row (line 1) names 2 columns"), std::string::npos)
      << error.why();
  EXPECT_FALSE(error.hint().empty());
}

TEST(TextTableTest, TableRejectsColumnNamedTwice) {
  TempDir dir(kTempPrefix);
  const auto path = dir.write("t.csv", "# sheet\npatient,Sample,SAMPLE\n");
  const Error error = expect_error([&] { TextTable::open(path.string(), FieldSeparator::kComma); });
  EXPECT_EQ(error.line(), 2u);
  EXPECT_EQ(error.what_failed(), "column SAMPLE");
  EXPECT_NE(error.why().find("columns 2 and 3"), std::string::npos) << error.why();
}

TEST(TextTableTest, TableRejectsFileWithoutHeaderRow) {
  TempDir dir(kTempPrefix);
  const auto path = dir.write("t.tsv", "#only\n\n#comments\n");
  const Error error = expect_error([&] { TextTable::open(path.string(), FieldSeparator::kTab); });
  EXPECT_EQ(error.file(), path.string());
  EXPECT_EQ(error.what_failed(), "header row");
}

TEST(TextTableTest, TableRejectsBinaryFile) {
  TempDir dir(kTempPrefix);
  // A BGZF-compressed BAM magic is detected as BAM by HTSlib.
  const auto path = dir.path() / "reads.bam";
  write_compressed_file(path, std::string("BAM\1", 4) + std::string(64, '\0'));
  const Error error = expect_error([&] { TextTable::open(path.string(), FieldSeparator::kTab); });
  EXPECT_EQ(error.file(), path.string());
  EXPECT_NE(error.why().find("not a text file"), std::string::npos) << error.why();
}

}  // namespace
}  // namespace rarematch::pipeline
