#include "pipeline/vcf_reader.h"

#include <cstdint>
#include <filesystem>
#include <optional>
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
using ::rarematch::testing::shared_data_dir;
using ::rarematch::testing::TempDir;
using ::rarematch::testing::write_compressed_file;

constexpr const char* kTempPrefix = "rarematch-vcf-reader";

/// Converts a VCF that declares all its contigs and tags to BCF with HTSlib.
void write_bcf(const std::string& vcf, const std::string& bcf) {
  HtsFilePtr in(hts_open(vcf.c_str(), "r"));
  ASSERT_TRUE(in);
  BcfHeaderPtr header(bcf_hdr_read(in.get()));
  ASSERT_TRUE(header);
  HtsFilePtr out(hts_open(bcf.c_str(), "wb"));
  ASSERT_TRUE(out);
  ASSERT_EQ(bcf_hdr_write(out.get(), header.get()), 0);
  BcfRecordPtr record(bcf_init());
  while (bcf_read(in.get(), header.get(), record.get()) == 0) {
    ASSERT_EQ(bcf_write(out.get(), header.get(), record.get()), 0);
  }
}

/// Every record of a file, in one batch.
RecordBatch read_all(VcfReader& reader) {
  RecordBatch batch;
  reader.read_batch(batch, 1'000'000);
  return batch;
}

/// The calls of record `ordinal` (1-based) of `batch` in `columns`.
std::vector<Call> decode(const RecordBatch& batch, std::uint64_t ordinal, const std::vector<int>& columns,
                         std::uint64_t* skipped = nullptr) {
  std::uint64_t count = 0;
  auto calls = decode_calls(batch.header, batch.records.at(ordinal - batch.first_ordinal).get(), ordinal, columns,
                            count);
  if (skipped != nullptr) *skipped = count;
  return calls;
}

const char* const kSmallVcf =
    "##fileformat=VCFv4.2\n"
    "##contig=<ID=chr1,length=1000>\n"
    "##contig=<ID=chr2>\n"
    "##FILTER=<ID=q10,Description=\"low quality\">\n"
    "##FILTER=<ID=s50,Description=\"strand bias\">\n"
    "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n"
    "##FORMAT=<ID=AD,Number=R,Type=Integer,Description=\"Allelic depths\">\n"
    "##FORMAT=<ID=AF,Number=A,Type=Float,Description=\"Allele fraction\">\n"
    "##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"Depth\">\n"
    "##FORMAT=<ID=FT,Number=1,Type=String,Description=\"Sample filter\">\n"
    "##tumor_sample=TUMOR\n"
    "##normal_sample=NORMAL\n"
    "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tNORMAL\tTUMOR\n"
    // 1 (line 14): multi-allelic, the tumour carries the second ALT only.
    "chr1\t100\t.\tA\tC,G\t.\tPASS\t.\tGT:AD:DP\t0/0:30,0,0:30\t0/2:10,1,9:25\n"
    // 2: GT uncalled; AD and AF decide; FORMAT/FT adds to FILTER.
    "chr1\t200\t.\tC\tT\t.\tq10;s50\t.\tGT:AD:AF:DP:FT\t./.:.:.:.:.\t./.:5,5:0.4:12:lowdp\n"
    // 3: symbolic and overlapping-deletion alleles are skipped.
    "chr1\t300\t.\tG\t<DEL>,A,*\t.\t.\t.\tGT\t0/1\t0/2\n"
    // 4: breakends only.
    "chr2\t400\t.\tT\tT[chr1:5[,.T\t.\tPASS\t.\tGT\t0/1\t0/1\n"
    // 5: no GT names an ALT (as Pindel writes 0/0 for its somatic calls): AD decides.
    "chr1\t500\t.\tA\tG\t.\tPASS\t.\tGT:AD\t0:7,3\t0/0:9,1\n";

TEST(VcfReaderTest, ReadsHeaderSamplesValuesAndContigs) {
  TempDir dir(kTempPrefix);
  const std::string path = dir.write("small.vcf", kSmallVcf).string();
  VcfReader reader = VcfReader::open(path);
  EXPECT_EQ(reader.path(), path);
  EXPECT_EQ(reader.sample_names(), (std::vector<std::string>{"NORMAL", "TUMOR"}));
  EXPECT_EQ(reader.header_value("tumor_sample"), "TUMOR");
  EXPECT_EQ(reader.header_value("normal_sample"), "NORMAL");
  EXPECT_FALSE(reader.header_value("reference").has_value());
  const auto contigs = reader.contigs();
  ASSERT_EQ(contigs.size(), 2u);
  EXPECT_EQ(contigs[0].name, "chr1");
  EXPECT_EQ(contigs[0].length, 1000u);
  EXPECT_EQ(contigs[1].name, "chr2");
  EXPECT_FALSE(contigs[1].length.has_value());
  EXPECT_EQ(reader.line_of(1), 14u);
  EXPECT_EQ(reader.describe_record(2), path + ":15");
}

