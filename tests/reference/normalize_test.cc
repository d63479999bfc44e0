// Tests of normalize_allele: hand-made cases on a small FASTA written to a temporary folder, then the same
// normalisation done by `bcftools norm -f` (the apt package, 1.16) run in the test, on
//   - the hand-made cases themselves;
//   - ../shared/data/pcgr T001-COAD GRCh38 records on mini-grch38's contigs (mostly kReferenceN there: the FASTA is
//     N outside its windows);
//   - seeded indels in repeats of mini-grch38's real sequence, written right-shifted on purpose, plus MNVs and
//     complex alleles written with shared bases.
// Agreement rule (compare_with_bcftools): where bcftools normalises a record we give the same POS/REF/ALT (letter
// case aside: bcftools copies soft-masked anchor bases as they are); where it reports a REF mismatch we report
// kRefMismatch, or kReferenceN when the reference has N within REF; where it skips a record (non-ACGTN ALT, ALT
// equal to REF) we report kNotNormalizable.

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <sstream>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "reference/genome.h"
#include "reference/normalize.h"
#include "tests/support/test_support.h"

namespace rarematch::testing {
namespace {

namespace fs = std::filesystem;
using reference::Genome;
using reference::normalize_allele;
using reference::NormalizedAllele;
using reference::NormalizeStatus;

// ---------------------------------------------------------------------------------------------------------------
// The hand-made reference. Positions are 1-based; the comments spell them out.

constexpr std::string_view kHandFasta =
    ">hp\n"
    "GCTAAAAAAGCT\n"  // G1 C2 T3 A4-A9 G10 C11 T12: a homopolymer of six A
    ">di\n"
    "GTCACACACAGG\n"  // G1 T2 C3 A4 C5 A6 C7 A8 C9 A10 G11 G12: CA repeat at 3-10
    ">start\n"
    "AAAACGT\n"  // A1-A4 C5 G6 T7: a homopolymer at the contig start
    ">mnv\n"
    "GATTACAGATTACA\n"  // G1 A2 T3 T4 A5 C6 A7 G8 A9 T10 T11 A12 C13 A14
    ">nrun\n"
    "ACGTNNNNAAAACGT\n"  // A1 C2 G3 T4 N5-N8 A9-A12 C13 G14 T15
    ">iupac\n"
    "ACGTRAAAC\n"  // A1 C2 G3 T4 R5 A6 A7 A8 C9
    ">soft\n"
    "gctaaaaaagct\n"  // soft-masked copy of hp
    ">chr9\n"
    "ACGTTTTGCA\n";  // A1 C2 G3 T4-T7 G8 C9 A10; asked for as "9"

/// ">long": C1, A2-A201, G202: a homopolymer longer than the first fetch windows (64 + 128 bases).
std::string long_contig() { return ">long\nC" + std::string(200, 'A') + "G\n"; }

/// The hand-made FASTA, written once per test process into a temporary folder that is removed at exit.
const fs::path& hand_fasta() {
  static const TempDir dir("rarematch-normalize");
  static const fs::path path = dir.write("hand.fa", std::string(kHandFasta) + long_contig());
  return path;
}

const Genome& hand_genome() {
  static const Genome genome = Genome::open(hand_fasta().string());
  return genome;
}

NormalizedAllele normalize_hand(std::string_view contig, std::uint64_t position, std::string_view ref,
                                std::string_view alt) {
  return normalize_allele(contig, position, ref, alt, hand_genome());
}

/// Expects kNormalized with the given POS/REF/ALT and `changed`.
void expect_normalized(const NormalizedAllele& got, std::uint64_t position, std::string_view ref,
                       std::string_view alt, bool changed) {
  EXPECT_EQ(got.status, NormalizeStatus::kNormalized) << got.detail;
  EXPECT_EQ(got.position, position);
  EXPECT_EQ(got.ref, ref);
  EXPECT_EQ(got.alt, alt);
  EXPECT_EQ(got.changed, changed);
  EXPECT_TRUE(got.expected_ref.empty());
  EXPECT_TRUE(got.detail.empty());
}

// ---------------------------------------------------------------------------------------------------------------
// Hand-made cases.

TEST(NormalizeTest, LeavesSnvUnchanged) {
  expect_normalized(normalize_hand("hp", 10, "G", "T"), 10, "G", "T", false);
  expect_normalized(normalize_hand("start", 1, "A", "G"), 1, "A", "G", false);
}

TEST(NormalizeTest, LeftAlignsDeletionInHomopolymer) {
  expect_normalized(normalize_hand("hp", 8, "AA", "A"), 3, "TA", "T", true);
}

TEST(NormalizeTest, LeftAlignsInsertionInHomopolymer) {
  expect_normalized(normalize_hand("hp", 9, "A", "AA"), 3, "T", "TA", true);
}

TEST(NormalizeTest, TrimsSharedBasesAroundDeletion) {
  // Two A deleted, written with a shared G on the right.
  expect_normalized(normalize_hand("hp", 7, "AAAG", "AG"), 3, "TAA", "T", true);
  // A deletion of TT written with the following A on both alleles: the suffix goes, the anchor stays.
  expect_normalized(normalize_hand("mnv", 2, "ATTA", "AA"), 2, "ATT", "A", true);
}

TEST(NormalizeTest, LeftAlignsDeletionInDinucleotideRepeat) {
  expect_normalized(normalize_hand("di", 8, "ACA", "A"), 2, "TCA", "T", true);
}

TEST(NormalizeTest, LeftAlignsInsertionInDinucleotideRepeat) {
  expect_normalized(normalize_hand("di", 10, "A", "ACA"), 2, "T", "TCA", true);
}

TEST(NormalizeTest, ShiftsThroughRepeatLongerThanFetchWindows) {
  expect_normalized(normalize_hand("long", 200, "AA", "A"), 1, "CA", "C", true);
  expect_normalized(normalize_hand("long", 201, "A", "AAAA"), 1, "C", "CAAA", true);
}

TEST(NormalizeTest, KeepsRightAnchorAtContigStart) {
  expect_normalized(normalize_hand("start", 3, "AA", "A"), 1, "AA", "A", true);
  expect_normalized(normalize_hand("start", 4, "A", "AA"), 1, "A", "AA", true);
  expect_normalized(normalize_hand("start", 4, "AC", "C"), 1, "AA", "A", true);
  // An insertion before the first base is written with the base after it, and stays.
  expect_normalized(normalize_hand("start", 1, "A", "CA"), 1, "A", "CA", false);
}

TEST(NormalizeTest, TrimsSnvWrittenAsMnv) {
  expect_normalized(normalize_hand("mnv", 2, "ATT", "AGT"), 3, "T", "G", true);
}

TEST(NormalizeTest, KeepsMnvWhole) {
  expect_normalized(normalize_hand("mnv", 3, "TT", "GC"), 3, "TT", "GC", false);
  expect_normalized(normalize_hand("mnv", 1, "GATTAC", "GAGGAC"), 3, "TT", "GG", true);
}

TEST(NormalizeTest, TrimsComplexAlleleWithoutSplittingIt) {
  expect_normalized(normalize_hand("mnv", 1, "GATTACA", "GACCCA"), 3, "TTA", "CC", true);
  expect_normalized(normalize_hand("mnv", 3, "TTAC", "GG"), 3, "TTAC", "GG", false);
}

TEST(NormalizeTest, WritesUpperCaseAndIgnoresCaseForChanged) {
  expect_normalized(normalize_hand("hp", 10, "g", "t"), 10, "G", "T", false);
  expect_normalized(normalize_hand("hp", 8, "aa", "a"), 3, "TA", "T", true);
  expect_normalized(normalize_hand("soft", 8, "AA", "A"), 3, "TA", "T", true);
}

TEST(NormalizeTest, ResolvesContigAlias) {
  expect_normalized(normalize_hand("9", 6, "TT", "T"), 3, "GT", "G", true);
}

TEST(NormalizeTest, ReportsRefMismatchWithExpectedBases) {
  const NormalizedAllele got = normalize_hand("hp", 2, "G", "A");
  EXPECT_EQ(got.status, NormalizeStatus::kRefMismatch);
  EXPECT_EQ(got.expected_ref, "C");
  EXPECT_EQ(got.position, 2u);
  EXPECT_EQ(got.ref, "G");
  EXPECT_EQ(got.alt, "A");
  EXPECT_FALSE(got.changed);
  EXPECT_NE(got.detail.find("'G'"), std::string::npos) << got.detail;
  EXPECT_NE(got.detail.find("'C'"), std::string::npos) << got.detail;
  EXPECT_NE(got.detail.find("hp:2"), std::string::npos) << got.detail;

  const NormalizedAllele longer = normalize_hand("hp", 3, "TAG", "T");
  EXPECT_EQ(longer.status, NormalizeStatus::kRefMismatch);
  EXPECT_EQ(longer.expected_ref, "TAA");
}

TEST(NormalizeTest, ReportsRefPastContigEndAsMismatch) {
  const NormalizedAllele got = normalize_hand("hp", 12, "TT", "T");
  EXPECT_EQ(got.status, NormalizeStatus::kRefMismatch);
  EXPECT_EQ(got.expected_ref, "T");
  EXPECT_NE(got.detail.find("length 12"), std::string::npos) << got.detail;

  const NormalizedAllele beyond = normalize_hand("hp", 13, "A", "G");
  EXPECT_EQ(beyond.status, NormalizeStatus::kRefMismatch);
  EXPECT_EQ(beyond.expected_ref, "");
}

TEST(NormalizeTest, ReportsReferenceNWithinRef) {
  for (const auto& [position, ref, alt] : std::vector<std::tuple<std::uint64_t, std::string, std::string>>{
           {6, "N", "A"}, {6, "A", "G"}, {4, "TN", "T"}, {8, "NA", "N"}}) {
    const NormalizedAllele got = normalize_hand("nrun", position, ref, alt);
    EXPECT_EQ(got.status, NormalizeStatus::kReferenceN) << position << " " << ref << ">" << alt;
    EXPECT_EQ(got.ref, ref);
    EXPECT_NE(got.expected_ref.find('N'), std::string::npos);
  }
  // An IUPAC code in the reference counts as N.
  const NormalizedAllele iupac = normalize_hand("iupac", 5, "R", "A");
  EXPECT_EQ(iupac.status, NormalizeStatus::kReferenceN);
  EXPECT_EQ(iupac.expected_ref, "R");
}

TEST(NormalizeTest, PrefersRefMismatchOverReferenceN) {
  const NormalizedAllele got = normalize_hand("nrun", 4, "CN", "C");
  EXPECT_EQ(got.status, NormalizeStatus::kRefMismatch);
  EXPECT_EQ(got.expected_ref, "TN");
}

TEST(NormalizeTest, TreatsIupacOrNInRefAsMismatch) {
  for (const std::string ref : {"R", "N", "Y"}) {
    const NormalizedAllele got = normalize_hand("iupac", 4, ref, "G");
    EXPECT_EQ(got.status, NormalizeStatus::kRefMismatch) << ref;
    EXPECT_EQ(got.expected_ref, "T");
  }
}

TEST(NormalizeTest, WritesNonAcgtAnchorAsN) {
  // The deletion moves left onto an anchor the reference has as N, or as the IUPAC code R: written N.
  expect_normalized(normalize_hand("nrun", 11, "AA", "A"), 8, "NA", "N", true);
  expect_normalized(normalize_hand("iupac", 7, "AA", "A"), 5, "NA", "N", true);
}

TEST(NormalizeTest, SkipsAllelesThatAreNotSequence) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"A", "<DEL>"}, {"A", "<CN0>"},   {"A", "<*>"}, {"A", "A[hp:5["}, {"A", "]hp:5]A"}, {"A", "A."},
      {"A", ".A"},    {"A", "*"},       {"A", "."},   {"A", ""},        {"A", "A-"},      {"A", "R"},
      {"A", "A"},     {"A", "a"},       {"", "A"},    {".", "A"},       {"A1", "A"}};
  for (const auto& [ref, alt] : cases) {
    const NormalizedAllele got = normalize_hand("hp", 4, ref, alt);
    EXPECT_EQ(got.status, NormalizeStatus::kNotNormalizable) << ref << ">" << alt;
    EXPECT_EQ(got.position, 4u);
    EXPECT_EQ(got.ref, ref);
    EXPECT_EQ(got.alt, alt);
    EXPECT_FALSE(got.changed);
    EXPECT_FALSE(got.detail.empty());
  }
  EXPECT_EQ(normalize_hand("hp", 0, "A", "G").status, NormalizeStatus::kNotNormalizable);
}

