#include "reference/annotator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "reference/contig.h"
#include "reference/error.h"
#include "reference/genome.h"
#include "tests/support/test_support.h"

namespace rarematch::reference {
namespace {

namespace fs = std::filesystem;

// ---------------------------------------------------------------------------------------------------------------
// A tiny hand-made reference. Each + strand chromosome has a reverse-complemented twin holding the same genes on
// the - strand at mirrored positions (p on the + one is kLength + 1 - p on the twin): chr1/chr2, chr3/chr4.
//
// chr1: PLUS1 (transcript T1, canonical), 3 exons, 21 codons:
//   exon 1 101-130: 5'UTR 101-110 (c.-10..c.-1), CDS 111-130 (c.1-c.20)
//   intron 1 131-170 (GT...AG)
//   exon 2 171-200: CDS (c.21-c.50)
//   intron 2 201-240 (GT...AG)
//   exon 3 241-280: CDS 241-253 (c.51-c.63), 3'UTR 254-280 (c.*1-c.*27)
// T1B, an untagged transcript of PLUS1 skipping exon 2, is used only when asked for.
// NC1 (transcript T2, lncRNA): exons 340-355 (n.1-n.16), 376-390.
// CDS (5'->3'): ATG CTG CGA GAA TGG AAA GGC TTT CCA GAT ACT TAC CAC ATC AGC GTG CAG AAC TGC GCC TAA
//               M   L   R   E   W   K   G   F   P   D   T   Y   H   I   S   V   Q   N   C   A   *
// Codon 7 (GGC) is split by intron 1: G at 129, G at 130, C at 171. The 3' UTR (TTGGTACAGACGTCAACCTTCATGTAT)
// has no stop in frame.
//
// chr3: PLUS2 (transcript T3, canonical), made for HGVS naming: repeats at the DNA and protein level, a stop in
// every frame of the 3' UTR, a T run before the acceptor.
//   exon 1 1001-1025: 5'UTR GCCGCCACCA (1001-1010, c.-10..c.-1), CDS ATGGCCAAGAAGAAG (1011-1025, c.1-c.15)
//   intron 1 1026-1065: GTAAGTAC GATCGCATGCAG CATGCATGCA CTTTTTTCAG (c.15+1..c.15+20, c.16-20..c.16-1)
//   exon 2 1066-1123: CDS GAACTGCAGCAGCAGTGGGCAGTGGATCCATTCGGCTAA (1066-1104, c.16-c.54),
//                     3'UTR CAGACCTGAATAGCTAACC (1105-1123, c.*1-c.*19)
//   protein M A K K K E L Q Q Q W A V D P F G * (K3-K5 at c.7-c.15, Q8-Q10 at c.22-c.30, Ter18 at c.52-c.54)

constexpr std::uint64_t kLength = 12000;
constexpr const char* kCodingSequence = "ATGCTGCGAGAATGGAAAGGCTTTCCAGATACTTACCACATCAGCGTGCAGAACTGCGCCTAA";

struct Interval {
  std::uint64_t start;
  std::uint64_t end;
};

const std::vector<Interval> kPlusExons = {{101, 130}, {171, 200}, {241, 280}};
const std::vector<Interval> kPlusCds = {{111, 130}, {171, 200}, {241, 253}};
const std::vector<Interval> kNonCodingExons = {{340, 355}, {376, 390}};
const std::vector<Interval> kPlus2Exons = {{1001, 1025}, {1066, 1123}};
const std::vector<Interval> kPlus2Cds = {{1011, 1025}, {1066, 1104}};

char complement(char base) {
  switch (base) {
    case 'A': return 'T';
    case 'C': return 'G';
    case 'G': return 'C';
    case 'T': return 'A';
    default: return 'N';
  }
}

std::string reverse_complement(std::string bases) {
  std::reverse(bases.begin(), bases.end());
  for (char& base : bases) base = complement(base);
  return bases;
}

std::uint64_t mirror(std::uint64_t position) { return kLength + 1 - position; }

std::vector<Interval> mirror(const std::vector<Interval>& intervals) {
  std::vector<Interval> out;
  for (const Interval& interval : intervals) out.push_back({mirror(interval.end), mirror(interval.start)});
  std::reverse(out.begin(), out.end());
  return out;
}

// Pseudo-random filler bases.
std::string filler(std::uint32_t seed) {
  std::string bases(kLength, 'A');
  std::uint32_t state = seed;
  for (char& base : bases) {
    state = state * 1103515245u + 12345u;
    base = "ACGT"[(state >> 16) & 3];
  }
  return bases;
}

// chr1: filler, the CDS written into its segments, GT/AG at the intron ends.
std::string make_chr1() {
  std::string bases = filler(12345);
  std::size_t offset = 0;
  for (const Interval& piece : kPlusCds) {
    for (std::uint64_t position = piece.start; position <= piece.end; ++position) {
      bases[position - 1] = kCodingSequence[offset++];
    }
  }
  for (std::uint64_t donor : {131u, 201u}) bases.replace(donor - 1, 2, "GT");
  for (std::uint64_t acceptor : {169u, 239u}) bases.replace(acceptor - 1, 2, "AG");
  return bases;
}

// chr3: filler and PLUS2.
std::string make_chr3() {
  std::string bases = filler(777);
  const std::vector<std::pair<std::uint64_t, std::string>> pieces = {
      {1001, "GCCGCCACCA"},
      {1011, "ATGGCCAAGAAGAAG"},
      {1026, "GTAAGTACGATCGCATGCAGCATGCATGCACTTTTTTCAG"},
      {1066, "GAACTGCAGCAGCAGTGGGCAGTGGATCCATTCGGCTAA"},
      {1105, "CAGACCTGAATAGCTAACC"}};
  for (const auto& [start, text] : pieces) bases.replace(start - 1, text.size(), text);
  return bases;
}

std::string fasta_record(const std::string& name, const std::string& bases) {
  std::string out = ">" + name + "\n";
  for (std::size_t i = 0; i < bases.size(); i += 60) out += bases.substr(i, 60) + "\n";
  return out;
}

std::string gff_line(const std::string& contig, const std::string& type, Interval where, char strand,
                     const std::string& attributes) {
  return contig + "\ttest\t" + type + "\t" + std::to_string(where.start) + "\t" + std::to_string(where.end) + "\t.\t" +
         std::string(1, strand) + "\t.\t" + attributes + "\n";
}

struct TranscriptSpec {
  std::string id;
  std::string type;  // mRNA, lnc_RNA
  std::string tag;   // "" or "Ensembl_canonical"
  std::vector<Interval> exons;
  std::vector<Interval> cds;
};

// Ensembl-style lines of a gene and its transcripts.
std::string gene_lines(const std::string& contig, char strand, const std::string& gene_id, const std::string& name,
                       const std::string& biotype, const std::vector<TranscriptSpec>& transcripts) {
  Interval span{transcripts.front().exons.front().start, transcripts.front().exons.back().end};
  std::string out = gff_line(contig, biotype == "protein_coding" ? "gene" : "ncRNA_gene", span, strand,
                             "ID=gene:" + gene_id + ";Name=" + name + ";biotype=" + biotype);
  for (const TranscriptSpec& transcript : transcripts) {
    const std::string parent = "Parent=transcript:" + transcript.id;
    std::string attributes = "ID=transcript:" + transcript.id + ";Parent=gene:" + gene_id + ";biotype=" + biotype;
    if (!transcript.tag.empty()) attributes += ";tag=" + transcript.tag;
    out += gff_line(contig, transcript.type, span, strand, attributes);
    for (const Interval& exon : transcript.exons) out += gff_line(contig, "exon", exon, strand, parent);
    for (const Interval& cds : transcript.cds) out += gff_line(contig, "CDS", cds, strand, parent);
  }
  return out;
}

// The genes of chr1; `flip` mirrors them onto the reverse-complemented copy.
std::string chr1_genes(const std::string& contig, bool flip, const std::string& suffix) {
  const auto place = [flip](const std::vector<Interval>& intervals) { return flip ? mirror(intervals) : intervals; };
  const char strand = flip ? '-' : '+';
  const std::vector<Interval> skipping_exon_2 = {kPlusExons[0], kPlusExons[2]};
  const std::vector<Interval> cds_skipping_exon_2 = {kPlusCds[0], kPlusCds[2]};
  return gene_lines(contig, strand, "G1" + suffix, flip ? "MINUS1" : "PLUS1", "protein_coding",
                    {{"T1" + suffix, "mRNA", "Ensembl_canonical", place(kPlusExons), place(kPlusCds)},
                     {"T1B" + suffix, "mRNA", "", place(skipping_exon_2), place(cds_skipping_exon_2)}}) +
         gene_lines(contig, strand, "G2" + suffix, flip ? "NCM1" : "NC1", "lncRNA",
                    {{"T2" + suffix, "lnc_RNA", "", place(kNonCodingExons), {}}});
}

std::string chr3_genes(const std::string& contig, bool flip, const std::string& suffix) {
  const auto place = [flip](const std::vector<Interval>& intervals) { return flip ? mirror(intervals) : intervals; };
  return gene_lines(contig, flip ? '-' : '+', "G3" + suffix, flip ? "MINUS2" : "PLUS2", "protein_coding",
                    {{"T3" + suffix, "mRNA", "Ensembl_canonical", place(kPlus2Exons), place(kPlus2Cds)}});
}

struct TinyReference {
  std::unique_ptr<testing::TempDir> dir;  // tiny.fa and tiny.gff3, for tests that build their own Annotator
  std::map<std::string, std::string> contigs;
  std::unique_ptr<GeneModel> model;
  std::unique_ptr<Annotator> annotator;

