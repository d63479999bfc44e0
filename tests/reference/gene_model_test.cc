#include "reference/gene_model.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "reference/error.h"
#include "reference/genome.h"
#include "tests/support/test_support.h"

namespace rarematch::reference {
namespace {

namespace fs = std::filesystem;
using ::rarematch::testing::write_compressed_file;
using ::rarematch::testing::write_text_file;
using ::rarematch::testing::expect_same_genes;
using ::rarematch::testing::segment_ranges;

// Ensembl spelling: four genes (one on the minus strand) and the feature kinds a real Ensembl GFF3 holds.
constexpr const char* kEnsemblGff3 =
    "##gff-version 3\n"
    "##sequence-region chr1 1 10000\n"
    "chr1\tGRCh38\tchromosome\t1\t10000\t.\t.\t.\tID=chromosome:1;Alias=CM000663.2\n"
    "chr1\tensembl\tbiological_region\t50\t60\t.\t+\t.\tlogic_name=cpg\n"
    "chr1\tensembl\tgene\t100\t900\t.\t+\t.\tID=gene:ENSG00000000001;Name=GENEA;biotype=protein_coding\n"
    "chr1\tensembl\tmRNA\t100\t900\t.\t+\t.\tID=transcript:ENST00000000011;Parent=gene:ENSG00000000001;"
    "biotype=protein_coding;tag=basic\n"
    "chr1\tensembl\tfive_prime_UTR\t100\t149\t.\t+\t.\tParent=transcript:ENST00000000011\n"
    "chr1\tensembl\texon\t500\t900\t.\t+\t.\tParent=transcript:ENST00000000011;rank=2\n"
    "chr1\tensembl\texon\t100\t200\t.\t+\t.\tParent=transcript:ENST00000000011;rank=1\n"
    "chr1\tensembl\tCDS\t500\t800\t.\t+\t1\tID=CDS:ENSP1;Parent=transcript:ENST00000000011\n"
    "chr1\tensembl\tCDS\t150\t200\t.\t+\t0\tID=CDS:ENSP1;Parent=transcript:ENST00000000011\n"
    "chr1\tensembl\tmRNA\t100\t900\t.\t+\t.\tID=transcript:ENST00000000012;Parent=gene:ENSG00000000001;"
    "biotype=protein_coding;tag=basic,Ensembl_canonical\n"
    "chr1\tensembl\texon\t100\t900\t.\t+\t.\tParent=transcript:ENST00000000012\n"
    "chr1\tensembl\tCDS\t150\t299\t.\t+\t0\tParent=transcript:ENST00000000012\n"
    "chr1\tensembl\tlnc_RNA\t100\t400\t.\t+\t.\tID=transcript:ENST00000000013;Parent=gene:ENSG00000000001;"
    "biotype=retained_intron\n"
    "chr1\tensembl\texon\t100\t400\t.\t+\t.\tParent=transcript:ENST00000000013\n"
    // A minus-strand gene without tags: two transcripts with equal coding length, the larger id first in the file,
    // and a longer non-coding one. Its name is percent-encoded ("GENE-B").
    "chr1\tensembl\tgene\t2000\t3000\t.\t-\t.\tID=gene:ENSG00000000002;Name=GENE%2DB;biotype=protein_coding;"
    "description=made up%3B for tests%2C only\n"
    "chr1\tensembl\tmRNA\t2000\t3000\t.\t-\t.\tID=transcript:ENST00000000022;Parent=gene:ENSG00000000002;"
    "biotype=protein_coding\n"
    "chr1\tensembl\texon\t2000\t3000\t.\t-\t.\tParent=transcript:ENST00000000022\n"
    "chr1\tensembl\tCDS\t2100\t2399\t.\t-\t0\tParent=transcript:ENST00000000022\n"
    "chr1\tensembl\tmRNA\t2000\t3000\t.\t-\t.\tID=transcript:ENST00000000021;Parent=gene:ENSG00000000002;"
    "biotype=protein_coding\n"
    "chr1\tensembl\texon\t2600\t3000\t.\t-\t.\tParent=transcript:ENST00000000021\n"
    "chr1\tensembl\texon\t2000\t2300\t.\t-\t.\tParent=transcript:ENST00000000021\n"
    "chr1\tensembl\tCDS\t2700\t2899\t.\t-\t0\tParent=transcript:ENST00000000021\n"
    "chr1\tensembl\tCDS\t2201\t2300\t.\t-\t1\tParent=transcript:ENST00000000021\n"
    "chr1\tensembl\tncRNA\t2000\t3000\t.\t-\t.\tID=transcript:ENST00000000023;Parent=gene:ENSG00000000002;"
    "biotype=misc_RNA\n"
    "chr1\tensembl\texon\t2000\t3000\t.\t-\t.\tParent=transcript:ENST00000000023\n"
    // A pseudogene with a pseudogenic_transcript, and an ncRNA_gene.
    "chr1\tensembl\tpseudogene\t4000\t4500\t.\t+\t.\tID=gene:ENSG00000000003;Name=PSEUDO1;"
    "biotype=processed_pseudogene\n"
    "chr1\tensembl\tpseudogenic_transcript\t4000\t4500\t.\t+\t.\tID=transcript:ENST00000000031;"
    "Parent=gene:ENSG00000000003;biotype=processed_pseudogene\n"
    "chr1\tensembl\texon\t4000\t4500\t.\t+\t.\tParent=transcript:ENST00000000031\n"
    "chr1\tensembl\tncRNA_gene\t700\t5000\t.\t-\t.\tID=gene:ENSG00000000004;Name=LNC1;biotype=lncRNA\n"
    "chr1\tensembl\tlnc_RNA\t700\t5000\t.\t-\t.\tID=transcript:ENST00000000041;Parent=gene:ENSG00000000004;"
    "biotype=lncRNA\n"
    "chr1\tensembl\texon\t4800\t5000\t.\t-\t.\tParent=transcript:ENST00000000041\n"
    "chr1\tensembl\texon\t700\t800\t.\t-\t.\tParent=transcript:ENST00000000041\n"
    // A transcript-like feature under a declared non-gene feature: it and its exon are ignored, not errors.
    "chr1\tother\tregion\t6000\t7000\t.\t+\t.\tID=region:1\n"
    "chr1\tother\tprocessed_transcript\t6000\t7000\t.\t+\t.\tID=transcript:ENST00000000099;Parent=region:1\n"
    "chr1\tother\texon\t6000\t7000\t.\t+\t.\tParent=transcript:ENST00000000099\n";

constexpr const char* kGencodeGff3 =
    "##gff-version 3\n"
    "chr17\tHAVANA\tgene\t1000\t5000\t.\t-\t.\tID=ENSG00000012048.14;gene_id=ENSG00000012048.14;"
    "gene_type=protein_coding;gene_name=BRCA1;level=2\n"
    "chr17\tHAVANA\ttranscript\t1000\t5000\t.\t-\t.\tID=ENST00000357654.9;Parent=ENSG00000012048.14;"
    "gene_name=BRCA1;transcript_type=protein_coding;tag=basic,Ensembl_canonical,MANE_Select\n"
    "chr17\tHAVANA\texon\t4000\t5000\t.\t-\t.\tID=exon:ENST00000357654.9:1;Parent=ENST00000357654.9\n"
    "chr17\tHAVANA\texon\t1000\t2000\t.\t-\t.\tID=exon:ENST00000357654.9:2;Parent=ENST00000357654.9\n"
    "chr17\tHAVANA\tCDS\t4000\t4500\t.\t-\t0\tID=CDS:ENST00000357654.9;Parent=ENST00000357654.9\n"
    "chr17\tHAVANA\tCDS\t1500\t2000\t.\t-\t0\tID=CDS:ENST00000357654.9;Parent=ENST00000357654.9\n"
    "chr17\tHAVANA\tstart_codon\t4498\t4500\t.\t-\t0\tID=start_codon:ENST00000357654.9;Parent=ENST00000357654.9\n"
    "chr17\tHAVANA\tUTR\t4501\t5000\t.\t-\t.\tID=UTR5:ENST00000357654.9;Parent=ENST00000357654.9\n"
    "chr17\tHAVANA\ttranscript\t1000\t5000\t.\t-\t.\tID=ENST00000471181.7;Parent=ENSG00000012048.14;"
    "gene_name=BRCA1;transcript_type=protein_coding;tag=basic\n"
    "chr17\tHAVANA\texon\t1000\t5000\t.\t-\t.\tID=exon:ENST00000471181.7:1;Parent=ENST00000471181.7\n"
    "chr17\tHAVANA\tCDS\t1000\t5000\t.\t-\t0\tID=CDS:ENST00000471181.7;Parent=ENST00000471181.7\n"
    "chrY\tENSEMBL\tgene\t100\t200\t.\t+\t.\tID=ENSG00000182378.14_PAR_Y;gene_type=protein_coding;"
    "gene_name=PLCXD1\n"
    "chrY\tENSEMBL\ttranscript\t100\t200\t.\t+\t.\tID=ENST00000381192.10_PAR_Y;Parent=ENSG00000182378.14_PAR_Y;"
    "transcript_type=protein_coding\n";

std::optional<Error> load_error(const fs::path& path) {
  try {
    GeneModel::load_gff3(path.string());
  } catch (const Error& error) {
    return error;
  }
  return std::nullopt;
}

// The Error thrown for a one-gene file whose line 3 is `bad_line`.
std::optional<Error> error_for_third_line(const std::string& bad_line) {
  const fs::path dir = testing::make_temp_dir("rarematch-gff3");
  const std::string text = std::string("##gff-version 3\n") +
                           "chr1\ttest\tgene\t100\t900\t.\t+\t.\tID=gene:ENSG1;Name=G1;biotype=protein_coding\n" +
                           bad_line + "\n";
  const fs::path path = write_text_file(dir / "bad.gff3", text);
  auto error = load_error(path);
  if (error) {
    EXPECT_EQ(error->file(), path.string());
    EXPECT_EQ(error->kind(), ErrorKind::kBadInput);
    EXPECT_EQ(error->line(), std::optional<std::uint64_t>(3)) << error->message();
  }
  fs::remove_all(dir);
  return error;
}

std::vector<std::string> transcript_ids(const Gene& gene) {
  std::vector<std::string> ids;
  for (const Transcript& transcript : gene.transcripts) ids.push_back(transcript.id);
  return ids;
}

std::vector<std::string> gene_names(const std::vector<const Gene*>& genes) {
  std::vector<std::string> names;
  for (const Gene* gene : genes) names.push_back(gene->name);
  return names;
}

class GeneModelTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = testing::make_temp_dir("rarematch-gff3"); }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(GeneModelTest, ReadsEnsemblSpelling) {
  const GeneModel model = GeneModel::load_gff3(write_text_file(dir_ / "ensembl.gff3", kEnsemblGff3).string());
  ASSERT_EQ(model.genes().size(), 4u);
  const Gene* gene = model.find_gene("GENEA");
  ASSERT_NE(gene, nullptr);
  EXPECT_EQ(gene->id, "ENSG00000000001");
  EXPECT_EQ(gene->biotype, "protein_coding");
  EXPECT_EQ(gene->contig, "chr1");
  EXPECT_EQ(gene->strand, '+');
  EXPECT_EQ(gene->start, 100u);
  EXPECT_EQ(gene->end, 900u);
  EXPECT_EQ(transcript_ids(*gene),
            (std::vector<std::string>{"ENST00000000011", "ENST00000000012", "ENST00000000013"}));