TEST(NormalizeTest, ChecksAlleleTextBeforeRef) {
  // A symbolic record keeps its route to the SV path even when its REF base disagrees with the reference.
  EXPECT_EQ(normalize_hand("hp", 4, "G", "<DEL>").status, NormalizeStatus::kNotNormalizable);
}

TEST(NormalizeTest, ReportsUnknownContig) {
  const NormalizedAllele got = normalize_hand("chrZ", 4, "A", "G");
  EXPECT_EQ(got.status, NormalizeStatus::kContigUnknown);
  EXPECT_NE(got.detail.find("chrZ"), std::string::npos) << got.detail;
}

TEST(NormalizeTest, NamesEveryStatus) {
  EXPECT_EQ(reference::to_string(NormalizeStatus::kNormalized), "normalized");
  EXPECT_EQ(reference::to_string(NormalizeStatus::kRefMismatch), "ref_mismatch");
  EXPECT_EQ(reference::to_string(NormalizeStatus::kReferenceN), "reference_n");
  EXPECT_EQ(reference::to_string(NormalizeStatus::kNotNormalizable), "not_normalizable");
  EXPECT_EQ(reference::to_string(NormalizeStatus::kContigUnknown), "contig_unknown");
}

// ---------------------------------------------------------------------------------------------------------------
// bcftools norm, run on the same records.