TEST(VcfReaderTest, ReadsInBatchesWithOrdinals) {
  TempDir dir(kTempPrefix);
  VcfReader reader = VcfReader::open(dir.write("small.vcf", kSmallVcf).string());
  RecordBatch batch;
  ASSERT_TRUE(reader.read_batch(batch, 2));
  EXPECT_EQ(batch.first_ordinal, 1u);
  EXPECT_EQ(batch.records.size(), 2u);
  EXPECT_EQ(batch.header, reader.header());
  ASSERT_TRUE(reader.read_batch(batch, 2));
  EXPECT_EQ(batch.first_ordinal, 3u);
  EXPECT_EQ(batch.records[0]->pos, 299);
  ASSERT_TRUE(reader.read_batch(batch, 2));
  EXPECT_EQ(batch.first_ordinal, 5u);
  EXPECT_EQ(batch.records.size(), 1u);
  EXPECT_FALSE(reader.read_batch(batch, 2));
  EXPECT_TRUE(batch.records.empty());
}

TEST(VcfReaderTest, DecodesCarriedAllelesWithVafDepthAndFilters) {
  TempDir dir(kTempPrefix);
  VcfReader reader = VcfReader::open(dir.write("small.vcf", kSmallVcf).string());
  const RecordBatch batch = read_all(reader);
  ASSERT_EQ(batch.records.size(), 5u);

  auto calls = decode(batch, 1, {0, 1});
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].record_ordinal, 1u);
  EXPECT_EQ(calls[0].sample_column, 1);
  EXPECT_EQ(calls[0].contig, "chr1");
  EXPECT_EQ(calls[0].position, 100u);
  EXPECT_EQ(calls[0].ref, "A");
  EXPECT_EQ(calls[0].alt, "G");
  EXPECT_TRUE(calls[0].filter_pass);
  EXPECT_TRUE(calls[0].filters.empty());
  ASSERT_TRUE(calls[0].vaf.has_value());
  EXPECT_DOUBLE_EQ(*calls[0].vaf, 9.0 / 20.0);
  EXPECT_EQ(calls[0].depth, 25u);
  EXPECT_EQ(calls[0].alt_depth, 9u);

  calls = decode(batch, 2, {0, 1});
  ASSERT_EQ(calls.size(), 1u);  // the normal column has no GT, AD or AF value
  EXPECT_EQ(calls[0].sample_column, 1);
  EXPECT_FALSE(calls[0].filter_pass);
  EXPECT_EQ(calls[0].filters, (std::vector<std::string>{"q10", "s50", "lowdp"}));
  ASSERT_TRUE(calls[0].vaf.has_value());
  EXPECT_NEAR(*calls[0].vaf, 0.4, 1e-6);  // FORMAT/AF wins over AD 5/10
  EXPECT_EQ(calls[0].depth, 12u);
  EXPECT_EQ(calls[0].alt_depth, 5u);

  std::uint64_t skipped = 0;
  calls = decode(batch, 3, {0, 1}, &skipped);
  EXPECT_EQ(skipped, 2u);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].alt, "A");
  EXPECT_EQ(calls[0].sample_column, 1);
  EXPECT_TRUE(calls[0].filter_pass);  // FILTER "."
  EXPECT_FALSE(calls[0].vaf.has_value());
  EXPECT_FALSE(calls[0].depth.has_value());

  calls = decode(batch, 4, {0, 1}, &skipped);
  EXPECT_EQ(skipped, 2u);
  EXPECT_TRUE(calls.empty());

  calls = decode(batch, 5, {0, 1});
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].sample_column, 0);
  EXPECT_DOUBLE_EQ(*calls[0].vaf, 3.0 / 10.0);
  EXPECT_EQ(calls[0].depth, 10u);  // no DP: sum(AD)
  EXPECT_EQ(calls[0].alt_depth, 3u);
  EXPECT_EQ(calls[1].sample_column, 1);
  EXPECT_DOUBLE_EQ(*calls[1].vaf, 1.0 / 10.0);
}

TEST(VcfReaderTest, ReadsAdAndAfByTheirValueCount) {
  TempDir dir(kTempPrefix);
  const std::string path = dir.write(
      "shapes.vcf",
      "##fileformat=VCFv4.2\n##contig=<ID=chr1>\n"
      "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"g\">\n"
      "##FORMAT=<ID=AD,Number=1,Type=Integer,Description=\"alt depth (VarScan)\">\n"
      "##FORMAT=<ID=AF,Number=.,Type=Float,Description=\"fractions\">\n"
      "##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"depth\">\n"
      "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n"
      "chr1\t10\t.\tA\tT\t.\tPASS\t.\tGT:AD:DP\t0/1:7:20\n"   // AD per ALT: no VAF from it
      "chr1\t20\t.\tA\tT\t.\tPASS\t.\tGT:AF\t0/1:0.9,0.1\n"   // AF per allele (RADIA)
      "chr1\t30\t.\tA\tT,C\t.\tPASS\t.\tGT:AF\t1/2:0.2,0.3\n"  // AF per ALT
      "chr1\t40\t.\tA\tT\t.\tPASS\t.\tAF:DP\t1.5:9\n")       // AF outside 0..1 is not a fraction
      .string();
  VcfReader reader = VcfReader::open(path);
  const RecordBatch batch = read_all(reader);

  auto calls = decode(batch, 1, {0});
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].alt_depth, 7u);
  EXPECT_FALSE(calls[0].vaf.has_value());
  EXPECT_EQ(calls[0].depth, 20u);

  calls = decode(batch, 2, {0});
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_NEAR(*calls[0].vaf, 0.1, 1e-6);

  calls = decode(batch, 3, {0});
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].alt, "T");
  EXPECT_NEAR(*calls[0].vaf, 0.2, 1e-6);
  EXPECT_EQ(calls[1].alt, "C");
  EXPECT_NEAR(*calls[1].vaf, 0.3, 1e-6);

  calls = decode(batch, 4, {0});
  ASSERT_EQ(calls.size(), 1u);  // no GT, an unusable AF: carried, without VAF
  EXPECT_FALSE(calls[0].vaf.has_value());
  EXPECT_EQ(calls[0].depth, 9u);
}