  const Transcript& first = gene->transcripts[0];
  EXPECT_EQ(first.gene_id, "ENSG00000000001");
  EXPECT_EQ(first.gene_name, "GENEA");
  EXPECT_EQ(first.biotype, "protein_coding");
  EXPECT_FALSE(first.canonical);
  ASSERT_EQ(first.exons.size(), 2u);  // written out of order, sorted on load
  EXPECT_EQ(first.exons[0].start, 100u);
  EXPECT_EQ(first.exons[0].end, 200u);
  EXPECT_EQ(first.exons[1].start, 500u);
  ASSERT_EQ(first.cds.size(), 2u);
  EXPECT_EQ(first.cds[0].start, 150u);
  EXPECT_EQ(first.coding_length(), 51u + 301u);
  EXPECT_TRUE(gene->transcripts[1].canonical);
  EXPECT_FALSE(gene->transcripts[2].is_coding());
  EXPECT_EQ(gene->transcripts[2].biotype, "retained_intron");
}

TEST_F(GeneModelTest, CanonicalTagWinsOverLongerCoding) {
  const GeneModel model = GeneModel::load_gff3(write_text_file(dir_ / "ensembl.gff3", kEnsemblGff3).string());
  const Gene* gene = model.find_gene("GENEA");
  ASSERT_NE(gene, nullptr);
  ASSERT_GT(gene->transcripts[0].coding_length(), gene->transcripts[1].coding_length());
  const Transcript* canonical = gene->canonical_transcript();
  ASSERT_NE(canonical, nullptr);
  EXPECT_EQ(canonical->id, "ENST00000000012");
}

TEST_F(GeneModelTest, UntaggedGeneTakesLongestCodingWithTiesBySmallestId) {
  const GeneModel model = GeneModel::load_gff3(write_text_file(dir_ / "ensembl.gff3", kEnsemblGff3).string());
  const Gene* gene = model.find_gene("GENE-B");  // Name=GENE%2DB, percent-decoded
  ASSERT_NE(gene, nullptr);
  EXPECT_EQ(gene->strand, '-');
  EXPECT_EQ(transcript_ids(*gene),
            (std::vector<std::string>{"ENST00000000022", "ENST00000000021", "ENST00000000023"}));
  EXPECT_EQ(gene->transcripts[0].coding_length(), 300u);
  EXPECT_EQ(gene->transcripts[1].coding_length(), 300u);
  const Transcript* canonical = gene->canonical_transcript();
  ASSERT_NE(canonical, nullptr);
  EXPECT_EQ(canonical->id, "ENST00000000021");
  // Minus strand: segments still ascend by genomic start.
  ASSERT_EQ(canonical->exons.size(), 2u);
  EXPECT_LT(canonical->exons[0].start, canonical->exons[1].start);
  EXPECT_LT(canonical->cds[0].start, canonical->cds[1].start);
}

TEST_F(GeneModelTest, NonCodingGeneTakesLongestTranscript) {
  const GeneModel model = GeneModel::load_gff3(write_text_file(dir_ / "ensembl.gff3", kEnsemblGff3).string());
  const Gene* lnc = model.find_gene("LNC1");
  ASSERT_NE(lnc, nullptr);
  EXPECT_EQ(lnc->biotype, "lncRNA");
  ASSERT_NE(lnc->canonical_transcript(), nullptr);
  EXPECT_EQ(lnc->canonical_transcript()->id, "ENST00000000041");
  const Gene* pseudo = model.find_gene("PSEUDO1");
  ASSERT_NE(pseudo, nullptr);
  EXPECT_EQ(transcript_ids(*pseudo), (std::vector<std::string>{"ENST00000000031"}));
  EXPECT_EQ(Gene{}.canonical_transcript(), nullptr);
}

TEST_F(GeneModelTest, IgnoresTranscriptsOfNonGeneParentsAndTheirExons) {
  const GeneModel model = GeneModel::load_gff3(write_text_file(dir_ / "ensembl.gff3", kEnsemblGff3).string());
  for (const Gene& gene : model.genes()) {
    for (const Transcript& transcript : gene.transcripts) EXPECT_NE(transcript.id, "ENST00000000099");
  }
  EXPECT_TRUE(model.genes_overlapping("chr1", 6500, 6500).empty());
}

TEST_F(GeneModelTest, FindsOverlappingGenesSortedByStartThroughAliases) {
  const GeneModel model = GeneModel::load_gff3(write_text_file(dir_ / "ensembl.gff3", kEnsemblGff3).string());
  EXPECT_EQ(gene_names(model.genes_overlapping("chr1", 150, 150)), (std::vector<std::string>{"GENEA"}));
  EXPECT_EQ(gene_names(model.genes_overlapping("1", 2500, 2500)), (std::vector<std::string>{"LNC1", "GENE-B"}));
  EXPECT_EQ(gene_names(model.genes_overlapping("CHR1", 800, 2000)),
            (std::vector<std::string>{"GENEA", "LNC1", "GENE-B"}));
  EXPECT_EQ(gene_names(model.genes_overlapping("chr1", 900, 900)), (std::vector<std::string>{"GENEA", "LNC1"}));
  EXPECT_EQ(gene_names(model.genes_overlapping("chr1", 901, 999)), (std::vector<std::string>{"LNC1"}));
  EXPECT_TRUE(model.genes_overlapping("chr1", 1, 99).empty());
  EXPECT_TRUE(model.genes_overlapping("chr1", 5001, 9000).empty());
  EXPECT_TRUE(model.genes_overlapping("chr2", 150, 150).empty());
  EXPECT_TRUE(model.genes_overlapping("chr1", 200, 100).empty());
  EXPECT_EQ(model.contigs(), (std::vector<std::string>{"chr1"}));
  EXPECT_EQ(model.find_gene("NOSUCH"), nullptr);
}

TEST_F(GeneModelTest, ReadsGencodeSpelling) {
  const GeneModel model = GeneModel::load_gff3(write_text_file(dir_ / "gencode.gff3", kGencodeGff3).string());
  ASSERT_EQ(model.genes().size(), 2u);
  const Gene* brca1 = model.find_gene("BRCA1");
  ASSERT_NE(brca1, nullptr);
  EXPECT_EQ(brca1->id, "ENSG00000012048");
  EXPECT_EQ(brca1->biotype, "protein_coding");
  EXPECT_EQ(transcript_ids(*brca1), (std::vector<std::string>{"ENST00000357654", "ENST00000471181"}));
  EXPECT_EQ(brca1->transcripts[0].gene_id, "ENSG00000012048");
  EXPECT_EQ(brca1->transcripts[0].biotype, "protein_coding");
  EXPECT_EQ(brca1->transcripts[0].exons.size(), 2u);
  EXPECT_EQ(brca1->transcripts[0].coding_length(), 1002u);
  // MANE_Select / Ensembl_canonical beat the longer coding transcript.
  ASSERT_NE(brca1->canonical_transcript(), nullptr);
  EXPECT_EQ(brca1->canonical_transcript()->id, "ENST00000357654");
  const Gene* par = model.find_gene("PLCXD1");
  ASSERT_NE(par, nullptr);
  EXPECT_EQ(par->id, "ENSG00000182378_PAR_Y");
  EXPECT_EQ(transcript_ids(*par), (std::vector<std::string>{"ENST00000381192_PAR_Y"}));
  EXPECT_EQ(model.contigs(), (std::vector<std::string>{"chr17", "chrY"}));
}

TEST_F(GeneModelTest, ReadsBgzipAndGzipCompressedFiles) {
  const GeneModel plain = GeneModel::load_gff3(write_text_file(dir_ / "ensembl.gff3", kEnsemblGff3).string());
  for (const char* mode : {"w", "wg"}) {
    const fs::path path =
        write_compressed_file(dir_ / (std::string("ensembl-") + mode + ".gff3.gz"), kEnsemblGff3, mode);
    const GeneModel model = GeneModel::load_gff3(path.string());
    ASSERT_EQ(model.genes().size(), plain.genes().size()) << mode;
    EXPECT_EQ(transcript_ids(*model.find_gene("GENEA")), transcript_ids(*plain.find_gene("GENEA"))) << mode;
  }
}

TEST_F(GeneModelTest, ReadsChildrenBeforeTheirParents) {
  // Position-sorted files may put an exon or a transcript before the line that declares its parent.
  const std::string text =
      "chr2\tt\texon\t10\t50\t.\t+\t.\tParent=transcript:T1\n"
      "chr2\tt\tCDS\t20\t40\t.\t+\t0\tParent=transcript:T1\n"
      "chr2\tt\tmRNA\t10\t50\t.\t+\t.\tID=transcript:T1;Parent=gene:G1;tag=Ensembl_canonical\n"
      "chr2\tt\tgene\t10\t50\t.\t+\t.\tID=gene:G1;Name=LATE\n";
  const GeneModel model = GeneModel::load_gff3(write_text_file(dir_ / "sorted.gff3", text).string());
  const Gene* gene = model.find_gene("LATE");
  ASSERT_NE(gene, nullptr);
  ASSERT_EQ(gene->transcripts.size(), 1u);
  EXPECT_EQ(gene->transcripts[0].exons.size(), 1u);
  EXPECT_EQ(gene->transcripts[0].coding_length(), 21u);
  EXPECT_TRUE(gene->transcripts[0].canonical);
}

TEST_F(GeneModelTest, ToleratesCommentsCrlfTabsInAttributesAndEmbeddedFasta) {
  const std::string text =
      "##gff-version 3\r\n"
      "# a comment\r\n"
      "\r\n"
      "chr3\tt\tgene\t10\t50\t.\t+\t.\tID=gene:G1;Name=TABBY;description=has\ta tab\r\n"
      "chr3\tt\tmRNA\t10\t50\t.\t+\t.\tID=transcript:T1;Parent=gene:G1\r\n"
      "###\r\n"
      "##FASTA\r\n"
      ">chr3\r\n"
      "ACGT\r\n";
  const GeneModel model = GeneModel::load_gff3(write_text_file(dir_ / "crlf.gff3", text).string());
  const Gene* gene = model.find_gene("TABBY");
  ASSERT_NE(gene, nullptr);
  EXPECT_EQ(gene->transcripts.size(), 1u);
}

TEST(GeneModelErrorTest, NamesFileAndLineOfWrongColumnCount) {
  const auto error = error_for_third_line("chr1\ttest\texon\t100\t200\t.\t+\t.");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->what_failed(), "GFF3 line");
  EXPECT_NE(error->why().find("found 8"), std::string::npos) << error->why();
  EXPECT_FALSE(error->hint().empty());
}