/// True when `bcftools` runs from PATH.
bool bcftools_on_path() { return run_command("bcftools --version").exit_code == 0; }

/// One biallelic record as the test writes it.
struct Record {
  std::string contig;  ///< as given to normalize_allele (may be an alias of the FASTA's name)
  std::uint64_t position = 0;
  std::string ref;
  std::string alt;
  bool indel = false;  ///< generated as an insertion or deletion (for the quota of the generated set)
  /// Generated indels: the 1-based anchor position left-alignment must reach (the base before the repeat).
  std::uint64_t left_aligned = 0;
};

/// What bcftools norm made of a record.
struct BcftoolsOutcome {
  enum class Kind { kNormalized, kRefMismatch, kSkipped };
  Kind kind = Kind::kSkipped;
  std::uint64_t position = 0;
  std::string ref;
  std::string alt;
};

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> out;
  std::size_t begin = 0;
  while (true) {
    const std::size_t end = text.find(separator, begin);
    out.emplace_back(text.substr(begin, end == std::string_view::npos ? std::string_view::npos : end - begin));
    if (end == std::string_view::npos) return out;
    begin = end + 1;
  }
}

bool iequals(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::toupper(static_cast<unsigned char>(x)) == std::toupper(static_cast<unsigned char>(y));
  });
}