TEST(VcfReaderTest, GivesTheCallToEveryColumnWhenFormatHasNoGenotypeOrAlleleData) {
  TempDir dir(kTempPrefix);
  const std::string path = dir.write(
      "depth-only.vcf",
      "##fileformat=VCFv4.2\n##contig=<ID=3>\n"
      "##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"depth\">\n"
      "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tNORMAL\tTUMOR\n"
      "3\t10089934\t.\tTTC\tT\t.\tPASS\t.\tDP\t53\t82\n").string();
  VcfReader reader = VcfReader::open(path);
  const RecordBatch batch = read_all(reader);
  const auto calls = decode(batch, 1, {0, 1});
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[1].sample_column, 1);
  EXPECT_EQ(calls[1].depth, 82u);
  EXPECT_FALSE(calls[1].vaf.has_value());
  EXPECT_FALSE(calls[1].alt_depth.has_value());
}

TEST(VcfReaderTest, LetsCalledGenotypesDecideOnlyWhenSomeGenotypeNamesAnAlt) {
  TempDir dir(kTempPrefix);
  const std::string path = dir.write(
      "genotypes.vcf",
      "##fileformat=VCFv4.2\n##contig=<ID=1>\n"
      "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"g\">\n"
      "##FORMAT=<ID=AD,Number=R,Type=Integer,Description=\"depths\">\n"
      "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tNORMAL\tTUMOR\tMET\n"
      // The normal names the ALT: GT is informative, so the 0/0 columns do not carry it whatever AD says.
      "1\t100\t.\tA\tG\t.\tPASS\t.\tGT:AD\t0/1:20,18\t0/0:30,2\t./.:10,5\n"
      // Every GT 0/0: AD decides; a column without alt reads does not carry the allele.
      "1\t200\t.\tA\tG\t.\tPASS\t.\tGT:AD\t0/0:30,0\t0/0:43,4\t0/0:.\n").string();
  VcfReader reader = VcfReader::open(path);
  const RecordBatch batch = read_all(reader);
  auto calls = decode(batch, 1, {0, 1, 2});
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].sample_column, 0);
  EXPECT_EQ(calls[1].sample_column, 2);  // uncalled: AD 10,5 decides
  EXPECT_DOUBLE_EQ(*calls[1].vaf, 5.0 / 15.0);

  calls = decode(batch, 2, {0, 1, 2});
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].sample_column, 1);
  EXPECT_DOUBLE_EQ(*calls[0].vaf, 4.0 / 47.0);
  EXPECT_EQ(calls[0].alt_depth, 4u);
}

