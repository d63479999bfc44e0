#include "pipeline/preannotated.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "pipeline/vcf_reader.h"
#include "reference/error.h"
#include "tests/support/test_support.h"

namespace rarematch::pipeline {
namespace {

namespace fs = std::filesystem;
namespace v1 = rarematch::v1;
using ::rarematch::reference::Annotation;
using ::rarematch::testing::expect_error;
using ::rarematch::testing::running_in_ci;
using ::rarematch::testing::shared_data_dir;
using ::rarematch::testing::TempDir;

constexpr const char* kTempPrefix = "rarematch-preannotated";

/// A file read whole: its reader and all its records.
struct ReadFile {
  VcfReader reader;
  RecordBatch batch;

  explicit ReadFile(const std::string& path) : reader(VcfReader::open(path)) {
    reader.read_batch(batch, 1'000'000);
  }
  /// Record `ordinal` (1-based).
  bcf1_t* record(std::uint64_t ordinal) const { return batch.records.at(ordinal - 1).get(); }
  /// The annotations of ALT `allele` of record `ordinal`.
  std::vector<Annotation> annotations(const PreannotationParser& parser, std::uint64_t ordinal, int allele) const {
    return parser.annotations_for(record(ordinal), allele, batch.header, reader.line_of(ordinal));
  }
};

/// The annotation of `transcript` among `annotations`; fails the test (and returns an empty one) when absent.
Annotation on_transcript(const std::vector<Annotation>& annotations, const std::string& transcript) {
  for (const Annotation& a : annotations) {
    if (a.transcript_id == transcript) return a;
  }
  ADD_FAILURE() << "no annotation on " << transcript;
  return {};
}

std::vector<std::string> transcripts_of(const std::vector<Annotation>& annotations) {
  std::vector<std::string> out;
  for (const Annotation& a : annotations) out.push_back(a.transcript_id);
  return out;
}

/// One '|'-joined entry with `values` in the named columns and every other column empty.
std::string entry(const std::vector<std::string>& columns, const std::map<std::string, std::string>& values) {
  std::string out;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) out += '|';
    const auto it = values.find(columns[i]);
    if (it != values.end()) out += it->second;
  }
  return out;
}

std::string join(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) out += (i > 0 ? separator : "") + items[i];
  return out;
}

const char* const kFileHead =
    "##fileformat=VCFv4.2\n"
    "##contig=<ID=chr7,length=159345973>\n"
    "##contig=<ID=21,length=46709983>\n"
    "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n";
const char* const kColumnsLine = "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tTUMOR\n";

// VEP's layout as vcf2maf runs it (the columns of test_b38_output.maf), cut to the first 30.
const std::vector<std::string> kVepColumns = {
    "Allele", "Consequence", "IMPACT", "SYMBOL", "Gene", "Feature_type", "Feature", "BIOTYPE", "EXON", "INTRON",
    "HGVSc", "HGVSp", "cDNA_position", "CDS_position", "Protein_position", "Amino_acids", "Codons",
    "Existing_variation", "DISTANCE", "STRAND", "FLAGS", "PICK", "VARIANT_CLASS", "MINIMISED", "SYMBOL_SOURCE",
    "HGNC_ID", "CANONICAL", "TSL", "CCDS", "ENSP"};

std::string vep_header(const std::vector<std::string>& columns, const std::string& tag = "CSQ") {
  return "##INFO=<ID=" + tag +
         ",Number=.,Type=String,Description=\"Consequence annotations from Ensembl VEP. Format: " +
         join(columns, "|") + "\">\n";
}

// ---------------------------------------------------------------------------------------------------------------
// Header: detection and layout.