/// Runs `bcftools norm -f fasta -c w` on `records` (each one VCF line with ID = its index, contigs written with the
/// FASTA's names) and returns its outcome per record, in the order of `records`. Records bcftools reports as
/// REF_MISMATCH or NON_ACGTN_REF (on stderr with -c w) are kRefMismatch; NON_ACGTN_ALT and ALT_DUP are kSkipped.
std::vector<BcftoolsOutcome> run_bcftools_norm(const fs::path& fasta, const Genome& genome,
                                               const std::vector<Record>& records) {
  // Sorted by contig (FASTA order) and position, as bcftools expects.
  const std::vector<std::string> contigs = genome.contigs();
  std::vector<std::size_t> order(records.size());
  std::vector<std::string> names(records.size());
  std::vector<std::size_t> rank(records.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    order[i] = i;
    names[i] = genome.resolve_contig(records[i].contig).value();
    rank[i] = static_cast<std::size_t>(std::find(contigs.begin(), contigs.end(), names[i]) - contigs.begin());
  }
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return std::tie(rank[a], records[a].position) < std::tie(rank[b], records[b].position);
  });
  std::ostringstream vcf;
  vcf << "##fileformat=VCFv4.2\n";
  for (const std::string& contig : contigs) {
    vcf << "##contig=<ID=" << contig << ",length=" << genome.contig_length(contig).value() << ">\n";
  }
  vcf << "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n";
  for (const std::size_t i : order) {
    vcf << names[i] << '\t' << records[i].position << "\tr" << i << '\t' << records[i].ref << '\t' << records[i].alt
        << "\t.\t.\t.\n";
  }
  const TempDir dir("rarematch-normalize-bcftools");
  const fs::path in = dir.write("in.vcf", vcf.str());
  const fs::path out = dir.path() / "out.vcf";
  const CommandResult run = run_command("bcftools norm -c w -f " + shell_quote(fasta.string()) + " -Ov -o " +
                                        shell_quote(out.string()) + " " + shell_quote(in.string()));
  if (run.exit_code != 0) throw std::runtime_error("bcftools norm failed: " + run.err);

  std::set<std::string> ref_mismatch;  // "contig\tpos\tREF"
  std::set<std::string> skipped;       // "contig\tpos\tALT" (NON_ACGTN_ALT) or "contig\tpos" (ALT_DUP)
  for (const std::string& line : split(run.err, '\n')) {
    const std::vector<std::string> fields = split(line, '\t');
    if (fields.size() < 3) continue;
    const std::string site = fields[1] + '\t' + fields[2];
    if ((fields[0] == "REF_MISMATCH" || fields[0] == "NON_ACGTN_REF") && fields.size() >= 4) {
      ref_mismatch.insert(site + '\t' + fields[3]);
    } else if (fields[0] == "NON_ACGTN_ALT" && fields.size() >= 4) {
      skipped.insert(site + '\t' + fields[3]);
    } else if (fields[0] == "ALT_DUP") {
      skipped.insert(site);
    }
  }
  std::map<std::string, BcftoolsOutcome> written;  // by ID
  for (const std::string& line : split(read_file(out), '\n')) {
    if (line.empty() || line.front() == '#') continue;
    const std::vector<std::string> fields = split(line, '\t');
    if (fields.size() < 5) throw std::runtime_error("bcftools norm wrote a short line: " + line);
    BcftoolsOutcome outcome;
    outcome.kind = BcftoolsOutcome::Kind::kNormalized;
    outcome.position = std::stoull(fields[1]);
    outcome.ref = fields[3];
    outcome.alt = fields[4];
    written[fields[2]] = outcome;
  }
  std::vector<BcftoolsOutcome> outcomes(records.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    const std::string site = names[i] + '\t' + std::to_string(records[i].position);
    if (ref_mismatch.count(site + '\t' + records[i].ref) != 0) {
      outcomes[i].kind = BcftoolsOutcome::Kind::kRefMismatch;
    } else if (skipped.count(site + '\t' + records[i].alt) != 0 || skipped.count(site) != 0) {
      outcomes[i].kind = BcftoolsOutcome::Kind::kSkipped;
    } else {
      const auto found = written.find("r" + std::to_string(i));
      if (found == written.end()) throw std::runtime_error("bcftools norm dropped record r" + std::to_string(i));
      outcomes[i] = found->second;
    }
  }
  return outcomes;
}

