#include "reference/genome.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "reference/error.h"
#include "tests/support/test_support.h"

namespace rarematch::reference {
namespace {

namespace fs = std::filesystem;
using ::rarematch::testing::write_compressed_file;
using ::rarematch::testing::write_text_file;

// Lines of 10 bases; chr1 has 23 bases with lower case (soft-masked) stretches, "2" has 4.
constexpr const char* kFasta =
    ">chr1 first test contig\n"
    "ACGTacgtNN\n"
    "GGGGCCCCaa\n"
    "TTA\n"
    ">2\n"
    "GATC\n";

template <typename Action>
std::optional<Error> error_of(Action action) {
  try {
    action();
  } catch (const Error& error) {
    return error;
  }
  return std::nullopt;
}

class GenomeTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = testing::make_temp_dir("rarematch-fasta"); }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(GenomeTest, BuildsIndexAndFetchesUpperCaseOneBasedClosedRanges) {
  const fs::path path = write_text_file(dir_ / "small.fa", kFasta);
  const Genome genome = Genome::open(path.string());
  EXPECT_TRUE(fs::exists(path.string() + ".fai"));
  EXPECT_EQ(genome.path(), path.string());
  EXPECT_EQ(genome.contigs(), (std::vector<std::string>{"chr1", "2"}));
  EXPECT_EQ(genome.fetch("chr1", 1, 1), "A");
  EXPECT_EQ(genome.fetch("chr1", 1, 4), "ACGT");
  EXPECT_EQ(genome.fetch("chr1", 5, 8), "ACGT");            // soft-masked, upper-cased
  EXPECT_EQ(genome.fetch("chr1", 9, 12), "NNGG");           // across a line break
  EXPECT_EQ(genome.fetch("chr1", 19, 23), "AATTA");         // up to the last base
  EXPECT_EQ(genome.fetch("chr1", 1, 23), "ACGTACGTNNGGGGCCCCAATTA");
  EXPECT_EQ(genome.fetch("2", 2, 3), "AT");
}

TEST_F(GenomeTest, ResolvesContigAliases) {
  const Genome genome = Genome::open(write_text_file(dir_ / "small.fa", kFasta).string());
  EXPECT_EQ(genome.resolve_contig("chr1"), std::optional<std::string>("chr1"));
  EXPECT_EQ(genome.resolve_contig("1"), std::optional<std::string>("chr1"));
  EXPECT_EQ(genome.resolve_contig("chr2"), std::optional<std::string>("2"));
  EXPECT_EQ(genome.resolve_contig("chr3"), std::nullopt);
  EXPECT_EQ(genome.contig_length("1"), std::optional<std::uint64_t>(23));
  EXPECT_EQ(genome.contig_length("chr2"), std::optional<std::uint64_t>(4));
  EXPECT_EQ(genome.contig_length("chrZ"), std::nullopt);
  EXPECT_EQ(genome.fetch("1", 2, 3), "CG");
}

TEST_F(GenomeTest, PrefersExactNameOverAlias) {
  const Genome genome =
      Genome::open(write_text_file(dir_ / "both.fa", ">7\nAAAA\n>chr7\nCCCC\n").string());
  EXPECT_EQ(genome.resolve_contig("chr7"), std::optional<std::string>("chr7"));
  EXPECT_EQ(genome.resolve_contig("7"), std::optional<std::string>("7"));
  EXPECT_EQ(genome.fetch("chr7", 1, 2), "CC");
}

TEST_F(GenomeTest, RejectsRangesOutsideTheContigAndUnknownContigs) {
  const fs::path path = write_text_file(dir_ / "small.fa", kFasta);
  const Genome genome = Genome::open(path.string());
  for (const auto& [start, end] : std::vector<std::pair<std::uint64_t, std::uint64_t>>{{0, 3}, {5, 4}, {20, 24}}) {
    const auto error = error_of([&] { genome.fetch("chr1", start, end); });
    ASSERT_TRUE(error.has_value()) << start << "-" << end;
    EXPECT_EQ(error->file(), path.string());
    EXPECT_EQ(error->kind(), ErrorKind::kBadInput);
  }
  const auto error = error_of([&] { genome.fetch("chrZ", 1, 1); });
  ASSERT_TRUE(error.has_value());
  EXPECT_NE(error->why().find("chrZ"), std::string::npos) << error->why();
}

TEST_F(GenomeTest, ReadsBgzipAndRejectsPlainGzip) {
  const fs::path bgzipped = write_compressed_file(dir_ / "small.fa.gz", kFasta, "w");
  const Genome genome = Genome::open(bgzipped.string());
  EXPECT_TRUE(fs::exists(bgzipped.string() + ".gzi"));
  EXPECT_EQ(genome.fetch("1", 5, 12), "ACGTNNGG");

  const fs::path gzipped = write_compressed_file(dir_ / "gzip.fa.gz", kFasta, "wg");
  const auto error = error_of([&] { Genome::open(gzipped.string()); });
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->file(), gzipped.string());
  EXPECT_NE(error->hint().find("bgzip"), std::string::npos);
}