  const std::string& chr1() const { return contigs.at("chr1"); }
};

const TinyReference& tiny() {
  static const TinyReference reference = [] {
    TinyReference out;
    out.contigs["chr1"] = make_chr1();
    out.contigs["chr2"] = reverse_complement(out.contigs["chr1"]);
    out.contigs["chr3"] = make_chr3();
    out.contigs["chr4"] = reverse_complement(out.contigs["chr3"]);
    out.dir = std::make_unique<testing::TempDir>("annotator-test");
    std::string fasta;
    for (const auto& [name, bases] : out.contigs) fasta += fasta_record(name, bases);
    out.dir->write("tiny.fa", fasta);
    out.dir->write("tiny.gff3", "##gff-version 3\n" + chr1_genes("chr1", false, "") + chr1_genes("chr2", true, "M") +
                                    chr3_genes("chr3", false, "") + chr3_genes("chr4", true, "M"));
    out.model = std::make_unique<GeneModel>(GeneModel::load_gff3((out.dir->path() / "tiny.gff3").string()));
    const Genome genome = Genome::open((out.dir->path() / "tiny.fa").string());
    out.annotator = std::make_unique<Annotator>(*out.model, genome);
    return out;
  }();
  return reference;
}

// ---------------------------------------------------------------------------------------------------------------
// Expectations, written for the + strand and checked on both strands.

// A trimmed allele (no anchor base) on a + strand chromosome; an empty REF inserts before `position`.
struct Call {
  std::uint64_t position;
  std::string ref;
  std::string alt;
};

// The same change on the twin: REF bases [p, p + n - 1] become [mirror(p + n - 1), mirror(p)],
// reverse-complemented; an insertion between p - 1 and p goes between mirror(p) and mirror(p - 1).
Call mirror(const Call& call) {
  const std::uint64_t position =
      call.ref.empty() ? mirror(call.position) + 1 : mirror(call.position + call.ref.size() - 1);
  return {position, reverse_complement(call.ref), reverse_complement(call.alt)};
}

std::string ref_at(const std::string& chromosome, std::uint64_t start, std::uint64_t length) {
  return chromosome.substr(start - 1, length);
}

struct Expected {
  std::vector<std::string> consequences = {};
  v1::Impact impact = v1::IMPACT_UNSPECIFIED;
  std::uint32_t exon = 0;
  std::uint32_t intron = 0;
  std::uint32_t protein_start = 0;
  std::uint32_t protein_end = 0;
  std::string hgvs_p = {};
  std::string hgvs_p_short = {};
  std::string hgvs_c = {};
};

std::optional<Annotation> find_gene(const std::vector<Annotation>& annotations, const std::string& gene) {
  for (const Annotation& annotation : annotations) {
    if (annotation.gene == gene) return annotation;
  }
  return std::nullopt;
}

// The genes and contigs of one twin pair.
struct Pair {
  std::string plus_contig;
  std::string minus_contig;
  std::string plus_gene;
  std::string minus_gene;
  std::string transcript;  // of the + gene; the - one has suffix "M"
  std::uint32_t exon_count;
};

const Pair kPlus1{"chr1", "chr2", "PLUS1", "MINUS1", "T1", 3};
const Pair kNonCoding1{"chr1", "chr2", "NC1", "NCM1", "T2", 2};
const Pair kPlus2{"chr3", "chr4", "PLUS2", "MINUS2", "T3", 2};

// Annotates `call` on the + contig and its mirror on the - contig and checks both.
void expect_both_strands(const Pair& pair, const Call& call, const Expected& expected) {
  const TinyReference& reference = tiny();
  ASSERT_EQ(ref_at(reference.contigs.at(pair.plus_contig), call.position, call.ref.size()), call.ref)
      << "test REF is not " << pair.plus_contig << "'s";
  struct Side {
    std::string contig;
    Call call;
    std::string gene;
    std::string transcript;
  };
  for (const Side& side : {Side{pair.plus_contig, call, pair.plus_gene, pair.transcript},
                           Side{pair.minus_contig, mirror(call), pair.minus_gene, pair.transcript + "M"}}) {
    SCOPED_TRACE(side.contig + ":" + std::to_string(side.call.position) + " " + side.call.ref + ">" + side.call.alt);
    const auto annotation = find_gene(
        reference.annotator->annotate(side.contig, side.call.position, side.call.ref, side.call.alt), side.gene);
    ASSERT_TRUE(annotation.has_value()) << "no annotation for " << side.gene;
    EXPECT_EQ(annotation->transcript_id, side.transcript);
    EXPECT_TRUE(annotation->canonical);
    EXPECT_EQ(annotation->consequences, expected.consequences);
    EXPECT_EQ(annotation->impact, expected.impact);
    EXPECT_EQ(annotation->exon, expected.exon);
    EXPECT_EQ(annotation->intron, expected.intron);
    EXPECT_EQ(annotation->exon_count, pair.exon_count);
    EXPECT_EQ(annotation->protein_start, expected.protein_start);
    EXPECT_EQ(annotation->protein_end, expected.protein_end);
    EXPECT_EQ(annotation->hgvs_p, expected.hgvs_p);
    EXPECT_EQ(annotation->hgvs_p_short, expected.hgvs_p_short);
    EXPECT_EQ(annotation->hgvs_c, expected.hgvs_c);
  }
}

void expect_coding_gene(const Call& call, const Expected& expected) { expect_both_strands(kPlus1, call, expected); }
void expect_plus2(const Call& call, const Expected& expected) { expect_both_strands(kPlus2, call, expected); }

// An SNV of chr1 to the complementary base, and its c./n. name at HGVS position `where`.
Call snv(std::uint64_t position) {
  const char ref = tiny().chr1()[position - 1];
  return {position, std::string(1, ref), std::string(1, complement(ref))};
}
std::string snv_name(char prefix, const std::string& where, std::uint64_t position) {
  const Call call = snv(position);
  return std::string(1, prefix) + "." + where + call.ref + ">" + call.alt;
}

// ---------------------------------------------------------------------------------------------------------------
// Substitutions in the coding sequence.

TEST(AnnotatorTest, CallsMissenseOnBothStrands) {
  // Codon 2 CTG -> CGG.
  expect_coding_gene({115, "T", "G"}, {.consequences = {"missense_variant"},
                                       .impact = v1::IMPACT_MODERATE,
                                       .exon = 1,
                                       .protein_start = 2,
                                       .protein_end = 2,
                                       .hgvs_p = "p.Leu2Arg",
                                       .hgvs_p_short = "p.L2R",
                                       .hgvs_c = "c.5T>G"});
}

TEST(AnnotatorTest, CallsMissenseOnMinusStrand) {
  // chr2:11886 is the mirror of chr1:115; on the forward strand it reads A (T on the transcript).
  const auto annotations = tiny().annotator->annotate("chr2", 11886, "A", "C");
  ASSERT_EQ(annotations.size(), 2u);  // MINUS1, and NCM1 upstream
  EXPECT_EQ(annotations[0].gene, "MINUS1");
  EXPECT_EQ(annotations[0].consequences, std::vector<std::string>{"missense_variant"});
  EXPECT_EQ(annotations[0].hgvs_p, "p.Leu2Arg");
  EXPECT_EQ(annotations[0].hgvs_c, "c.5T>G");
  EXPECT_EQ(annotations[0].exon, 1u);
  EXPECT_EQ(annotations[1].gene, "NCM1");
  EXPECT_EQ(annotations[1].consequences, std::vector<std::string>{"upstream_gene_variant"});
  EXPECT_EQ(annotations[1].hgvs_c, "");
  EXPECT_EQ(annotations[1].transcript_biotype, "lncRNA");
}

TEST(AnnotatorTest, CallsSynonymous) {
  // Codon 2 CTG -> CTA.
  expect_coding_gene({116, "G", "A"}, {.consequences = {"synonymous_variant"},
                                       .impact = v1::IMPACT_LOW,
                                       .exon = 1,
                                       .protein_start = 2,
                                       .protein_end = 2,
                                       .hgvs_p = "p.Leu2=",
                                       .hgvs_p_short = "p.L2=",
                                       .hgvs_c = "c.6G>A"});
}

TEST(AnnotatorTest, CallsStopGained) {
  // Codon 5 TGG -> TAG.
  expect_coding_gene({124, "G", "A"}, {.consequences = {"stop_gained"},
                                       .impact = v1::IMPACT_HIGH,
                                       .exon = 1,
                                       .protein_start = 5,
                                       .protein_end = 5,
                                       .hgvs_p = "p.Trp5Ter",
                                       .hgvs_p_short = "p.W5*",
                                       .hgvs_c = "c.14G>A"});
}

TEST(AnnotatorTest, CallsStartLost) {
  // Codon 1 ATG -> ACG.
  expect_coding_gene({112, "T", "C"}, {.consequences = {"start_lost"},
                                       .impact = v1::IMPACT_HIGH,
                                       .exon = 1,
                                       .protein_start = 1,
                                       .protein_end = 1,
                                       .hgvs_p = "p.Met1?",
                                       .hgvs_p_short = "p.M1?",
                                       .hgvs_c = "c.2T>C"});
}

TEST(AnnotatorTest, NamesStopLossAsExtension) {
  // PLUS1 codon 21 TAA -> CAA: the 3' UTR has no stop in frame.
  expect_coding_gene({251, "T", "C"}, {.consequences = {"stop_lost"},
                                       .impact = v1::IMPACT_HIGH,
                                       .exon = 3,
                                       .protein_start = 21,
                                       .protein_end = 21,
                                       .hgvs_p = "p.Ter21GlnextTer?",
                                       .hgvs_p_short = "p.*21Qext*?",
                                       .hgvs_c = "c.61T>C"});
  // PLUS2 Ter18 TAA -> CAA, then CAG ACC TGA in the 3' UTR: Gln18 Gln Thr Ter, the stop 4th from Gln18.
  expect_plus2({1102, "T", "C"}, {.consequences = {"stop_lost"},
                                  .impact = v1::IMPACT_HIGH,
                                  .exon = 2,
                                  .protein_start = 18,
                                  .protein_end = 18,
                                  .hgvs_p = "p.Ter18GlnextTer4",
                                  .hgvs_p_short = "p.*18Qext*4",
                                  .hgvs_c = "c.52T>C"});
}

TEST(AnnotatorTest, CallsStopRetained) {
  // Codon 21 TAA -> TAG.
  expect_coding_gene({253, "A", "G"}, {.consequences = {"stop_retained_variant"},
                                       .impact = v1::IMPACT_LOW,
                                       .exon = 3,
                                       .protein_start = 21,
                                       .protein_end = 21,
                                       .hgvs_p = "p.Ter21=",
                                       .hgvs_p_short = "p.*21=",
                                       .hgvs_c = "c.63A>G"});
}

TEST(AnnotatorTest, TranslatesCodonSplitByIntron) {
  // Codon 7 GGC: G at 129 and 130 (exon 1), C at 171 (exon 2); both sides are in the splice region.
  expect_coding_gene({171, "C", "A"}, {.consequences = {"splice_region_variant", "synonymous_variant"},
                                       .impact = v1::IMPACT_LOW,
                                       .exon = 2,
                                       .protein_start = 7,
                                       .protein_end = 7,
                                       .hgvs_p = "p.Gly7=",
                                       .hgvs_p_short = "p.G7=",
                                       .hgvs_c = "c.21C>A"});
  expect_coding_gene({129, "G", "C"}, {.consequences = {"missense_variant", "splice_region_variant"},
                                       .impact = v1::IMPACT_MODERATE,
                                       .exon = 1,
                                       .protein_start = 7,
                                       .protein_end = 7,
                                       .hgvs_p = "p.Gly7Arg",
                                       .hgvs_p_short = "p.G7R",
                                       .hgvs_c = "c.19G>C"});
}

TEST(AnnotatorTest, NamesChangesOfSeveralCodonsAsDelins) {
  // Codon 2 CTG -> CTA (synonymous) and codon 3 CGA -> TGA (stop): a nonsense at residue 3.
  expect_coding_gene({116, "GC", "AT"}, {.consequences = {"stop_gained"},
                                         .impact = v1::IMPACT_HIGH,
                                         .exon = 1,
                                         .protein_start = 2,
                                         .protein_end = 3,
                                         .hgvs_p = "p.Arg3Ter",
                                         .hgvs_p_short = "p.R3*",
                                         .hgvs_c = "c.6_7delinsAT"});
  // Codon 2 CTG -> CGG (missense), then codon 3 CGA -> TGA (stop): both count.
  expect_coding_gene({115, "TGC", "GGT"}, {.consequences = {"stop_gained", "missense_variant"},
                                           .impact = v1::IMPACT_HIGH,
                                           .exon = 1,
                                           .protein_start = 2,
                                           .protein_end = 3,
                                           .hgvs_p = "p.Leu2_Arg3delinsArgTer",
                                           .hgvs_p_short = "p.L2_R3delinsR*",
                                           .hgvs_c = "c.5_7delinsGGT"});
  // Codon 4 GAA -> TAA (stop), then codon 5 TGG -> CGG: no longer translated, so not a missense.
  expect_coding_gene({120, "GAAT", "TAAC"}, {.consequences = {"stop_gained"},
                                             .impact = v1::IMPACT_HIGH,
                                             .exon = 1,
                                             .protein_start = 4,
                                             .protein_end = 5,
                                             .hgvs_p = "p.Glu4Ter",
                                             .hgvs_p_short = "p.E4*",
                                             .hgvs_c = "c.10_13delinsTAAC"});
}

// ---------------------------------------------------------------------------------------------------------------
// Indels: consequences and names.

TEST(AnnotatorTest, CallsFrameshiftDeletion) {
  // The T at 180 (c.30, codon 10 GAT): Asp10 becomes Glu and the new frame meets no stop in the transcript.
  expect_coding_gene({180, "T", ""}, {.consequences = {"frameshift_variant"},
                                      .impact = v1::IMPACT_HIGH,
                                      .exon = 2,
                                      .protein_start = 10,
                                      .protein_end = 10,
                                      .hgvs_p = "p.Asp10GlufsTer?",
                                      .hgvs_p_short = "p.D10Efs*?",
                                      .hgvs_c = "c.30del"});
}

TEST(AnnotatorTest, NamesFrameshiftWithDistanceToNewStop) {
  // PLUS2 c.28del (C of Gln10): S G Q W I H S A N R P E then TAG in the 3' UTR: the stop is 13th from Ser10.
  expect_plus2({1078, "C", ""}, {.consequences = {"frameshift_variant"},
                                 .impact = v1::IMPACT_HIGH,
                                 .exon = 2,
                                 .protein_start = 10,
                                 .protein_end = 10,
                                 .hgvs_p = "p.Gln10SerfsTer13",
                                 .hgvs_p_short = "p.Q10Sfs*13",
                                 .hgvs_c = "c.28del"});
}

TEST(AnnotatorTest, CallsFrameshiftWhoseFirstNewCodonIsStopAStopGained) {
  // TAGC inserted before c.31 (TGG of Trp11): TAG is read first. Shifted 3' it goes after c.31.
  expect_plus2({1081, "", "TAGC"}, {.consequences = {"stop_gained", "frameshift_variant"},
                                    .impact = v1::IMPACT_HIGH,
                                    .exon = 2,
                                    .protein_start = 10,
                                    .protein_end = 11,
                                    .hgvs_p = "p.Trp11Ter",
                                    .hgvs_p_short = "p.W11*",
                                    .hgvs_c = "c.31_32insAGCT"});
}

TEST(AnnotatorTest, CallsInframeDeletionAndInsertion) {
  // Codon 11 (ACT, 181-183) deleted; GCA inserted inside codon 14 (ATC), before c.41: His13 Ser Ile14.
  expect_coding_gene({181, "ACT", ""}, {.consequences = {"inframe_deletion"},
                                        .impact = v1::IMPACT_MODERATE,
                                        .exon = 2,
                                        .protein_start = 11,
                                        .protein_end = 11,
                                        .hgvs_p = "p.Thr11del",
                                        .hgvs_p_short = "p.T11del",
                                        .hgvs_c = "c.31_33del"});
  expect_coding_gene({191, "", "GCA"}, {.consequences = {"inframe_insertion"},
                                        .impact = v1::IMPACT_MODERATE,
                                        .exon = 2,
                                        .protein_start = 13,
                                        .protein_end = 14,
                                        .hgvs_p = "p.His13_Ile14insSer",
                                        .hgvs_p_short = "p.H13_I14insS",
                                        .hgvs_c = "c.40_41insGCA"});
}

TEST(AnnotatorTest, ShiftsDeletionInRepeatToMostThreePrimePosition) {
  // AAG deleted from the first of three Lys codons (c.7_9): DNA and protein names move to the last one.
  // The residues reported cover the codon touched (3) and the one named (5).
  expect_plus2({1017, "AAG", ""}, {.consequences = {"inframe_deletion"},
                                   .impact = v1::IMPACT_MODERATE,
                                   .exon = 1,
                                   .protein_start = 3,
                                   .protein_end = 5,
                                   .hgvs_p = "p.Lys5del",
                                   .hgvs_p_short = "p.K5del",
                                   .hgvs_c = "c.13_15del"});
}

TEST(AnnotatorTest, NamesInsertedCopyAsDuplication) {
  // GCA inserted within codon 7 (after c.20) adds a Gln to Q8-Q10: c.28_30dup, p.Gln10dup.
  expect_plus2({1071, "", "GCA"}, {.consequences = {"inframe_insertion"},
                                   .impact = v1::IMPACT_MODERATE,
                                   .exon = 2,
                                   .protein_start = 7,
                                   .protein_end = 10,
                                   .hgvs_p = "p.Gln10dup",
                                   .hgvs_p_short = "p.Q10dup",
                                   .hgvs_c = "c.28_30dup"});
  // One base: an A before c.7 (the AA of Lys3 AAG) moves to after c.8 and repeats it: c.8dup. Lys3 stays
  // (AAA), Lys4 becomes Glu, and the new frame stops 21 residues on (E E G T A A A V G S G S I R L T D L N S *).
  expect_plus2({1017, "", "A"}, {.consequences = {"frameshift_variant"},
                                 .impact = v1::IMPACT_HIGH,
                                 .exon = 1,
                                 .protein_start = 2,
                                 .protein_end = 4,
                                 .hgvs_p = "p.Lys4GlufsTer21",
                                 .hgvs_p_short = "p.K4Efs*21",
                                 .hgvs_c = "c.8dup"});
}

TEST(AnnotatorTest, NamesInsertionBetweenCodons) {
  // TCC (Ser) between c.33 and c.34: Trp11 Ser Ala12.
  expect_plus2({1084, "", "TCC"}, {.consequences = {"inframe_insertion"},
                                   .impact = v1::IMPACT_MODERATE,
                                   .exon = 2,
                                   .protein_start = 11,
                                   .protein_end = 12,
                                   .hgvs_p = "p.Trp11_Ala12insSer",
                                   .hgvs_p_short = "p.W11_A12insS",
                                   .hgvs_c = "c.33_34insTCC"});
}

TEST(AnnotatorTest, ClassesDelinsReplacingResiduesByLength) {
  // CAGCAG (Gln8 Gln9) -> GAA (Glu): residues replaced, three bases fewer: an in-frame deletion, as csq says.
  expect_plus2({1072, "CAGCAG", "GAA"}, {.consequences = {"inframe_deletion"},
                                         .impact = v1::IMPACT_MODERATE,
                                         .exon = 2,
                                         .protein_start = 8,
                                         .protein_end = 9,
                                         .hgvs_p = "p.Gln8_Gln9delinsGlu",
                                         .hgvs_p_short = "p.Q8_Q9delinsE",
                                         .hgvs_c = "c.22_27delinsGAA"});
  // AGC deleted across two Gln codons (c.23-c.25): one Gln fewer, named at the last one.
  expect_plus2({1072, "CAGC", "C"}, {.consequences = {"inframe_deletion"},
                                     .impact = v1::IMPACT_MODERATE,
                                     .exon = 2,
                                     .protein_start = 8,
                                     .protein_end = 10,
                                     .hgvs_p = "p.Gln10del",
                                     .hgvs_p_short = "p.Q10del",
                                     .hgvs_c = "c.28_30del"});
}

TEST(AnnotatorTest, GivesFlankingResiduesOfInsertionBetweenCodons) {
  // Before 187 (c.37), between codons 12 and 13: His13 becomes Thr.
  expect_coding_gene({187, "", "A"}, {.consequences = {"frameshift_variant"},
                                      .impact = v1::IMPACT_HIGH,
                                      .exon = 2,
                                      .protein_start = 12,
                                      .protein_end = 13,
                                      .hgvs_p = "p.His13ThrfsTer?",
                                      .hgvs_p_short = "p.H13Tfs*?",
                                      .hgvs_c = "c.36_37insA"});
}

TEST(AnnotatorTest, CallsStartLostForDeletedStartCodonButNotForEquivalentUtrDeletion) {
  // ATG deleted.
  expect_plus2({1011, "ATG", ""}, {.consequences = {"start_lost"},
                                   .impact = v1::IMPACT_HIGH,
                                   .exon = 1,
                                   .protein_start = 1,
                                   .protein_end = 1,
                                   .hgvs_p = "p.Met1?",
                                   .hgvs_p_short = "p.M1?",
                                   .hgvs_c = "c.1_3del"});
  // The A of ATG after the UTR's last A (c.-1): the same as deleting c.-1, which leaves ATG in place. On the -
  // strand a normalised VCF writes it this way. HGVS names it at its 3'-most position all the same.
  expect_plus2({1011, "A", ""}, {.consequences = {"5_prime_UTR_variant"},
                                 .impact = v1::IMPACT_MODIFIER,
                                 .exon = 1,
                                 .hgvs_c = "c.1del"});
}

TEST(AnnotatorTest, TrimsVcfAnchorBaseOfIndels) {
  const TinyReference& reference = tiny();
  // chr1:179 XT>X deletes the T at 180, as {180, "T", ""} does.
  const std::string anchored = ref_at(reference.chr1(), 179, 2);
  const auto plus = find_gene(reference.annotator->annotate("chr1", 179, anchored, anchored.substr(0, 1)), "PLUS1");
  ASSERT_TRUE(plus.has_value());
  EXPECT_EQ(plus->consequences, std::vector<std::string>{"frameshift_variant"});
  EXPECT_EQ(plus->protein_start, 10u);
  EXPECT_EQ(plus->hgvs_c, "c.30del");
  // Its mirror, chr2:11821, written with the anchor base at 11820.
  const std::string mirrored = ref_at(reference.contigs.at("chr2"), mirror(180) - 1, 2);
  const auto minus = find_gene(
      reference.annotator->annotate("chr2", mirror(180) - 1, mirrored, mirrored.substr(0, 1)), "MINUS1");
  ASSERT_TRUE(minus.has_value());
  EXPECT_EQ(minus->consequences, std::vector<std::string>{"frameshift_variant"});
  EXPECT_EQ(minus->protein_start, 10u);
  EXPECT_EQ(minus->hgvs_c, "c.30del");
  // An anchored insertion: chr1:190 A>AGCC is GCC inserted before 191 (CDS offset 40, inside codon 14).
  ASSERT_EQ(ref_at(reference.chr1(), 190, 1), "A");
  const auto inserted = find_gene(reference.annotator->annotate("chr1", 190, "A", "AGCC"), "PLUS1");
  ASSERT_TRUE(inserted.has_value());
  EXPECT_EQ(inserted->consequences, std::vector<std::string>{"inframe_insertion"});
  EXPECT_EQ(inserted->hgvs_p, "p.Ile14delinsSerLeu");  // ATC -> A GCC TC: Ser Leu
  EXPECT_EQ(inserted->protein_start, 14u);
  EXPECT_EQ(inserted->protein_end, 14u);
  // Bases shared at the end go too: chr1:179-181 XTY>XY is the deletion of the T at 180.
  const std::string three = ref_at(reference.chr1(), 179, 3);
  const auto trailing =
      find_gene(reference.annotator->annotate("chr1", 179, three, three.substr(0, 1) + three.substr(2)), "PLUS1");
  ASSERT_TRUE(trailing.has_value());
  EXPECT_EQ(trailing->consequences, std::vector<std::string>{"frameshift_variant"});
  EXPECT_EQ(trailing->protein_start, 10u);
}

// ---------------------------------------------------------------------------------------------------------------
// Indels across an exon/intron boundary: the splice site, no frame term.

TEST(AnnotatorTest, CallsDeletionAcrossExonEndSpliceDonorAndCodingSequence) {
  // 130 (last base of exon 1, c.20), 131 and 132 (the donor site GT): three bases, but whether and how the frame
  // shifts depends on how the transcript is spliced without its donor site.
  expect_coding_gene({130, "GGT", ""}, {.consequences = {"splice_donor_variant", "coding_sequence_variant"},
                                        .impact = v1::IMPACT_HIGH,
                                        .exon = 1,
                                        .intron = 1,
                                        .protein_start = 7,
                                        .protein_end = 7,
                                        .hgvs_c = "c.20_20+2del"});
  // Six bases (c.13-c.15 and intron bases 1-3) of PLUS2: of in-frame length, yet no inframe_deletion.
  expect_plus2({1023, "AAGGTA", ""}, {.consequences = {"splice_donor_variant", "coding_sequence_variant"},
                                      .impact = v1::IMPACT_HIGH,
                                      .exon = 1,
                                      .intron = 1,
                                      .protein_start = 5,
                                      .protein_end = 5,
                                      .hgvs_c = "c.14_15+4del"});
}

TEST(AnnotatorTest, AnnotatesBoundaryDeletionWhereItFitsWhollyInExonOrIntron) {
  // GG at 130-131 (c.20 and intron base 1) is the same deletion as GG at 129-130 (c.19-c.20): the intron and its
  // donor stay intact, the exon loses two bases. Named 3'-most along the genome all the same.
  expect_coding_gene({130, "GG", ""}, {.consequences = {"frameshift_variant", "splice_region_variant"},
                                       .impact = v1::IMPACT_HIGH,
                                       .exon = 1,
                                       .protein_start = 7,
                                       .protein_end = 7,
                                       .hgvs_p = "p.Gly7LeufsTer?",
                                       .hgvs_p_short = "p.G7Lfs*?",
                                       .hgvs_c = "c.20_20+1del"});
  // PLUS2 GGTAA at 1025-1029 (c.15 and intron bases 1-4) is GTAAG at intron bases 1-5: the exon stays intact,
  // the donor site goes.
  expect_plus2({1025, "GGTAA", ""}, {.consequences = {"splice_donor_variant"},
                                     .impact = v1::IMPACT_HIGH,
                                     .intron = 1,
                                     .hgvs_c = "c.15+1_15+5del"});
}

TEST(AnnotatorTest, CallsDeletionAcrossIntronEndSpliceAcceptorAndCodingSequence) {
  // Intron bases -2, -1 and c.16 of PLUS2.
  expect_plus2({1064, "AGG", ""}, {.consequences = {"splice_acceptor_variant", "coding_sequence_variant"},
                                   .impact = v1::IMPACT_HIGH,
                                   .exon = 2,
                                   .intron = 1,
                                   .protein_start = 6,
                                   .protein_end = 6,
                                   .hgvs_c = "c.16-1_17del"});
}

TEST(AnnotatorTest, ShiftsExonicIndelAlongTheGenomeForItsName) {
  // The G of c.15 is followed by the intron's G: deleting it is, 3'-most along the genome, c.15+1del (HGVS names
  // c. changes on the genomic sequence; VEP does the same). The consequence is where the VCF writes it.
  expect_plus2({1025, "G", ""}, {.consequences = {"frameshift_variant", "splice_region_variant"},
                                 .impact = v1::IMPACT_HIGH,
                                 .exon = 1,
                                 .protein_start = 5,
                                 .protein_end = 6,
                                 .hgvs_p = "p.Glu6AsnfsTer17",
                                 .hgvs_p_short = "p.E6Nfs*17",
                                 .hgvs_c = "c.15+1del"});
}

// ---------------------------------------------------------------------------------------------------------------
// Splice sites, introns, UTRs and flanks.

TEST(AnnotatorTest, CallsSpliceDonorAndAcceptor) {
  expect_coding_gene({131, "G", "A"}, {.consequences = {"splice_donor_variant"},
                                       .impact = v1::IMPACT_HIGH,
                                       .intron = 1,
                                       .hgvs_c = "c.20+1G>A"});
  expect_coding_gene({132, "T", "A"}, {.consequences = {"splice_donor_variant"},
                                       .impact = v1::IMPACT_HIGH,
                                       .intron = 1,
                                       .hgvs_c = "c.20+2T>A"});
  expect_coding_gene({169, "A", "G"}, {.consequences = {"splice_acceptor_variant"},
                                       .impact = v1::IMPACT_HIGH,
                                       .intron = 1,
                                       .hgvs_c = "c.21-2A>G"});
  expect_coding_gene({170, "G", "C"}, {.consequences = {"splice_acceptor_variant"},
                                       .impact = v1::IMPACT_HIGH,
                                       .intron = 1,
                                       .hgvs_c = "c.21-1G>C"});
  expect_coding_gene({201, "G", "C"}, {.consequences = {"splice_donor_variant"},
                                       .impact = v1::IMPACT_HIGH,
                                       .intron = 2,
                                       .hgvs_c = "c.50+1G>C"});
  expect_coding_gene({240, "G", "T"}, {.consequences = {"splice_acceptor_variant"},
                                       .impact = v1::IMPACT_HIGH,
                                       .intron = 2,
                                       .hgvs_c = "c.51-1G>T"});
}

TEST(AnnotatorTest, CallsSpliceRegionInIntronBasesThreeToEight) {
  const auto region = [](std::string name) {
    return Expected{.consequences = {"splice_region_variant", "intron_variant"},
                    .impact = v1::IMPACT_LOW,
                    .intron = 1,
                    .hgvs_c = std::move(name)};
  };
  const auto intron = [](std::string name) {
    return Expected{.consequences = {"intron_variant"}, .impact = v1::IMPACT_MODIFIER, .intron = 1,
                    .hgvs_c = std::move(name)};
  };
  expect_coding_gene(snv(133), region(snv_name('c', "20+3", 133)));  // donor +3
  expect_coding_gene(snv(138), region(snv_name('c', "20+8", 138)));  // donor +8
  expect_coding_gene(snv(139), intron(snv_name('c', "20+9", 139)));  // donor +9
  expect_coding_gene(snv(163), region(snv_name('c', "21-8", 163)));  // acceptor -8
  expect_coding_gene(snv(162), intron(snv_name('c', "21-9", 162)));  // acceptor -9
}

TEST(AnnotatorTest, PlacesInsertionsAtSpliceSitesByTheirFlanks) {
  // Between exon 1's last base and the intron's first: the bases stay exonic (coding, before c.21): Gly7 (GG+A)
  // is kept, Phe8 becomes Leu.
  expect_coding_gene({131, "", "A"}, {.consequences = {"frameshift_variant", "splice_region_variant"},
                                      .impact = v1::IMPACT_HIGH,
                                      .exon = 1,
                                      .protein_start = 7,
                                      .protein_end = 8,
                                      .hgvs_p = "p.Phe8LeufsTer?",
                                      .hgvs_p_short = "p.F8Lfs*?",
                                      .hgvs_c = "c.20_20+1insA"});
  // Between the G and the T of the donor site.
  expect_coding_gene({132, "", "A"}, {.consequences = {"splice_donor_variant"},
                                      .impact = v1::IMPACT_HIGH,
                                      .intron = 1,
                                      .hgvs_c = "c.20+1_20+2insA"});
  // Between intron bases 2 and 3; bases 3 and 4 are A, so the inserted A is named as a copy of base 4.
  expect_coding_gene({133, "", "A"}, {.consequences = {"splice_region_variant", "intron_variant"},
                                      .impact = v1::IMPACT_LOW,
                                      .intron = 1,
                                      .hgvs_c = "c.20+4dup"});
}

TEST(AnnotatorTest, CallsSpliceRegionForInsertionOnlyBetweenRegionBases) {
  // PLUS2 exon 1 ends at 1025 (c.15): c.13-c.15 are in the splice region. Between c.12 and c.13 the insertion has
  // one flank outside: not in the region (as VEP). C (not repeating a neighbour) keeps the names simple.
  const auto outside = find_gene(tiny().annotator->annotate("chr3", 1023, "", "C"), "PLUS2");
  ASSERT_TRUE(outside.has_value());
  EXPECT_EQ(outside->consequences, std::vector<std::string>{"frameshift_variant"});
  EXPECT_EQ(outside->hgvs_c, "c.12_13insC");
  const auto inside = find_gene(tiny().annotator->annotate("chr3", 1024, "", "C"), "PLUS2");
  ASSERT_TRUE(inside.has_value());
  EXPECT_EQ(inside->consequences, (std::vector<std::string>{"frameshift_variant", "splice_region_variant"}));
  EXPECT_EQ(inside->hgvs_c, "c.13_14insC");
}

TEST(AnnotatorTest, NamesIntronicPositionsFromTheNearerExon) {
  // PLUS2 intron 1 has 40 bases: 1045 is +20 from c.15, 1046 is -20 from c.16.
  expect_plus2({1045, "G", "A"}, {.consequences = {"intron_variant"},
                                  .impact = v1::IMPACT_MODIFIER,
                                  .intron = 1,
                                  .hgvs_c = "c.15+20G>A"});
  expect_plus2({1046, "C", "T"}, {.consequences = {"intron_variant"},
                                  .impact = v1::IMPACT_MODIFIER,
                                  .intron = 1,
                                  .hgvs_c = "c.16-20C>T"});
  expect_plus2({1026, "G", "A"}, {.consequences = {"splice_donor_variant"},
                                  .impact = v1::IMPACT_HIGH,
                                  .intron = 1,
                                  .hgvs_c = "c.15+1G>A"});
  expect_plus2({1064, "A", "G"}, {.consequences = {"splice_acceptor_variant"},
                                  .impact = v1::IMPACT_HIGH,
                                  .intron = 1,
                                  .hgvs_c = "c.16-2A>G"});
}

TEST(AnnotatorTest, ShiftsIntronicIndelsThreePrimeInARun) {
  // T run at intron bases -9..-4 (1057-1062): a T deleted or added where a VCF writes it (the run's start) is
  // named at the run's end.
  expect_plus2({1057, "T", ""}, {.consequences = {"intron_variant"},
                                 .impact = v1::IMPACT_MODIFIER,
                                 .intron = 1,
                                 .hgvs_c = "c.16-4del"});
  expect_plus2({1057, "", "T"}, {.consequences = {"intron_variant"},
                                 .impact = v1::IMPACT_MODIFIER,
                                 .intron = 1,
                                 .hgvs_c = "c.16-4dup"});
  // Two bases of a TT... run are a dup of the last two.
  expect_plus2({1057, "", "TT"}, {.consequences = {"intron_variant"},
                                  .impact = v1::IMPACT_MODIFIER,
                                  .intron = 1,
                                  .hgvs_c = "c.16-5_16-4dup"});
}

TEST(AnnotatorTest, CallsIntronUtrAndFlanks) {
  const auto modifier = [](std::vector<std::string> terms, std::uint32_t exon, std::uint32_t intron,
                           std::string name) {
    return Expected{.consequences = std::move(terms),
                    .impact = v1::IMPACT_MODIFIER,
                    .exon = exon,
                    .intron = intron,
                    .hgvs_c = std::move(name)};
  };
  expect_coding_gene(snv(150), modifier({"intron_variant"}, 0, 1, snv_name('c', "20+20", 150)));
  expect_coding_gene(snv(220), modifier({"intron_variant"}, 0, 2, snv_name('c', "50+20", 220)));
  expect_coding_gene(snv(105), modifier({"5_prime_UTR_variant"}, 1, 0, snv_name('c', "-6", 105)));
  expect_coding_gene(snv(270), modifier({"3_prime_UTR_variant"}, 3, 0, snv_name('c', "*17", 270)));
  expect_coding_gene(snv(60), modifier({"upstream_gene_variant"}, 0, 0, ""));
  expect_coding_gene(snv(300), modifier({"downstream_gene_variant"}, 0, 0, ""));
  // An insertion just before the start codon is 5' UTR (an A before the A of ATG: c.1dup by the 3' rule), one
  // just after the stop codon 3' UTR (an A after TAA: c.63dup).
  expect_coding_gene({111, "", "A"}, modifier({"5_prime_UTR_variant"}, 1, 0, "c.1dup"));
  expect_coding_gene({254, "", "A"}, modifier({"3_prime_UTR_variant"}, 3, 0, "c.63dup"));
  // PLUS2 UTR bases.
  expect_plus2({1006, "C", "T"}, modifier({"5_prime_UTR_variant"}, 1, 0, "c.-5C>T"));
  expect_plus2({1107, "G", "A"}, modifier({"3_prime_UTR_variant"}, 2, 0, "c.*3G>A"));
}

TEST(AnnotatorTest, CallsNonCodingExonAndIntronWithNNames) {
  expect_both_strands(kNonCoding1, snv(345),
                      {.consequences = {"non_coding_transcript_exon_variant"},
                       .impact = v1::IMPACT_MODIFIER,
                       .exon = 1,
                       .hgvs_c = snv_name('n', "6", 345)});
  expect_both_strands(kNonCoding1, snv(365),
                      {.consequences = {"intron_variant"},
                       .impact = v1::IMPACT_MODIFIER,
                       .intron = 1,
                       .hgvs_c = snv_name('n', "16+10", 365)});
}

TEST(AnnotatorTest, SortsByGeneNameAndStopsFiveKilobasesAway) {
  const TinyReference& reference = tiny();
  const std::string ref = ref_at(reference.chr1(), 345, 1);
  const auto near_both = reference.annotator->annotate("chr1", 345, ref, std::string(1, complement(ref[0])));
  ASSERT_EQ(near_both.size(), 2u);
  EXPECT_EQ(near_both[0].gene, "NC1");
  EXPECT_EQ(near_both[1].gene, "PLUS1");
  EXPECT_EQ(near_both[1].consequences, std::vector<std::string>{"downstream_gene_variant"});
  // PLUS1 ends at 280 and NC1 at 390: 5280 is the last position downstream of PLUS1, 5391 is past both.
  const auto at_edge = reference.annotator->annotate("chr1", 5280, "A", "C");
  ASSERT_EQ(at_edge.size(), 2u);
  EXPECT_EQ(at_edge[1].gene, "PLUS1");
  EXPECT_EQ(at_edge[1].consequences, std::vector<std::string>{"downstream_gene_variant"});
  EXPECT_EQ(reference.annotator->annotate("chr1", 5281, "A", "C").size(), 1u);
  EXPECT_EQ(reference.annotator->annotate("chr1", 5390, "A", "C").size(), 1u);
  EXPECT_TRUE(reference.annotator->annotate("chr1", 5391, "A", "C").empty());
  EXPECT_TRUE(reference.annotator->annotate("chr1", 9000, "A", "C").empty());
}

// ---------------------------------------------------------------------------------------------------------------
// Transcript choice and the most severe annotation per gene.

Annotator make_annotator(const AnnotatorOptions& options) {
  const Genome genome = Genome::open((tiny().dir->path() / "tiny.fa").string());
  return Annotator(*tiny().model, genome, options);
}

TEST(AnnotatorTest, AnnotatesEveryTranscriptWhenAskedTo) {
  const Annotator annotator = make_annotator({.transcripts = TranscriptSet::kAll});
  // chr1:175 lies in exon 2, which T1B skips (an intron there).
  const std::string ref = ref_at(tiny().chr1(), 175, 1);
  const auto annotations = annotator.annotate("chr1", 175, ref, std::string(1, complement(ref[0])));
  ASSERT_EQ(annotations.size(), 3u);  // NC1 upstream, PLUS1 T1 and T1B, sorted by gene then transcript
  EXPECT_EQ(annotations[0].gene, "NC1");
  EXPECT_EQ(annotations[1].transcript_id, "T1");
  EXPECT_TRUE(annotations[1].canonical);
  EXPECT_EQ(annotations[1].transcript_biotype, "protein_coding");
  EXPECT_EQ(annotations[1].gene_id, "G1");
  EXPECT_EQ(annotations[1].exon, 2u);
  EXPECT_EQ(annotations[2].transcript_id, "T1B");
  EXPECT_FALSE(annotations[2].canonical);
  EXPECT_EQ(annotations[2].consequences, std::vector<std::string>{"intron_variant"});
  EXPECT_EQ(annotations[2].hgvs_c, snv_name('c', "20+45", 175));
  EXPECT_EQ(annotations[2].intron, 1u);
  // The per-gene choice keeps PLUS1's coding annotation.
  const auto per_gene = most_severe_per_gene(annotations);
  ASSERT_EQ(per_gene.size(), 2u);
  EXPECT_EQ(per_gene[0].gene, "NC1");
  EXPECT_EQ(per_gene[1].transcript_id, "T1");
}

TEST(AnnotatorTest, AnnotatesListedTranscriptsAndCanonicalOnesOfOtherGenes) {
  // T1B listed (with a version suffix, which is ignored): PLUS1 uses it; MINUS1 has none listed and keeps T1M.
  const Annotator annotator = make_annotator({.transcripts = TranscriptSet::kListed, .transcript_ids = {"T1B.4"}});
  const auto plus = annotator.annotate("chr1", 115, "T", "G");
  const auto plus1 = find_gene(plus, "PLUS1");
  ASSERT_TRUE(plus1.has_value());
  EXPECT_EQ(plus1->transcript_id, "T1B");
  EXPECT_FALSE(plus1->canonical);
  EXPECT_EQ(plus1->hgvs_p, "p.Leu2Arg");
  const auto minus1 = find_gene(annotator.annotate("chr2", 11886, "A", "C"), "MINUS1");
  ASSERT_TRUE(minus1.has_value());
  EXPECT_EQ(minus1->transcript_id, "T1M");
  EXPECT_TRUE(minus1->canonical);
}

TEST(AnnotatorTest, RefusesListedTranscriptMissingFromGeneModel) {
  const Error error = testing::expect_error(
      [] { make_annotator({.transcripts = TranscriptSet::kListed, .transcript_ids = {"T1B", "ENST00000999999"}}); });
  EXPECT_EQ(error.kind(), ErrorKind::kUsage);
  EXPECT_NE(error.why().find("ENST00000999999"), std::string::npos) << error.message();
  EXPECT_EQ(error.why().find("T1B"), std::string::npos) << error.message();
}

Annotation annotation_of(std::string gene, std::string transcript, bool canonical, std::string term) {
  Annotation out;
  out.gene = gene;
  out.gene_id = "ID_" + gene;
  out.transcript_id = std::move(transcript);
  out.canonical = canonical;
  out.consequences = {std::move(term)};
  return out;
}

TEST(AnnotatorTest, PicksMostSevereAnnotationPerGeneCanonicalFirstOnTies) {
  const std::vector<Annotation> annotations = {
      annotation_of("B", "TB2", false, "synonymous_variant"),
      annotation_of("B", "TB1", true, "synonymous_variant"),
      annotation_of("A", "TA1", true, "missense_variant"),
      annotation_of("A", "TA2", false, "stop_gained"),
      annotation_of("C", "TC2", false, "intron_variant"),
      annotation_of("C", "TC1", false, "intron_variant"),
      annotation_of("D", "TD1", true, "upstream_gene_variant"),
      annotation_of("D", "TD2", false, "splice_region_variant"),
  };
  const auto picked = most_severe_per_gene(annotations);
  ASSERT_EQ(picked.size(), 4u);
  EXPECT_EQ(picked[0].transcript_id, "TA2");  // stop_gained beats missense on the canonical transcript
  EXPECT_EQ(picked[1].transcript_id, "TB1");  // a tie: the canonical transcript
  EXPECT_EQ(picked[2].transcript_id, "TC1");  // a tie, neither canonical: the smaller id
  EXPECT_EQ(picked[3].transcript_id, "TD2");
  EXPECT_TRUE(most_severe_per_gene({}).empty());
}

// ---------------------------------------------------------------------------------------------------------------
// The reference windows, for bundles.

TEST(AnnotatorTest, NamesExonWindowsWithFlanksMergedAndClipped) {
  Transcript transcript;
  transcript.contig = "chr9";
  transcript.exons = {{5, 20}, {35, 50}, {100, 120}, {200, 995}};
  const auto windows = sequence_windows(transcript, 1000);
  ASSERT_EQ(windows.size(), 3u);
  EXPECT_EQ(windows[0].contig, "chr9");
  EXPECT_EQ(windows[0].start, 1u);  // 5 - 10 clipped to 1, merged with 35 - 10 = 25 .. 60
  EXPECT_EQ(windows[0].end, 60u);
  EXPECT_EQ(windows[1].start, 90u);
  EXPECT_EQ(windows[1].end, 130u);
  EXPECT_EQ(windows[2].start, 190u);
  EXPECT_EQ(windows[2].end, 1000u);  // 995 + 10 clipped to the contig's end
  // Without exons, the CDS segments stand in for them.
  transcript.exons.clear();
  transcript.cds = {{300, 400}};
  const auto from_cds = sequence_windows(transcript, 1000);
  ASSERT_EQ(from_cds.size(), 1u);
  EXPECT_EQ(from_cds[0].start, 290u);
  EXPECT_EQ(from_cds[0].end, 410u);
}

// A SequenceSource holding only given windows, as a reference bundle does: fetch outside them throws. Records the
// fetches made.
class WindowSource final : public SequenceSource {
 public:
  WindowSource(const Genome& genome, const GeneModel& model) : path_("windows") {
    for (const Gene& gene : model.genes()) {
      for (const Transcript& transcript : gene.transcripts) {
        const std::string name = *genome.resolve_contig(transcript.contig);
        lengths_[name] = *genome.contig_length(name);
        for (const GenomicWindow& window : sequence_windows(transcript, lengths_[name])) {
          stored_[name][window.start] = genome.fetch(name, window.start, window.end);
        }
      }
    }
  }