TEST(GeneModelErrorTest, NamesColumnOfBadCoordinates) {
  auto error = error_for_third_line("chr1\ttest\texon\tabc\t200\t.\t+\t.\tParent=gene:ENSG1");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->what_failed(), "GFF3 column 4");
  EXPECT_NE(error->why().find("'abc'"), std::string::npos) << error->why();

  error = error_for_third_line("chr1\ttest\tmRNA\t100\t-5\t.\t+\t.\tID=transcript:T;Parent=gene:ENSG1");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->what_failed(), "GFF3 column 5");

  error = error_for_third_line("chr1\ttest\tmRNA\t0\t10\t.\t+\t.\tID=transcript:T;Parent=gene:ENSG1");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->what_failed(), "GFF3 column 4");

  error = error_for_third_line("chr1\ttest\tmRNA\t300\t200\t.\t+\t.\tID=transcript:T;Parent=gene:ENSG1");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->what_failed(), "GFF3 columns 4-5");
}

TEST(GeneModelErrorTest, RejectsExonWhoseParentNoLineDeclares) {
  const auto error = error_for_third_line("chr1\ttest\texon\t100\t200\t.\t+\t.\tParent=transcript:ENST404");
  ASSERT_TRUE(error.has_value());
  EXPECT_NE(error->why().find("transcript:ENST404"), std::string::npos) << error->why();
}