TEST(VcfReaderTest, ReadsCallerSpecificCountsAndFractions) {
  TempDir dir(kTempPrefix);
  const std::string path = dir.write(
      "callers.vcf",
      "##fileformat=VCFv4.2\n##contig=<ID=1>\n"
      "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"g\">\n"
      "##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"depth\">\n"
      "##FORMAT=<ID=AD,Number=1,Type=Integer,Description=\"VarScan: alt depth\">\n"
      "##FORMAT=<ID=RD,Number=1,Type=Integer,Description=\"VarScan: ref depth\">\n"
      "##FORMAT=<ID=FREQ,Number=1,Type=String,Description=\"VarScan: alt fraction\">\n"
      "##FORMAT=<ID=AU,Number=2,Type=Integer,Description=\"A tiers 1,2\">\n"
      "##FORMAT=<ID=CU,Number=2,Type=Integer,Description=\"C tiers 1,2\">\n"
      "##FORMAT=<ID=GU,Number=2,Type=Integer,Description=\"G tiers 1,2\">\n"
      "##FORMAT=<ID=TU,Number=2,Type=Integer,Description=\"T tiers 1,2\">\n"
      "##FORMAT=<ID=BCOUNT,Number=4,Type=Integer,Description=\"A,C,G,T counts\">\n"
      "##FORMAT=<ID=DP4,Number=4,Type=Integer,Description=\"ref-fwd,ref-rev,alt-fwd,alt-rev\">\n"
      "##FORMAT=<ID=FA,Number=A,Type=Float,Description=\"MuTect: alt fraction\">\n"
      "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tNORMAL\tTUMOR\n"
      // 1 VarScan: AD per ALT with RD; VAF from the counts (35 / 91), not the rounded FREQ.
      "1\t10\t.\tA\tG\t.\tPASS\t.\tGT:DP:RD:AD:FREQ\t0/0:11:11:0:0%\t0/1:95:56:35:38.46%\n"
      // 2 VarScan without RD: FREQ gives the VAF.
      "1\t20\t.\tA\tG\t.\tPASS\t.\tGT:DP:AD:FREQ\t0/0:11:0:0%\t0/1:13:4:30.77%\n"
      // 3 Strelka SNV (no GT): tier-1 counts; the normal has no T reads.
      "1\t30\t.\tC\tT\t.\tPASS\t.\tDP:AU:CU:GU:TU\t40:0,0:40,41:0,0:0,0\t66:2,2:39,39:0,0:25,27\n"
      // 4 Strelka SNV without DP: depth is the sum of the tier-1 counts.
      "1\t40\t.\tC\tT\t.\tPASS\t.\tAU:CU:GU:TU\t0,0:40,41:0,0:0,0\t2,2:39,39:0,0:25,27\n"
      // 5 SomaticSniper: BCOUNT (A,C,G,T) of the ALT base.
      "1\t50\t.\tC\tG\t.\tPASS\t.\tGT:DP:DP4:BCOUNT\t0/0:10:0,10,0,0:0,10,0,0\t0/1:8:0,3,0,4:0,3,4,1\n"
      // 6 an indel with DP4 only (biallelic).
      "1\t60\t.\tCA\tC\t.\tPASS\t.\tGT:DP4\t0/0:9,9,0,0\t0/1:10,6,2,2\n"
      // 7 MuTect: FA only.
      "1\t70\t.\tC\tG\t.\tPASS\t.\tGT:DP:FA\t0/0:30:0.00\t0/1:40:0.25\n").string();
  VcfReader reader = VcfReader::open(path);
  const RecordBatch batch = read_all(reader);
  struct Expected {
    std::uint64_t record;
    std::optional<double> vaf;
    std::optional<std::uint32_t> depth;
    std::optional<std::uint32_t> alt_depth;
  };
  for (const Expected& e : {Expected{1, 35.0 / 91.0, 95, 35}, Expected{2, 0.3077, 13, 4},
                            Expected{3, 25.0 / 64.0, 66, 25}, Expected{4, 25.0 / 64.0, 66, 25},
                            Expected{5, 4.0 / 8.0, 8, 4}, Expected{6, 4.0 / 20.0, 20, 4},
                            Expected{7, 0.25, 40, std::nullopt}}) {
    SCOPED_TRACE("record " + std::to_string(e.record));
    const auto calls = decode(batch, e.record, {0, 1});
    ASSERT_EQ(calls.size(), 1u);  // the normal column does not carry the allele
    EXPECT_EQ(calls[0].sample_column, 1);
    ASSERT_TRUE(calls[0].vaf.has_value());
    EXPECT_NEAR(*calls[0].vaf, *e.vaf, 1e-6);
    EXPECT_EQ(calls[0].depth, e.depth);
    EXPECT_EQ(calls[0].alt_depth, e.alt_depth);
  }
}

TEST(VcfReaderTest, ReadsUndeclaredStrelkaIndelTagsAsNumbers) {
  TempDir dir(kTempPrefix);
  // Strelka's indel records under its SNV header: TAR/TIR/TOR are not declared, so HTSlib types them String.
  const std::string path = dir.write(
      "strelka.vcf",
      "##fileformat=VCFv4.2\n##contig=<ID=3>\n"
      "##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"depth\">\n"
      "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tNORMAL\tTUMOR\n"
      "3\t10089934\t.\tTTC\tT\t.\tPASS\t.\tDP:TAR:TIR:TOR\t53:50,50:0,0:3,3\t82:60,61:12,14:9,9\n"
      "3\t10089950\t.\tT\tTA\t.\tPASS\t.\tTAR:TIR:TOR\t50,50:0,0:3,3\t.:12,14:9,9\n").string();
  VcfReader reader = VcfReader::open(path);
  const RecordBatch batch = read_all(reader);
  auto calls = decode(batch, 1, {0, 1});
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].sample_column, 1);
  EXPECT_EQ(calls[0].depth, 82u);
  EXPECT_EQ(calls[0].alt_depth, 12u);
  EXPECT_DOUBLE_EQ(*calls[0].vaf, 12.0 / 72.0);
  calls = decode(batch, 2, {0, 1});
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].alt_depth, 12u);
  EXPECT_FALSE(calls[0].vaf.has_value());  // TAR missing: no denominator
  EXPECT_FALSE(calls[0].depth.has_value());
}