  const std::string& path() const override { return path_; }
  std::optional<std::string> resolve_contig(std::string_view name) const override {
    for (const auto& [contig, length] : lengths_) {
      if (contig_key(contig) == contig_key(name)) return contig;
    }
    return std::nullopt;
  }
  std::optional<std::uint64_t> contig_length(std::string_view name) const override {
    const auto contig = resolve_contig(name);
    if (!contig) return std::nullopt;
    return lengths_.at(*contig);
  }
  std::string fetch(std::string_view name, std::uint64_t start, std::uint64_t end) const override {
    const auto contig = resolve_contig(name);
    if (contig) {
      for (const auto& [window_start, bases] : stored_.at(*contig)) {
        if (start >= window_start && end < window_start + bases.size()) {
          ++fetches_;
          return bases.substr(start - window_start, end - start + 1);
        }
      }
    }
    throw_bad_input(path_, std::nullopt, "fetch " + std::string(name), "range not stored");
  }
  int fetches() const { return fetches_; }

 private:
  std::string path_;
  std::map<std::string, std::uint64_t> lengths_;
  std::map<std::string, std::map<std::uint64_t, std::string>> stored_;
  mutable int fetches_ = 0;
};

TEST(AnnotatorTest, ReadsOnlyTheSequenceWindowsItNames) {
  const TinyReference& reference = tiny();
  const Genome genome = Genome::open((reference.dir->path() / "tiny.fa").string());
  const WindowSource windows(genome, *reference.model);
  const AnnotatorOptions all{.transcripts = TranscriptSet::kAll};
  const Annotator from_windows(*reference.model, windows, all);
  const Annotator from_fasta(*reference.model, genome, all);
  EXPECT_GT(windows.fetches(), 0);
  // Every kind of change gives the same annotations from the stored windows as from the FASTA.
  const std::vector<std::pair<std::string, Call>> calls = {
      {"chr1", {115, "T", "G"}},     {"chr1", {180, "T", ""}},      {"chr1", {251, "T", "C"}},
      {"chr1", {130, "GG", ""}},     {"chr1", snv(150)},            {"chr1", {111, "", "A"}},
      {"chr3", {1017, "AAG", ""}},   {"chr3", {1071, "", "GCA"}},   {"chr3", {1078, "C", ""}},
      {"chr3", {1057, "", "TT"}},    {"chr3", {1025, "G", ""}},     {"chr3", {1102, "T", "C"}},
      {"chr4", {mirror(1057), "A", ""}}, {"chr2", {mirror(180), "A", ""}}};
  for (const auto& [contig, call] : calls) {
    SCOPED_TRACE(contig + ":" + std::to_string(call.position));
    const std::string ref = ref_at(reference.contigs.at(contig), call.position, call.ref.size());
    const auto expected = from_fasta.annotate(contig, call.position, ref, call.alt);
    const auto actual = from_windows.annotate(contig, call.position, ref, call.alt);
    ASSERT_EQ(actual.size(), expected.size());
    for (std::size_t i = 0; i < actual.size(); ++i) {
      EXPECT_EQ(actual[i].consequences, expected[i].consequences);
      EXPECT_EQ(actual[i].hgvs_c, expected[i].hgvs_c);
      EXPECT_EQ(actual[i].hgvs_p, expected[i].hgvs_p);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Input handling.

TEST(AnnotatorTest, ResolvesContigAliasesAndLowerCaseAlleles) {
  const auto annotations = tiny().annotator->annotate("1", 115, "t", "g");
  const auto plus = find_gene(annotations, "PLUS1");
  ASSERT_TRUE(plus.has_value());
  EXPECT_EQ(plus->hgvs_p_short, "p.L2R");
}

TEST(AnnotatorTest, SkipsAllelesThatAreNotPlainBasesOrChangeNothing) {
  const Annotator& annotator = *tiny().annotator;
  EXPECT_TRUE(annotator.annotate("chr1", 115, "T", "N").empty());
  EXPECT_TRUE(annotator.annotate("chr1", 115, "T", "*").empty());
  EXPECT_TRUE(annotator.annotate("chr1", 115, "T", "<DEL>").empty());
  EXPECT_TRUE(annotator.annotate("chr1", 115, "T", "T[chr2:100[").empty());
  EXPECT_TRUE(annotator.annotate("chr1", 115, "T", "T").empty());
  EXPECT_TRUE(annotator.annotate("chr1", 0, "T", "G").empty());
  EXPECT_TRUE(annotator.annotate("chr9", 115, "T", "G").empty());
  EXPECT_FALSE(annotator.annotate("chr1", 115, "T", "G").empty());
}

TEST(AnnotatorTest, RefusesGeneModelWithContigMissingFromFasta) {
  const testing::TempDir dir("annotator-test");
  std::ofstream(dir.path() / "one.fa") << fasta_record("chr1", make_chr1());
  std::ofstream(dir.path() / "other.gff3") << "##gff-version 3\n" << chr1_genes("chr7", false, "");
  const GeneModel model = GeneModel::load_gff3((dir.path() / "other.gff3").string());
  const Genome genome = Genome::open((dir.path() / "one.fa").string());
  const Error error = testing::expect_error([&] { Annotator annotator(model, genome); });
  EXPECT_EQ(error.kind(), ErrorKind::kBadInput);
  EXPECT_NE(error.why().find("chr7"), std::string::npos) << error.message();
}

TEST(AnnotatorTest, RefusesTranscriptBeyondContigEnd) {
  const testing::TempDir dir("annotator-test");
  std::ofstream(dir.path() / "short.fa") << fasta_record("chr1", make_chr1().substr(0, 250));
  std::ofstream(dir.path() / "genes.gff3") << "##gff-version 3\n" << chr1_genes("chr1", false, "");
  const GeneModel model = GeneModel::load_gff3((dir.path() / "genes.gff3").string());
  const Genome genome = Genome::open((dir.path() / "short.fa").string());
  const Error error = testing::expect_error([&] { Annotator annotator(model, genome); });
  EXPECT_EQ(error.kind(), ErrorKind::kBadInput);
  EXPECT_NE(error.why().find("beyond"), std::string::npos) << error.message();
}

// ---------------------------------------------------------------------------------------------------------------
// Real data: GRCh38 excerpts with the Ensembl gene model (../shared/data/mini-grch38).

class AnnotatorRealDataTest : public ::testing::Test {
 protected:
  static const Annotator* annotator() {
    static const std::unique_ptr<Annotator> instance = [] {
      const fs::path dir = testing::shared_data_dir() / "mini-grch38";
      const GeneModel model = GeneModel::load_gff3((dir / "mini_grch38.gff3").string());
      const Genome genome = Genome::open((dir / "mini_grch38.fa.gz").string());
      return std::make_unique<Annotator>(model, genome);
    }();
    return instance.get();
  }

  static Annotation only(const std::vector<Annotation>& annotations, const std::string& gene) {
    const auto found = find_gene(annotations, gene);
    if (!found) {
      ADD_FAILURE() << "no annotation for " << gene;
      return {};
    }
    return *found;
  }

  void SetUp() override {
    RAREMATCH_REQUIRE_SHARED_DATA(testing::shared_data_dir() / "mini-grch38" / "mini_grch38.gff3");
  }
};

TEST_F(AnnotatorRealDataTest, CallsKitD816v) {
  const Annotation kit = only(annotator()->annotate("chr4", 54733155, "A", "T"), "KIT");
  EXPECT_EQ(kit.transcript_id, "ENST00000288135");
  EXPECT_TRUE(kit.canonical);
  EXPECT_EQ(kit.consequences, std::vector<std::string>{"missense_variant"});
  EXPECT_EQ(kit.hgvs_p, "p.Asp816Val");
  EXPECT_EQ(kit.hgvs_p_short, "p.D816V");
  EXPECT_EQ(kit.hgvs_c, "c.2447A>T");
  EXPECT_EQ(kit.exon, 17u);
  EXPECT_EQ(kit.exon_count, 21u);
}

TEST_F(AnnotatorRealDataTest, CallsEgfrHotspotsWithExons) {
  struct Case {
    std::uint64_t position;
    const char* ref;
    const char* alt;
    const char* hgvs_c;
    const char* hgvs_p;
    const char* hgvs_p_short;
    std::uint32_t exon;
  };
  for (const Case& c : {Case{55174014, "G", "A", "c.2155G>A", "p.Gly719Ser", "p.G719S", 18},
                        Case{55181378, "C", "T", "c.2369C>T", "p.Thr790Met", "p.T790M", 20},
                        Case{55191822, "T", "G", "c.2573T>G", "p.Leu858Arg", "p.L858R", 21}}) {
    SCOPED_TRACE(c.hgvs_p);
    const Annotation egfr = only(annotator()->annotate("7", c.position, c.ref, c.alt), "EGFR");
    EXPECT_EQ(egfr.transcript_id, "ENST00000275493");
    EXPECT_EQ(egfr.consequences, std::vector<std::string>{"missense_variant"});
    EXPECT_EQ(egfr.impact, v1::IMPACT_MODERATE);
    EXPECT_EQ(egfr.hgvs_c, c.hgvs_c);
    EXPECT_EQ(egfr.hgvs_p, c.hgvs_p);
    EXPECT_EQ(egfr.hgvs_p_short, c.hgvs_p_short);
    EXPECT_EQ(egfr.exon, c.exon);
    EXPECT_EQ(egfr.exon_count, 28u);
  }
}

TEST_F(AnnotatorRealDataTest, CallsEgfrExon19DeletionFromVcfAlleles) {
  // E746_A750del (c.2235_2249del) as a VCF writes it, with the anchor base.
  const Annotation egfr = only(annotator()->annotate("chr7", 55174771, "AGGAATTAAGAGAAGC", "A"), "EGFR");
  EXPECT_EQ(egfr.consequences, std::vector<std::string>{"inframe_deletion"});
  EXPECT_EQ(egfr.impact, v1::IMPACT_MODERATE);
  EXPECT_EQ(egfr.exon, 19u);
  EXPECT_EQ(egfr.hgvs_c, "c.2235_2249del");
  EXPECT_EQ(egfr.hgvs_p, "p.Glu746_Ala750del");
  EXPECT_EQ(egfr.hgvs_p_short, "p.E746_A750del");
  EXPECT_EQ(egfr.protein_start, 745u);  // c.2235 is the last base of codon 745
  EXPECT_EQ(egfr.protein_end, 750u);
}

TEST_F(AnnotatorRealDataTest, NamesEgfrExon20DuplicationsAsVepDoes) {
  // Ensembl VEP issue 1475 (GRCh37 7:55248998 A>ATGGCCAGCG): NM_005228.5:c.2300_2308dup, p.Ala767_Val769dup.
  const Annotation dup = only(annotator()->annotate("chr7", 55181305, "A", "ATGGCCAGCG"), "EGFR");
  EXPECT_EQ(dup.consequences, std::vector<std::string>{"inframe_insertion"});
  EXPECT_EQ(dup.hgvs_c, "c.2300_2308dup");
  EXPECT_EQ(dup.hgvs_p, "p.Ala767_Val769dup");
  EXPECT_EQ(dup.hgvs_p_short, "p.A767_V769dup");
  // VEP issue 1829 (GRCh37 7:55248980 C>CTCCAGGAAGCCT): written in intron 19, a dup reaching into exon 20.
  const Annotation intronic = only(annotator()->annotate("chr7", 55181287, "C", "CTCCAGGAAGCCT"), "EGFR");
  EXPECT_EQ(intronic.consequences, (std::vector<std::string>{"splice_region_variant", "intron_variant"}));
  EXPECT_EQ(intronic.hgvs_c, "c.2284-5_2290dup");
  EXPECT_TRUE(intronic.hgvs_p.empty());
}

TEST_F(AnnotatorRealDataTest, CallsBrca1C61gOnMinusStrand) {
  // BRCA1 c.181T>G, p.Cys61Gly: T>G on the transcript is A>C on the forward strand.
  const Annotation brca1 = only(annotator()->annotate("chr17", 43106487, "A", "C"), "BRCA1");
  EXPECT_EQ(brca1.consequences, std::vector<std::string>{"missense_variant"});
  EXPECT_EQ(brca1.hgvs_p, "p.Cys61Gly");
  EXPECT_EQ(brca1.hgvs_c, "c.181T>G");
  EXPECT_EQ(brca1.exon, 4u);  // "exon 5" in the legacy numbering, which skips exon 4
}

TEST_F(AnnotatorRealDataTest, PicksCanonicalEgfrAnnotationAmongAllTranscripts) {
  const fs::path dir = testing::shared_data_dir() / "mini-grch38";
  const GeneModel model = GeneModel::load_gff3((dir / "mini_grch38.gff3").string());
  const Genome genome = Genome::open((dir / "mini_grch38.fa.gz").string());
  const Annotator all(model, genome, {.transcripts = TranscriptSet::kAll});
  const auto annotations = all.annotate("chr7", 55191822, "T", "G");
  EXPECT_GT(annotations.size(), 2u);
  const auto per_gene = most_severe_per_gene(annotations);
  const Annotation egfr = only(per_gene, "EGFR");
  EXPECT_EQ(egfr.transcript_id, "ENST00000275493");
  EXPECT_TRUE(egfr.canonical);
  EXPECT_EQ(egfr.hgvs_p_short, "p.L858R");
  std::size_t canonical = 0;
  for (const Annotation& annotation : annotations) canonical += annotation.canonical ? 1 : 0;
  EXPECT_EQ(canonical, 1u);
}

}  // namespace
}  // namespace rarematch::reference
