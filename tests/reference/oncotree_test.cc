#include "reference/oncotree.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "reference/error.h"
#include "tests/support/test_support.h"

namespace rarematch::reference {
namespace {

namespace fs = std::filesystem;
using ::rarematch::testing::write_text_file;

// A small tree in the API layout: two tissues, a renamed code (OLDLUAD), a code revoked by one node (GBMX) and
// one revoked by two (AMBIG), and a precursor (PRE).
constexpr const char* kSmallTree = R"({"TISSUE": {"code": "TISSUE", "name": "Tissue", "tissue": null, "parent": null,
  "history": [], "revocations": [], "precursors": [], "children": {
  "LUNG": {"code": "LUNG", "name": "Lung", "tissue": "Lung", "parent": "TISSUE", "history": [], "children": {
    "NSCLC": {"code": "NSCLC", "name": "Non-Small Cell Lung Cancer", "tissue": "Lung", "parent": "LUNG",
      "revocations": ["AMBIG"], "children": {
      "LUAD": {"code": "LUAD", "name": "Lung Adenocarcinoma", "tissue": "Lung", "parent": "NSCLC",
        "history": ["OldLuad"], "revocations": ["GBMX"], "precursors": ["PRE"], "children": {}}}}}},
  "MYELOID": {"code": "MYELOID", "name": "Myeloid", "tissue": "Myeloid", "parent": "TISSUE",
    "revocations": ["AMBIG"], "children": {
    "AML": {"code": "AML", "name": "Acute Myeloid Leukemia", "tissue": "Myeloid", "parent": "MYELOID",
      "history": ["aml"], "children": {}}}}}}})";

std::optional<Error> load_error(const fs::path& path) {
  try {
    OncoTree::load_json(path.string());
  } catch (const Error& error) {
    return error;
  }
  return std::nullopt;
}

class OncoTreeTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = testing::make_temp_dir("rarematch-oncotree"); }
  void TearDown() override { fs::remove_all(dir_); }
  OncoTree small_tree() { return OncoTree::load_json(write_text_file(dir_ / "tree.json", kSmallTree).string()); }
  fs::path dir_;
};

TEST_F(OncoTreeTest, ReadsNodesWithLevelsAndParents) {
  const OncoTree tree = small_tree();
  EXPECT_EQ(tree.size(), 6u);
  const OncoTreeNode* root = tree.find("tissue");
  ASSERT_NE(root, nullptr);
  EXPECT_EQ(root->code, "TISSUE");
  EXPECT_EQ(root->level, 0u);
  EXPECT_TRUE(root->parent.empty());
  const OncoTreeNode* luad = tree.find("Luad");
  ASSERT_NE(luad, nullptr);
  EXPECT_EQ(luad->name, "Lung Adenocarcinoma");
  EXPECT_EQ(luad->tissue, "Lung");
  EXPECT_EQ(luad->parent, "NSCLC");
  EXPECT_EQ(luad->level, 3u);
  EXPECT_EQ(tree.find("NOPE"), nullptr);
}

TEST_F(OncoTreeTest, ResolvesFormerCodes) {
  const OncoTree tree = small_tree();
  EXPECT_EQ(tree.resolve("luad"), std::optional<std::string>("LUAD"));
  EXPECT_EQ(tree.resolve("OLDLUAD"), std::optional<std::string>("LUAD"));  // history
  EXPECT_EQ(tree.resolve("pre"), std::optional<std::string>("LUAD"));      // precursor
  EXPECT_EQ(tree.resolve("GBMX"), std::optional<std::string>("LUAD"));     // revoked, one successor
  EXPECT_EQ(tree.resolve("AMBIG"), std::nullopt);                          // revoked, two successors
  EXPECT_EQ(tree.resolve("AML"), std::optional<std::string>("AML"));       // current code listed in history
  EXPECT_EQ(tree.resolve("NOPE"), std::nullopt);
}

TEST_F(OncoTreeTest, RelatesPatientToCriterion) {
  const OncoTree tree = small_tree();
  EXPECT_EQ(tree.relation("LUAD", "NSCLC"), DiagnosisRelation::kSameOrDescendant);
  EXPECT_EQ(tree.relation("LUAD", "LUAD"), DiagnosisRelation::kSameOrDescendant);
  EXPECT_EQ(tree.relation("LUAD", "TISSUE"), DiagnosisRelation::kSameOrDescendant);
  EXPECT_EQ(tree.relation("NSCLC", "LUAD"), DiagnosisRelation::kAncestor);
  EXPECT_EQ(tree.relation("TISSUE", "LUAD"), DiagnosisRelation::kAncestor);
  EXPECT_EQ(tree.relation("AML", "LUAD"), DiagnosisRelation::kUnrelated);
  EXPECT_EQ(tree.relation("OLDLUAD", "nsclc"), DiagnosisRelation::kSameOrDescendant);
  EXPECT_EQ(tree.relation("NOPE", "LUAD"), DiagnosisRelation::kUnrelated);
  EXPECT_EQ(tree.relation("LUAD", "NOPE"), DiagnosisRelation::kUnrelated);
}

