#include "matchers/catalogue_io.h"

#include <fstream>

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include "reference/error.h"
#include "tests/support/test_support.h"

namespace rarematch::matchers {
namespace {

using google::protobuf::util::MessageDifferencer;
namespace fs = std::filesystem;

fs::path valid_catalogue() { return testing::source_dir() / "tests/data/catalogues/valid.textproto"; }

void write(const fs::path& path, const std::string& content) {
  std::ofstream(path, std::ios::binary) << content;
}

TEST(CatalogueIoTest, FormatFollowsExtension) {
  EXPECT_EQ(catalogue_format_for("a.textproto"), CatalogueFormat::kText);
  EXPECT_EQ(catalogue_format_for("a.txtpb"), CatalogueFormat::kText);
  EXPECT_EQ(catalogue_format_for("dir.x/a.json"), CatalogueFormat::kJson);
  EXPECT_EQ(catalogue_format_for("a.pb"), CatalogueFormat::kBinary);
  EXPECT_THROW(catalogue_format_for("a.yaml"), Error);
}

TEST(CatalogueIoTest, TextJsonBinaryRoundTripGivesAnEqualMessage) {
  const auto original = LoadedCatalogue::read(valid_catalogue().string());
  ASSERT_EQ(original.catalogue().trials_size(), 1);
  const auto dir = testing::make_temp_dir("catalogue-io");
  const std::string canonical_text = serialize_catalogue(original.catalogue(), CatalogueFormat::kText);

  write(dir / "c.json", serialize_catalogue(original.catalogue(), CatalogueFormat::kJson));
  const auto from_json = LoadedCatalogue::read((dir / "c.json").string());
  write(dir / "c.pb", serialize_catalogue(from_json.catalogue(), CatalogueFormat::kBinary));
  const auto from_binary = LoadedCatalogue::read((dir / "c.pb").string());
  write(dir / "c.txtpb", serialize_catalogue(from_binary.catalogue(), CatalogueFormat::kText));
  const auto back = LoadedCatalogue::read((dir / "c.txtpb").string());

  EXPECT_TRUE(MessageDifferencer::Equals(original.catalogue(), back.catalogue()));
  EXPECT_EQ(serialize_catalogue(back.catalogue(), CatalogueFormat::kText), canonical_text);
  fs::remove_all(dir);
}

TEST(CatalogueIoTest, TextParseErrorNamesFileAndLine) {
  const auto dir = testing::make_temp_dir("catalogue-io");
  const auto path = dir / "bad.textproto";
  write(path, "name: \"x\"\ntrials {\n  id: \"T1\"\n  colour: \"blue\"\n}\n");
  try {
    LoadedCatalogue::read(path.string());
    FAIL() << "expected a parse error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kBadInput);
    EXPECT_EQ(error.file(), path.string());
    EXPECT_EQ(error.line(), 4u);
    EXPECT_NE(error.why().find("colour"), std::string::npos) << error.why();
  }
  // An unknown enum value is reported by protobuf at the token after it; the message names the value.
  write(path, "trials {\n  phase: PHASE_SEVEN\n}\n");
  try {
    LoadedCatalogue::read(path.string());
    FAIL() << "expected a parse error";
  } catch (const Error& error) {
    EXPECT_NE(error.why().find("PHASE_SEVEN"), std::string::npos) << error.why();
  }
  fs::remove_all(dir);
}

TEST(CatalogueIoTest, UnknownJsonFieldIsAnError) {
  const auto dir = testing::make_temp_dir("catalogue-io");
  const auto path = dir / "bad.json";
  write(path, R"({"trials": [{"id": "T1", "colour": "blue"}]})");
  EXPECT_THROW(LoadedCatalogue::read(path.string()), Error);
  fs::remove_all(dir);
}

TEST(CatalogueIoTest, LocatorFindsLinesOfNestedFields) {
  const auto loaded = LoadedCatalogue::read(valid_catalogue().string());
  const auto trial = loaded.root().nested("trials", 0);
  EXPECT_EQ(trial.first_line(), 6u);
  EXPECT_EQ(trial.line_of("nct_id"), 8u);
  EXPECT_EQ(trial.nested("arms", 1).first_line(), 33u);
}

TEST(CatalogueIoTest, MissingFileIsBadInput) {
  try {
    LoadedCatalogue::read("/nonexistent/catalogue.textproto");
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kBadInput);
    EXPECT_EQ(error.file(), "/nonexistent/catalogue.textproto");
  }
}

}  // namespace
}  // namespace rarematch::matchers
