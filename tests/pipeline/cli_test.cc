// The command line as a user meets it: help, versions, exit codes, error messages, catalogue tools.
#include <fstream>

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include "matchers/catalogue_io.h"
#include "tests/support/test_support.h"

namespace rarematch {
namespace {

namespace fs = std::filesystem;
using testing::run_command;
using testing::shell_quote;

std::string binary() { return shell_quote(testing::rarematch_binary().string()); }
std::string example(const std::string& name) {
  return shell_quote((testing::source_dir() / "examples/synthetic-cohort" / name).string());
}
std::string test_data(const std::string& name) {
  return shell_quote((testing::source_dir() / "tests/data" / name).string());
}

TEST(CliTest, VersionNamesTheLibraries) {
  const auto result = run_command(binary() + " --version");
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_NE(result.out.find("rarematch "), std::string::npos);
  EXPECT_NE(result.out.find("htslib"), std::string::npos);
  EXPECT_NE(result.out.find("oneTBB"), std::string::npos);
}

TEST(CliTest, EveryCommandHasHelpWithExitCodes) {
  for (const char* command : {"", " run", " annotate", " match", " catalogue", " catalogue validate",
                              " catalogue convert"}) {
    const auto result = run_command(binary() + command + " --help");
    EXPECT_EQ(result.exit_code, 0) << command << result.err;
    EXPECT_NE(result.out.find("Exit codes"), std::string::npos) << command;
    EXPECT_NE(result.out.find("Usage: rarematch"), std::string::npos) << command;
  }
  EXPECT_NE(run_command(binary() + " run --help").out.find("Ranking"), std::string::npos);
}

TEST(CliTest, BadUsageExitsTwoWithAHint) {
  const auto unknown = run_command(binary() + " frobnicate");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("rarematch: command line: unknown command 'frobnicate'"), std::string::npos) << unknown.err;
  EXPECT_NE(unknown.err.find("  hint: "), std::string::npos);
  const auto missing = run_command(binary() + " run --samplesheet x.csv --gff3 g --fasta f -o out");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("--catalogue"), std::string::npos) << missing.err;
  const auto bad_option = run_command(binary() + " match --no-such-option");
  EXPECT_EQ(bad_option.exit_code, 2);
  const auto threads = run_command(binary() + " match --profiles p --catalogue c.textproto -o o --threads 0");
  EXPECT_EQ(threads.exit_code, 2);
}

TEST(CliTest, CatalogueValidateAcceptsTheExample) {
  const auto result =
      run_command(binary() + " catalogue validate " + example("trials.textproto") + " --oncotree " + example("oncotree.json"));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("valid (10 trials"), std::string::npos) << result.out;
}

TEST(CliTest, CatalogueValidateListsEveryProblemAndExitsOne) {
  const auto result = run_command(binary() + " catalogue validate " + test_data("catalogues/broken.textproto") +
                                  " --oncotree " + test_data("oncotree-mini.json"));
  EXPECT_EQ(result.exit_code, 1);
  const std::string file = (testing::source_dir() / "tests/data/catalogues/broken.textproto").string();
  EXPECT_NE(result.err.find(file + ":11: trial T-BROKEN: arm A/all[0]/genomic: malformed protein change 'p.L858'"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find(file + ":16: trial T-BROKEN: arm A/all[5]/clinical: unknown OncoTree code 'NOTACODE'"),
            std::string::npos);
  EXPECT_NE(result.err.find("8 problems found"), std::string::npos);
}

TEST(CliTest, CatalogueConvertRoundTripsThroughJsonAndBinary) {
  const fs::path dir = testing::make_temp_dir("cli-convert");
  const auto convert = [&](const std::string& in, const std::string& out) {
    const auto result = run_command(binary() + " catalogue convert " + in + " -o " + shell_quote((dir / out).string()));
    ASSERT_EQ(result.exit_code, 0) << result.err;
  };
  convert(example("trials.textproto"), "a.json");
  convert(shell_quote((dir / "a.json").string()), "b.pb");
  convert(shell_quote((dir / "b.pb").string()), "c.txtpb");
  convert(example("trials.textproto"), "canonical.txtpb");
  EXPECT_EQ(testing::read_file(dir / "c.txtpb"), testing::read_file(dir / "canonical.txtpb"));
  const auto original =
      matchers::LoadedCatalogue::read((testing::source_dir() / "examples/synthetic-cohort/trials.textproto").string());
  const auto back = matchers::LoadedCatalogue::read((dir / "c.txtpb").string());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(original.catalogue(), back.catalogue()));
  fs::remove_all(dir);
}