TEST(GeneModelErrorTest, RejectsTranscriptWhoseParentNoLineDeclares) {
  const auto error =
      error_for_third_line("chr1\ttest\tmRNA\t100\t200\t.\t+\t.\tID=transcript:T9;Parent=gene:MISSING");
  ASSERT_TRUE(error.has_value());
  EXPECT_NE(error->why().find("gene:MISSING"), std::string::npos) << error->why();
}

TEST(GeneModelErrorTest, RejectsGtfAttributes) {
  const auto error = error_for_third_line(
      "chr1\ttest\ttranscript\t100\t200\t.\t+\t.\tgene_id \"ENSG1\"; transcript_id \"ENST1\";");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->what_failed(), "GFF3 column 9");
}

TEST(GeneModelErrorTest, RejectsUnstrandedTranscriptAndDuplicateIds) {
  auto error = error_for_third_line("chr1\ttest\tmRNA\t100\t200\t.\t.\t.\tID=transcript:T;Parent=gene:ENSG1");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->what_failed(), "GFF3 column 7");

  error = error_for_third_line("chr1\ttest\tgene\t100\t900\t.\t+\t.\tID=gene:ENSG1;Name=G1");
  ASSERT_TRUE(error.has_value());
  EXPECT_NE(error->why().find("line 2"), std::string::npos) << error->why();
}

TEST(GeneModelErrorTest, RejectsTranscriptOnAnotherContigThanItsGene) {
  const auto error = error_for_third_line("chr2\ttest\tmRNA\t100\t200\t.\t+\t.\tID=transcript:T;Parent=gene:ENSG1");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->what_failed(), "GFF3 column 1");
}

TEST(GeneModelErrorTest, RejectsFileWithoutGenesOrThatIsMissing) {
  const fs::path dir = testing::make_temp_dir("rarematch-gff3");
  const fs::path empty = write_text_file(dir / "empty.gff3", "##gff-version 3\n");
  auto error = load_error(empty);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->file(), empty.string());
  EXPECT_FALSE(error->line().has_value());
  EXPECT_NE(error->why().find("no gene"), std::string::npos);

  const fs::path missing = dir / "missing.gff3";
  error = load_error(missing);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->file(), missing.string());
  fs::remove_all(dir);
}

// ---- GTF -----------------------------------------------------------------------------------------------------

// One annotation in both formats, as Ensembl writes them. GENEA: a plus-strand coding transcript (tags basic,
// Ensembl_canonical, MANE_Select) whose stop codon 800-802 GTF lists apart from the CDS, and a retained intron.
// GENEB: a minus-strand coding transcript whose stop codon is split by an intron: base 2500 at the 3' end of the
// first exon, bases 2199-2200 at the 5' end of the second (transcript order 2500, 2200, 2199).
constexpr const char* kPairGff3 =
    "##gff-version 3\n"
    "chr1\tensembl\tgene\t100\t1000\t.\t+\t.\tID=gene:ENSG00000000001;Name=GENEA;biotype=protein_coding\n"
    "chr1\tensembl\tmRNA\t100\t1000\t.\t+\t.\tID=transcript:ENST00000000011;Parent=gene:ENSG00000000001;"
    "biotype=protein_coding;tag=basic,Ensembl_canonical,MANE_Select\n"
    "chr1\tensembl\texon\t100\t300\t.\t+\t.\tParent=transcript:ENST00000000011\n"
    "chr1\tensembl\texon\t500\t1000\t.\t+\t.\tParent=transcript:ENST00000000011\n"
    "chr1\tensembl\tCDS\t150\t300\t.\t+\t0\tParent=transcript:ENST00000000011\n"
    "chr1\tensembl\tCDS\t500\t802\t.\t+\t2\tParent=transcript:ENST00000000011\n"
    "chr1\tensembl\tlnc_RNA\t200\t900\t.\t+\t.\tID=transcript:ENST00000000012;Parent=gene:ENSG00000000001;"
    "biotype=retained_intron;tag=basic\n"
    "chr1\tensembl\texon\t200\t900\t.\t+\t.\tParent=transcript:ENST00000000012\n"
    "chr1\tensembl\tgene\t2000\t3000\t.\t-\t.\tID=gene:ENSG00000000002;Name=GENEB;biotype=protein_coding\n"
    "chr1\tensembl\tmRNA\t2000\t3000\t.\t-\t.\tID=transcript:ENST00000000021;Parent=gene:ENSG00000000002;"
    "biotype=protein_coding;tag=basic\n"
    "chr1\tensembl\texon\t2500\t3000\t.\t-\t.\tParent=transcript:ENST00000000021\n"
    "chr1\tensembl\texon\t2000\t2200\t.\t-\t.\tParent=transcript:ENST00000000021\n"
    "chr1\tensembl\tCDS\t2500\t2899\t.\t-\t0\tParent=transcript:ENST00000000021\n"
    "chr1\tensembl\tCDS\t2199\t2200\t.\t-\t2\tParent=transcript:ENST00000000021\n";