TEST_F(OncoTreeTest, SplitsSolidAndLiquidByTissue) {
  const OncoTree tree = small_tree();
  EXPECT_EQ(tree.relation("AML", OncoTree::kLiquid), DiagnosisRelation::kSameOrDescendant);
  EXPECT_EQ(tree.relation("AML", OncoTree::kSolid), DiagnosisRelation::kUnrelated);
  EXPECT_EQ(tree.relation("MYELOID", "_liquid_"), DiagnosisRelation::kSameOrDescendant);
  EXPECT_EQ(tree.relation("LUAD", OncoTree::kSolid), DiagnosisRelation::kSameOrDescendant);
  EXPECT_EQ(tree.relation("LUAD", OncoTree::kLiquid), DiagnosisRelation::kUnrelated);
  EXPECT_EQ(tree.relation("TISSUE", OncoTree::kSolid), DiagnosisRelation::kAncestor);
  EXPECT_EQ(tree.relation("TISSUE", OncoTree::kLiquid), DiagnosisRelation::kAncestor);
  EXPECT_EQ(tree.relation("NOPE", OncoTree::kSolid), DiagnosisRelation::kUnrelated);
}

TEST_F(OncoTreeTest, FindsCodesByName) {
  const OncoTree tree = small_tree();
  EXPECT_EQ(tree.codes_named("lung adenocarcinoma"), (std::vector<std::string>{"LUAD"}));
  EXPECT_TRUE(tree.codes_named("Lung Adeno").empty());
}

TEST_F(OncoTreeTest, RejectsMalformedJsonNamingFileAndLine) {
  const fs::path path =
      write_text_file(dir_ / "broken.json", "{\"TISSUE\": {\"code\": \"TISSUE\",\n  \"children\": {]}}");
  const auto error = load_error(path);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->file(), path.string());
  EXPECT_EQ(error->kind(), ErrorKind::kBadInput);
  EXPECT_EQ(error->line(), std::optional<std::uint64_t>(2)) << error->message();
  EXPECT_NE(error->message().find(path.string()), std::string::npos);
}

TEST_F(OncoTreeTest, RejectsJsonThatIsNotATree) {
  for (const char* text : {"[1, 2]", "42", R"({"TISSUE": {"name": "Tissue"}})", "{}",
                           R"({"TISSUE": {"code": "TISSUE", "children": 5}})"}) {
    const fs::path path = write_text_file(dir_ / "not-a-tree.json", text);
    const auto error = load_error(path);
    ASSERT_TRUE(error.has_value()) << text;
    EXPECT_EQ(error->file(), path.string());
  }
}

TEST_F(OncoTreeTest, RejectsDuplicateCodes) {
  const fs::path path = write_text_file(dir_ / "dup.json", R"({"TISSUE": {"code": "TISSUE", "children": {
      "A": {"code": "LUAD", "children": {}}, "B": {"code": "luad", "children": {}}}}})");
  const auto error = load_error(path);
  ASSERT_TRUE(error.has_value());
  EXPECT_NE(error->why().find("LUAD"), std::string::npos) << error->why();
}

TEST_F(OncoTreeTest, RejectsMissingFile) {
  const auto error = load_error(dir_ / "missing.json");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->file(), (dir_ / "missing.json").string());
}

// ---- real data -----------------------------------------------------------------------------------------------

class OncoTreeRealDataTest : public ::testing::Test {
 protected:
  static fs::path tree_2025() { return testing::shared_data_dir() / "oncotree" / "oncotree_2025_10_03.json"; }
};

TEST_F(OncoTreeRealDataTest, Release2025HasAllNodes) {
  RAREMATCH_REQUIRE_SHARED_DATA(tree_2025());
  const OncoTree tree = OncoTree::load_json(tree_2025().string());
  EXPECT_EQ(tree.size(), 898u);
  const OncoTreeNode* luad = tree.find("LUAD");
  ASSERT_NE(luad, nullptr);
  EXPECT_EQ(luad->parent, "NSCLC");
  EXPECT_EQ(luad->tissue, "Lung");
  EXPECT_EQ(luad->level, 3u);
  ASSERT_NE(tree.find("LYMPH"), nullptr);
  EXPECT_EQ(tree.find("LYMPH")->level, 1u);
}