TEST(CliTest, CatalogueConvertRefusesAnInvalidCatalogue) {
  const fs::path dir = testing::make_temp_dir("cli-convert");
  const auto result = run_command(binary() + " catalogue convert " + test_data("catalogues/broken.textproto") +
                                  " -o " + shell_quote((dir / "out.json").string()));
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_FALSE(fs::exists(dir / "out.json"));
  fs::remove_all(dir);
}

/// Writes a one-row samplesheet for `vcf` and runs the example's reference and catalogue on it.
testing::CommandResult run_on_vcf(const fs::path& dir, const std::string& vcf_text) {
  std::ofstream(dir / "s.vcf") << vcf_text;
  std::ofstream(dir / "samples.csv") << "patient,sample,vcf\nPX,PX-T,s.vcf\n";
  return run_command(binary() + " run --samplesheet " + shell_quote((dir / "samples.csv").string()) + " --gff3 " +
                     example("reference/genes.gff3") + " --fasta " + example("reference/genome.fa") + " --oncotree " +
                     example("oncotree.json") + " --catalogue " + example("trials.textproto") + " -o " +
                     shell_quote((dir / "out").string()));
}

TEST(CliTest, GenomeBuildMismatchIsRefusedWithoutResults) {
  const fs::path dir = testing::make_temp_dir("cli-build");
  const auto result = run_on_vcf(dir,
                                 "##fileformat=VCFv4.2\n##contig=<ID=chr7,length=159345973>\n"
                                 "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tPX-T\n"
                                 "chr7\t10532\t.\tT\tG\t.\tPASS\t.\tGT\t0/1\n");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("##contig chr7: declared length 159345973"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("another genome build"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir / "out"));
  fs::remove_all(dir);
}

TEST(CliTest, ContigMissingFromTheReferenceNamesTheRecordLine) {
  const fs::path dir = testing::make_temp_dir("cli-contig");
  const auto result = run_on_vcf(dir,
                                 "##fileformat=VCFv4.2\n##contig=<ID=chr7>\n##contig=<ID=chr99>\n"
                                 "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tPX-T\n"
                                 "chr7\t10532\t.\tT\tG\t.\tPASS\t.\tGT\t0/1\n"
                                 "chr99\t100\t.\tA\tC\t.\tPASS\t.\tGT\t0/1\n");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("s.vcf:6: contig chr99 (record 2): not in the reference"), std::string::npos) << result.err;
  EXPECT_FALSE(fs::exists(dir / "out"));
  fs::remove_all(dir);
}

TEST(CliTest, MissingVariantFileIsBadInputNamingIt) {
  const fs::path dir = testing::make_temp_dir("cli-missing");
  std::ofstream(dir / "samples.csv") << "patient,sample,vcf\nPX,PX-T,absent.vcf\n";
  const auto result = run_command(binary() + " annotate --samplesheet " + shell_quote((dir / "samples.csv").string()) +
                                  " --gff3 " + example("reference/genes.gff3") + " --fasta " +
                                  example("reference/genome.fa") + " -o " + shell_quote((dir / "out").string()));
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("absent.vcf"), std::string::npos) << result.err;
  EXPECT_FALSE(fs::exists(dir / "out"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace rarematch

namespace rarematch {
namespace {

TEST(CliTest, SampleIdOfTwoPatientsIsRefused) {
  const fs::path dir = testing::make_temp_dir("cli-dup-sample");
  std::ofstream(dir / "s.vcf") << "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tT\n";
  std::ofstream(dir / "samples.csv") << "patient,sample,vcf\nPA,T,s.vcf\nPB,T,s.vcf\n";
  const auto result = run_command(binary() + " annotate --samplesheet " + shell_quote((dir / "samples.csv").string()) +
                                  " --gff3 " + example("reference/genes.gff3") + " --fasta " +
                                  example("reference/genome.fa") + " -o " + shell_quote((dir / "out").string()));
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("samples.csv:3: sample T: the id is also used at"), std::string::npos) << result.err;
  EXPECT_FALSE(fs::exists(dir / "out"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace rarematch