constexpr const char* kPairGtf =
    "#!genome-build GRCh38.p14\n"
    "#!genebuild-last-updated 2023-03\n"
    "chr1\tensembl\tgene\t100\t1000\t.\t+\t.\tgene_id \"ENSG00000000001\"; gene_version \"3\"; gene_name \"GENEA\"; "
    "gene_source \"ensembl\"; gene_biotype \"protein_coding\";\n"
    "chr1\tensembl\ttranscript\t100\t1000\t.\t+\t.\tgene_id \"ENSG00000000001\"; gene_version \"3\"; transcript_id "
    "\"ENST00000000011\"; transcript_version \"2\"; gene_name \"GENEA\"; transcript_biotype \"protein_coding\"; "
    "tag \"basic\"; tag \"Ensembl_canonical\"; tag \"MANE_Select\";\n"
    "chr1\tensembl\texon\t100\t300\t.\t+\t.\tgene_id \"ENSG00000000001\"; transcript_id \"ENST00000000011\"; "
    "exon_number \"1\";\n"
    "chr1\tensembl\tCDS\t150\t300\t.\t+\t0\tgene_id \"ENSG00000000001\"; transcript_id \"ENST00000000011\"; "
    "exon_number \"1\"; protein_id \"ENSP00000000011\";\n"
    "chr1\tensembl\tstart_codon\t150\t152\t.\t+\t0\tgene_id \"ENSG00000000001\"; transcript_id \"ENST00000000011\";\n"
    "chr1\tensembl\texon\t500\t1000\t.\t+\t.\tgene_id \"ENSG00000000001\"; transcript_id \"ENST00000000011\"; "
    "exon_number \"2\";\n"
    "chr1\tensembl\tCDS\t500\t799\t.\t+\t2\tgene_id \"ENSG00000000001\"; transcript_id \"ENST00000000011\";\n"
    "chr1\tensembl\tstop_codon\t800\t802\t.\t+\t0\tgene_id \"ENSG00000000001\"; transcript_id \"ENST00000000011\";\n"
    "chr1\tensembl\tfive_prime_utr\t100\t149\t.\t+\t.\tgene_id \"ENSG00000000001\"; transcript_id "
    "\"ENST00000000011\";\n"
    "chr1\tensembl\tthree_prime_utr\t803\t1000\t.\t+\t.\tgene_id \"ENSG00000000001\"; transcript_id "
    "\"ENST00000000011\";\n"
    "chr1\tensembl\ttranscript\t200\t900\t.\t+\t.\tgene_id \"ENSG00000000001\"; transcript_id \"ENST00000000012\"; "
    "gene_name \"GENEA\"; transcript_biotype \"retained_intron\"; tag \"basic\";\n"
    "chr1\tensembl\texon\t200\t900\t.\t+\t.\tgene_id \"ENSG00000000001\"; transcript_id \"ENST00000000012\";\n"
    "chr1\tensembl\tgene\t2000\t3000\t.\t-\t.\tgene_id \"ENSG00000000002\"; gene_name \"GENEB\"; "
    "gene_biotype \"protein_coding\";\n"
    "chr1\tensembl\ttranscript\t2000\t3000\t.\t-\t.\tgene_id \"ENSG00000000002\"; transcript_id \"ENST00000000021\"; "
    "transcript_biotype \"protein_coding\"; tag \"basic\";\n"
    "chr1\tensembl\texon\t2500\t3000\t.\t-\t.\tgene_id \"ENSG00000000002\"; transcript_id \"ENST00000000021\";\n"
    "chr1\tensembl\tCDS\t2501\t2899\t.\t-\t0\tgene_id \"ENSG00000000002\"; transcript_id \"ENST00000000021\";\n"
    "chr1\tensembl\tstop_codon\t2500\t2500\t.\t-\t0\tgene_id \"ENSG00000000002\"; transcript_id "
    "\"ENST00000000021\";\n"
    "chr1\tensembl\texon\t2000\t2200\t.\t-\t.\tgene_id \"ENSG00000000002\"; transcript_id \"ENST00000000021\";\n"
    "chr1\tensembl\tstop_codon\t2199\t2200\t.\t-\t2\tgene_id \"ENSG00000000002\"; transcript_id "
    "\"ENST00000000021\";\n"
    "chr1\tensembl\tSelenocysteine\t2600\t2602\t.\t-\t.\tgene_id \"ENSG00000000002\"; transcript_id "
    "\"ENST00000000021\";\n";

constexpr const char* kGencodeGtf =
    "##description: evidence-based annotation of the human genome (GRCh38), version 44 (Ensembl 110)\n"
    "##provider: GENCODE\n"
    "chr17\tHAVANA\tgene\t1000\t5000\t.\t-\t.\tgene_id \"ENSG00000012048.23\"; gene_type \"protein_coding\"; "
    "gene_name \"BRCA1\"; level 2; hgnc_id \"HGNC:1100\";\n"
    "chr17\tHAVANA\ttranscript\t1000\t5000\t.\t-\t.\tgene_id \"ENSG00000012048.23\"; transcript_id "
    "\"ENST00000357654.9\"; gene_type \"protein_coding\"; gene_name \"BRCA1\"; transcript_type \"protein_coding\"; "
    "transcript_name \"BRCA1-203\"; level 2; tag \"basic\"; tag \"Ensembl_canonical\"; tag \"MANE_Select\"; "
    "tag \"CCDS\"; ccdsid \"CCDS11453.1\";\n"
    "chr17\tHAVANA\texon\t4000\t5000\t.\t-\t.\tgene_id \"ENSG00000012048.23\"; transcript_id \"ENST00000357654.9\"; "
    "exon_number 1;\n"
    "chr17\tHAVANA\texon\t1000\t2000\t.\t-\t.\tgene_id \"ENSG00000012048.23\"; transcript_id \"ENST00000357654.9\"; "
    "exon_number 2;\n"
    "chr17\tHAVANA\tCDS\t4000\t4500\t.\t-\t0\tgene_id \"ENSG00000012048.23\"; transcript_id \"ENST00000357654.9\";\n"
    "chr17\tHAVANA\tCDS\t1503\t2000\t.\t-\t0\tgene_id \"ENSG00000012048.23\"; transcript_id \"ENST00000357654.9\";\n"
    "chr17\tHAVANA\tstop_codon\t1500\t1502\t.\t-\t0\tgene_id \"ENSG00000012048.23\"; transcript_id "
    "\"ENST00000357654.9\";\n"
    "chr17\tHAVANA\tUTR\t4501\t5000\t.\t-\t.\tgene_id \"ENSG00000012048.23\"; transcript_id \"ENST00000357654.9\";\n"
    "chr17\tHAVANA\ttranscript\t1000\t5000\t.\t-\t.\tgene_id \"ENSG00000012048.23\"; transcript_id "
    "\"ENST00000471181.7\"; transcript_type \"nonsense_mediated_decay\"; tag \"basic\";\n"
    "chr17\tHAVANA\texon\t1000\t5000\t.\t-\t.\tgene_id \"ENSG00000012048.23\"; transcript_id "
    "\"ENST00000471181.7\";\n"
    "chrY\tENSEMBL\tgene\t100\t200\t.\t+\t.\tgene_id \"ENSG00000182378.14_PAR_Y\"; gene_type \"protein_coding\"; "
    "gene_name \"PLCXD1\"; level 3; tag \"PAR\";\n"
    "chrY\tENSEMBL\ttranscript\t100\t200\t.\t+\t.\tgene_id \"ENSG00000182378.14_PAR_Y\"; transcript_id "
    "\"ENST00000381192.10_PAR_Y\"; transcript_type \"protein_coding\"; tag \"PAR\";\n";


TEST_F(GeneModelTest, GtfGivesTheTranscriptsOfTheSameGff3) {
  const GeneModel gff3 = GeneModel::load_gff3(write_text_file(dir_ / "pair.gff3", kPairGff3).string());
  const GeneModel gtf = GeneModel::load_gtf(write_text_file(dir_ / "pair.gtf", kPairGtf).string());
  expect_same_genes(gff3, gtf);
  const Gene* gene_a = gtf.find_gene("GENEA");
  ASSERT_NE(gene_a, nullptr);
  const Transcript& coding = gene_a->transcripts[0];
  EXPECT_EQ(coding.tags, (std::vector<std::string>{"basic", "Ensembl_canonical", "MANE_Select"}));
  EXPECT_TRUE(coding.canonical);
  // The stop codon joins the last CDS segment: 151 + 303 coding bases = 151 codons, stop included.
  EXPECT_EQ(segment_ranges(coding.cds), (std::vector<std::pair<std::uint64_t, std::uint64_t>>{{150, 300}, {500, 802}}));
  EXPECT_EQ(coding.coding_length(), 454u);
  EXPECT_FALSE(gene_a->transcripts[1].is_coding());
  EXPECT_EQ(gene_a->transcripts[1].biotype, "retained_intron");
  // Minus strand, stop codon split by the intron: one base joins the first exon's CDS, two make a segment.
  const Gene* gene_b = gtf.find_gene("GENEB");
  ASSERT_NE(gene_b, nullptr);
  EXPECT_EQ(segment_ranges(gene_b->transcripts[0].cds),
            (std::vector<std::pair<std::uint64_t, std::uint64_t>>{{2199, 2200}, {2500, 2899}}));
  EXPECT_EQ(gene_b->transcripts[0].coding_length() % 3, 0u);
  EXPECT_EQ(gtf.genes_overlapping("1", 2100, 2100).size(), 1u);
}