bool has_non_acgt(std::string_view bases) {
  return std::any_of(bases.begin(), bases.end(), [](char c) { return c != 'A' && c != 'C' && c != 'G' && c != 'T'; });
}

/// Counts of a comparison, by (bcftools outcome, our status).
struct Comparison {
  std::map<std::string, std::size_t> pairs;
  std::size_t normalized_both = 0;  ///< records both normalised (identical, or a failure was recorded)
  std::size_t changed_both = 0;     ///< of those, records both changed
  std::size_t failures = 0;

  /// The count of a "bcftools ... / ours ..." pair (0 when absent).
  std::size_t count(const std::string& pair) const {
    const auto found = pairs.find(pair);
    return found == pairs.end() ? 0 : found->second;
  }

  std::string table() const {
    std::string out;
    for (const auto& [pair, count] : pairs) out += "  " + pair + ": " + std::to_string(count) + "\n";
    return out;
  }
};

/// Normalises every record and checks it against bcftools' outcome (see the file comment); records a GoogleTest
/// failure for each disagreement (the first 20 in full).
Comparison compare_with_bcftools(const std::vector<Record>& records, const std::vector<BcftoolsOutcome>& bcftools,
                                 const Genome& genome) {
  Comparison result;
  for (std::size_t i = 0; i < records.size(); ++i) {
    const Record& record = records[i];
    const BcftoolsOutcome& theirs = bcftools[i];
    const NormalizedAllele ours = normalize_allele(record.contig, record.position, record.ref, record.alt, genome);
    const char* their_name = theirs.kind == BcftoolsOutcome::Kind::kNormalized    ? "bcftools normalized"
                             : theirs.kind == BcftoolsOutcome::Kind::kRefMismatch ? "bcftools ref mismatch"
                                                                                  : "bcftools skipped";
    ++result.pairs[std::string(their_name) + " / ours " + std::string(reference::to_string(ours.status))];
    const bool their_change = theirs.kind == BcftoolsOutcome::Kind::kNormalized &&
                              (theirs.position != record.position || !iequals(theirs.ref, record.ref) ||
                               !iequals(theirs.alt, record.alt));
    bool agree = false;
    switch (ours.status) {
      case NormalizeStatus::kNormalized:
        agree = theirs.kind == BcftoolsOutcome::Kind::kNormalized && theirs.position == ours.position &&
                iequals(theirs.ref, ours.ref) && iequals(theirs.alt, ours.alt) && ours.changed == their_change;
        if (agree) {
          ++result.normalized_both;
          if (ours.changed) ++result.changed_both;
        }
        break;
      case NormalizeStatus::kRefMismatch:
        agree = theirs.kind == BcftoolsOutcome::Kind::kRefMismatch;
        break;
      case NormalizeStatus::kReferenceN:
        // bcftools calls these a mismatch, or normalises them when REF has N just where the reference does.
        agree = has_non_acgt(ours.expected_ref) && (theirs.kind == BcftoolsOutcome::Kind::kRefMismatch ||
                                                    (theirs.kind == BcftoolsOutcome::Kind::kNormalized &&
                                                     record.ref.find_first_of("Nn") != std::string::npos));
        break;
      case NormalizeStatus::kNotNormalizable:
        // bcftools skips these, or passes symbolic and breakend records on unchanged (or checks their REF first).
        agree = theirs.kind != BcftoolsOutcome::Kind::kNormalized || !their_change;
        break;
      case NormalizeStatus::kContigUnknown:
        agree = false;
        break;
    }
    if (!agree) {
      if (++result.failures <= 20) {
        ADD_FAILURE() << record.contig << ":" << record.position << " " << record.ref << ">" << record.alt << ": "
                      << their_name << " " << theirs.position << " " << theirs.ref << ">" << theirs.alt
                      << "; ours " << reference::to_string(ours.status) << " " << ours.position << " " << ours.ref
                      << ">" << ours.alt << (ours.changed ? " (changed)" : "") << " " << ours.detail;
      }
    }
  }
  EXPECT_EQ(result.failures, 0u) << "records where we disagree with bcftools norm";
  return result;
}

