#include "reference/gene_model.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "reference/error.h"
#include "tests/support/test_support.h"

namespace rarematch::reference {
namespace {

namespace fs = std::filesystem;
using ::rarematch::testing::write_compressed_file;
using ::rarematch::testing::write_text_file;

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

}  // namespace
}  // namespace rarematch::reference