TEST_F(GeneModelTest, GtfReadsGencodeSpelling) {
  const GeneModel model = GeneModel::load_gtf(write_text_file(dir_ / "gencode.gtf", kGencodeGtf).string());
  ASSERT_EQ(model.genes().size(), 2u);
  const Gene* brca1 = model.find_gene("BRCA1");
  ASSERT_NE(brca1, nullptr);
  EXPECT_EQ(brca1->id, "ENSG00000012048");
  EXPECT_EQ(brca1->biotype, "protein_coding");
  EXPECT_EQ(brca1->strand, '-');
  EXPECT_EQ(transcript_ids(*brca1), (std::vector<std::string>{"ENST00000357654", "ENST00000471181"}));
  const Transcript& mane = brca1->transcripts[0];
  EXPECT_EQ(mane.gene_id, "ENSG00000012048");
  EXPECT_EQ(mane.gene_name, "BRCA1");
  EXPECT_EQ(mane.biotype, "protein_coding");
  EXPECT_EQ(mane.tags, (std::vector<std::string>{"basic", "Ensembl_canonical", "MANE_Select", "CCDS"}));
  EXPECT_EQ(segment_ranges(mane.cds), (std::vector<std::pair<std::uint64_t, std::uint64_t>>{{1500, 2000}, {4000, 4500}}));
  EXPECT_EQ(mane.coding_length(), 1002u);
  EXPECT_EQ(brca1->transcripts[1].biotype, "nonsense_mediated_decay");
  ASSERT_NE(brca1->canonical_transcript(), nullptr);
  EXPECT_EQ(brca1->canonical_transcript()->id, "ENST00000357654");
  const Gene* par = model.find_gene("PLCXD1");
  ASSERT_NE(par, nullptr);
  EXPECT_EQ(par->id, "ENSG00000182378_PAR_Y");
  EXPECT_EQ(transcript_ids(*par), (std::vector<std::string>{"ENST00000381192_PAR_Y"}));
  EXPECT_EQ(par->transcripts[0].tags, (std::vector<std::string>{"PAR"}));
  EXPECT_FALSE(par->transcripts[0].canonical);
}

TEST_F(GeneModelTest, GtfReadsLinesInAnyOrderAndCompressedFiles) {
  // Reversed line order: segments before their transcripts, transcripts before their genes.
  std::vector<std::string> lines;
  std::string text = kPairGtf;
  for (std::size_t begin = 0; begin < text.size();) {
    const std::size_t end = text.find('\n', begin);
    lines.push_back(text.substr(begin, end - begin + 1));
    begin = end + 1;
  }
  std::reverse(lines.begin(), lines.end());
  std::string reversed;
  for (const std::string& line : lines) reversed += line;
  const GeneModel expected = GeneModel::load_gtf(write_text_file(dir_ / "pair.gtf", kPairGtf).string());
  const GeneModel model = GeneModel::load_gtf(write_text_file(dir_ / "reversed.gtf", reversed).string());
  // Transcripts keep file order within their gene, so compare after reversing them back.
  ASSERT_EQ(model.genes().size(), 2u);
  std::vector<Gene> genes = model.genes();
  std::reverse(genes.begin(), genes.end());
  for (Gene& gene : genes) std::reverse(gene.transcripts.begin(), gene.transcripts.end());
  EXPECT_TRUE(genes == expected.genes());

  for (const char* mode : {"w", "wg"}) {
    const fs::path path = write_compressed_file(dir_ / (std::string("pair-") + mode + ".gtf.gz"), kPairGtf, mode);
    expect_same_genes(expected, GeneModel::load_gtf(path.string()));
  }
}

TEST_F(GeneModelTest, LoadChoosesTheFormatByFileName) {
  const GeneModel gff3 = GeneModel::load_gff3(write_text_file(dir_ / "pair.gff3", kPairGff3).string());
  const auto write_named = [this](const std::string& name, const char* text) {
    const bool compressed = name.ends_with(".gz") || name.ends_with(".bgz");
    return compressed ? write_compressed_file(dir_ / name, text) : write_text_file(dir_ / name, text);
  };
  for (const char* name : {"a.gtf", "b.GTF", "c.gtf.gz", "d.gtf.bgz"}) {
    SCOPED_TRACE(name);
    expect_same_genes(gff3, GeneModel::load(write_named(name, kPairGtf).string()));
  }
  for (const char* name : {"e.gff3", "f.gff", "g.GFF3.gz"}) {
    SCOPED_TRACE(name);
    expect_same_genes(gff3, GeneModel::load(write_named(name, kPairGff3).string()));
  }
  const fs::path unknown = write_text_file(dir_ / "genes.txt", kPairGff3);
  const Error error = testing::expect_error([&] { GeneModel::load(unknown.string()); });
  EXPECT_EQ(error.file(), unknown.string());
  EXPECT_EQ(error.kind(), ErrorKind::kBadInput);
  EXPECT_NE(error.hint().find(".gtf"), std::string::npos) << error.hint();
}

// The Error thrown for a GTF holding one gene and one transcript, then `bad_line` as line 3.
Error gtf_error_for_third_line(const fs::path& dir, const std::string& bad_line) {
  const std::string text =
      "chr1\tt\tgene\t100\t900\t.\t+\t.\tgene_id \"G1\"; gene_name \"ONE\";\n"
      "chr1\tt\ttranscript\t100\t900\t.\t+\t.\tgene_id \"G1\"; transcript_id \"T1\";\n" +
      bad_line + "\n";
  const fs::path path = write_text_file(dir / "bad.gtf", text);
  Error error = testing::expect_error([&] { GeneModel::load_gtf(path.string()); });
  EXPECT_EQ(error.file(), path.string());
  EXPECT_EQ(error.kind(), ErrorKind::kBadInput);
  EXPECT_EQ(error.line(), std::optional<std::uint64_t>(3)) << error.message();
  return error;
}

TEST_F(GeneModelTest, GtfErrorsNameFileLineAndField) {
  Error error =
      gtf_error_for_third_line(dir_, "chr1\tt\texon\t100\t200\t.\t+\t.\tgene_id \"G1\"; transcript_id \"T9\";");
  EXPECT_EQ(error.what_failed(), "GTF column 9");
  EXPECT_NE(error.why().find("'T9'"), std::string::npos) << error.why();

  error = gtf_error_for_third_line(dir_,
                                   "chr1\tt\ttranscript\t100\t200\t.\t+\t.\tgene_id \"G7\"; transcript_id \"T2\";");
  EXPECT_NE(error.why().find("'G7'"), std::string::npos) << error.why();

  error = gtf_error_for_third_line(dir_, "chr1\tt\tCDS\t100\t200\t.\t+\t0\tgene_id \"G1\";");
  EXPECT_NE(error.why().find("transcript_id"), std::string::npos) << error.why();

  error = gtf_error_for_third_line(dir_, "chr1\tt\texon\t100\t200\t.\t+\t.\tParent=transcript:T1");
  EXPECT_EQ(error.what_failed(), "GTF column 9");
  EXPECT_NE(error.hint().find("GFF3"), std::string::npos) << error.hint();

  error =
      gtf_error_for_third_line(dir_, "chr1\tt\texon\t300\t200\t.\t+\t.\tgene_id \"G1\"; transcript_id \"T1\";");
  EXPECT_EQ(error.what_failed(), "GTF columns 4-5");

  error = gtf_error_for_third_line(dir_, "chr1\tt\texon\t100");
  EXPECT_EQ(error.what_failed(), "GTF line");

  error = gtf_error_for_third_line(dir_,
                                   "chr1\tt\ttranscript\t100\t900\t.\t+\t.\tgene_id \"G1\"; transcript_id \"T1\";");
  EXPECT_NE(error.why().find("already declared at line 2"), std::string::npos) << error.why();

  error =
      gtf_error_for_third_line(dir_, "chr2\tt\texon\t100\t200\t.\t+\t.\tgene_id \"G1\"; transcript_id \"T1\";");
  EXPECT_EQ(error.what_failed(), "GTF column 1");

  error =
      gtf_error_for_third_line(dir_, "chr1\tt\texon\t100\t200\t.\t+\t.\tgene_id \"G1\"; transcript_id \"T1;");
  EXPECT_NE(error.why().find("not closed"), std::string::npos) << error.why();

  const fs::path empty = write_text_file(dir_ / "empty.gtf", "#!genome-build GRCh38\n");
  error = testing::expect_error([&] { GeneModel::load_gtf(empty.string()); });
  EXPECT_EQ(error.file(), empty.string());
  EXPECT_NE(error.why().find("no gene"), std::string::npos);
  const fs::path missing = dir_ / "missing.gtf";
  error = testing::expect_error([&] { GeneModel::load_gtf(missing.string()); });
  EXPECT_EQ(error.file(), missing.string());
  EXPECT_EQ(error.what_failed(), "open GTF");
}