#define NORMALIZE_TEST_REQUIRE_BCFTOOLS()                                           \
  do {                                                                              \
    if (!bcftools_on_path()) {                                                      \
      if (running_in_ci()) FAIL() << "bcftools not found on PATH in CI";            \
      GTEST_SKIP() << "bcftools not found on PATH, skipping the bcftools comparison"; \
    }                                                                               \
  } while (false)

TEST(NormalizeBcftoolsTest, AgreesOnHandMadeCases) {
  NORMALIZE_TEST_REQUIRE_BCFTOOLS();
  // Every hand-made case bcftools can read (a VCF line cannot hold an empty allele or POS 0).
  const std::vector<Record> records = {
      {"hp", 10, "G", "T"},        {"start", 1, "A", "G"},        {"hp", 8, "AA", "A"},
      {"hp", 9, "A", "AA"},        {"hp", 7, "AAAG", "AG"},       {"mnv", 2, "ATTA", "AA"},
      {"di", 8, "ACA", "A"},       {"di", 10, "A", "ACA"},        {"long", 200, "AA", "A"},
      {"long", 201, "A", "AAAA"},  {"start", 3, "AA", "A"},       {"start", 4, "A", "AA"},
      {"start", 4, "AC", "C"},     {"start", 1, "A", "CA"},       {"mnv", 2, "ATT", "AGT"},
      {"mnv", 3, "TT", "GC"},      {"mnv", 1, "GATTAC", "GAGGAC"}, {"mnv", 1, "GATTACA", "GACCCA"},
      {"mnv", 3, "TTAC", "GG"},    {"hp", 10, "g", "t"},          {"hp", 8, "aa", "a"},
      {"soft", 8, "AA", "A"},      {"9", 6, "TT", "T"},           {"hp", 2, "G", "A"},
      {"hp", 3, "TAG", "T"},       {"hp", 12, "TT", "T"},         {"nrun", 6, "N", "A"},
      {"nrun", 6, "A", "G"},       {"nrun", 4, "TN", "T"},        {"nrun", 8, "NA", "N"},
      {"iupac", 5, "R", "A"},      {"nrun", 4, "CN", "C"},        {"iupac", 4, "R", "G"},
      {"iupac", 4, "N", "G"},      {"nrun", 11, "AA", "A"},       {"iupac", 7, "AA", "A"},
      {"hp", 4, "A", "<DEL>"},     {"hp", 4, "A", "A[hp:5["},     {"hp", 4, "A", "*"},
      {"hp", 4, "A", "."},         {"hp", 4, "A", "A-"},          {"hp", 4, "A", "R"},
      {"hp", 4, "A", "A"},         {"hp", 4, "G", "<DEL>"}};
  const std::vector<BcftoolsOutcome> bcftools = run_bcftools_norm(hand_fasta(), hand_genome(), records);
  const Comparison result = compare_with_bcftools(records, bcftools, hand_genome());
  std::cout << "hand-made cases vs bcftools norm:\n" << result.table();
  EXPECT_EQ(result.normalized_both, 25u);
}

fs::path mini_fasta() { return shared_data_dir() / "mini-grch38" / "mini_grch38.fa.gz"; }