TEST_F(GenomeTest, RejectsMissingFile) {
  const fs::path missing = dir_ / "missing.fa";
  const auto error = error_of([&] { Genome::open(missing.string()); });
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->file(), missing.string());
}

TEST_F(GenomeTest, MovedGenomeKeepsWorking) {
  Genome first = Genome::open(write_text_file(dir_ / "small.fa", kFasta).string());
  Genome second = std::move(first);
  EXPECT_EQ(second.fetch("chr1", 1, 4), "ACGT");
  Genome third = Genome::open(write_text_file(dir_ / "other.fa", ">x\nTTTT\n").string());
  third = std::move(second);
  EXPECT_EQ(third.fetch("2", 1, 4), "GATC");
}

// ---- real data -----------------------------------------------------------------------------------------------

TEST(GenomeRealDataTest, MiniGrch38FetchesHotspotBases) {
  const fs::path path = testing::shared_data_dir() / "mini-grch38" / "mini_grch38.fa.gz";
  RAREMATCH_REQUIRE_SHARED_DATA(path);
  const Genome genome = Genome::open(path.string());
  EXPECT_EQ(genome.contigs(), (std::vector<std::string>{"chr1", "chr3", "chr4", "chr5", "chr7", "chr13", "chr17",
                                                        "chr21"}));
  EXPECT_EQ(genome.contig_length("chr7"), std::optional<std::uint64_t>(159345973));  // GRCh38 chr7
  EXPECT_EQ(genome.contig_length("7"), std::optional<std::uint64_t>(159345973));
  EXPECT_EQ(genome.contig_length("chr4"), std::optional<std::uint64_t>(190214555));
  EXPECT_EQ(genome.fetch("chr7", 55191822, 55191822), "T");  // EGFR L858R reference base
  EXPECT_EQ(genome.fetch("7", 55191817, 55191827), "TGGGCTGGCCA");
  EXPECT_EQ(genome.fetch("chr4", 54733155, 54733155), "A");  // KIT D816V reference base
  EXPECT_EQ(genome.fetch("chr7", 55181378, 55181378), "C");  // EGFR T790M reference base
  EXPECT_EQ(genome.fetch("chr7", 1, 5), "NNNNN");
  EXPECT_EQ(genome.fetch("chr7", 159345973, 159345973), "N");
}

TEST(GenomeRealDataTest, Brca1Grch37FastaOpens) {
  const fs::path path = testing::shared_data_dir() / "ga4gh-brca1-grch37" / "17_GRCh37.BRCA1_region_only.Npadded.fa.gz";
  RAREMATCH_REQUIRE_SHARED_DATA(path);
  const Genome genome = Genome::open(path.string());
  EXPECT_EQ(genome.contigs(), (std::vector<std::string>{"17"}));
  EXPECT_EQ(genome.resolve_contig("chr17"), std::optional<std::string>("17"));
  EXPECT_EQ(genome.contig_length("17"), std::optional<std::uint64_t>(81195210));
  EXPECT_EQ(genome.fetch("17", 41196311, 41196313), "NNG");
  EXPECT_EQ(genome.fetch("chr17", 41196313, 41196333), "GGAAGTGTTTGCTACCAAGTT");
}

}  // namespace
}  // namespace rarematch::reference