TEST(GeneModelFromGenesTest, IndexesGivenGenesSortsSegmentsAndRefusesBadRanges) {
  Gene gene{"G1", "ONE", "protein_coding", "7", '+', 100, 900, {}};
  Transcript transcript;
  transcript.id = "T1";
  transcript.contig = "7";
  transcript.start = 100;
  transcript.end = 900;
  transcript.exons = {{500, 900}, {100, 200}};
  transcript.cds = {{500, 600}, {150, 200}};
  gene.transcripts.push_back(transcript);
  const GeneModel model = GeneModel::from_genes({gene}, "made.rmref");
  ASSERT_EQ(model.genes().size(), 1u);
  const Transcript& stored = model.genes()[0].transcripts[0];
  EXPECT_EQ(segment_ranges(stored.exons), (std::vector<std::pair<std::uint64_t, std::uint64_t>>{{100, 200}, {500, 900}}));
  EXPECT_EQ(segment_ranges(stored.cds), (std::vector<std::pair<std::uint64_t, std::uint64_t>>{{150, 200}, {500, 600}}));
  EXPECT_EQ(stored.gene_id, "G1");
  EXPECT_EQ(stored.gene_name, "ONE");
  EXPECT_EQ(gene_names(model.genes_overlapping("chr7", 300, 300)), (std::vector<std::string>{"ONE"}));
  EXPECT_EQ(model.find_gene("ONE"), &model.genes()[0]);

  Gene elsewhere = gene;
  elsewhere.transcripts[0].contig = "8";
  Error error = testing::expect_error([&] { GeneModel::from_genes({elsewhere}, "made.rmref"); });
  EXPECT_EQ(error.file(), "made.rmref");
  EXPECT_EQ(error.what_failed(), "transcript T1");
  Gene reversed = gene;
  reversed.transcripts[0].cds[0] = {600, 500};
  error = testing::expect_error([&] { GeneModel::from_genes({reversed}, "made.rmref"); });
  EXPECT_NE(error.why().find("600-500"), std::string::npos) << error.why();
}

// ---- real data -----------------------------------------------------------------------------------------------

TEST(GeneModelRealDataTest, MiniGrch38LoadsAllGenesAndTranscripts) {
  const fs::path path = testing::shared_data_dir() / "mini-grch38" / "mini_grch38.gff3";
  RAREMATCH_REQUIRE_SHARED_DATA(path);
  const GeneModel model = GeneModel::load_gff3(path.string());
  ASSERT_EQ(model.genes().size(), 13u);
  std::size_t transcripts = 0;
  for (const Gene& gene : model.genes()) {
    transcripts += gene.transcripts.size();
    // Every gene of this Ensembl file tags exactly one transcript Ensembl_canonical.
    EXPECT_EQ(std::count_if(gene.transcripts.begin(), gene.transcripts.end(),
                            [](const Transcript& t) { return t.canonical; }),
              1)
        << gene.name;
    for (const Transcript& transcript : gene.transcripts) {
      EXPECT_FALSE(transcript.exons.empty()) << transcript.id;
      EXPECT_TRUE(std::is_sorted(transcript.exons.begin(), transcript.exons.end(),
                                 [](const Segment& a, const Segment& b) { return a.start < b.start; }))
          << transcript.id;
    }
  }
  EXPECT_EQ(transcripts, 225u);
  EXPECT_EQ(model.contigs(),
            (std::vector<std::string>{"chr1", "chr13", "chr17", "chr21", "chr3", "chr4", "chr5", "chr7"}));
}

TEST(GeneModelRealDataTest, FindsEgfrAtL858rPosition) {
  const fs::path path = testing::shared_data_dir() / "mini-grch38" / "mini_grch38.gff3";
  RAREMATCH_REQUIRE_SHARED_DATA(path);
  const GeneModel model = GeneModel::load_gff3(path.string());
  EXPECT_EQ(gene_names(model.genes_overlapping("chr7", 55191822, 55191822)), (std::vector<std::string>{"EGFR"}));
  EXPECT_EQ(gene_names(model.genes_overlapping("7", 55191822, 55191822)), (std::vector<std::string>{"EGFR"}));
  const Gene* egfr = model.find_gene("EGFR");
  ASSERT_NE(egfr, nullptr);
  EXPECT_EQ(egfr->id, "ENSG00000146648");
  EXPECT_EQ(egfr->strand, '+');
  const Transcript* canonical = egfr->canonical_transcript();
  ASSERT_NE(canonical, nullptr);
  EXPECT_EQ(canonical->id, "ENST00000275493");
  // EGFR is 1210 amino acids; Ensembl CDS includes the stop codon.
  EXPECT_EQ(canonical->coding_length(), 1210u * 3 + 3);
  const bool in_cds = std::any_of(canonical->cds.begin(), canonical->cds.end(), [](const Segment& s) {
    return s.start <= 55191822 && 55191822 <= s.end;
  });
  EXPECT_TRUE(in_cds);
}

TEST(GeneModelRealDataTest, FindsKitAtD816vPositionAndMinusStrandBrca1) {
  const fs::path path = testing::shared_data_dir() / "mini-grch38" / "mini_grch38.gff3";
  RAREMATCH_REQUIRE_SHARED_DATA(path);
  const GeneModel model = GeneModel::load_gff3(path.string());
  EXPECT_EQ(gene_names(model.genes_overlapping("chr4", 54733155, 54733155)), (std::vector<std::string>{"KIT"}));
  EXPECT_EQ(gene_names(model.genes_overlapping("4", 54733155, 54733155)), (std::vector<std::string>{"KIT"}));
  EXPECT_TRUE(model.genes_overlapping("chr4", 1, 1000).empty());
  const Gene* brca1 = model.find_gene("BRCA1");
  ASSERT_NE(brca1, nullptr);
  EXPECT_EQ(brca1->strand, '-');
  ASSERT_NE(brca1->canonical_transcript(), nullptr);
  EXPECT_EQ(brca1->canonical_transcript()->id, "ENST00000357654");
}