TEST(NormalizeBcftoolsTest, AgreesOnPcgrCoadRecords) {
  const fs::path vcf = shared_data_dir() / "pcgr" / "T001-COAD.grch38.vcf.gz";
  RAREMATCH_REQUIRE_SHARED_DATA(vcf);
  RAREMATCH_REQUIRE_SHARED_DATA(mini_fasta());
  NORMALIZE_TEST_REQUIRE_BCFTOOLS();
  const Genome genome = Genome::open(mini_fasta().string());
  const CommandResult view = run_command("bcftools view -H " + shell_quote(vcf.string()));
  ASSERT_EQ(view.exit_code, 0) << view.err;
  std::vector<Record> records;
  std::size_t lines_on_contigs = 0;
  for (const std::string& line : split(view.out, '\n')) {
    if (line.empty()) continue;
    const std::vector<std::string> fields = split(line, '\t');
    ASSERT_GE(fields.size(), 5u) << line;
    if (!genome.resolve_contig(fields[0])) continue;
    ++lines_on_contigs;
    for (const std::string& alt : split(fields[4], ',')) {  // one record per ALT, as the reader splits them
      records.push_back({fields[0], std::stoull(fields[1]), fields[3], alt});
    }
  }
  EXPECT_EQ(lines_on_contigs, 1191u) << "../shared/data/INDEX.md counts 1,191 records on mini-grch38's contigs";
  const std::vector<BcftoolsOutcome> bcftools = run_bcftools_norm(mini_fasta(), genome, records);
  const Comparison result = compare_with_bcftools(records, bcftools, genome);
  std::cout << "pcgr T001-COAD GRCh38 on mini-grch38, " << records.size() << " alleles vs bcftools norm:\n"
            << result.table();
  EXPECT_GT(result.normalized_both, 0u);
  EXPECT_GT(result.count("bcftools ref mismatch / ours reference_n"), 1000u)
      << "most records lie where mini-grch38 is N";
}

// Generated records on mini-grch38's real sequence.

/// SplitMix64: a fixed-arithmetic random source, so a seed gives the same records everywhere.
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  /// A number in [0, bound) (bound > 0).
  std::uint64_t below(std::uint64_t bound) { return next() % bound; }

 private:
  std::uint64_t state_;
};

/// Real-sequence windows of mini-grch38 (its PROVENANCE.txt), 1-based inclusive. A draw touching N is redrawn.
struct Window {
  const char* contig;
  std::uint64_t start;
  std::uint64_t end;
};
constexpr Window kMiniWindows[] = {
    {"chr1", 10000000, 13000000}, {"chr1", 26000000, 27000000}, {"chr3", 10000000, 13000000},
    {"chr4", 54000000, 55000000}, {"chr4", 105000000, 108000000}, {"chr5", 1000000, 2000000},
    {"chr5", 68000000, 69000000}, {"chr7", 4000000, 5000000},    {"chr7", 55000000, 58000000},
    {"chr13", 32000000, 33000000}, {"chr17", 43000000, 44000000}, {"chr21", 37000000, 38000000},
};

constexpr std::uint64_t kGeneratorSeed = 20240611;
constexpr std::size_t kWantedIndels = 600;
constexpr std::size_t kWantedSubstitutions = 150;
constexpr std::uint64_t kSpan = 2000;  // bases fetched per draw

/// A deletion or insertion of 1-3 units of a tandem repeat (unit 1-4 bases) found in `seq` at a random place,
/// written at the repeat's right end (right-shifted; a deletion leaves at least one unit, so it always has room to
/// move), with 0-2 shared bases added on the right and 0-1 on the left. `seq` starts at 1-based `origin`.
/// Returns false when no usable repeat is found.
bool draw_repeat_indel(SplitMix64& random, const std::string& seq, std::uint64_t origin, const std::string& contig,
                       Record& out) {
  const std::size_t unit = 1 + random.below(4);
  const std::size_t min_copies = unit == 1 ? 3 : 2;
  const std::size_t limit = seq.size() - 100;
  std::size_t j = 100 + random.below(seq.size() - 300);
  std::size_t copies = 0;
  for (; j + unit <= limit; ++j) {
    copies = 1;
    while (j + (copies + 1) * unit <= limit && seq.compare(j + copies * unit, unit, seq, j, unit) == 0) ++copies;
    if (copies >= min_copies) break;
  }
  if (copies < min_copies || j + unit > limit) return false;
  std::size_t begin = j;  // the periodic stretch [begin, end) of period `unit`
  while (begin > 0 && seq[begin - 1] == seq[begin - 1 + unit]) --begin;
  std::size_t end = j + copies * unit;
  while (end < seq.size() && seq[end] == seq[end - unit]) ++end;
  if (begin < 2 || end + 3 > seq.size()) return false;  // keep room for the anchor and the padding
  const std::size_t units = (end - begin) / unit;
  const bool deletion = random.below(2) == 0;
  const std::size_t moved = unit * (1 + random.below(std::min<std::size_t>(3, deletion ? units - 1 : units)));
  std::size_t anchor = 0;
  if (deletion) {  // deletion of the last `moved` bases of the stretch
    anchor = end - moved - 1;
    out.ref = seq.substr(anchor, moved + 1);
    out.alt = seq.substr(anchor, 1);
  } else {  // insertion of a copy of them after the stretch
    anchor = end - 1;
    out.ref = seq.substr(anchor, 1);
    out.alt = out.ref + seq.substr(end - moved, moved);
  }
  const std::size_t right = random.below(3);
  out.ref += seq.substr(end, right);
  out.alt += seq.substr(end, right);
  const std::size_t left = random.below(2);
  out.ref.insert(0, seq.substr(anchor - left, left));
  out.alt.insert(0, seq.substr(anchor - left, left));
  out.contig = contig;
  out.position = origin + anchor - left;
  out.indel = true;
  // Left-aligned, the event starts at the stretch's first base: its anchor is the base before it, since the
  // stretch is maximal (seq[begin - 1] differs from seq[begin - 1 + unit], hence from seq[begin - 1 + moved]).
  out.left_aligned = origin + begin - 1;
  return true;
}