TEST(VcfReaderTest, DecodesSitesOnlyVcfWithPseudoColumn) {
  TempDir dir(kTempPrefix);
  const std::string path = dir.write("sites.vcf",
                                     "##fileformat=VCFv4.2\n##contig=<ID=7>\n"
                                     "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
                                     "7\t55191822\t.\tT\tG\t.\tPASS\t.\n").string();
  VcfReader reader = VcfReader::open(path);
  EXPECT_TRUE(reader.sample_names().empty());
  const RecordBatch batch = read_all(reader);
  const auto calls = decode(batch, 1, {-1});
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].sample_column, -1);
  EXPECT_EQ(calls[0].position, 55191822u);
  EXPECT_TRUE(decode(batch, 1, {}).empty());
  const Error error = expect_error([&] { decode(batch, 1, {0}); });
  EXPECT_EQ(error.kind(), ErrorKind::kInternal);
}

TEST(VcfReaderTest, FreezesHeaderCopiesForContigsTheHeaderNeverDeclared) {
  TempDir dir(kTempPrefix);
  const std::string path = dir.write("nocontigs.vcf",
                                     "##fileformat=VCFv4.2\n"
                                     "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
                                     "chr1\t10\t.\tA\tT\t.\tPASS\t.\n"
                                     "chr1\t20\t.\tA\tT\t.\tPASS\tNEW=1\n"
                                     "chr2\t30\t.\tA\tT\t.\tPASS\t.\n").string();
  VcfReader reader = VcfReader::open(path);
  const bcf_hdr_t* declared = reader.header();
  EXPECT_EQ(declared->n[BCF_DT_CTG], 0);
  EXPECT_TRUE(reader.contigs().empty());
  RecordBatch first;
  RecordBatch second;
  ASSERT_TRUE(reader.read_batch(first, 2));
  EXPECT_NE(first.header, declared);
  EXPECT_EQ(first.header, reader.header());
  ASSERT_TRUE(reader.read_batch(second, 2));
  EXPECT_NE(second.header, first.header);
  EXPECT_EQ(second.header, reader.header());
  // Earlier copies stay valid and unchanged after more reading.
  EXPECT_EQ(declared->n[BCF_DT_CTG], 0);
  EXPECT_EQ(first.header->n[BCF_DT_CTG], 1);
  EXPECT_EQ(decode(first, 1, {-1}).at(0).contig, "chr1");
  EXPECT_EQ(decode(second, 3, {-1}).at(0).contig, "chr2");
  // A header that does not know the record's contig is refused, not read out of bounds.
  const Error error = expect_error([&] {
    std::uint64_t skipped = 0;
    decode_calls(first.header, second.records[0].get(), 3, {-1}, skipped);
  });
  EXPECT_EQ(error.kind(), ErrorKind::kInternal);
  // contigs() lists what the file declares.
  EXPECT_TRUE(reader.contigs().empty());
}

TEST(VcfReaderTest, RejectsMalformedRecordNamingFileAndLine) {
  TempDir dir(kTempPrefix);
  const std::string header =
      "##fileformat=VCFv4.2\n##contig=<ID=chr1>\n"
      "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"g\">\n"
      "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\tS2\n"
      "chr1\t10\t.\tA\tT\t.\tPASS\t.\tGT\t0/1\t0/0\n";
  struct Case {
    const char* name;
    const char* record;
  };
  for (const Case& bad : {Case{"missing sample column", "chr1\t20\t.\tA\tT\t.\tPASS\t.\tGT\t0/1\n"},
                          Case{"more FORMAT values than keys", "chr1\t20\t.\tA\tT\t.\tPASS\t.\tGT\t0/1:3\t0/1\n"},
                          Case{"cut short", "chr1\t20\t.\tA\tT\t.\tPA"}}) {
    const std::string path = dir.write("bad.vcf", header + bad.record).string();
    VcfReader reader = VcfReader::open(path);
    RecordBatch batch;
    const Error error = expect_error([&] { reader.read_batch(batch, 10); });
    EXPECT_EQ(error.kind(), ErrorKind::kBadInput) << bad.name;
    EXPECT_EQ(error.file(), path) << bad.name;
    EXPECT_EQ(error.line(), 6u) << bad.name;
    EXPECT_EQ(error.what_failed(), "record 2") << bad.name;
    EXPECT_FALSE(error.hint().empty()) << bad.name;
  }
}

TEST(VcfReaderTest, RejectsMissingFileAndNonVcf) {
  TempDir dir(kTempPrefix);
  const std::string missing = (dir.path() / "absent.vcf").string();
  const Error not_found = expect_error([&] { VcfReader::open(missing); });
  EXPECT_EQ(not_found.file(), missing);
  EXPECT_NE(not_found.why().find("No such file"), std::string::npos) << not_found.why();

  const std::string text = dir.write("calls.tsv", "CHROM\tPOS\n7\t1\n").string();
  const Error not_vcf = expect_error([&] { VcfReader::open(text); });
  EXPECT_EQ(not_vcf.file(), text);
  EXPECT_NE(not_vcf.why().find("not a VCF or BCF"), std::string::npos) << not_vcf.why();
}

// Real data.

fs::path vcf2maf_mutect() { return shared_data_dir() / "vcf2maf" / "tests" / "test_mutect.vcf"; }

