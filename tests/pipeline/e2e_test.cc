// End-to-end: the bundled synthetic example through the rarematch executable.
#include <sys/stat.h>

#include <fstream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "tests/support/test_support.h"

namespace rarematch {
namespace {

namespace fs = std::filesystem;
using testing::run_command;
using testing::shell_quote;

fs::path example_dir() { return testing::source_dir() / "examples/synthetic-cohort"; }

/// The example's inputs as rarematch options (without the command and output).
std::string example_inputs(bool with_catalogue) {
  const fs::path e = example_dir();
  std::string args = " --samplesheet " + shell_quote((e / "samplesheet.csv").string()) + " --clinical " +
                     shell_quote((e / "clinical/data_clinical_patient.txt").string()) + " --clinical " +
                     shell_quote((e / "clinical/data_clinical_sample.txt").string()) + " --gff3 " +
                     shell_quote((e / "reference/genes.gff3").string()) + " --fasta " +
                     shell_quote((e / "reference/genome.fa").string()) + " --oncotree " +
                     shell_quote((e / "oncotree.json").string());
  if (with_catalogue) args += " --catalogue " + shell_quote((e / "trials.textproto").string());
  return args;
}

/// Runs `rarematch run` on the example into a fresh folder and returns it.
fs::path run_example(int threads) {
  const fs::path out = testing::make_temp_dir("e2e-run") / "results";
  const auto result = run_command(shell_quote(testing::rarematch_binary().string()) + " run" + example_inputs(true) +
                                  " --quiet --threads " + std::to_string(threads) + " -o " + shell_quote(out.string()));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return out;
}

std::vector<std::vector<std::string>> read_tsv(const fs::path& path) {
  std::istringstream in(testing::read_file(path));
  std::vector<std::vector<std::string>> rows;
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> fields;
    std::istringstream cells(line);
    for (std::string cell; std::getline(cells, cell, '\t');) fields.push_back(cell);
    rows.push_back(fields);
  }
  return rows;
}

TEST(EndToEndTest, ExampleCandidatesAreExactlyTheHandWrittenExpectation) {
  const fs::path out = run_example(2);
  const auto candidates = read_tsv(out / "candidates.tsv");
  ASSERT_FALSE(candidates.empty());
  const std::vector<std::string> header = {"patient_id", "sample_id", "rank",       "trial_id", "arm_id",
                                           "eligibility", "specificity", "matched", "unknown"};
  EXPECT_EQ(candidates[0], header);
  std::set<std::string> got;
  for (std::size_t i = 1; i < candidates.size(); ++i) {
    const auto& row = candidates[i];
    ASSERT_GE(row.size(), 7u);
    std::string eligibility = row[5];
    for (auto& c : eligibility) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    EXPECT_TRUE(got.insert(row[0] + " " + row[3] + " " + row[4] + " " + eligibility).second) << "duplicate row";
  }
  std::set<std::string> expected;
  const auto rows = read_tsv(example_dir() / "expected.tsv");
  ASSERT_EQ(rows[0], (std::vector<std::string>{"patient_id", "trial_id", "arm_id", "eligibility"}));
  for (std::size_t i = 1; i < rows.size(); ++i) expected.insert(rows[i][0] + " " + rows[i][1] + " " + rows[i][2] + " " + rows[i][3]);
  EXPECT_EQ(got, expected);
  fs::remove_all(out.parent_path());
}

TEST(EndToEndTest, ExampleCandidatesMatchTheGoldenFile) {
  const fs::path out = run_example(1);
  const fs::path golden = testing::source_dir() / "tests/data/golden/synthetic-cohort.candidates.tsv";
  EXPECT_EQ(testing::read_file(out / "candidates.tsv"), testing::read_file(golden))
      << "regenerate with: rarematch run ... -o DIR && cp DIR/candidates.tsv " << golden
      << " (after checking the difference is intended)";
  fs::remove_all(out.parent_path());
}

TEST(EndToEndTest, OutputsAreByteIdenticalForOneAndTwoThreads) {
  const fs::path one = run_example(1);
  const fs::path two = run_example(2);
  for (const char* name : {"candidates.tsv", "candidates.json", "profiles.pb", "catalogue.pb"}) {
    EXPECT_EQ(testing::read_file(one / name), testing::read_file(two / name)) << name;
  }
  fs::remove_all(one.parent_path());
  fs::remove_all(two.parent_path());
}

TEST(EndToEndTest, AnnotateThenMatchGivesTheSameCandidatesAsRun) {
  const fs::path run = run_example(2);
  const fs::path dir = testing::make_temp_dir("e2e-two-step");
  const std::string binary = shell_quote(testing::rarematch_binary().string());
  auto annotate = run_command(binary + " annotate" + example_inputs(false) + " --quiet -o " +
                              shell_quote((dir / "annotated").string()));
  ASSERT_EQ(annotate.exit_code, 0) << annotate.err;
  auto match = run_command(binary + " match --profiles " + shell_quote((dir / "annotated/profiles.pb").string()) +
                           " --catalogue " + shell_quote((example_dir() / "trials.textproto").string()) +
                           " --oncotree " + shell_quote((example_dir() / "oncotree.json").string()) + " --quiet -o " +
                           shell_quote((dir / "matched").string()));
  ASSERT_EQ(match.exit_code, 0) << match.err;
  EXPECT_EQ(testing::read_file(dir / "matched/candidates.tsv"), testing::read_file(run / "candidates.tsv"));
  EXPECT_EQ(testing::read_file(dir / "annotated/profiles.pb"), testing::read_file(run / "profiles.pb"));
  fs::remove_all(dir);
  fs::remove_all(run.parent_path());
}

TEST(EndToEndTest, ResultsArePrivateToTheOwner) {
  const fs::path out = run_example(1);
  struct stat info {};
  ASSERT_EQ(::stat(out.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0700u);
  for (const auto& entry : fs::directory_iterator(out)) {
    ASSERT_EQ(::stat(entry.path().c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600u) << entry.path();
    EXPECT_EQ(entry.path().filename().string().find(".tmp"), std::string::npos) << "temporary file left behind";
  }
  fs::remove_all(out.parent_path());
}

TEST(EndToEndTest, SummaryCountsPatientsByOutcome) {
  const fs::path out = run_example(1);
  const std::string summary = testing::read_file(out / "summary.json");
  EXPECT_NE(summary.find("\"patients_with_eligible\": 15"), std::string::npos) << summary;
  EXPECT_NE(summary.find("\"patients_with_only_potential\": 4"), std::string::npos);
  EXPECT_NE(summary.find("\"patients_without_candidates\": 3"), std::string::npos);
  EXPECT_NE(summary.find("\"command_line\": \"rarematch run"), std::string::npos);
  fs::remove_all(out.parent_path());
}

}  // namespace
}  // namespace rarematch