TEST(GeneModelRealDataTest, GencodeBrca1LoadsWithoutCanonicalTags) {
  const fs::path path = testing::shared_data_dir() / "ga4gh-brca1-grch37" / "brca1_gencodev19.chr17_GRCh37.gff3";
  RAREMATCH_REQUIRE_SHARED_DATA(path);
  const GeneModel model = GeneModel::load_gff3(path.string());
  std::size_t transcripts = 0;
  for (const Gene& gene : model.genes()) transcripts += gene.transcripts.size();
  EXPECT_EQ(transcripts, 32u);
  const Gene* brca1 = model.find_gene("BRCA1");
  ASSERT_NE(brca1, nullptr);
  EXPECT_EQ(brca1->id, "ENSG00000012048");
  EXPECT_EQ(brca1->transcripts.size(), 31u);
  EXPECT_EQ(brca1->start, 41196312u);
  EXPECT_EQ(brca1->end, 41277500u);
  // GENCODE v19 predates Ensembl_canonical and MANE: the longest coding transcript is chosen.
  ASSERT_NE(brca1->canonical_transcript(), nullptr);
  EXPECT_EQ(brca1->canonical_transcript()->id, "ENST00000471181");
  EXPECT_EQ(gene_names(model.genes_overlapping("chr17", 41245466, 41245466)), (std::vector<std::string>{"BRCA1"}));
}

TEST(GeneModelRealDataTest, LoadsBcftoolsCsqSuiteGffsAndRejectsNegativeStarts) {
  const fs::path suite = testing::shared_data_dir() / "bcftools-csq-suite";
  RAREMATCH_REQUIRE_SHARED_DATA(suite);
  std::size_t loaded = 0;
  std::size_t negative = 0;
  for (const auto& entry : fs::recursive_directory_iterator(suite)) {
    if (entry.path().extension() != ".gff") continue;
    try {
      const GeneModel model = GeneModel::load_gff3(entry.path().string());
      EXPECT_FALSE(model.genes().empty()) << entry.path();
      ++loaded;
    } catch (const Error& error) {
      // Some excerpts keep the gene line of a gene that starts before the excerpt, with a negative start: that
      // is not GFF3, and the only failure allowed here.
      EXPECT_EQ(error.what_failed(), "GFF3 column 4") << error.message();
      EXPECT_NE(error.why().find("'-"), std::string::npos) << error.message();
      ++negative;
    }
  }
  EXPECT_GT(loaded, 55u);
  EXPECT_LT(negative, 10u);
}

// ---- GTF against the GFF3 of the same annotation (real data) ---------------------------------------------------

std::string reverse_complement(const std::string& bases) {
  std::string out(bases.rbegin(), bases.rend());
  for (char& base : out) {
    switch (base) {
      case 'A': base = 'T'; break;
      case 'C': base = 'G'; break;
      case 'G': base = 'C'; break;
      case 'T': base = 'A'; break;
      default: break;
    }
  }
  return out;
}

struct GtfExport {
  std::string text;
  std::size_t stop_codons = 0;        // transcripts written with stop_codon features
  std::size_t split_stop_codons = 0;  // of those, stop codons split by an intron
};

// The GTF Ensembl writes for `model` (whose CDS includes the stop codon, as GFF3's does): gene, transcript, exon
// and CDS lines with GTF attributes, where a coding sequence that ends in a stop codon (TAA, TAG, TGA in the
// genome, length a multiple of 3) has its last three coding bases moved from CDS to stop_codon lines, one per exon
// they touch, as GTF 2.2 wants.
GtfExport to_ensembl_gtf(const GeneModel& model, const Genome& genome) {
  GtfExport out;
  const auto line = [&out](const std::string& contig, const std::string& type, Segment where, char strand,
                           const std::string& attributes) {
    out.text += contig + "\tensembl\t" + type + "\t" + std::to_string(where.start) + "\t" + std::to_string(where.end) +
                "\t.\t" + strand + "\t.\t" + attributes + "\n";
  };
  for (const Gene& gene : model.genes()) {
    const std::string gene_attributes = "gene_id \"" + gene.id + "\"; gene_version \"1\"; gene_name \"" + gene.name +
                                        "\"; gene_source \"ensembl_havana\"; gene_biotype \"" + gene.biotype + "\";";
    line(gene.contig, "gene", {gene.start, gene.end}, gene.strand, gene_attributes);
    for (const Transcript& transcript : gene.transcripts) {
      const std::string ids = "gene_id \"" + gene.id + "\"; transcript_id \"" + transcript.id + "\";";
      std::string attributes = ids + " gene_name \"" + gene.name + "\"; transcript_biotype \"" + transcript.biotype +
                               "\";";
      for (const std::string& tag : transcript.tags) attributes += " tag \"" + tag + "\";";
      line(transcript.contig, "transcript", {transcript.start, transcript.end}, transcript.strand, attributes);
      for (std::size_t i = 0; i < transcript.exons.size(); ++i) {
        line(transcript.contig, "exon", transcript.exons[i], transcript.strand,
             ids + " exon_number \"" + std::to_string(i + 1) + "\";");
      }
      // Split the last three coding bases (transcript orientation) off the CDS.
      std::vector<Segment> cds = transcript.cds;
      std::vector<Segment> stop;  // ascending
      if (transcript.is_coding() && transcript.coding_length() % 3 == 0) {
        std::uint64_t remaining = 3;
        while (remaining > 0 && !cds.empty()) {
          Segment& edge = transcript.strand == '+' ? cds.back() : cds.front();
          const std::uint64_t take = std::min(remaining, edge.end - edge.start + 1);
          if (transcript.strand == '+') {
            stop.insert(stop.begin(), {edge.end - take + 1, edge.end});
            edge.end -= take;
          } else {
            stop.push_back({edge.start, edge.start + take - 1});
            edge.start += take;
          }
          if (edge.start > edge.end) {
            if (transcript.strand == '+') {
              cds.pop_back();
            } else {
              cds.erase(cds.begin());
            }
          }
          remaining -= take;
        }
        std::string codon;
        for (const Segment& piece : stop) codon += genome.fetch(transcript.contig, piece.start, piece.end);
        if (transcript.strand == '-') codon = reverse_complement(codon);
        if (codon != "TAA" && codon != "TAG" && codon != "TGA") {
          cds = transcript.cds;
          stop.clear();
        }
      }
      for (const Segment& segment : cds) line(transcript.contig, "CDS", segment, transcript.strand, ids);
      for (const Segment& piece : stop) line(transcript.contig, "stop_codon", piece, transcript.strand, ids);
      if (!stop.empty()) ++out.stop_codons;
      if (stop.size() > 1) ++out.split_stop_codons;
    }
  }
  return out;
}

TEST(GeneModelRealDataTest, MiniGrch38GtfGivesTheTranscriptsOfItsGff3) {
  const fs::path dir = testing::shared_data_dir() / "mini-grch38";
  RAREMATCH_REQUIRE_SHARED_DATA(dir / "mini_grch38.gff3");
  const GeneModel gff3 = GeneModel::load_gff3((dir / "mini_grch38.gff3").string());
  const Genome genome = Genome::open((dir / "mini_grch38.fa.gz").string());
  const GtfExport gtf = to_ensembl_gtf(gff3, genome);
  // Nearly every coding transcript ends in a stop codon, and some stop codons are split by an intron.
  EXPECT_GT(gtf.stop_codons, 100u);
  EXPECT_GE(gtf.split_stop_codons, 1u);
  const testing::TempDir temp("rarematch-gtf");
  const fs::path path = write_compressed_file(temp.path() / "mini_grch38.gtf.gz", gtf.text);
  const GeneModel from_gtf = GeneModel::load(path.string());
  expect_same_genes(gff3, from_gtf);
  std::size_t transcripts = 0;
  for (const Gene& gene : from_gtf.genes()) transcripts += gene.transcripts.size();
  EXPECT_EQ(transcripts, 225u);
}

}  // namespace
}  // namespace rarematch::reference