/// An MNV (1-2 bases changed in 2-6 reference bases, shared bases kept) or a complex allele (the first and last
/// of 2-6 reference bases kept around 1-3 random bases, of another length).
void draw_substitution(SplitMix64& random, const std::string& seq, std::uint64_t origin, const std::string& contig,
                       Record& out) {
  static constexpr char kBases[] = {'A', 'C', 'G', 'T'};
  const std::size_t length = 2 + random.below(5);
  const std::size_t at = 100 + random.below(seq.size() - 200);
  out.contig = contig;
  out.position = origin + at;
  out.ref = seq.substr(at, length);
  out.indel = false;
  if (random.below(2) == 0) {
    out.alt = out.ref;
    const std::size_t changes = 1 + random.below(2);
    for (std::size_t k = 0; k < changes; ++k) {
      char& base = out.alt[random.below(length)];
      base = kBases[(std::string_view("ACGT").find(base) + 1 + random.below(3)) % 4];
    }
  } else {
    std::string middle;
    const std::size_t inner = 1 + random.below(3);
    for (std::size_t k = 0; k < inner; ++k) middle += kBases[random.below(4)];
    out.alt = out.ref.front() + middle + out.ref.back();
  }
}

TEST(NormalizeBcftoolsTest, AgreesOnGeneratedRepeatIndelsInMiniGrch38) {
  RAREMATCH_REQUIRE_SHARED_DATA(mini_fasta());
  NORMALIZE_TEST_REQUIRE_BCFTOOLS();
  const Genome genome = Genome::open(mini_fasta().string());
  SplitMix64 random(kGeneratorSeed);
  std::vector<Record> records;
  std::set<std::tuple<std::string, std::uint64_t, std::string, std::string>> seen;
  std::size_t indels = 0;
  std::size_t substitutions = 0;
  for (std::size_t attempt = 0; attempt < 100000 && (indels < kWantedIndels || substitutions < kWantedSubstitutions);
       ++attempt) {
    const Window& window = kMiniWindows[random.below(std::size(kMiniWindows))];
    const std::uint64_t origin = window.start + random.below(window.end - window.start + 1 - kSpan);
    const std::string seq = genome.fetch(window.contig, origin, origin + kSpan - 1);
    if (has_non_acgt(seq)) continue;
    Record record;
    const bool want_indel = substitutions >= kWantedSubstitutions || (indels < kWantedIndels && random.below(5) != 0);
    if (want_indel) {
      if (!draw_repeat_indel(random, seq, origin, window.contig, record)) continue;
    } else {
      draw_substitution(random, seq, origin, window.contig, record);
      if (record.ref == record.alt) continue;
    }
    if (!seen.emplace(record.contig, record.position, record.ref, record.alt).second) continue;
    (record.indel ? indels : substitutions) += 1;
    records.push_back(record);
  }
  ASSERT_GE(indels, kWantedIndels);
  ASSERT_GE(substitutions, kWantedSubstitutions);

  const std::vector<BcftoolsOutcome> bcftools = run_bcftools_norm(mini_fasta(), genome, records);
  const Comparison result = compare_with_bcftools(records, bcftools, genome);
  std::size_t indels_left_aligned = 0;  // by bcftools, to the anchor before the repeat
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (records[i].indel && bcftools[i].kind == BcftoolsOutcome::Kind::kNormalized &&
        bcftools[i].position == records[i].left_aligned) {
      ++indels_left_aligned;
    }
  }
  std::cout << "generated on mini-grch38: " << indels << " repeat indels, " << substitutions
            << " MNVs/complex alleles; " << indels_left_aligned
            << " indels moved by bcftools norm to the base before their repeat\n"
            << result.table();
  EXPECT_EQ(result.normalized_both, records.size());
  EXPECT_EQ(indels_left_aligned, indels) << "every generated indel is right-shifted in a maximal repeat";
  EXPECT_GE(result.changed_both, indels);
}

}  // namespace
}  // namespace rarematch::testing