/// Checks two records of vcf2maf's MuTect VCF (columns NORMAL, TUMOR), as `bcftools query` shows them:
///   1:148592820 A>G REJECT, TUMOR GT 0/1 AD 291,20 DP 313 (record 36, line 137);
///   1:204429832 C>A PASS,   TUMOR GT 0/1 AD 39,3   DP 42  (record 45, line 146).
void expect_mutect_records(const RecordBatch& batch) {
  ASSERT_EQ(batch.records.size(), 500u);
  auto calls = decode(batch, 36, {1});
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].contig, "1");
  EXPECT_EQ(calls[0].position, 148592820u);
  EXPECT_EQ(calls[0].ref, "A");
  EXPECT_EQ(calls[0].alt, "G");
  EXPECT_FALSE(calls[0].filter_pass);
  EXPECT_EQ(calls[0].filters, std::vector<std::string>{"REJECT"});
  ASSERT_TRUE(calls[0].vaf.has_value());
  EXPECT_DOUBLE_EQ(*calls[0].vaf, 20.0 / 311.0);
  EXPECT_EQ(calls[0].depth, 313u);  // FORMAT/DP, not sum(AD) = 311
  EXPECT_EQ(calls[0].alt_depth, 20u);

  calls = decode(batch, 45, {0, 1});
  ASSERT_EQ(calls.size(), 1u);  // NORMAL is GT 0
  EXPECT_EQ(calls[0].sample_column, 1);
  EXPECT_EQ(calls[0].position, 204429832u);
  EXPECT_TRUE(calls[0].filter_pass);
  EXPECT_DOUBLE_EQ(*calls[0].vaf, 3.0 / 42.0);
  EXPECT_EQ(calls[0].depth, 42u);
}

TEST(VcfReaderTest, DecodesVcf2mafMutectTumourColumn) {
  RAREMATCH_REQUIRE_SHARED_DATA(vcf2maf_mutect());
  VcfReader reader = VcfReader::open(vcf2maf_mutect().string());
  EXPECT_EQ(reader.sample_names(), (std::vector<std::string>{"NORMAL", "TUMOR"}));
  EXPECT_EQ(reader.line_of(36), 137u);
  EXPECT_EQ(reader.describe_record(45), vcf2maf_mutect().string() + ":146");
  const RecordBatch batch = read_all(reader);
  EXPECT_EQ(batch.header, reader.header());  // the file declares its contigs and tags
  expect_mutect_records(batch);
}

TEST(VcfReaderTest, ReadsBgzipAndBcfCopiesAlike) {
  RAREMATCH_REQUIRE_SHARED_DATA(vcf2maf_mutect());
  TempDir dir(kTempPrefix);
  const std::string bgzipped = (dir.path() / "mutect.vcf.gz").string();
  write_compressed_file(bgzipped, read_file(vcf2maf_mutect()), "w", 4096);
  VcfReader from_bgzip = VcfReader::open(bgzipped, 2);
  EXPECT_EQ(from_bgzip.line_of(36), 137u);
  expect_mutect_records(read_all(from_bgzip));

  const std::string bcf = (dir.path() / "mutect.bcf").string();
  write_bcf(vcf2maf_mutect().string(), bcf);
  VcfReader from_bcf = VcfReader::open(bcf);
  EXPECT_FALSE(from_bcf.line_of(36).has_value());
  EXPECT_EQ(from_bcf.describe_record(36), bcf + ": record 36");
  expect_mutect_records(read_all(from_bcf));
}

TEST(VcfReaderTest, DecodesMutect2AfAndFallsBackToAdForDepth) {
  const fs::path path = shared_data_dir() / "gatk-funcotator" / "M2_test_custom_maf_fields.vcf";
  RAREMATCH_REQUIRE_SHARED_DATA(path);
  VcfReader reader = VcfReader::open(path.string());
  EXPECT_EQ(reader.header_value("tumor_sample"), "SM-74P4M");
  EXPECT_EQ(reader.header_value("normal_sample"), "SM-74NEG");
  const RecordBatch batch = read_all(reader);
  // Record 4, 3:44515611 T>A PASS: tumour GT 0/1 AD 16,6 AF 0.278 DP "."; normal 0/0.
  const auto calls = decode(batch, 4, {0, 1});
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].sample_column, 0);
  EXPECT_EQ(calls[0].position, 44515611u);
  EXPECT_NEAR(*calls[0].vaf, 0.278, 1e-6);
  EXPECT_EQ(calls[0].depth, 22u);
  EXPECT_EQ(calls[0].alt_depth, 6u);
}

/// One sample column's expected call of a record of a vcf2maf caller VCF (values read with `bcftools query`, or
/// with awk where the header does not declare the tags); `carried` false means no call.
struct CallerCase {
  const char* file;
  std::uint64_t record;
  std::uint64_t position;
  int column;
  bool carried;
  std::optional<double> vaf;
  std::optional<std::uint32_t> depth;
  std::optional<std::uint32_t> alt_depth;
};