TEST_F(OncoTreeRealDataTest, RelatesLungCodes) {
  RAREMATCH_REQUIRE_SHARED_DATA(tree_2025());
  const OncoTree tree = OncoTree::load_json(tree_2025().string());
  EXPECT_EQ(tree.relation("LUAD", "NSCLC"), DiagnosisRelation::kSameOrDescendant);
  EXPECT_EQ(tree.relation("NSCLC", "LUAD"), DiagnosisRelation::kAncestor);
  EXPECT_EQ(tree.relation("LUAD", "BRCA"), DiagnosisRelation::kUnrelated);
  EXPECT_EQ(tree.relation("LUAD", "LUNG"), DiagnosisRelation::kSameOrDescendant);
}

TEST_F(OncoTreeRealDataTest, SplitsMyeloidAndLymphoidFromSolid) {
  RAREMATCH_REQUIRE_SHARED_DATA(tree_2025());
  const OncoTree tree = OncoTree::load_json(tree_2025().string());
  EXPECT_EQ(tree.relation("AML", OncoTree::kLiquid), DiagnosisRelation::kSameOrDescendant);
  EXPECT_EQ(tree.relation("AML", OncoTree::kSolid), DiagnosisRelation::kUnrelated);
  EXPECT_EQ(tree.relation("PCM", OncoTree::kLiquid), DiagnosisRelation::kSameOrDescendant);  // tissue Lymphoid
  EXPECT_EQ(tree.relation("LUAD", OncoTree::kSolid), DiagnosisRelation::kSameOrDescendant);
  EXPECT_EQ(tree.relation("LUAD", OncoTree::kLiquid), DiagnosisRelation::kUnrelated);
  EXPECT_EQ(tree.relation("TISSUE", OncoTree::kSolid), DiagnosisRelation::kAncestor);
  EXPECT_EQ(tree.relation("TISSUE", OncoTree::kLiquid), DiagnosisRelation::kAncestor);
}

TEST_F(OncoTreeRealDataTest, ResolvesHistoryPrecursorAndRevokedCodes) {
  RAREMATCH_REQUIRE_SHARED_DATA(tree_2025());
  const OncoTree tree = OncoTree::load_json(tree_2025().string());
  EXPECT_EQ(tree.resolve("MM"), std::optional<std::string>("PCM"));         // history of PCM
  EXPECT_EQ(tree.resolve("BLOOD"), std::optional<std::string>("MYELOID"));  // history of MYELOID
  EXPECT_EQ(tree.resolve("SpCC"), std::optional<std::string>("SPCC"));      // history spelling of a current code
  EXPECT_EQ(tree.resolve("CLL"), std::optional<std::string>("CLLSLL"));     // precursor of CLLSLL
  EXPECT_EQ(tree.resolve("GBM"), std::optional<std::string>("GB"));         // revoked, GB the only successor
  EXPECT_EQ(tree.resolve("ALL"), std::nullopt);                             // revoked by both BLL and TLL
  EXPECT_EQ(tree.relation("MM", "PCM"), DiagnosisRelation::kSameOrDescendant);
  EXPECT_EQ(tree.relation("MM", OncoTree::kLiquid), DiagnosisRelation::kSameOrDescendant);
}

TEST_F(OncoTreeRealDataTest, FindsCodesByExactName) {
  RAREMATCH_REQUIRE_SHARED_DATA(tree_2025());
  const OncoTree tree = OncoTree::load_json(tree_2025().string());
  EXPECT_EQ(tree.codes_named("Lung Adenocarcinoma"), (std::vector<std::string>{"LUAD"}));
  // The same name under three tissues: ambiguous.
  EXPECT_EQ(tree.codes_named("Immature Teratoma"), (std::vector<std::string>{"BIMT", "OIMT", "VIMT"}));
}

TEST_F(OncoTreeRealDataTest, Release2021Loads) {
  const fs::path path = testing::shared_data_dir() / "oncotree" / "oncotree_2021_11_02.json";
  RAREMATCH_REQUIRE_SHARED_DATA(path);
  const OncoTree tree = OncoTree::load_json(path.string());
  EXPECT_EQ(tree.size(), 885u);
  EXPECT_EQ(tree.resolve("GBM"), std::optional<std::string>("GBM"));  // still current in 2021
}

}  // namespace
}  // namespace rarematch::reference
