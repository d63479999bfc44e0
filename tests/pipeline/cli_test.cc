// The command line as a user meets it: help, versions, exit codes, error messages, catalogue tools.
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <regex>

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

namespace rarematch {
namespace {

/// The example's run options with the reference given as `reference_args`.
std::string example_run(const std::string& reference_args, const fs::path& out) {
  return binary() + " run --quiet --samplesheet " + example("samplesheet.csv") + " --clinical " +
         example("clinical/data_clinical_patient.txt") + " --clinical " + example("clinical/data_clinical_sample.txt") +
         " --oncotree " + example("oncotree.json") + " --catalogue " + example("trials.textproto") + " " +
         reference_args + " -o " + shell_quote(out.string());
}

TEST(CliTest, ReferenceBundleGivesTheSameResultsAsGff3AndFasta) {
  const testing::TempDir dir("cli-bundle");
  const fs::path bundle = dir.path() / "example.rmref";
  const auto build = run_command(binary() + " reference build --gff3 " + example("reference/genes.gff3") +
                                 " --fasta " + example("reference/genome.fa") + " -o " + shell_quote(bundle.string()));
  ASSERT_EQ(build.exit_code, 0) << build.err;
  const auto from_files = run_command(example_run(
      "--gff3 " + example("reference/genes.gff3") + " --fasta " + example("reference/genome.fa"), dir.path() / "a"));
  ASSERT_EQ(from_files.exit_code, 0) << from_files.err;
  const auto from_bundle = run_command(example_run("--reference " + shell_quote(bundle.string()), dir.path() / "b"));
  ASSERT_EQ(from_bundle.exit_code, 0) << from_bundle.err;
  for (const char* name : {"candidates.tsv", "profiles.pb", "annotated_calls.tsv"}) {
    EXPECT_EQ(testing::read_file(dir.path() / "a" / name), testing::read_file(dir.path() / "b" / name)) << name;
  }
}

TEST(CliTest, RefMismatchStopsUnlessCountedAsSkipped) {
  const testing::TempDir dir("cli-ref");
  // chr7:10532 is T in the example genome (EGFR L858R); REF A contradicts it.
  const std::string vcf = "##fileformat=VCFv4.2\n##contig=<ID=chr7>\n"
                          "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tPX-T\n"
                          "chr7\t10532\t.\tA\tG\t.\tPASS\t.\tGT\t0/1\n";
  const auto refused = run_on_vcf(dir.path(), vcf);
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("s.vcf:4: REF of record 1"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("--skip-ref-mismatch"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir.path() / "out"));
  const auto counted = run_command(binary() + " annotate --quiet --skip-ref-mismatch --samplesheet " +
                                   shell_quote((dir.path() / "samples.csv").string()) + " --gff3 " +
                                   example("reference/genes.gff3") + " --fasta " + example("reference/genome.fa") +
                                   " -o " + shell_quote((dir.path() / "counted").string()));
  ASSERT_EQ(counted.exit_code, 0) << counted.err;
  EXPECT_NE(testing::read_file(dir.path() / "counted/summary.json").find("\"ref_mismatch\": 1"), std::string::npos);
}

TEST(CliTest, UnknownContigsAndLengthsHaveExplicitOptions) {
  const testing::TempDir dir("cli-contig-options");
  const std::string vcf = "##fileformat=VCFv4.2\n##contig=<ID=chr7,length=159345973>\n##contig=<ID=chr99>\n"
                          "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tPX-T\n"
                          "chr7\t10532\t.\tT\tG\t.\tPASS\t.\tGT\t0/1\n"
                          "chr99\t100\t.\tA\tC\t.\tPASS\t.\tGT\t0/1\n";
  testing::write_text_file(dir.path() / "s.vcf", vcf);
  testing::write_text_file(dir.path() / "samples.csv", "patient,sample,vcf\nPX,PX-T,s.vcf\n");
  const auto result = run_command(binary() + " annotate --quiet --ignore-contig-lengths --skip-unknown-contigs "
                                  "--samplesheet " + shell_quote((dir.path() / "samples.csv").string()) + " --gff3 " +
                                  example("reference/genes.gff3") + " --fasta " + example("reference/genome.fa") +
                                  " -o " + shell_quote((dir.path() / "out").string()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::string summary = testing::read_file(dir.path() / "out/summary.json");
  EXPECT_NE(summary.find("\"contig_not_in_reference\": 1"), std::string::npos) << summary;
  EXPECT_NE(testing::read_file(dir.path() / "out/annotated_calls.tsv").find("p.L858R"), std::string::npos);
}

}  // namespace
}  // namespace rarematch

namespace rarematch {
namespace {

TEST(CliTest, PreannotatedBcsqNeedsNoReferenceAndAgreesWithBuiltin) {
  if (run_command("command -v bcftools").exit_code != 0) {
    if (testing::running_in_ci()) FAIL() << "bcftools missing in CI (scripts/setup.sh --with-tools installs it)";
    GTEST_SKIP() << "bcftools not on PATH";
  }
  const testing::TempDir dir("cli-bcsq");
  const auto csq = run_command("bcftools csq -l -f " + example("reference/genome.fa") + " -g " +
                               example("reference/genes.gff3") + " -Ov -o " +
                               shell_quote((dir.path() / "p01.vcf").string()) + " " + example("vcf/P01-T.vcf"));
  ASSERT_EQ(csq.exit_code, 0) << csq.err;
  testing::write_text_file(dir.path() / "samples.csv", "patient,sample,vcf\nP01,P01-T,p01.vcf\n");
  const std::string sheet = shell_quote((dir.path() / "samples.csv").string());
  const auto given = run_command(binary() + " annotate --quiet --annotation bcsq --samplesheet " + sheet + " -o " +
                                 shell_quote((dir.path() / "given").string()));
  ASSERT_EQ(given.exit_code, 0) << given.err;
  const auto builtin = run_command(binary() + " annotate --quiet --samplesheet " + sheet + " --gff3 " +
                                   example("reference/genes.gff3") + " --fasta " + example("reference/genome.fa") +
                                   " -o " + shell_quote((dir.path() / "builtin").string()));
  ASSERT_EQ(builtin.exit_code, 0) << builtin.err;
  const std::string given_calls = testing::read_file(dir.path() / "given/annotated_calls.tsv");
  EXPECT_NE(given_calls.find("EGFR\tENSTSYN00000000003\tmissense_variant\tmoderate\t\tp.Leu858Arg\tp.L858R"),
            std::string::npos)
      << given_calls;
  EXPECT_NE(testing::read_file(dir.path() / "builtin/annotated_calls.tsv").find("p.Leu858Arg\tp.L858R"),
            std::string::npos);
}

}  // namespace
}  // namespace rarematch


namespace rarematch {
namespace {

/// Skips (or, in CI, fails) when bcftools is not on PATH.
#define RAREMATCH_REQUIRE_BCFTOOLS()                                                                      \
  do {                                                                                                     \
    if (run_command("command -v bcftools").exit_code != 0) {                                               \
      if (testing::running_in_ci()) FAIL() << "bcftools missing in CI (scripts/setup.sh --with-tools installs it)"; \
      GTEST_SKIP() << "bcftools not on PATH";                                                              \
    }                                                                                                      \
  } while (false)

std::string example_annotate(const fs::path& out) {
  return binary() + " annotate --quiet --samplesheet " + example("samplesheet.csv") + " --gff3 " +
         example("reference/genes.gff3") + " --fasta " + example("reference/genome.fa") + " -o " +
         shell_quote(out.string());
}

std::size_t count_lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

TEST(CliTest, AnnotateWritesEachInputAsAnAnnotatedVcf) {
  RAREMATCH_REQUIRE_BCFTOOLS();
  const testing::TempDir dir("cli-annotated-vcf");
  const fs::path out = dir.path() / "out";
  const auto result = run_command(example_annotate(out));
  ASSERT_EQ(result.exit_code, 0) << result.err;

  // summary.json names each VCF input's annotated copy, numbered in input order.
  const std::string summary = testing::read_file(out / "summary.json");
  const std::regex entry("\"path\": \"([^\"]+)\",\\s*\"kind\": \"vcf\",\\s*\"records\": (\\d+),[^}]*?"
                         "\"annotated_vcf\": \"([^\"]+)\"");
  std::size_t inputs = 0;
  for (auto it = std::sregex_iterator(summary.begin(), summary.end(), entry); it != std::sregex_iterator(); ++it) {
    ++inputs;
    const std::string name = (*it)[3];
    EXPECT_EQ(name, "annotated." + std::to_string(inputs) + ".vcf.gz");
    const fs::path annotated = out / name;
    ASSERT_TRUE(fs::exists(annotated)) << name;
    struct stat info {};
    ASSERT_EQ(::stat(annotated.c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600) << name;
    fs::path input = (*it)[1].str();
    if (input.is_relative()) input = testing::source_dir() / "examples/synthetic-cohort" / input;
    const auto original = run_command("bcftools view -H " + shell_quote(input.string()));
    const auto written = run_command("bcftools view -H " + shell_quote(annotated.string()));
    ASSERT_EQ(original.exit_code, 0) << original.err;
    ASSERT_EQ(written.exit_code, 0) << written.err;
    EXPECT_EQ(count_lines(written.out), count_lines(original.out)) << name;
    EXPECT_EQ(count_lines(written.out), std::stoull((*it)[2].str())) << name;
  }
  EXPECT_GE(inputs, 2U) << summary;
  EXPECT_FALSE(fs::exists(out / "annotated.0.vcf.gz"));

  // P01 (first row of the samplesheet) carries EGFR L858R.
  const auto header = run_command("bcftools view -h " + shell_quote((out / "annotated.1.vcf.gz").string()));
  EXPECT_NE(header.out.find("##INFO=<ID=RMCSQ,Number=.,Type=String,Description=\"rarematch annotation. Format: "
                            "Allele|Gene|Transcript|Consequence|Impact|HGVSc|HGVSp|Exon|Intron\">"),
            std::string::npos)
      << header.out;
  const auto csq = run_command("bcftools query -f '%INFO/RMCSQ\\n' " +
                               shell_quote((out / "annotated.1.vcf.gz").string()));
  ASSERT_EQ(csq.exit_code, 0) << csq.err;
  EXPECT_NE(csq.out.find("G|EGFR|ENSTSYN00000000003|missense_variant|MODERATE|c.2573T>G|p.Leu858Arg|21|\n"),
            std::string::npos)
      << csq.out;
}

TEST(CliTest, AnnotatedVcfKeepsRecordsNoSampleCarriesAndUndeclaredTags) {
  RAREMATCH_REQUIRE_BCFTOOLS();
  const testing::TempDir dir("cli-annotated-undeclared");
  // No ##contig or ##INFO lines (HTSlib adds them while reading); an old RMCSQ is replaced; 0/0 gets none.
  testing::write_text_file(dir.path() / "s.vcf",
                           "##fileformat=VCFv4.2\n"
                           "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tPX-T\n"
                           "chr7\t10532\t.\tT\tG\t.\tPASS\tFOO=1;RMCSQ=old\tGT\t0/1\n"
                           "chr7\t10533\t.\tT\tG\t.\tPASS\t.\tGT\t0/0\n"
                           "chr17\t5543\t.\tC\tT\t.\tPASS\tBAR=x\tGT\t0/1\n");
  testing::write_text_file(dir.path() / "samples.csv", "patient,sample,vcf\nPX,PX-T,s.vcf\n");
  const fs::path out = dir.path() / "out";
  const auto result = run_command(binary() + " annotate --quiet --samplesheet " +
                                  shell_quote((dir.path() / "samples.csv").string()) + " --gff3 " +
                                  example("reference/genes.gff3") + " --fasta " + example("reference/genome.fa") +
                                  " -o " + shell_quote(out.string()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto query = run_command("bcftools query -f '%CHROM:%POS %INFO/FOO %INFO/BAR %INFO/RMCSQ\\n' " +
                                 shell_quote((out / "annotated.1.vcf.gz").string()) + " 2>/dev/null");
  ASSERT_EQ(query.exit_code, 0) << query.err;
  EXPECT_EQ(query.out,
            "chr7:10532 1 . G|EGFR|ENSTSYN00000000003|missense_variant|MODERATE|c.2573T>G|p.Leu858Arg|21|\n"
            "chr7:10533 . . .\n"
            "chr17:5543 . x T|TP53|ENSTSYN00000000007|missense_variant|MODERATE|c.818G>A|p.Arg273His|8|\n");
}

TEST(CliTest, FailedRunLeavesNoAnnotatedVcfNorTheFolderItCreated) {
  const testing::TempDir dir("cli-annotated-fail");
  // The first input is fine (its annotated VCF is written), the second contradicts the reference.
  testing::write_text_file(dir.path() / "good.vcf",
                           "##fileformat=VCFv4.2\n##contig=<ID=chr7>\n"
                           "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tPA-T\n"
                           "chr7\t10532\t.\tT\tG\t.\tPASS\t.\tGT\t0/1\n");
  testing::write_text_file(dir.path() / "bad.vcf",
                           "##fileformat=VCFv4.2\n##contig=<ID=chr7>\n"
                           "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tPB-T\n"
                           "chr7\t10532\t.\tA\tG\t.\tPASS\t.\tGT\t0/1\n");
  testing::write_text_file(dir.path() / "samples.csv", "patient,sample,vcf\nPA,PA-T,good.vcf\nPB,PB-T,bad.vcf\n");
  const auto annotate = [&](const fs::path& out) {
    return run_command(binary() + " annotate --quiet --samplesheet " +
                       shell_quote((dir.path() / "samples.csv").string()) + " --gff3 " +
                       example("reference/genes.gff3") + " --fasta " + example("reference/genome.fa") + " -o " +
                       shell_quote(out.string()));
  };
  const auto created = annotate(dir.path() / "out");
  EXPECT_EQ(created.exit_code, 1);
  EXPECT_NE(created.err.find("bad.vcf:4: REF of record 1"), std::string::npos) << created.err;
  EXPECT_FALSE(fs::exists(dir.path() / "out"));

  // A folder that was there before stays, empty.
  fs::create_directory(dir.path() / "existing");
  const auto existing = annotate(dir.path() / "existing");
  EXPECT_EQ(existing.exit_code, 1);
  ASSERT_TRUE(fs::is_directory(dir.path() / "existing"));
  EXPECT_TRUE(fs::is_empty(dir.path() / "existing"));
}

}  // namespace
}  // namespace rarematch