TEST(VcfReaderTest, DecodesDepthAndVafAsEachCallerWritesThem) {
  const fs::path folder = shared_data_dir() / "vcf2maf" / "tests";
  RAREMATCH_REQUIRE_SHARED_DATA(folder);
  const std::vector<CallerCase> cases = {
      // Strelka SNV 1:118166116 C>A, TUMOR DP 66 AU 25,27 CU 39,39: 25 / (25 + 39); NORMAL AU 0,0.
      {"test_strelka.vcf", 3, 118166116, 1, true, 25.0 / 64.0, 66, 25},
      {"test_strelka.vcf", 3, 118166116, 0, false, {}, {}, {}},
      // Strelka indel 2:102626146 CG>C (TAR/TIR/TOR undeclared), TUMOR DP 89 TAR 19,19 TIR 57,58 TOR 12,11.
      {"test_strelka.vcf", 25, 102626146, 1, true, 57.0 / 76.0, 89, 57},
      {"test_strelka.vcf", 25, 102626146, 0, false, {}, {}, {}},
      // VarScan 1:1991014 A>G, germline (SS=1): both columns 0/1; TUMOR DP 91 RD 56 AD 35 FREQ 38.46%.
      {"test_varscan.vcf", 1, 1991014, 1, true, 35.0 / 91.0, 91, 35},
      {"test_varscan.vcf", 1, 1991014, 0, true, 56.0 / 115.0, 117, 56},
      // VarScan 1:2584408 C>A somatic: NORMAL 0/0; TUMOR 0/1 DP 13 RD 9 AD 4.
      {"test_varscan.vcf", 3, 2584408, 0, false, {}, {}, {}},
      {"test_varscan.vcf", 3, 2584408, 1, true, 4.0 / 13.0, 13, 4},
      // MuSE (columns TUMOR, NORMAL) 1:8715966 C>A: TUMOR 0/1 DP 142 AD 130,12.
      {"test_muse.vcf", 2, 8715966, 0, true, 12.0 / 142.0, 142, 12},
      {"test_muse.vcf", 2, 8715966, 1, false, {}, {}, {}},
      // SomaticSniper 1:1233886 C>G: TUMOR 0/1 DP 7 BCOUNT 0,3,4,0 (A,C,G,T).
      {"test_sniper.vcf", 1, 1233886, 1, true, 4.0 / 7.0, 7, 4},
      {"test_sniper.vcf", 1, 1233886, 0, false, {}, {}, {}},
      // RADIA 1:29651735 C>T: AF per allele wins over AD (DNA_TUMOR AF 0.9,0.1 AD 95,11; RNA_TUMOR 0.85,0.15).
      {"test_radia.vcf", 1, 29651735, 1, true, 0.1, 106, 11},
      {"test_radia.vcf", 1, 29651735, 2, true, 0.15, 190, 29},
      // RADIA 1:144951880 A>T: RNA_TUMOR all missing: no call.
      {"test_radia.vcf", 3, 144951880, 2, false, {}, {}, {}},
      // Pindel 1:16890971 ACT>A: both columns 0/0; TUMOR AD 43,4 DP 47 carries it, NORMAL AD 46,0 does not.
      {"test_pindel.vcf", 1, 16890971, 1, true, 4.0 / 47.0, 47, 4},
      {"test_pindel.vcf", 1, 16890971, 0, false, {}, {}, {}},
      // Pindel 7:91726612 G>GA: TUMOR 0/1 AD 36,15 DP 51.
      {"test_pindel.vcf", 12, 91726612, 1, true, 15.0 / 51.0, 51, 15},
      // VarScan record in the Pindel file, 10:8111432 TCA>T (RD, FREQ undeclared): TUMOR AD 52 RD 166 DP 218.
      {"test_pindel.vcf", 15, 8111432, 1, true, 52.0 / 218.0, 218, 52},
      {"test_pindel.vcf", 15, 8111432, 0, false, {}, {}, {}},
      // Merged 1:2629005 C>A: AD per allele first (TUMOR AD 12,6 DP 29), not Strelka's tiers (AU 6, CU 12).
      {"test_merged.vcf", 2, 2629005, 1, true, 6.0 / 18.0, 29, 6},
      // Merged 1:26158900 A>ACT: a single AD value (3) ranks after Strelka's TIR 5,5 / TAR 1,1; DP 7.
      {"test_merged.vcf", 10, 26158900, 1, true, 5.0 / 6.0, 7, 5},
  };
  std::string open_file;
  std::optional<VcfReader> reader;
  RecordBatch batch;
  for (const CallerCase& c : cases) {
    SCOPED_TRACE(std::string(c.file) + " record " + std::to_string(c.record) + " column " +
                 std::to_string(c.column));
    if (open_file != c.file) {
      reader.emplace(VcfReader::open((folder / c.file).string()));
      batch = read_all(*reader);
      open_file = c.file;
    }
    const auto calls = decode(batch, c.record, {c.column});
    ASSERT_EQ(calls.size(), c.carried ? 1u : 0u);
    if (!c.carried) continue;
    EXPECT_EQ(calls[0].position, c.position);
    ASSERT_TRUE(calls[0].vaf.has_value());
    EXPECT_NEAR(*calls[0].vaf, *c.vaf, 1e-6);  // float fields
    EXPECT_EQ(calls[0].depth, c.depth);
    EXPECT_EQ(calls[0].alt_depth, c.alt_depth);
  }
}