TEST(PreannotatedTest, DetectsDeclaredFormatsInPreferenceOrder) {
  TempDir dir(kTempPrefix);
  const std::string snpeff =
      "##INFO=<ID=ANN,Number=.,Type=String,Description=\"Functional annotations: 'Allele | Annotation | "
      "Annotation_Impact | Gene_Name | Gene_ID | Feature_Type | Feature_ID | Transcript_BioType | Rank | HGVS.c | "
      "HGVS.p | cDNA.pos / cDNA.length | CDS.pos / CDS.length | AA.pos / AA.length | Distance | ERRORS / WARNINGS "
      "/ INFO' \">\n";
  const std::string bcsq =
      "##INFO=<ID=BCSQ,Number=.,Type=String,Description=\"Local consequence annotation from BCFtools/csq, see "
      "http://samtools.github.io/bcftools/howtos/csq-calling.html for details. Format: "
      "Consequence|gene|transcript|biotype|strand|amino_acid_change|dna_change\">\n";
  struct Case {
    std::string name;
    std::string info_lines;
    std::vector<PreannotationFormat> declared;
  };
  const std::vector<Case> cases = {
      {"all three", bcsq + snpeff + vep_header(kVepColumns),
       {PreannotationFormat::kVep, PreannotationFormat::kSnpEff, PreannotationFormat::kBcsq}},
      {"SnpEff and BCSQ", bcsq + snpeff, {PreannotationFormat::kSnpEff, PreannotationFormat::kBcsq}},
      {"VEP writing ANN (--vcf_info_field ANN)", vep_header(kVepColumns, "ANN"), {PreannotationFormat::kVep}},
      {"none", "##INFO=<ID=DP,Number=1,Type=Integer,Description=\"Depth\">\n", {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string path = dir.write("h.vcf", std::string(kFileHead) + c.info_lines + kColumnsLine).string();
    const VcfReader reader = VcfReader::open(path);
    EXPECT_EQ(declared_preannotations(reader.header()), c.declared);
    const auto detected = detect_preannotation(reader.header());
    if (c.declared.empty()) {
      EXPECT_FALSE(detected.has_value());
    } else {
      EXPECT_EQ(detected, c.declared.front());
    }
  }
  // The VEP-described ANN is read as VEP, from tag ANN.
  const std::string path = dir.write("h.vcf", std::string(kFileHead) + vep_header(kVepColumns, "ANN") +
                                                  kColumnsLine).string();
  const VcfReader reader = VcfReader::open(path);
  const auto parser = PreannotationParser::from_header(reader.header(), PreannotationFormat::kVep, path);
  EXPECT_EQ(parser.info_tag(), "ANN");
  EXPECT_EQ(parser.columns(), kVepColumns);
  EXPECT_TRUE(parser.has_canonical_flag());

  EXPECT_EQ(parse_preannotation_format("snpeff"), PreannotationFormat::kSnpEff);
  EXPECT_EQ(preannotation_format_name(PreannotationFormat::kBcsq), "bcsq");
  EXPECT_FALSE(parse_preannotation_format("VEP").has_value());
}

TEST(PreannotatedTest, RefusesHeadersWithoutTheFieldOrItsLayoutNamingTheFile) {
  TempDir dir(kTempPrefix);
  struct Case {
    std::string name;
    std::string info_lines;
    PreannotationFormat format;
    std::string why;
  };
  const std::vector<Case> cases = {
      {"no field", "", PreannotationFormat::kVep, "no INFO/CSQ field of VEP"},
      {"no Format list", "##INFO=<ID=CSQ,Number=.,Type=String,Description=\"Consequence annotations\">\n",
       PreannotationFormat::kVep, "gives no field layout"},
      {"not a string", "##INFO=<ID=BCSQ,Number=1,Type=Integer,Description=\"Format: Consequence|gene\">\n",
       PreannotationFormat::kBcsq, "not declared Type=String"},
      {"no Allele column",
       "##INFO=<ID=ANN,Number=.,Type=String,Description=\"Functional annotations: 'Annotation | Gene_Name'\">\n",
       PreannotationFormat::kSnpEff, "no Allele column"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string path = dir.write("h.vcf", std::string(kFileHead) + c.info_lines + kColumnsLine).string();
    const VcfReader reader = VcfReader::open(path);
    const Error error =
        expect_error([&] { PreannotationParser::from_header(reader.header(), c.format, path); });
    EXPECT_EQ(error.kind(), ErrorKind::kBadInput);
    EXPECT_EQ(error.file(), path);
    EXPECT_NE(error.why().find(c.why), std::string::npos) << error.why();
    EXPECT_FALSE(error.hint().empty());
  }
}

// ---------------------------------------------------------------------------------------------------------------
// VEP.

/// Records whose CSQ values are VEP's own for test_b38.vcf (the canonical effects in vcf2maf's
/// test_b38_output.maf and its all_effects column), plus hand-made EGFR and multi-allelic records.
std::string vep_file() {
  const auto& c = kVepColumns;
  const std::string tmprss2 =
      entry(c, {{"Allele", "-"}, {"Consequence", "frameshift_variant"}, {"IMPACT", "HIGH"}, {"SYMBOL", "TMPRSS2"},
                {"Gene", "ENSG00000184012"}, {"Feature_type", "Transcript"}, {"Feature", "ENST00000332149.10"},
                {"BIOTYPE", "protein_coding"}, {"EXON", "7/14"}, {"HGVSc", "ENST00000332149.10:c.672del"},
                {"HGVSp", "ENSP00000330330.5:p.Lys224AsnfsTer19"}, {"Protein_position", "224"},
                {"Amino_acids", "K/X"}, {"CANONICAL", "YES"}}) +
      "," +
      entry(c, {{"Allele", "-"}, {"Consequence", "frameshift_variant"}, {"IMPACT", "HIGH"}, {"SYMBOL", "TMPRSS2"},
                {"Gene", "ENSG00000184012"}, {"Feature_type", "Transcript"}, {"Feature", "ENST00000679263.1"},
                {"BIOTYPE", "protein_coding"}, {"HGVSp", "ENSP00000505430.1:p.Lys277AsnfsTer19"},
                {"Protein_position", "277"}}) +
      "," +
      entry(c, {{"Allele", "-"}, {"Consequence", "regulatory_region_variant"}, {"IMPACT", "MODIFIER"},
                {"Feature_type", "RegulatoryFeature"}, {"Feature", "ENSR00001365449"}});
  const std::string runx1_insertion =
      entry(c, {{"Allele", "G"}, {"Consequence", "frameshift_variant"}, {"IMPACT", "HIGH"}, {"SYMBOL", "RUNX1"},
                {"Gene", "ENSG00000159216"}, {"Feature_type", "Transcript"}, {"Feature", "ENST00000675419.1"},
                {"BIOTYPE", "protein_coding"}, {"EXON", "5/9"}, {"HGVSc", "ENST00000675419.1:c.414_415insC"},
                {"HGVSp", "ENSP00000501943.1:p.Asn139GlnfsTer5"}, {"Protein_position", "138-139"},
                {"Amino_acids", "-/X"}, {"CANONICAL", "YES"}});
  const std::string runx1_intron =
      entry(c, {{"Allele", "C"}, {"Consequence", "splice_region_variant&intron_variant"}, {"IMPACT", "LOW"},
                {"SYMBOL", "RUNX1"}, {"Gene", "ENSG00000159216"}, {"Feature_type", "Transcript"},
                {"Feature", "ENST00000675419.1"}, {"BIOTYPE", "protein_coding"}, {"INTRON", "5/8"},
                {"HGVSc", "ENST00000675419.1:c.508+8A>G"}, {"CANONICAL", "YES"}});
  const std::string erg_synonymous =
      entry(c, {{"Allele", "C"}, {"Consequence", "synonymous_variant"}, {"IMPACT", "LOW"}, {"SYMBOL", "ERG"},
                {"Gene", "ENSG00000157554"}, {"Feature_type", "Transcript"}, {"Feature", "ENST00000288319.12"},
                {"BIOTYPE", "protein_coding"}, {"EXON", "10/10"}, {"HGVSc", "ENST00000288319.12:c.1218A>G"},
                {"HGVSp", "ENST00000288319.12:c.1218A>G(p.%3D)"}, {"Protein_position", "406"},
                {"Amino_acids", "S"}, {"CANONICAL", "YES"}});
  const std::string erg_start =
      entry(c, {{"Allele", "T"}, {"Consequence", "start_lost"}, {"IMPACT", "HIGH"}, {"SYMBOL", "ERG"},
                {"Gene", "ENSG00000157554"}, {"Feature_type", "Transcript"}, {"Feature", "ENST00000442448.5"},
                {"BIOTYPE", "protein_coding"}, {"EXON", "3/11"}, {"HGVSc", "ENST00000442448.5:c.3G>A"},
                {"HGVSp", "ENSP00000394694.1:p.Met1?"}, {"Protein_position", "1"}, {"Amino_acids", "M/I"}});
  const std::string icoslg =
      entry(c, {{"Allele", "T"}, {"Consequence", "stop_gained"}, {"IMPACT", "HIGH"}, {"SYMBOL", "ICOSLG"},
                {"Gene", "ENSG00000160223"}, {"Feature_type", "Transcript"}, {"Feature", "ENST00000407780.7"},
                {"BIOTYPE", "protein_coding"}, {"EXON", "3/7"}, {"HGVSc", "ENST00000407780.7:c.162G>A"},
                {"HGVSp", "ENSP00000384432.3:p.Trp54Ter"}, {"Protein_position", "54"}, {"Amino_acids", "W/*"},
                {"CANONICAL", "YES"}});
  // EGFR exon 19 deletion and L858R (mini-grch38 coordinates); the L858R entry without --hgvs.
  const std::string egfr_deletion =
      entry(c, {{"Allele", "-"}, {"Consequence", "inframe_deletion"}, {"IMPACT", "MODERATE"}, {"SYMBOL", "EGFR"},
                {"Gene", "ENSG00000146648"}, {"Feature_type", "Transcript"}, {"Feature", "ENST00000275493"},
                {"BIOTYPE", "protein_coding"}, {"EXON", "19/28"}, {"HGVSc", "ENST00000275493.7:c.2236_2250del"},
                {"HGVSp", "ENSP00000275493.2:p.Glu746_Ala750del"}, {"Protein_position", "745-750"},
                {"Amino_acids", "KELREA/K"}, {"CANONICAL", "YES"}});
  const std::string egfr_l858r =
      entry(c, {{"Allele", "G"}, {"Consequence", "missense_variant"}, {"IMPACT", "MODERATE"}, {"SYMBOL", "EGFR"},
                {"Gene", "ENSG00000146648"}, {"Feature_type", "Transcript"}, {"Feature", "ENST00000275493"},
                {"BIOTYPE", "protein_coding"}, {"EXON", "21/28"}, {"Protein_position", "858"},
                {"Amino_acids", "L/R"}, {"CANONICAL", "YES"}});
  // Multi-allelic indels: CA>C,CAA is written "-" and "A" by VEP (all alleles share C); A>AT,G keeps "AT", "G".
  const std::string multi_indel =
      entry(c, {{"Allele", "-"}, {"Consequence", "intron_variant"}, {"IMPACT", "MODIFIER"}, {"SYMBOL", "EGFR"},
                {"Feature_type", "Transcript"}, {"Feature", "ENST00000275493"}, {"INTRON", "19/27"}}) +
      "," +
      entry(c, {{"Allele", "A"}, {"Consequence", "intron_variant"}, {"IMPACT", "MODIFIER"}, {"SYMBOL", "EGFR"},
                {"Feature_type", "Transcript"}, {"Feature", "ENST00000455089"}, {"INTRON", "18/25"}});
  const std::string multi_mixed =
      entry(c, {{"Allele", "AT"}, {"Consequence", "intron_variant"}, {"IMPACT", "MODIFIER"}, {"SYMBOL", "EGFR"},
                {"Feature_type", "Transcript"}, {"Feature", "ENST00000275493"}}) +
      "," +
      entry(c, {{"Allele", "G"}, {"Consequence", "intron_variant"}, {"IMPACT", "MODIFIER"}, {"SYMBOL", "EGFR"},
                {"Feature_type", "Transcript"}, {"Feature", "ENST00000455089"}});
  // vep --minimal: a delins TCA>TGA written as its minimal allele "G".
  const std::string minimal =
      entry(c, {{"Allele", "G"}, {"Consequence", "missense_variant"}, {"IMPACT", "MODERATE"}, {"SYMBOL", "EGFR"},
                {"Feature_type", "Transcript"}, {"Feature", "ENST00000275493"}}) +
      "," +
      entry(c, {{"Allele", "A"}, {"Consequence", "missense_variant"}, {"IMPACT", "MODERATE"}, {"SYMBOL", "EGFR"},
                {"Feature_type", "Transcript"}, {"Feature", "ENST00000275493"}});
  const auto record = [](const std::string& fields, const std::string& csq) {
    return fields + "\t.\tPASS\tCSQ=" + csq + "\tGT\t0/1\n";
  };
  return std::string(kFileHead) + vep_header(kVepColumns) + kColumnsLine +
         record("21\t41479182\t.\tGT\tG", tmprss2) +                  // 1
         record("21\t34880650\t.\tT\tTG", runx1_insertion) +          // 2
         record("21\t34880549\t.\tT\tC", runx1_intron) +              // 3
         record("21\t38383625\t.\tT\tC", erg_synonymous) +            // 4
         record("21\t38575698\t.\tC\tT", erg_start) +                 // 5
         record("21\t44237111\t.\tC\tT", icoslg) +                    // 6
         record("chr7\t55174771\t.\tAGGAATTAAGAGAAGC\tA", egfr_deletion) +  // 7
         record("chr7\t55191822\t.\tT\tG", egfr_l858r) +              // 8
         record("chr7\t55175000\t.\tCA\tC,CAA", multi_indel) +        // 9
         record("chr7\t55175100\t.\tA\tAT,G", multi_mixed) +          // 10
         record("chr7\t55175200\t.\tTCA\tTGA,TCT", minimal) +         // 11
         "chr7\t55175300\t.\tA\tG\t.\tPASS\t.\tGT\t0/1\n";            // 12: no CSQ
}

TEST(PreannotatedTest, ReadsVepEntriesOfEachAllele) {
  TempDir dir(kTempPrefix);
  const std::string path = dir.write("vep.vcf", vep_file()).string();
  const ReadFile file(path);
  const auto parser = PreannotationParser::from_header(file.reader.header(), PreannotationFormat::kVep, path);
  EXPECT_EQ(parser.info_tag(), "CSQ");

  // 1: TMPRSS2 frameshift deletion (Allele "-"); the regulatory feature is not a transcript.
  auto annotations = file.annotations(parser, 1, 1);
  ASSERT_EQ(transcripts_of(annotations), (std::vector<std::string>{"ENST00000332149", "ENST00000679263"}));
  const Annotation& tmprss2 = annotations[0];
  EXPECT_EQ(tmprss2.gene, "TMPRSS2");
  EXPECT_EQ(tmprss2.gene_id, "ENSG00000184012");
  EXPECT_EQ(tmprss2.transcript_biotype, "protein_coding");
  EXPECT_TRUE(tmprss2.canonical);
  EXPECT_FALSE(annotations[1].canonical);
  EXPECT_EQ(tmprss2.consequences, std::vector<std::string>{"frameshift_variant"});
  EXPECT_EQ(tmprss2.impact, v1::IMPACT_HIGH);
  EXPECT_EQ(tmprss2.hgvs_c, "c.672del");
  EXPECT_EQ(tmprss2.hgvs_p, "p.Lys224AsnfsTer19");
  EXPECT_EQ(tmprss2.hgvs_p_short, "p.K224Nfs*19");
  EXPECT_EQ(tmprss2.protein_start, 224u);
  EXPECT_EQ(tmprss2.protein_end, 224u);
  EXPECT_EQ(tmprss2.exon, 7u);
  EXPECT_EQ(tmprss2.exon_count, 14u);
  EXPECT_EQ(tmprss2.intron, 0u);
  EXPECT_EQ(annotations[1].hgvs_p_short, "p.K277Nfs*19");

  // 2: RUNX1 insertion (Allele "G" for T>TG).
  annotations = file.annotations(parser, 2, 1);
  ASSERT_EQ(annotations.size(), 1u);
  EXPECT_EQ(annotations[0].hgvs_c, "c.414_415insC");
  EXPECT_EQ(annotations[0].hgvs_p_short, "p.N139Qfs*5");
  EXPECT_EQ(annotations[0].protein_start, 138u);
  EXPECT_EQ(annotations[0].protein_end, 139u);

  // 3: intronic splice region: terms most severe first, intron number and the exon count from it.
  annotations = file.annotations(parser, 3, 1);
  ASSERT_EQ(annotations.size(), 1u);
  EXPECT_EQ(annotations[0].consequences, (std::vector<std::string>{"splice_region_variant", "intron_variant"}));
  EXPECT_EQ(annotations[0].impact, v1::IMPACT_LOW);
  EXPECT_EQ(annotations[0].hgvs_c, "c.508+8A>G");
  EXPECT_TRUE(annotations[0].hgvs_p.empty());
  EXPECT_EQ(annotations[0].intron, 5u);
  EXPECT_EQ(annotations[0].exon, 0u);
  EXPECT_EQ(annotations[0].exon_count, 9u);
  EXPECT_EQ(annotations[0].protein_start, 0u);

  // 4: synonymous in VEP's "c.X(p.%3D)" form, naming no residue: Amino_acids S at Protein_position 406 does.
  annotations = file.annotations(parser, 4, 1);
  ASSERT_EQ(annotations.size(), 1u);
  EXPECT_EQ(annotations[0].hgvs_p, "p.Ser406=");
  EXPECT_EQ(annotations[0].hgvs_p_short, "p.S406=");
  EXPECT_EQ(annotations[0].protein_start, 406u);

  // 5, 6: start lost, stop gained.
  annotations = file.annotations(parser, 5, 1);
  ASSERT_EQ(annotations.size(), 1u);
  EXPECT_EQ(annotations[0].hgvs_p, "p.Met1?");
  EXPECT_EQ(annotations[0].hgvs_p_short, "p.M1?");
  EXPECT_FALSE(annotations[0].canonical);  // CANONICAL empty
  annotations = file.annotations(parser, 6, 1);
  ASSERT_EQ(annotations.size(), 1u);
  EXPECT_EQ(annotations[0].hgvs_p, "p.Trp54Ter");
  EXPECT_EQ(annotations[0].hgvs_p_short, "p.W54*");

  // 7: EGFR exon 19 deletion: Protein_position 745-750 (codons touched) and the named residues 746-750.
  annotations = file.annotations(parser, 7, 1);
  ASSERT_EQ(annotations.size(), 1u);
  EXPECT_EQ(annotations[0].transcript_id, "ENST00000275493");
  EXPECT_EQ(annotations[0].hgvs_p, "p.Glu746_Ala750del");
  EXPECT_EQ(annotations[0].hgvs_p_short, "p.E746_A750del");
  EXPECT_EQ(annotations[0].hgvs_c, "c.2236_2250del");
  EXPECT_EQ(annotations[0].protein_start, 745u);
  EXPECT_EQ(annotations[0].protein_end, 750u);
  EXPECT_EQ(annotations[0].exon, 19u);

  // 8: no HGVSp column value: Amino_acids L/R at 858.
  annotations = file.annotations(parser, 8, 1);
  ASSERT_EQ(annotations.size(), 1u);
  EXPECT_EQ(annotations[0].hgvs_p, "p.Leu858Arg");
  EXPECT_EQ(annotations[0].hgvs_p_short, "p.L858R");
  EXPECT_TRUE(annotations[0].hgvs_c.empty());

  // 9: CA>C,CAA: "-" is the first ALT's, "A" the second's.
  EXPECT_EQ(transcripts_of(file.annotations(parser, 9, 1)), std::vector<std::string>{"ENST00000275493"});
  annotations = file.annotations(parser, 9, 2);
  ASSERT_EQ(transcripts_of(annotations), std::vector<std::string>{"ENST00000455089"});
  EXPECT_EQ(annotations[0].intron, 18u);
  EXPECT_EQ(annotations[0].exon_count, 26u);
  // 10: A>AT,G: not every allele starts with A, so VEP keeps them as written.
  EXPECT_EQ(transcripts_of(file.annotations(parser, 10, 1)), std::vector<std::string>{"ENST00000275493"});
  EXPECT_EQ(transcripts_of(file.annotations(parser, 10, 2)), std::vector<std::string>{"ENST00000455089"});
  // 11: --minimal spellings: TCA>TGA is "G", TCA>TCT is "T"; "A" names neither.
  EXPECT_EQ(file.annotations(parser, 11, 1).size(), 1u);
  EXPECT_TRUE(file.annotations(parser, 11, 2).empty());
  // 12: no CSQ.
  EXPECT_TRUE(file.annotations(parser, 12, 1).empty());

  const Error error = expect_error([&] { file.annotations(parser, 8, 2); });
  EXPECT_EQ(error.kind(), ErrorKind::kInternal);
}

TEST(PreannotatedTest, MatchesVepEntriesByAlleleNumberWhenTheLayoutHasIt) {
  TempDir dir(kTempPrefix);
  const std::vector<std::string> columns = {"Allele", "Consequence", "IMPACT", "SYMBOL", "Feature_type", "Feature",
                                            "HGVSp", "ALLELE_NUM", "MANE_SELECT"};
  // Both entries say Allele "T"; ALLELE_NUM decides.
  const std::string csq =
      entry(columns, {{"Allele", "T"}, {"Consequence", "missense_variant"}, {"SYMBOL", "KIT"},
                      {"Feature_type", "Transcript"}, {"Feature", "ENST00000288135.6"},
                      {"HGVSp", "ENSP00000288135.6:p.(Asp816Val)"}, {"ALLELE_NUM", "2"},
                      {"MANE_SELECT", "NM_000222.3"}}) +
      "," +
      entry(columns, {{"Allele", "T"}, {"Consequence", "synonymous_variant"}, {"SYMBOL", "KIT"},
                      {"Feature_type", "Transcript"}, {"Feature", "ENST00000412167"}, {"ALLELE_NUM", "1"}});
  const std::string path =
      dir.write("vep.vcf", std::string(kFileHead) + vep_header(columns) + kColumnsLine +
                               "chr7\t100\t.\tA\tG,T\t.\tPASS\tCSQ=" + csq + "\tGT\t1/2\n").string();
  const ReadFile file(path);
  const auto parser = PreannotationParser::from_header(file.reader.header(), PreannotationFormat::kVep, path);
  auto annotations = file.annotations(parser, 1, 2);
  ASSERT_EQ(annotations.size(), 1u);
  EXPECT_EQ(annotations[0].hgvs_p, "p.Asp816Val");  // parentheses dropped
  EXPECT_EQ(annotations[0].hgvs_p_short, "p.D816V");
  EXPECT_EQ(annotations[0].protein_start, 816u);  // no Protein_position column: the named residue
  EXPECT_TRUE(annotations[0].canonical);          // MANE_SELECT given
  EXPECT_EQ(annotations[0].impact, v1::IMPACT_MODERATE);  // no IMPACT value: from the term
  annotations = file.annotations(parser, 1, 1);
  ASSERT_EQ(annotations.size(), 1u);
  EXPECT_EQ(annotations[0].transcript_id, "ENST00000412167");
  EXPECT_FALSE(annotations[0].canonical);
}

TEST(PreannotatedTest, RefusesAnEntryWhoseFieldsDisagreeWithTheLayoutNamingFileAndLine) {
  TempDir dir(kTempPrefix);
  const std::string path =
      dir.write("vep.vcf", std::string(kFileHead) + vep_header(kVepColumns) + kColumnsLine +
                               "chr7\t55191822\t.\tT\tG\t.\tPASS\tCSQ=G|missense_variant|MODERATE|EGFR\tGT\t0/1\n")
          .string();
  const ReadFile file(path);
  const auto parser = PreannotationParser::from_header(file.reader.header(), PreannotationFormat::kVep, path);
  const Error error = expect_error([&] { file.annotations(parser, 1, 1); });
  EXPECT_EQ(error.kind(), ErrorKind::kBadInput);
  EXPECT_EQ(error.file(), path);
  EXPECT_EQ(error.line(), 7u);
  EXPECT_EQ(error.what_failed(), "INFO/CSQ of the record at chr7:55191822");
  EXPECT_NE(error.why().find("has 4 '|'-separated fields where the header's Format list names 30"),
            std::string::npos)
      << error.why();
}

// ---------------------------------------------------------------------------------------------------------------
// SnpEff.

const std::vector<std::string> kSnpEffColumns = {
    "Allele", "Annotation", "Annotation_Impact", "Gene_Name", "Gene_ID", "Feature_Type", "Feature_ID",
    "Transcript_BioType", "Rank", "HGVS.c", "HGVS.p", "cDNA.pos / cDNA.length", "CDS.pos / CDS.length",
    "AA.pos / AA.length", "Distance", "ERRORS / WARNINGS / INFO"};

TEST(PreannotatedTest, ReadsSnpEffEntriesOfEachAllele) {
  TempDir dir(kTempPrefix);
  const auto& c = kSnpEffColumns;
  const std::string header =
      "##INFO=<ID=ANN,Number=.,Type=String,Description=\"Functional annotations: '" + join(c, " | ") + "' \">\n";
  const std::string l858r =
      entry(c, {{"Allele", "G"}, {"Annotation", "missense_variant"}, {"Annotation_Impact", "MODERATE"},
                {"Gene_Name", "EGFR"}, {"Gene_ID", "ENSG00000146648"}, {"Feature_Type", "transcript"},
                {"Feature_ID", "ENST00000275493.7"}, {"Transcript_BioType", "protein_coding"}, {"Rank", "21/28"},
                {"HGVS.c", "c.2573T>G"}, {"HGVS.p", "p.Leu858Arg"}, {"AA.pos / AA.length", "858/1210"}}) +
      "," +
      // SnpEff -cancer: the effect of G relative to the other ALT; not the allele's effect on the reference.
      entry(c, {{"Allele", "G-C"}, {"Annotation", "missense_variant"}, {"Gene_Name", "EGFR"},
                {"Feature_Type", "transcript"}, {"Feature_ID", "ENST00000275493.7"}}) +
      "," +
      entry(c, {{"Allele", "G"}, {"Annotation", "intergenic_region"}, {"Gene_Name", "EGFR"},
                {"Feature_Type", "intergenic_region"}, {"Feature_ID", "EGFR"}}) +
      "," +
      entry(c, {{"Allele", "C"}, {"Annotation", "synonymous_variant"}, {"Annotation_Impact", "LOW"},
                {"Gene_Name", "EGFR"}, {"Feature_Type", "transcript"}, {"Feature_ID", "ENST00000275493.7"},
                {"Rank", "21/28"}, {"HGVS.c", "c.2574G>C"}, {"HGVS.p", "p.Leu858Leu"},
                {"AA.pos / AA.length", "858/1210"}});
  const std::string deletion =
      entry(c, {{"Allele", "A"}, {"Annotation", "disruptive_inframe_deletion"}, {"Annotation_Impact", "MODERATE"},
                {"Gene_Name", "EGFR"}, {"Feature_Type", "transcript"}, {"Feature_ID", "ENST00000275493.7"},
                {"Rank", "19/28"}, {"HGVS.c", "c.2236_2250delGAATTAAGAGAAGCA"}, {"HGVS.p", "p.E746_A750del"},
                {"AA.pos / AA.length", "746/1210"}});
  const std::string donor =
      entry(c, {{"Allele", "A"}, {"Annotation", "splice_donor_variant&intron_variant"}, {"Annotation_Impact", "HIGH"},
                {"Gene_Name", "EGFR"}, {"Feature_Type", "transcript"}, {"Feature_ID", "ENST00000275493.7"},
                {"Rank", "19/27"}, {"HGVS.c", "c.2284+1G>A"}});
  const std::string path =
      dir.write("snpeff.vcf", std::string(kFileHead) + header + kColumnsLine +
                                  "chr7\t55191822\t.\tT\tG,C\t.\tPASS\tANN=" + l858r + "\tGT\t1/2\n" +
                                  "chr7\t55174771\t.\tAGGAATTAAGAGAAGC\tA\t.\tPASS\tANN=" + deletion + "\tGT\t0/1\n" +
                                  "chr7\t55174821\t.\tG\tA\t.\tPASS\tANN=" + donor + "\tGT\t0/1\n").string();
  const ReadFile file(path);
  const auto parser = PreannotationParser::from_header(file.reader.header(), PreannotationFormat::kSnpEff, path);
  EXPECT_EQ(parser.info_tag(), "ANN");
  EXPECT_EQ(parser.columns(), kSnpEffColumns);
  EXPECT_FALSE(parser.has_canonical_flag());

  auto annotations = file.annotations(parser, 1, 1);
  ASSERT_EQ(annotations.size(), 1u);
  const Annotation& l858r_annotation = annotations[0];
  EXPECT_EQ(l858r_annotation.gene, "EGFR");
  EXPECT_EQ(l858r_annotation.transcript_id, "ENST00000275493");
  EXPECT_EQ(l858r_annotation.consequences, std::vector<std::string>{"missense_variant"});
  EXPECT_EQ(l858r_annotation.impact, v1::IMPACT_MODERATE);
  EXPECT_EQ(l858r_annotation.hgvs_c, "c.2573T>G");
  EXPECT_EQ(l858r_annotation.hgvs_p, "p.Leu858Arg");
  EXPECT_EQ(l858r_annotation.hgvs_p_short, "p.L858R");
  EXPECT_EQ(l858r_annotation.protein_start, 858u);
  EXPECT_EQ(l858r_annotation.exon, 21u);
  EXPECT_EQ(l858r_annotation.exon_count, 28u);
  EXPECT_FALSE(l858r_annotation.canonical);

  annotations = file.annotations(parser, 1, 2);
  ASSERT_EQ(annotations.size(), 1u);
  EXPECT_EQ(annotations[0].hgvs_p, "p.Leu858=");
  EXPECT_EQ(annotations[0].hgvs_p_short, "p.L858=");

  // One-letter HGVS.p (snpEff -hgvs1LetterAa), SnpEff's inframe term mapped to SO, residues from the name.
  annotations = file.annotations(parser, 2, 1);
  ASSERT_EQ(annotations.size(), 1u);
  EXPECT_EQ(annotations[0].consequences, std::vector<std::string>{"inframe_deletion"});
  EXPECT_EQ(annotations[0].hgvs_p, "p.Glu746_Ala750del");
  EXPECT_EQ(annotations[0].hgvs_p_short, "p.E746_A750del");
  EXPECT_EQ(annotations[0].protein_start, 746u);
  EXPECT_EQ(annotations[0].protein_end, 750u);

  // An intronic HGVS.c makes Rank an intron rank.
  annotations = file.annotations(parser, 3, 1);
  ASSERT_EQ(annotations.size(), 1u);
  EXPECT_EQ(annotations[0].consequences, (std::vector<std::string>{"splice_donor_variant", "intron_variant"}));
  EXPECT_EQ(annotations[0].intron, 19u);
  EXPECT_EQ(annotations[0].exon, 0u);
  EXPECT_EQ(annotations[0].exon_count, 28u);
}

TEST(PreannotatedTest, ReadsSnpEffAnnotatedGa4ghVcf) {
  // ga4gh compliance: SnpEff 4.2 ANN on GRCh37 chr1 (WASH7P/DDX11L1). Values as the file writes them:
  //   record 10, 1:10616 CCGCCGTTGCAAAGGCGCGCCG>C: upstream DDX11L1 NR_046018.2, downstream WASH7P NR_024540.1,
  //     intergenic_region (skipped);
  //   record 49, 1:14975 C>T: ... non_coding_transcript_exon_variant WASH7P NR_024540.1 rank 10/11 n.1296G>A;
  //   record 59, 1:15274 A>G,T: four transcripts per allele, WASH7P intron_variant rank 9/10 n.1233-236T>C (G),
  //     n.1233-236T>A (T); MIR6859-1 transcript NR_106918.1.3.
  const fs::path path = shared_data_dir() / "ga4gh-brca1-grch37" / "brca1_WASH7P_annotation.vcf";
  RAREMATCH_REQUIRE_SHARED_DATA(path);
  const ReadFile file(path.string());
  ASSERT_EQ(file.batch.records.size(), 116u);
  EXPECT_EQ(detect_preannotation(file.reader.header()), PreannotationFormat::kSnpEff);
  const auto parser =
      PreannotationParser::from_header(file.reader.header(), PreannotationFormat::kSnpEff, path.string());

  auto annotations = file.annotations(parser, 10, 1);
  ASSERT_EQ(transcripts_of(annotations), (std::vector<std::string>{"NR_046018", "NR_024540"}));
  EXPECT_EQ(annotations[0].consequences, std::vector<std::string>{"upstream_gene_variant"});
  EXPECT_EQ(annotations[0].hgvs_c, "n.-1257_-1237delCGCCGTTGCAAAGGCGCGCCG");
  EXPECT_EQ(annotations[0].transcript_biotype, "pseudogene");
  EXPECT_EQ(annotations[0].impact, v1::IMPACT_MODIFIER);

  const Annotation wash7p = on_transcript(file.annotations(parser, 49, 1), "NR_024540");
  EXPECT_EQ(wash7p.gene, "WASH7P");
  EXPECT_EQ(wash7p.consequences, std::vector<std::string>{"non_coding_transcript_exon_variant"});
  EXPECT_EQ(wash7p.exon, 10u);
  EXPECT_EQ(wash7p.exon_count, 11u);
  EXPECT_EQ(wash7p.hgvs_c, "n.1296G>A");

  for (const auto& [allele, hgvs_c] : {std::pair<int, std::string>{1, "n.1233-236T>C"}, {2, "n.1233-236T>A"}}) {
    SCOPED_TRACE(allele);
    annotations = file.annotations(parser, 59, allele);
    ASSERT_EQ(annotations.size(), 4u);
    const Annotation intron = on_transcript(annotations, "NR_024540");
    EXPECT_EQ(intron.consequences, std::vector<std::string>{"intron_variant"});
    EXPECT_EQ(intron.hgvs_c, hgvs_c);
    EXPECT_EQ(intron.intron, 9u);
    EXPECT_EQ(intron.exon, 0u);
    EXPECT_EQ(intron.exon_count, 11u);
    EXPECT_EQ(on_transcript(annotations, "NR_106918").gene, "MIR6859-1");
  }

  // Every record's entries parse, and every allele gets at least one transcript.
  for (std::uint64_t ordinal = 1; ordinal <= file.batch.records.size(); ++ordinal) {
    for (int allele = 1; allele < file.record(ordinal)->n_allele; ++allele) {
      EXPECT_FALSE(file.annotations(parser, ordinal, allele).empty()) << "record " << ordinal;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// bcftools csq.

TEST(PreannotatedTest, ConvertsBcsqProteinChangesByTheDocumentedRules) {
  TempDir dir(kTempPrefix);
  const std::string header =
      "##INFO=<ID=BCSQ,Number=.,Type=String,Description=\"Local consequence annotation from BCFtools/csq. Format: "
      "Consequence|gene|transcript|biotype|strand|amino_acid_change|dna_change\">\n";
  struct Case {
    std::string transcript;
    std::string terms;
    std::string change;
    std::string short_form;  // empty: no name
    std::uint32_t start;
    std::uint32_t end;
  };
  const std::vector<Case> cases = {
      {"T01", "missense", "858L>858R", "p.L858R", 858, 858},
      {"T02", "stop_gained", "157W>157*", "p.W157*", 157, 157},
      {"T03", "synonymous", "66V", "p.V66=", 66, 66},
      {"T04", "synonymous", "352NR", "p.N352_R353=", 352, 353},
      {"T05", "stop_retained", "260*>260*", "p.*260=", 260, 260},
      {"T06", "start_lost", "1M>1V", "p.M1?", 1, 1},
      {"T07", "inframe_deletion", "745KELREA>745K", "p.E746_A750del", 745, 750},
      {"T08", "inframe_deletion&splice_region", "508VA>508V", "p.A509del", 508, 509},
      {"T09", "inframe_insertion", "970M>970TM", "", 969, 970},    // residue 969 not shown
      {"T10", "inframe_insertion", "2427L>2427LK", "", 2427, 2428},  // residue 2428 not shown
      {"T11", "inframe_insertion", "10AB>10AKB", "p.A10_B11insK", 10, 11},
      {"T12", "missense&inframe_altering", "174EL>174DS", "p.E174_L175delinsDS", 174, 175},
      {"T13", "stop_gained&inframe_deletion", "519SQQ>519*", "p.S519*", 519, 521},
      {"T14", "stop_lost", "260*>260C", "p.*260Cext*?", 260, 260},
      {"T15", "inframe_deletion", "408TD>408?", "", 408, 409},  // csq could not translate
      {"T16", "inframe_deletion", "5KK>5K", "", 5, 6},           // which K is gone depends on the 3' rule
      {"T17", "frameshift", "1LRLFFY*>1LTTIQH*", "p.R2Tfs*6", 1, 2},
      {"T18", "frameshift", "2536ENLCW*>2536DSA", "p.E2536Dfs*?", 2536, 2536},
      {"T19", "frameshift", "2702ETSS*>2702E*", "p.T2703*", 2702, 2703},
      {"T20", "inframe_deletion", "195RN*>195K", "", 195, 197},  // the stop is deleted
  };
  std::vector<std::string> entries;
  for (const Case& c : cases) {
    entries.push_back(c.terms + "|GENE|" + c.transcript + ".3|protein_coding|+|" + c.change + "|1000A>G");
  }
  // Not the allele's: another ALT's dna_change, and a haplotype reference.
  entries.push_back("missense|GENE|T21|protein_coding|+|9A>9V|1000A>T");
  entries.push_back("@990|GENE|T22|protein_coding");
  // csq's upstream-stop mark is dropped; entries without dna_change are every ALT's.
  entries.push_back("*missense|GENE|T23|protein_coding|+|20L>20P|1000A>G");
  entries.push_back("splice_region|GENE|T24|protein_coding");
  entries.push_back("intron|GENE||protein_coding");
  const std::string path =
      dir.write("bcsq.vcf", std::string(kFileHead) + header + kColumnsLine + "chr7\t1000\t.\tA\tG,T\t.\tPASS\tBCSQ=" +
                                join(entries, ",") + "\tGT\t1/2\n").string();
  const ReadFile file(path);
  const auto parser = PreannotationParser::from_header(file.reader.header(), PreannotationFormat::kBcsq, path);
  const auto annotations = file.annotations(parser, 1, 1);
  ASSERT_EQ(annotations.size(), cases.size() + 3);
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const Case& c = cases[i];
    SCOPED_TRACE(c.transcript + " " + c.change);
    const Annotation& a = annotations[i];
    EXPECT_EQ(a.transcript_id, c.transcript);  // version dropped
    EXPECT_EQ(a.gene, "GENE");
    EXPECT_EQ(a.hgvs_p_short, c.short_form);
    EXPECT_EQ(a.protein_start, c.start);
    EXPECT_EQ(a.protein_end, c.end);
    EXPECT_TRUE(a.hgvs_c.empty());
  }
  EXPECT_EQ(annotations[0].hgvs_p, "p.Leu858Arg");
  EXPECT_EQ(annotations[0].impact, v1::IMPACT_MODERATE);
  EXPECT_EQ(annotations[6].hgvs_p, "p.Glu746_Ala750del");
  EXPECT_EQ(annotations[7].consequences, (std::vector<std::string>{"inframe_deletion", "splice_region_variant"}));
  EXPECT_EQ(annotations[11].hgvs_p, "p.Glu174_Leu175delinsAspSer");
  EXPECT_EQ(annotations[11].consequences, (std::vector<std::string>{"missense_variant", "protein_altering_variant"}));
  EXPECT_EQ(annotations[13].hgvs_p, "p.Ter260CysextTer?");
  EXPECT_EQ(annotations[13].impact, v1::IMPACT_HIGH);
  EXPECT_EQ(annotations[16].hgvs_p, "p.Arg2ThrfsTer6");
  EXPECT_EQ(annotations[cases.size()].transcript_id, "T23");
  EXPECT_EQ(annotations[cases.size()].hgvs_p_short, "p.L20P");
  EXPECT_EQ(annotations[cases.size() + 1].consequences, std::vector<std::string>{"splice_region_variant"});
  EXPECT_EQ(annotations[cases.size() + 1].impact, v1::IMPACT_LOW);
  EXPECT_EQ(annotations[cases.size() + 2].transcript_id, "");
  EXPECT_EQ(annotations[cases.size() + 2].consequences, std::vector<std::string>{"intron_variant"});

  const auto second = file.annotations(parser, 1, 2);
  EXPECT_EQ(transcripts_of(second), (std::vector<std::string>{"T21", "T24", ""}));
  EXPECT_EQ(second[0].hgvs_p_short, "p.A9V");
}

/// bcftools on the PATH, or empty.
std::string find_bcftools() {
  const auto result = ::rarematch::testing::run_command("command -v bcftools");
  if (result.exit_code != 0) return {};
  std::string path = result.out;
  while (!path.empty() && (path.back() == '\n' || path.back() == '\r')) path.pop_back();
  return path;
}

TEST(PreannotatedTest, ReadsBcftoolsCsqLocalModeOnMiniGrch38Hotspots) {
  const fs::path reference = shared_data_dir() / "mini-grch38";
  RAREMATCH_REQUIRE_SHARED_DATA(reference);
  const std::string bcftools = find_bcftools();
  if (bcftools.empty()) {
    if (running_in_ci()) FAIL() << "bcftools not found on the PATH in CI";
    GTEST_SKIP() << "bcftools not found on the PATH, skipping";
  }
  TempDir dir(kTempPrefix);
  // The five hotspots of ../shared/data/INDEX.md, a second ALT at G719, an insertion, a frameshift, a 5' UTR,
  // a splice donor and a multi-allelic intronic site (positions checked against the FASTA).
  const std::string input = dir.write(
      "hotspots.vcf",
      "##fileformat=VCFv4.2\n##contig=<ID=chr4,length=190214555>\n##contig=<ID=chr7,length=159345973>\n"
      "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n" +
          std::string(kColumnsLine) +
          "chr4\t54733155\t.\tA\tT\t.\tPASS\t.\tGT\t0/1\n"                                // 1 KIT D816V
          "chr7\t55019100\t.\tG\tA\t.\tPASS\t.\tGT\t0/1\n"                                // 2 5' UTR
          "chr7\t55174014\t.\tG\tA,T\t.\tPASS\t.\tGT\t1/2\n"                              // 3 G719S, G719C
          "chr7\t55174771\t.\tA\tAGGA\t.\tPASS\t.\tGT\t0/1\n"                             // 4 insertion
          "chr7\t55174771\t.\tAGGAATTAAGAGAAGC\tA\t.\tPASS\t.\tGT\t0/1\n"                 // 5 E746_A750del
          "chr7\t55174821\t.\tG\tA\t.\tPASS\t.\tGT\t0/1\n"                                // 6 splice donor
          "chr7\t55175000\t.\tT\tC,A\t.\tPASS\t.\tGT\t1/2\n"                              // 7 intron
          "chr7\t55181378\t.\tC\tT\t.\tPASS\t.\tGT\t0/1\n"                                // 8 T790M
          "chr7\t55191821\t.\tCT\tCTT\t.\tPASS\t.\tGT\t0/1\n"                             // 9 frameshift
          "chr7\t55191822\t.\tT\tG\t.\tPASS\t.\tGT\t0/1\n").string();                     // 10 L858R
  const std::string output = (dir.path() / "hotspots.csq.vcf").string();
  const auto run = ::rarematch::testing::run_command(
      ::rarematch::testing::shell_quote(bcftools) + " csq -l -f " +
      ::rarematch::testing::shell_quote((reference / "mini_grch38.fa.gz").string()) + " -g " +
      ::rarematch::testing::shell_quote((reference / "mini_grch38.gff3").string()) + " -o " +
      ::rarematch::testing::shell_quote(output) + " " + ::rarematch::testing::shell_quote(input));
  ASSERT_EQ(run.exit_code, 0) << run.err;

  const ReadFile file(output);
  ASSERT_EQ(file.batch.records.size(), 10u);
  EXPECT_EQ(detect_preannotation(file.reader.header()), PreannotationFormat::kBcsq);
  const auto parser = PreannotationParser::from_header(file.reader.header(), PreannotationFormat::kBcsq, output);
  // Values as `bcftools +split-vep -a BCSQ -d` shows them for the canonical transcripts.
  const char* const kEgfr = "ENST00000275493";
  struct Case {
    std::uint64_t record;
    int allele;
    std::string transcript;
    std::vector<std::string> consequences;
    std::string hgvs_p;  // long form
    std::string short_form;
    std::uint32_t start;
    std::uint32_t end;
  };
  const std::vector<Case> cases = {
      {1, 1, "ENST00000288135", {"missense_variant"}, "p.Asp816Val", "p.D816V", 816, 816},  // 816D>816V
      {2, 1, kEgfr, {"5_prime_UTR_variant"}, "", "", 0, 0},
      {3, 1, kEgfr, {"missense_variant"}, "p.Gly719Ser", "p.G719S", 719, 719},  // 719G>719S
      {3, 2, kEgfr, {"missense_variant"}, "p.Gly719Cys", "p.G719C", 719, 719},  // 719G>719C
      {4, 1, kEgfr, {"inframe_insertion"}, "", "", 745, 746},                    // 745K>745KE
      {5, 1, kEgfr, {"inframe_deletion"}, "p.Glu746_Ala750del", "p.E746_A750del", 745, 750},  // 745KELREA>745K
      {6, 1, kEgfr, {"splice_donor_variant"}, "", "", 0, 0},
      {8, 1, kEgfr, {"missense_variant"}, "p.Thr790Met", "p.T790M", 790, 790},  // 790T>790M
      {9, 1, kEgfr, {"frameshift_variant"}, "p.Ala859GlyfsTer38", "p.A859Gfs*38", 858, 859},
      {10, 1, kEgfr, {"missense_variant"}, "p.Leu858Arg", "p.L858R", 858, 858},  // 858L>858R
  };
  for (const Case& c : cases) {
    SCOPED_TRACE("record " + std::to_string(c.record) + " allele " + std::to_string(c.allele));
    const auto annotations = file.annotations(parser, c.record, c.allele);
    const Annotation a = on_transcript(annotations, c.transcript);
    EXPECT_EQ(a.gene, c.record == 1 ? "KIT" : "EGFR");
    EXPECT_EQ(a.transcript_biotype, "protein_coding");
    EXPECT_EQ(a.consequences, c.consequences);
    EXPECT_EQ(a.hgvs_p, c.hgvs_p);
    EXPECT_EQ(a.hgvs_p_short, c.short_form);
    EXPECT_EQ(a.protein_start, c.start);
    EXPECT_EQ(a.protein_end, c.end);
  }
  // G719: each ALT gets only its own entries (csq writes one per ALT and transcript, 4 transcripts).
  EXPECT_EQ(file.annotations(parser, 3, 1).size(), 4u);
  EXPECT_EQ(file.annotations(parser, 3, 2).size(), 4u);
  // The intronic site: csq writes one gene-level entry for both ALTs.
  for (const int allele : {1, 2}) {
    const auto annotations = file.annotations(parser, 7, allele);
    ASSERT_EQ(annotations.size(), 1u);
    EXPECT_EQ(annotations[0].gene, "EGFR");
    EXPECT_EQ(annotations[0].transcript_id, "");
    EXPECT_EQ(annotations[0].consequences, std::vector<std::string>{"intron_variant"});
  }
}

}  // namespace
}  // namespace rarematch::pipeline
