#include "matchers/validate.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "reference/error.h"
#include "tests/support/test_support.h"

namespace rarematch::matchers {
namespace {

namespace fs = std::filesystem;

fs::path catalogue_path(const std::string& name) { return testing::source_dir() / "tests/data/catalogues" / name; }

/// The issue whose reason contains `text`, or a failure.
const ValidationIssue* find_issue(const std::vector<ValidationIssue>& issues, const std::string& text) {
  const auto it = std::find_if(issues.begin(), issues.end(),
                               [&](const ValidationIssue& issue) { return issue.reason.find(text) != std::string::npos; });
  return it == issues.end() ? nullptr : &*it;
}

reference::OncoTree mini_oncotree() {
  return reference::OncoTree::load_json((testing::source_dir() / "tests/data/oncotree-mini.json").string());
}

TEST(ValidateTest, ValidCatalogueHasNoIssues) {
  const auto loaded = LoadedCatalogue::read(catalogue_path("valid.textproto").string());
  const auto issues = validate_catalogue(loaded, {});
  EXPECT_TRUE(issues.empty()) << issues.front().message();
}

TEST(ValidateTest, BrokenCatalogueReportsEachProblemWithLineTrialAndPath) {
  const auto tree = mini_oncotree();
  const auto path = catalogue_path("broken.textproto").string();
  const auto loaded = LoadedCatalogue::read(path);
  const auto issues = validate_catalogue(loaded, {&tree, nullptr});

  struct Expected {
    std::string reason;
    std::uint64_t line;
    std::string path;
  };
  const std::vector<Expected> expected = {
      {"is not an NCT number", 6, "nct_id"},
      {"malformed protein change 'p.L858'", 11, "arm A/all[0]/genomic"},
      {"empty any", 12, "arm A/all[1]"},
      {"at_least k = 3 exceeds its 1 criteria", 13, "arm A/all[2]"},
      {"age range is inverted", 14, "arm A/all[3]/clinical"},
      {"mixes small-variant, copy-number and fusion fields", 15, "arm A/all[4]/genomic"},
      {"unknown OncoTree code 'NOTACODE'", 16, "arm A/all[5]/clinical"},
      {"duplicate trial id", 21, ""},
  };
  for (const auto& want : expected) {
    const ValidationIssue* issue = find_issue(issues, want.reason);
    ASSERT_NE(issue, nullptr) << "missing issue: " << want.reason;
    EXPECT_EQ(issue->file, path);
    EXPECT_EQ(issue->line, want.line) << want.reason;
    EXPECT_EQ(issue->trial_id, "T-BROKEN");
    EXPECT_EQ(issue->path, want.path) << want.reason;
  }
  EXPECT_EQ(issues.size(), expected.size());
}

TEST(ValidateTest, MessageNamesFileLineTrialAndPath) {
  const ValidationIssue issue{"c.textproto", 12, "T1", "arm A/all[0]", "empty any (no criteria)", ""};
  EXPECT_EQ(issue.message(), "c.textproto:12: trial T1: arm A/all[0]: empty any (no criteria)");
}

TEST(ValidateTest, UnknownGeneSymbolNeedsTheHgncList) {
  rarematch::v1::Catalogue catalogue;
  auto* trial = catalogue.add_trials();
  trial->set_id("T1");
  auto* arm = trial->add_arms();
  arm->set_id("A");
  arm->mutable_eligibility()->mutable_genomic()->set_gene("NOTAGENE1");
  const auto loaded = LoadedCatalogue::from_message(catalogue, "memory");
  EXPECT_TRUE(validate_catalogue(loaded, {}).empty());
  const std::unordered_set<std::string> hgnc = {"EGFR", "KIT"};
  const auto issues = validate_catalogue(loaded, {nullptr, &hgnc});
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_NE(issues[0].reason.find("unknown gene symbol 'NOTAGENE1'"), std::string::npos);
}

TEST(ValidateTest, ThrowIfInvalidCountsTheProblems) {
  const auto loaded = LoadedCatalogue::read(catalogue_path("broken.textproto").string());
  const auto issues = validate_catalogue(loaded, {});
  try {
    throw_if_invalid(issues);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kBadInput);
    EXPECT_EQ(error.line(), 6u);
    EXPECT_NE(error.why().find("more problems"), std::string::npos);
  }
}

TEST(ValidateTest, FindsDiagnosisCriteriaAnywhereInTheTree) {
  const auto loaded = LoadedCatalogue::read(catalogue_path("valid.textproto").string());
  EXPECT_TRUE(uses_diagnosis_criteria(loaded.catalogue()));
  rarematch::v1::Catalogue none;
  none.add_trials()->add_arms()->mutable_eligibility()->mutable_clinical()->mutable_age()->set_min_years(1);
  EXPECT_FALSE(uses_diagnosis_criteria(none));
}

}  // namespace
}  // namespace rarematch::matchers