TEST(VcfReaderTest, RejectsFuncotatorRegressionVcfAtRecordTwo) {
  const fs::path path = shared_data_dir() / "gatk-funcotator" / "regressionTestVariantSetHG38.vcf";
  RAREMATCH_REQUIRE_SHARED_DATA(path);
  VcfReader reader = VcfReader::open(path.string());
  RecordBatch batch;
  const Error error = expect_error([&] { reader.read_batch(batch, 100); });
  EXPECT_EQ(error.kind(), ErrorKind::kBadInput);
  EXPECT_EQ(error.file(), path.string());
  // 3,424 "##" lines and the #CHROM line; record 2 has two tabs before its FORMAT column.
  EXPECT_EQ(error.line(), 3427u);
  EXPECT_EQ(error.what_failed(), "record 2");
  EXPECT_NE(error.message().find("regressionTestVariantSetHG38.vcf:3427: record 2"), std::string::npos)
      << error.message();
}

TEST(VcfReaderTest, CountsHeaderLinesAsWrittenWhenHtslibAddsContigsFromTheIndex) {
  // The PCGR VCF declares no contigs; HTSlib adds 23 from its tabix index and a PASS line, so re-formatting the
  // parsed header would count 40 lines where the file has 17.
  const fs::path path = shared_data_dir() / "pcgr" / "T001-BRCA.grch37.vcf.gz";
  RAREMATCH_REQUIRE_SHARED_DATA(path);
  VcfReader reader = VcfReader::open(path.string());
  EXPECT_EQ(reader.line_of(1), 18u);
  const RecordBatch batch = read_all(reader);
  EXPECT_EQ(batch.records.size(), 196u);
  const auto calls = decode(batch, 1, {0});
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].position, 1900265u);
}

TEST(VcfReaderTest, RejectsTruncatedBgzipNamingFile) {
  RAREMATCH_REQUIRE_SHARED_DATA(vcf2maf_mutect());
  TempDir dir(kTempPrefix);
  const std::string whole = (dir.path() / "whole.vcf.gz").string();
  write_compressed_file(whole, read_file(vcf2maf_mutect()), "w", 4096);
  const std::string bytes = read_file(whole);

  // Cut in the middle: the BGZF end-of-file block is missing.
  const std::string cut = dir.write("cut.vcf.gz", bytes.substr(0, bytes.size() / 2)).string();
  const Error at_open = expect_error([&] { VcfReader::open(cut); });
  EXPECT_EQ(at_open.file(), cut);
  EXPECT_NE(at_open.why().find("truncated"), std::string::npos) << at_open.message();

  // Cut in the middle of a block, end-of-file block restored: the damage shows while reading records.
  const std::string damaged =
      dir.write("damaged.vcf.gz", bytes.substr(0, bytes.size() / 2) + bytes.substr(bytes.size() - 28))
          .string();
  VcfReader reader = VcfReader::open(damaged);
  RecordBatch batch;
  std::uint64_t records = 0;
  const Error while_reading = expect_error([&] {
    while (reader.read_batch(batch, 50)) records += batch.records.size();
  });
  EXPECT_EQ(while_reading.file(), damaged);
  EXPECT_NE(while_reading.why().find("truncated"), std::string::npos) << while_reading.message();
  EXPECT_LT(records, 500u);
}

TEST(VcfReaderTest, ReadsEveryWellFormedSharedVcf) {
  const fs::path root = shared_data_dir();
  RAREMATCH_REQUIRE_SHARED_DATA(root / "vcf2maf" / "tests");
  std::vector<fs::path> files;
  for (const char* folder : {"vcf2maf/tests", "gatk-funcotator", "pcgr"}) {
    for (const auto& entry : fs::directory_iterator(root / folder)) {
      const std::string name = entry.path().filename().string();
      const bool vcf = name.ends_with(".vcf") || name.ends_with(".vcf.gz");
      if (vcf && name != "regressionTestVariantSetHG38.vcf") files.push_back(entry.path());
    }
  }
  ASSERT_GE(files.size(), 20u);
  for (const fs::path& file : files) {
    SCOPED_TRACE(file.string());
    VcfReader reader = VcfReader::open(file.string());
    std::vector<int> columns;
    for (int i = 0; i < static_cast<int>(reader.sample_names().size()); ++i) columns.push_back(i);
    if (columns.empty()) columns.push_back(-1);
    RecordBatch batch;
    std::uint64_t records = 0;
    std::uint64_t skipped = 0;
    while (reader.read_batch(batch, 64)) {
      for (std::size_t i = 0; i < batch.records.size(); ++i) {
        decode_calls(batch.header, batch.records[i].get(), batch.first_ordinal + i, columns, skipped);
      }
      records += batch.records.size();
    }
    EXPECT_GT(records, 0u);
  }
}

}  // namespace
}  // namespace rarematch::pipeline
