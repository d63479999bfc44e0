#include "reference/annotator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "reference/error.h"
#include "reference/genome.h"
#include "tests/support/test_support.h"

namespace rarematch::reference {
namespace {

namespace fs = std::filesystem;

// ---------------------------------------------------------------------------------------------------------------
// A tiny hand-made reference. chr1 holds two + strand genes; chr2 is the reverse complement of chr1, so it holds
// the same two genes on the - strand, at mirrored positions (p on chr1 is kLength + 1 - p on chr2).
//
// PLUS1 (transcript T1, canonical), 3 exons, 21 codons:
//   exon 1 101-130: 5'UTR 101-110, CDS 111-130 (CDS offsets 0-19)
//   intron 1 131-170 (GT...AG)
//   exon 2 171-200: CDS (offsets 20-49)
//   intron 2 201-240 (GT...AG)
//   exon 3 241-280: CDS 241-253 (offsets 50-62), 3'UTR 254-280
// T1B, an untagged transcript of PLUS1 skipping exon 2, must never be used.
// NC1 (transcript T2, lncRNA): exons 340-355, 376-390.
// CDS (5'->3'): ATG CTG CGA GAA TGG AAA GGC TTT CCA GAT ACT TAC CAC ATC AGC GTG CAG AAC TGC GCC TAA
//               M   L   R   E   W   K   G   F   P   D   T   Y   H   I   S   V   Q   N   C   A   *
// Codon 7 (GGC) is split by intron 1: G at 129, G at 130, C at 171.

constexpr std::uint64_t kLength = 12000;
constexpr const char* kCodingSequence = "ATGCTGCGAGAATGGAAAGGCTTTCCAGATACTTACCACATCAGCGTGCAGAACTGCGCCTAA";

struct Interval {
  std::uint64_t start;
  std::uint64_t end;
};

const std::vector<Interval> kPlusExons = {{101, 130}, {171, 200}, {241, 280}};
const std::vector<Interval> kPlusCds = {{111, 130}, {171, 200}, {241, 253}};
const std::vector<Interval> kNonCodingExons = {{340, 355}, {376, 390}};

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

// chr1: pseudo-random filler, the CDS written into its segments, GT/AG at the intron ends.
std::string make_chr1() {
  std::string bases(kLength, 'A');
  std::uint32_t state = 12345;
  for (char& base : bases) {
    state = state * 1103515245u + 12345u;
    base = "ACGT"[(state >> 16) & 3];
  }
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

// The genes of one chromosome; `flip` mirrors them onto the reverse-complemented copy.
std::string genes_of(const std::string& contig, bool flip, const std::string& suffix) {
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

struct TinyReference {
  std::string chr1;
  std::string chr2;
  std::unique_ptr<Annotator> annotator;
};

const TinyReference& tiny() {
  static const TinyReference reference = [] {
    TinyReference out;
    out.chr1 = make_chr1();
    out.chr2 = reverse_complement(out.chr1);
    const fs::path dir = testing::make_temp_dir("annotator-test");
    std::ofstream(dir / "tiny.fa") << fasta_record("chr1", out.chr1) << fasta_record("chr2", out.chr2);
    std::ofstream(dir / "tiny.gff3") << "##gff-version 3\n"
                                     << genes_of("chr1", false, "") << genes_of("chr2", true, "M");
    const GeneModel model = GeneModel::load_gff3((dir / "tiny.gff3").string());
    const Genome genome = Genome::open((dir / "tiny.fa").string());
    out.annotator = std::make_unique<Annotator>(model, genome);
    fs::remove_all(dir);
    return out;
  }();
  return reference;
}

// ---------------------------------------------------------------------------------------------------------------
// Expectations, written for chr1 and checked on both strands.

// A trimmed allele (no anchor base) on chr1; an empty REF inserts before `position`.
struct Call {
  std::uint64_t position;
  std::string ref;
  std::string alt;
};

// The same change on chr2: REF bases [p, p + n - 1] become [mirror(p + n - 1), mirror(p)], reverse-complemented;
// an insertion between p - 1 and p goes between mirror(p) and mirror(p - 1).
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
};

std::optional<Annotation> find_gene(const std::vector<Annotation>& annotations, const std::string& gene) {
  for (const Annotation& annotation : annotations) {
    if (annotation.gene == gene) return annotation;
  }
  return std::nullopt;
}

// Annotates `call` on chr1 (gene `gene`) and its mirror on chr2 (gene `mirrored_gene`) and checks both.
void expect_both_strands(const Call& call, const std::string& gene, const std::string& mirrored_gene,
                         const Expected& expected) {
  const TinyReference& reference = tiny();
  ASSERT_EQ(ref_at(reference.chr1, call.position, call.ref.size()), call.ref) << "test REF is not chr1's";
  const Call other = mirror(call);
  struct Side {
    std::string contig;
    Call call;
    std::string gene;
    std::string transcript;
  };
  const std::string transcript = gene == "NC1" ? "T2" : "T1";
  for (const Side& side :
       {Side{"chr1", call, gene, transcript}, Side{"chr2", other, mirrored_gene, transcript + "M"}}) {
    SCOPED_TRACE(side.contig + ":" + std::to_string(side.call.position) + " " + side.call.ref + ">" + side.call.alt);
    const auto annotation = find_gene(
        reference.annotator->annotate(side.contig, side.call.position, side.call.ref, side.call.alt), side.gene);
    ASSERT_TRUE(annotation.has_value()) << "no annotation for " << side.gene;
    EXPECT_EQ(annotation->transcript_id, side.transcript);
    EXPECT_EQ(annotation->consequences, expected.consequences);
    EXPECT_EQ(annotation->impact, expected.impact);
    EXPECT_EQ(annotation->exon, expected.exon);
    EXPECT_EQ(annotation->intron, expected.intron);
    EXPECT_EQ(annotation->exon_count, side.gene.rfind("NC", 0) == 0 ? 2u : 3u);
    EXPECT_EQ(annotation->protein_start, expected.protein_start);
    EXPECT_EQ(annotation->protein_end, expected.protein_end);
    EXPECT_EQ(annotation->hgvs_p, expected.hgvs_p);
    EXPECT_EQ(annotation->hgvs_p_short, expected.hgvs_p_short);
  }
}

void expect_coding_gene(const Call& call, const Expected& expected) {
  expect_both_strands(call, "PLUS1", "MINUS1", expected);
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
                                       .hgvs_p_short = "p.L2R"});
}

TEST(AnnotatorTest, CallsMissenseOnMinusStrand) {
  // The mirror of chr1:115 T>G written out: chr2 11886 is the middle base of codon 2 (CTG) of MINUS1, whose exon 1
  // is its highest-coordinate exon (11871-11900).
  const auto annotations = tiny().annotator->annotate("chr2", 11886, "A", "C");
  ASSERT_EQ(annotations.size(), 2u);  // MINUS1, and NCM1 upstream
  EXPECT_EQ(annotations[0].gene, "MINUS1");
  EXPECT_EQ(annotations[0].consequences, std::vector<std::string>{"missense_variant"});
  EXPECT_EQ(annotations[0].hgvs_p, "p.Leu2Arg");
  EXPECT_EQ(annotations[0].exon, 1u);
  EXPECT_EQ(annotations[1].gene, "NCM1");
  EXPECT_EQ(annotations[1].consequences, std::vector<std::string>{"upstream_gene_variant"});
}

TEST(AnnotatorTest, CallsSynonymous) {
  // Codon 2 CTG -> CTA.
  expect_coding_gene({116, "G", "A"}, {.consequences = {"synonymous_variant"},
                                       .impact = v1::IMPACT_LOW,
                                       .exon = 1,
                                       .protein_start = 2,
                                       .protein_end = 2,
                                       .hgvs_p = "p.Leu2=",
                                       .hgvs_p_short = "p.L2="});
}

TEST(AnnotatorTest, CallsStopGained) {
  // Codon 5 TGG -> TAG.
  expect_coding_gene({124, "G", "A"}, {.consequences = {"stop_gained"},
                                       .impact = v1::IMPACT_HIGH,
                                       .exon = 1,
                                       .protein_start = 5,
                                       .protein_end = 5,
                                       .hgvs_p = "p.Trp5Ter",
                                       .hgvs_p_short = "p.W5*"});
}

TEST(AnnotatorTest, CallsStartLost) {
  // Codon 1 ATG -> ACG.
  expect_coding_gene({112, "T", "C"}, {.consequences = {"start_lost"},
                                       .impact = v1::IMPACT_HIGH,
                                       .exon = 1,
                                       .protein_start = 1,
                                       .protein_end = 1,
                                       .hgvs_p = "p.Met1?",
                                       .hgvs_p_short = "p.M1?"});
}

TEST(AnnotatorTest, CallsStopLostWithoutNameAndStopRetained) {
  // Codon 21 TAA -> CAA, then -> TAG.
  expect_coding_gene(
      {251, "T", "C"},
      {.consequences = {"stop_lost"}, .impact = v1::IMPACT_HIGH, .exon = 3, .protein_start = 21, .protein_end = 21});
  expect_coding_gene({253, "A", "G"}, {.consequences = {"stop_retained_variant"},
                                       .impact = v1::IMPACT_LOW,
                                       .exon = 3,
                                       .protein_start = 21,
                                       .protein_end = 21,
                                       .hgvs_p = "p.Ter21=",
                                       .hgvs_p_short = "p.*21="});
}

TEST(AnnotatorTest, TranslatesCodonSplitByIntron) {
  // Codon 7 GGC: G at 129 and 130 (exon 1), C at 171 (exon 2); both sides are in the splice region.
  expect_coding_gene({171, "C", "A"}, {.consequences = {"splice_region_variant", "synonymous_variant"},
                                       .impact = v1::IMPACT_LOW,
                                       .exon = 2,
                                       .protein_start = 7,
                                       .protein_end = 7,
                                       .hgvs_p = "p.Gly7=",
                                       .hgvs_p_short = "p.G7="});
  expect_coding_gene({129, "G", "C"}, {.consequences = {"missense_variant", "splice_region_variant"},
                                       .impact = v1::IMPACT_MODERATE,
                                       .exon = 1,
                                       .protein_start = 7,
                                       .protein_end = 7,
                                       .hgvs_p = "p.Gly7Arg",
                                       .hgvs_p_short = "p.G7R"});
}

TEST(AnnotatorTest, NamesNoProteinChangeWhenTwoCodonsChange) {
  // Codon 2 CTG -> CTA (synonymous) and codon 3 CGA -> TGA (stop): the synonymous part is not reported.
  expect_coding_gene(
      {116, "GC", "AT"},
      {.consequences = {"stop_gained"}, .impact = v1::IMPACT_HIGH, .exon = 1, .protein_start = 2, .protein_end = 3});
  // Codon 2 CTG -> CGG (missense), then codon 3 CGA -> TGA (stop): both count.
  expect_coding_gene({115, "TGC", "GGT"}, {.consequences = {"stop_gained", "missense_variant"},
                                           .impact = v1::IMPACT_HIGH,
                                           .exon = 1,
                                           .protein_start = 2,
                                           .protein_end = 3});
  // Codon 4 GAA -> TAA (stop), then codon 5 TGG -> CGG: no longer translated, so not a missense.
  expect_coding_gene(
      {120, "GAAT", "TAAC"},
      {.consequences = {"stop_gained"}, .impact = v1::IMPACT_HIGH, .exon = 1, .protein_start = 4, .protein_end = 5});
}

// ---------------------------------------------------------------------------------------------------------------
// Indels.

TEST(AnnotatorTest, CallsFrameshiftDeletion) {
  // The T at 180 (CDS offset 29, codon 10).
  expect_coding_gene({180, "T", ""}, {.consequences = {"frameshift_variant"},
                                      .impact = v1::IMPACT_HIGH,
                                      .exon = 2,
                                      .protein_start = 10,
                                      .protein_end = 10});
}

TEST(AnnotatorTest, CallsInframeDeletionAndInsertion) {
  // Codon 11 (ACT, 181-183) deleted; GCA inserted inside codon 14 (before CDS offset 40).
  expect_coding_gene({181, "ACT", ""}, {.consequences = {"inframe_deletion"},
                                        .impact = v1::IMPACT_MODERATE,
                                        .exon = 2,
                                        .protein_start = 11,
                                        .protein_end = 11});
  expect_coding_gene({191, "", "GCA"}, {.consequences = {"inframe_insertion"},
                                        .impact = v1::IMPACT_MODERATE,
                                        .exon = 2,
                                        .protein_start = 14,
                                        .protein_end = 14});
}

TEST(AnnotatorTest, GivesFlankingResiduesOfInsertionBetweenCodons) {
  // Before CDS offset 36 (187), between codons 12 and 13.
  expect_coding_gene({187, "", "A"}, {.consequences = {"frameshift_variant"},
                                      .impact = v1::IMPACT_HIGH,
                                      .exon = 2,
                                      .protein_start = 12,
                                      .protein_end = 13});
}

TEST(AnnotatorTest, TrimsVcfAnchorBaseOfIndels) {
  const TinyReference& reference = tiny();
  // chr1:179 XT>X deletes the T at 180, as {180, "T", ""} does.
  const std::string anchored = ref_at(reference.chr1, 179, 2);
  const auto plus = find_gene(reference.annotator->annotate("chr1", 179, anchored, anchored.substr(0, 1)), "PLUS1");
  ASSERT_TRUE(plus.has_value());
  EXPECT_EQ(plus->consequences, std::vector<std::string>{"frameshift_variant"});
  EXPECT_EQ(plus->protein_start, 10u);
  // Its mirror, chr2:11821, written with the anchor base at 11820.
  const std::string mirrored = ref_at(reference.chr2, 11820, 2);
  const auto minus = find_gene(reference.annotator->annotate("chr2", 11820, mirrored, mirrored.substr(0, 1)), "MINUS1");
  ASSERT_TRUE(minus.has_value());
  EXPECT_EQ(minus->consequences, std::vector<std::string>{"frameshift_variant"});
  EXPECT_EQ(minus->protein_start, 10u);
  // An anchored insertion: chr1:190 A>AGCC is GCC inserted before 191 (CDS offset 40, inside codon 14).
  ASSERT_EQ(ref_at(reference.chr1, 190, 1), "A");
  const auto inserted = find_gene(reference.annotator->annotate("chr1", 190, "A", "AGCC"), "PLUS1");
  ASSERT_TRUE(inserted.has_value());
  EXPECT_EQ(inserted->consequences, std::vector<std::string>{"inframe_insertion"});
  EXPECT_EQ(inserted->protein_start, 14u);
  EXPECT_EQ(inserted->protein_end, 14u);
  // Bases shared at the end go too: chr1:179-181 XTY>XY is the deletion of the T at 180.
  const std::string three = ref_at(reference.chr1, 179, 3);
  const auto trailing =
      find_gene(reference.annotator->annotate("chr1", 179, three, three.substr(0, 1) + three.substr(2)), "PLUS1");
  ASSERT_TRUE(trailing.has_value());
  EXPECT_EQ(trailing->consequences, std::vector<std::string>{"frameshift_variant"});
  EXPECT_EQ(trailing->protein_start, 10u);
}

TEST(AnnotatorTest, CallsDeletionAcrossExonEndBothCodingAndDonor) {
  // 130 (last base of exon 1) and 131 (first intron base).
  expect_coding_gene({130, "GG", ""},
                     {.consequences = {"splice_donor_variant", "frameshift_variant", "splice_region_variant"},
                      .impact = v1::IMPACT_HIGH,
                      .exon = 1,
                      .intron = 1,
                      .protein_start = 7,
                      .protein_end = 7});
}

// ---------------------------------------------------------------------------------------------------------------
// Splice sites, introns, UTRs and flanks.

TEST(AnnotatorTest, CallsSpliceDonorAndAcceptor) {
  expect_coding_gene({131, "G", "A"},
                     {.consequences = {"splice_donor_variant"}, .impact = v1::IMPACT_HIGH, .intron = 1});
  expect_coding_gene({132, "T", "A"},
                     {.consequences = {"splice_donor_variant"}, .impact = v1::IMPACT_HIGH, .intron = 1});
  expect_coding_gene({169, "A", "G"},
                     {.consequences = {"splice_acceptor_variant"}, .impact = v1::IMPACT_HIGH, .intron = 1});
  expect_coding_gene({170, "G", "C"},
                     {.consequences = {"splice_acceptor_variant"}, .impact = v1::IMPACT_HIGH, .intron = 1});
  expect_coding_gene({201, "G", "C"},
                     {.consequences = {"splice_donor_variant"}, .impact = v1::IMPACT_HIGH, .intron = 2});
  expect_coding_gene({240, "G", "T"},
                     {.consequences = {"splice_acceptor_variant"}, .impact = v1::IMPACT_HIGH, .intron = 2});
}

TEST(AnnotatorTest, CallsSpliceRegionInIntronBasesThreeToEight) {
  const std::string& chr1 = tiny().chr1;
  const auto other = [&chr1](std::uint64_t position) { return std::string(1, complement(chr1[position - 1])); };
  const Expected region{
      .consequences = {"splice_region_variant", "intron_variant"}, .impact = v1::IMPACT_LOW, .intron = 1};
  const Expected intron{.consequences = {"intron_variant"}, .impact = v1::IMPACT_MODIFIER, .intron = 1};
  expect_coding_gene({133, ref_at(chr1, 133, 1), other(133)}, region);  // donor +3
  expect_coding_gene({138, ref_at(chr1, 138, 1), other(138)}, region);  // donor +8
  expect_coding_gene({139, ref_at(chr1, 139, 1), other(139)}, intron);  // donor +9
  expect_coding_gene({163, ref_at(chr1, 163, 1), other(163)}, region);  // acceptor -8
  expect_coding_gene({162, ref_at(chr1, 162, 1), other(162)}, intron);  // acceptor -9
}

TEST(AnnotatorTest, PlacesInsertionsAtSpliceSitesByTheirFlanks) {
  // Between exon 1's last base and the intron's first: the bases stay exonic (coding, before CDS offset 20).
  expect_coding_gene({131, "", "A"}, {.consequences = {"frameshift_variant", "splice_region_variant"},
                                      .impact = v1::IMPACT_HIGH,
                                      .exon = 1,
                                      .protein_start = 7,
                                      .protein_end = 7});
  // Between the G and the T of the donor site.
  expect_coding_gene({132, "", "A"},
                     {.consequences = {"splice_donor_variant"}, .impact = v1::IMPACT_HIGH, .intron = 1});
  // Between intron bases 2 and 3.
  expect_coding_gene(
      {133, "", "A"},
      {.consequences = {"splice_region_variant", "intron_variant"}, .impact = v1::IMPACT_LOW, .intron = 1});
}

TEST(AnnotatorTest, CallsIntronUtrAndFlanks) {
  const std::string& chr1 = tiny().chr1;
  const auto snv = [&chr1](std::uint64_t position) {
    return Call{position, ref_at(chr1, position, 1), std::string(1, complement(chr1[position - 1]))};
  };
  expect_coding_gene(snv(150), {.consequences = {"intron_variant"}, .impact = v1::IMPACT_MODIFIER, .intron = 1});
  expect_coding_gene(snv(220), {.consequences = {"intron_variant"}, .impact = v1::IMPACT_MODIFIER, .intron = 2});
  expect_coding_gene(snv(105), {.consequences = {"5_prime_UTR_variant"}, .impact = v1::IMPACT_MODIFIER, .exon = 1});
  expect_coding_gene(snv(270), {.consequences = {"3_prime_UTR_variant"}, .impact = v1::IMPACT_MODIFIER, .exon = 3});
  expect_coding_gene(snv(60), {.consequences = {"upstream_gene_variant"}, .impact = v1::IMPACT_MODIFIER});
  expect_coding_gene(snv(300), {.consequences = {"downstream_gene_variant"}, .impact = v1::IMPACT_MODIFIER});
  // An insertion just before the start codon is 5' UTR, just after the stop codon 3' UTR.
  expect_coding_gene({111, "", "A"},
                     {.consequences = {"5_prime_UTR_variant"}, .impact = v1::IMPACT_MODIFIER, .exon = 1});
  expect_coding_gene({254, "", "A"},
                     {.consequences = {"3_prime_UTR_variant"}, .impact = v1::IMPACT_MODIFIER, .exon = 3});
}

TEST(AnnotatorTest, CallsNonCodingExonAndIntron) {
  const std::string& chr1 = tiny().chr1;
  expect_both_strands(
      {345, ref_at(chr1, 345, 1), std::string(1, complement(chr1[344]))}, "NC1", "NCM1",
      {.consequences = {"non_coding_transcript_exon_variant"}, .impact = v1::IMPACT_MODIFIER, .exon = 1});
  expect_both_strands({365, ref_at(chr1, 365, 1), std::string(1, complement(chr1[364]))}, "NC1", "NCM1",
                      {.consequences = {"intron_variant"}, .impact = v1::IMPACT_MODIFIER, .intron = 1});
}

TEST(AnnotatorTest, SortsByGeneNameAndStopsFiveKilobasesAway) {
  const TinyReference& reference = tiny();
  const std::string ref = ref_at(reference.chr1, 345, 1);
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
  const fs::path dir = testing::make_temp_dir("annotator-test");
  std::ofstream(dir / "one.fa") << fasta_record("chr1", make_chr1());
  std::ofstream(dir / "other.gff3") << "##gff-version 3\n" << genes_of("chr7", false, "");
  const GeneModel model = GeneModel::load_gff3((dir / "other.gff3").string());
  const Genome genome = Genome::open((dir / "one.fa").string());
  try {
    Annotator annotator(model, genome);
    ADD_FAILURE() << "expected rarematch::Error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kBadInput);
    EXPECT_NE(error.why().find("chr7"), std::string::npos) << error.message();
  }
  fs::remove_all(dir);
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
  EXPECT_EQ(kit.consequences, std::vector<std::string>{"missense_variant"});
  EXPECT_EQ(kit.hgvs_p, "p.Asp816Val");
  EXPECT_EQ(kit.hgvs_p_short, "p.D816V");
  EXPECT_EQ(kit.exon, 17u);
  EXPECT_EQ(kit.exon_count, 21u);
}

TEST_F(AnnotatorRealDataTest, CallsEgfrHotspotsWithExons) {
  struct Case {
    std::uint64_t position;
    const char* ref;
    const char* alt;
    const char* hgvs_p;
    const char* hgvs_p_short;
    std::uint32_t exon;
  };
  for (const Case& c :
       {Case{55174014, "G", "A", "p.Gly719Ser", "p.G719S", 18}, Case{55181378, "C", "T", "p.Thr790Met", "p.T790M", 20},
        Case{55191822, "T", "G", "p.Leu858Arg", "p.L858R", 21}}) {
    SCOPED_TRACE(c.hgvs_p);
    const Annotation egfr = only(annotator()->annotate("7", c.position, c.ref, c.alt), "EGFR");
    EXPECT_EQ(egfr.transcript_id, "ENST00000275493");
    EXPECT_EQ(egfr.consequences, std::vector<std::string>{"missense_variant"});
    EXPECT_EQ(egfr.impact, v1::IMPACT_MODERATE);
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
  EXPECT_EQ(egfr.protein_start, 745u);  // c.2235 is the last base of codon 745
  EXPECT_EQ(egfr.protein_end, 750u);
  EXPECT_TRUE(egfr.hgvs_p.empty());
}

TEST_F(AnnotatorRealDataTest, CallsBrca1C61gOnMinusStrand) {
  // BRCA1 c.181T>G, p.Cys61Gly: T>G on the transcript is A>C on the forward strand.
  const Annotation brca1 = only(annotator()->annotate("chr17", 43106487, "A", "C"), "BRCA1");
  EXPECT_EQ(brca1.consequences, std::vector<std::string>{"missense_variant"});
  EXPECT_EQ(brca1.hgvs_p, "p.Cys61Gly");
  EXPECT_EQ(brca1.exon, 4u);  // "exon 5" in the legacy numbering, which skips exon 4
}

}  // namespace
}  // namespace rarematch::reference
