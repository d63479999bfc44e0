#include "matchers/catalogue_io.h"

#include <filesystem>
#include <string>

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include "reference/error.h"
#include "tests/support/test_support.h"

namespace rarematch::matchers {
namespace {

using google::protobuf::util::MessageDifferencer;
using ::rarematch::testing::expect_error;
using ::rarematch::testing::write_text_file;
namespace fs = std::filesystem;

fs::path valid_catalogue() { return testing::source_dir() / "tests/data/catalogues/valid.textproto"; }

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

  write_text_file(dir / "c.json", serialize_catalogue(original.catalogue(), CatalogueFormat::kJson));
  const auto from_json = LoadedCatalogue::read((dir / "c.json").string());
  write_text_file(dir / "c.pb", serialize_catalogue(from_json.catalogue(), CatalogueFormat::kBinary));
  const auto from_binary = LoadedCatalogue::read((dir / "c.pb").string());
  write_text_file(dir / "c.txtpb", serialize_catalogue(from_binary.catalogue(), CatalogueFormat::kText));
  const auto back = LoadedCatalogue::read((dir / "c.txtpb").string());

  EXPECT_TRUE(MessageDifferencer::Equals(original.catalogue(), back.catalogue()));
  EXPECT_EQ(serialize_catalogue(back.catalogue(), CatalogueFormat::kText), canonical_text);
  fs::remove_all(dir);
}

TEST(CatalogueIoTest, TextParseErrorNamesFileAndLine) {
  const auto dir = testing::make_temp_dir("catalogue-io");
  const auto path = dir / "bad.textproto";
  write_text_file(path, "name: \"x\"\ntrials {\n  id: \"T1\"\n  colour: \"blue\"\n}\n");
  const Error unknown_field = expect_error([&] { LoadedCatalogue::read(path.string()); });
  EXPECT_EQ(unknown_field.kind(), ErrorKind::kBadInput);
  EXPECT_EQ(unknown_field.file(), path.string());
  EXPECT_EQ(unknown_field.line(), 4u);
  EXPECT_NE(unknown_field.why().find("colour"), std::string::npos) << unknown_field.why();
  // An unknown enum value is reported by protobuf at the token after it; the message names the value.
  write_text_file(path, "trials {\n  phase: PHASE_SEVEN\n}\n");
  const Error unknown_enum = expect_error([&] { LoadedCatalogue::read(path.string()); });
  EXPECT_NE(unknown_enum.why().find("PHASE_SEVEN"), std::string::npos) << unknown_enum.why();
  fs::remove_all(dir);
}

TEST(CatalogueIoTest, UnknownJsonFieldIsAnError) {
  const auto dir = testing::make_temp_dir("catalogue-io");
  const auto path = dir / "bad.json";
  write_text_file(path, R"({"trials": [{"id": "T1", "colour": "blue"}]})");
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
  const Error error = expect_error([] { LoadedCatalogue::read("/nonexistent/catalogue.textproto"); });
  EXPECT_EQ(error.kind(), ErrorKind::kBadInput);
  EXPECT_EQ(error.file(), "/nonexistent/catalogue.textproto");
}

}  // namespace
}  // namespace rarematch::matchers
