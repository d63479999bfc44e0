#include "reference/hgvs.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace rarematch::reference::hgvs {
namespace {

// Long and short form of a protein change, "long | short".
std::string both_forms(const ProteinChange& change) {
  return format_protein_change(change, false) + " | " + format_protein_change(change, true);
}

// ---------------------------------------------------------------------------------------------------------------
// Spelling.

TEST(HgvsTest, SpellsAminoAcidsInThreeLetters) {
  EXPECT_EQ(three_letter('L'), "Leu");
  EXPECT_EQ(three_letter('W'), "Trp");
  EXPECT_EQ(three_letter('*'), "Ter");
  EXPECT_EQ(three_letter('X'), "Xaa");
  EXPECT_EQ(three_letter('?'), "Xaa");
}

TEST(HgvsTest, SpellsPositionsInEveryRegion) {
  EXPECT_EQ(format_position({Region::kMain, 2573, 0}), "2573");
  EXPECT_EQ(format_position({Region::kFivePrime, 20, 0}), "-20");
  EXPECT_EQ(format_position({Region::kThreePrime, 150, 0}), "*150");
  EXPECT_EQ(format_position({Region::kMain, 1111, 47}), "1111+47");
  EXPECT_EQ(format_position({Region::kMain, 826, -2}), "826-2");
  EXPECT_EQ(format_position({Region::kFivePrime, 85, 1}), "-85+1");
  EXPECT_EQ(format_position({Region::kThreePrime, 37, -4}), "*37-4");
}

TEST(HgvsTest, SpellsEachNucleotideChange) {
  const NucleotidePosition p100{Region::kMain, 100, 0};
  const NucleotidePosition p101{Region::kMain, 101, 0};
  const NucleotidePosition p102{Region::kMain, 102, 0};
  EXPECT_EQ(format_nucleotide_change('c', {NucleotideChangeType::kSubstitution, {Region::kMain, 2573, 0},
                                           {Region::kMain, 2573, 0}, "T", "G"}),
            "c.2573T>G");
  EXPECT_EQ(format_nucleotide_change('c', {NucleotideChangeType::kSubstitution, {Region::kMain, 825, 1},
                                           {Region::kMain, 825, 1}, "G", "A"}),
            "c.825+1G>A");
  EXPECT_EQ(format_nucleotide_change('c', {NucleotideChangeType::kDeletion, p100, p102, "", ""}), "c.100_102del");
  EXPECT_EQ(format_nucleotide_change('c', {NucleotideChangeType::kDeletion, p100, p100, "", ""}), "c.100del");
  EXPECT_EQ(format_nucleotide_change('c', {NucleotideChangeType::kDuplication, p100, p100, "", ""}), "c.100dup");
  EXPECT_EQ(format_nucleotide_change('c', {NucleotideChangeType::kDuplication, p100, p102, "", ""}),
            "c.100_102dup");
  EXPECT_EQ(format_nucleotide_change('c', {NucleotideChangeType::kInsertion, p100, p101, "", "AG"}),
            "c.100_101insAG");
  EXPECT_EQ(format_nucleotide_change('c', {NucleotideChangeType::kDelins, p100, p102, "", "TT"}),
            "c.100_102delinsTT");
  EXPECT_EQ(format_nucleotide_change('c', {NucleotideChangeType::kDelins, p100, p100, "", "TT"}), "c.100delinsTT");
  EXPECT_EQ(format_nucleotide_change('n', {NucleotideChangeType::kSubstitution, {Region::kMain, 345, 0},
                                           {Region::kMain, 345, 0}, "G", "A"}),
            "n.345G>A");
}

TEST(HgvsTest, SpellsEachProteinChangeInLongAndShortForm) {
  const auto change = [](ProteinChangeType type, std::uint64_t start, std::uint64_t end, char first, char last,
                         std::string alt = {}, std::optional<std::uint64_t> stop = std::nullopt) {
    ProteinChange out{type, start, end, first, last, std::move(alt), stop};
    return both_forms(out);
  };
  using T = ProteinChangeType;
  EXPECT_EQ(change(T::kMissense, 858, 858, 'L', 'L', "R"), "p.Leu858Arg | p.L858R");
  EXPECT_EQ(change(T::kNonsense, 658, 658, 'R', 'R'), "p.Arg658Ter | p.R658*");
  EXPECT_EQ(change(T::kUnchanged, 858, 858, 'L', 'L'), "p.Leu858= | p.L858=");
  EXPECT_EQ(change(T::kUnchanged, 1211, 1211, '*', '*'), "p.Ter1211= | p.*1211=");
  EXPECT_EQ(change(T::kStartLost, 1, 1, 'M', 'M'), "p.Met1? | p.M1?");
  EXPECT_EQ(change(T::kDeletion, 746, 750, 'E', 'A'), "p.Glu746_Ala750del | p.E746_A750del");
  EXPECT_EQ(change(T::kDeletion, 745, 745, 'K', 'K'), "p.Lys745del | p.K745del");
  EXPECT_EQ(change(T::kDuplication, 767, 769, 'A', 'V'), "p.Ala767_Val769dup | p.A767_V769dup");
  EXPECT_EQ(change(T::kInsertion, 767, 768, 'A', 'V', "SVD"),
            "p.Ala767_Val768insSerValAsp | p.A767_V768insSVD");
  EXPECT_EQ(change(T::kDelins, 747, 753, 'L', 'P', "S"), "p.Leu747_Pro753delinsSer | p.L747_P753delinsS");
  EXPECT_EQ(change(T::kDelins, 747, 747, 'L', 'L', "SA"), "p.Leu747delinsSerAla | p.L747delinsSA");
  EXPECT_EQ(change(T::kFrameshift, 68, 68, 'S', 'S', "R", 12), "p.Ser68ArgfsTer12 | p.S68Rfs*12");
  EXPECT_EQ(change(T::kFrameshift, 68, 68, 'S', 'S', "R"), "p.Ser68ArgfsTer? | p.S68Rfs*?");
  EXPECT_EQ(change(T::kExtension, 1211, 1211, '*', '*', "Q", 5), "p.Ter1211GlnextTer5 | p.*1211Qext*5");
  EXPECT_EQ(change(T::kExtension, 1211, 1211, '*', '*', "Q"), "p.Ter1211GlnextTer? | p.*1211Qext*?");
  EXPECT_EQ(change(T::kNone, 0, 0, 0, 0), " | ");
}

// ---------------------------------------------------------------------------------------------------------------
// Substitutions of codons.

TEST(HgvsTest, NamesOneChangedResidue) {
  EXPECT_EQ(both_forms(describe_substitution("L", "R", 858, "")), "p.Leu858Arg | p.L858R");
  EXPECT_EQ(both_forms(describe_substitution("R", "*", 658, "")), "p.Arg658Ter | p.R658*");
  EXPECT_EQ(both_forms(describe_substitution("L", "L", 858, "")), "p.Leu858= | p.L858=");
  EXPECT_EQ(both_forms(describe_substitution("*", "*", 1211, "")), "p.Ter1211= | p.*1211=");
}

TEST(HgvsTest, NamesSeveralChangedCodons) {
  // Only the first residue changes: a missense.
  EXPECT_EQ(both_forms(describe_substitution("LR", "RR", 2, "")), "p.Leu2Arg | p.L2R");
  // The second one becomes a stop: a delins ending with Ter.
  EXPECT_EQ(both_forms(describe_substitution("LR", "R*", 2, "")), "p.Leu2_Arg3delinsArgTer | p.L2_R3delinsR*");
  // The first unchanged residue makes it a nonsense at the second.
  EXPECT_EQ(both_forms(describe_substitution("LR", "L*", 2, "")), "p.Arg3Ter | p.R3*");
  // A stop first: nothing after it is translated.
  EXPECT_EQ(both_forms(describe_substitution("EW", "*R", 4, "")), "p.Glu4Ter | p.E4*");
  EXPECT_EQ(both_forms(describe_substitution("LA", "LA", 2, "")), "p.Leu2_Ala3= | p.L2_A3=");
  EXPECT_EQ(both_forms(describe_substitution("LAK", "RAV", 2, "")), "p.Leu2_Lys4delinsArgAlaVal | p.L2_K4delinsRAV");
}

TEST(HgvsTest, NamesStopLossAsExtensionCountingIntoTheUtr) {
  // Ter1211 -> Gln, then the 3' UTR reads Gln Thr Ser Ter: the new stop is the 5th residue counting Gln1211 as 1.
  EXPECT_EQ(both_forms(describe_substitution("*", "Q", 1211, "QTS*")), "p.Ter1211GlnextTer5 | p.*1211Qext*5");
  EXPECT_EQ(both_forms(describe_substitution("*", "Q", 1211, "QTS")), "p.Ter1211GlnextTer? | p.*1211Qext*?");
  // A change starting before the stop and removing it is described as a frameshift (HGVS).
  EXPECT_EQ(both_forms(describe_substitution("D*", "VG", 213, "AK*")), "p.Asp213ValfsTer5 | p.D213Vfs*5");
  // The stop stays: a missense before it.
  EXPECT_EQ(both_forms(describe_substitution("Y*", "H*", 1863, "")), "p.Tyr1863His | p.Y1863H");
}

TEST(HgvsTest, LeavesUntranslatableCodonsUnnamed) {
  EXPECT_EQ(describe_substitution("X", "L", 5, "").type, ProteinChangeType::kNone);
  EXPECT_EQ(describe_substitution("L", "X", 5, "").type, ProteinChangeType::kNone);
}

// ---------------------------------------------------------------------------------------------------------------
// Indels. Proteins below start at residue offset + 1; touched residues are those whose codons the change alters.

IndelContext in_frame(std::string_view ref, std::string_view alt, std::uint64_t offset, std::uint64_t touched_first,
                      std::uint64_t touched_last, std::int64_t delta) {
  return {ref, alt, offset, touched_first, touched_last, delta, false};
}

TEST(HgvsTest, ShiftsInFrameDeletionToTheLastEquivalentResidue) {
  // M A K K K E ...: one of three lysines is deleted (the codon of K3 touched): the last is named.
  EXPECT_EQ(both_forms(describe_indel(in_frame("MAKKKELW*", "MAKKELW*", 0, 3, 3, -1))), "p.Lys5del | p.K5del");
  // Residues 746-750 (ELREA) deleted with K745 and T751 around them; the change touched codons 745-750.
  EXPECT_EQ(both_forms(describe_indel(in_frame("KELREATS*", "KTS*", 744, 745, 750, -5))),
            "p.Glu746_Ala750del | p.E746_A750del");
  // Two residues of a repeated pair: G101 A V A V A V G108 -> G A V A V G: the last pair, 106-107.
  EXPECT_EQ(both_forms(describe_indel(in_frame("GAVAVAVG*", "GAVAVG*", 100, 102, 103, -2))),
            "p.Ala106_Val107del | p.A106_V107del");
  // Next to the stop: a deletion, not a nonsense.
  EXPECT_EQ(both_forms(describe_indel(in_frame("QRR*", "QR*", 721, 723, 723, -1))), "p.Arg724del | p.R724del");
}

TEST(HgvsTest, NamesInsertionRepeatingResiduesBeforeItAsDuplication) {
  EXPECT_EQ(both_forms(describe_indel(in_frame("MQQQW*", "MQQQQW*", 0, 3, 2, 1))), "p.Gln4dup | p.Q4dup");
  EXPECT_EQ(both_forms(describe_indel(in_frame("GAVDP*", "GAVDAVDP*", 765, 769, 768, 3))),
            "p.Ala767_Asp769dup | p.A767_D769dup");
  // Not a repeat: an insertion between its two flanking residues.
  EXPECT_EQ(both_forms(describe_indel(in_frame("GAVDP*", "GAVSVDDP*", 765, 768, 767, 3))),
            "p.Val768_Asp769insSerValAsp | p.V768_D769insSVD");
}

TEST(HgvsTest, NamesDeletionInsertion) {
  // E746 L747 ... P753 K754: residues 747-753 replaced by Ser.
  EXPECT_EQ(both_forms(describe_indel(in_frame("ELREATSPK*", "ESK*", 745, 747, 753, -6))),
            "p.Leu747_Pro753delinsSer | p.L747_P753delinsS");
  EXPECT_EQ(both_forms(describe_indel(in_frame("TQSSS*", "TLSS*", 151, 153, 154, -1))),
            "p.Gln153_Ser154delinsLeu | p.Q153_S154delinsL");
}

TEST(HgvsTest, EndsInsertedResiduesAtANewStop) {
  // Ser, Ter inserted between Asp358 and Gln359; the rest is no longer translated.
  EXPECT_EQ(both_forms(describe_indel(in_frame("DQKL*", "DS*", 357, 359, 358, 2))),
            "p.Asp358_Gln359insSerTer | p.D358_Q359insS*");
  // The first new residue is a stop: a nonsense.
  EXPECT_EQ(both_forms(describe_indel(in_frame("DQKL*", "D*", 357, 359, 358, 1))), "p.Gln359Ter | p.Q359*");
}

TEST(HgvsTest, KeepsStopMovedByInFrameInsertionBeforeIt) {
  EXPECT_EQ(both_forms(describe_indel(in_frame("QS*", "QSLLL*", 2283, 2286, 2285, 3))),
            "p.Ser2285_Ter2286insLeuLeuLeu | p.S2285_*2286insLLL");
  // The insertion rebuilds the same stop: the protein does not change.
  EXPECT_EQ(both_forms(describe_indel(in_frame("QS*", "QS*", 2283, 2286, 2286, 1))), "p.Ter2286= | p.*2286=");
}

TEST(HgvsTest, NamesInFrameChangesRemovingTheStop) {
  // The stop codon itself becomes Leu; the 3' UTR frame stops 3 residues later.
  EXPECT_EQ(both_forms(describe_indel(in_frame("QS*", "QSLRK*", 2283, 2286, 2286, 0))),
            "p.Ter2286LeuextTer4 | p.*2286Lext*4");
  // Starting before the stop: a frameshift description (HGVS), or with no stop in the known sequence, Ter?.
  EXPECT_EQ(both_forms(describe_indel(in_frame("HY*", "HNK*", 1861, 1863, 1864, 0))),
            "p.Tyr1863AsnfsTer3 | p.Y1863Nfs*3");
  EXPECT_EQ(both_forms(describe_indel(in_frame("HY*", "HNKLL", 1861, 1863, 1864, 0))),
            "p.Tyr1863AsnfsTer? | p.Y1863Nfs*?");
}

TEST(HgvsTest, NamesFrameshiftWithDistanceToNewStop) {
  IndelContext context{"ASPDTYHISVQ*", "ASRLTPGK*", 65, 68, 68, 0, true};
  // Ser67 is kept; Pro68 -> Arg is the first change; the stop is the 7th residue from it.
  EXPECT_EQ(both_forms(describe_indel(context)), "p.Pro68ArgfsTer7 | p.P68Rfs*7");
  context.alt = "ASRLTPGKAV";
  EXPECT_EQ(both_forms(describe_indel(context)), "p.Pro68ArgfsTer? | p.P68Rfs*?");
  // The first new codon a stop: a nonsense.
  context.alt = "AS*";
  EXPECT_EQ(both_forms(describe_indel(context)), "p.Pro68Ter | p.P68*");
  // A frameshift through the stop codon: an extension.
  context = {"QS*", "QSCLR*", 2283, 2286, 2286, 0, true};
  EXPECT_EQ(both_forms(describe_indel(context)), "p.Ter2286CysextTer4 | p.*2286Cext*4");
}

TEST(HgvsTest, LeavesIndelsOverUntranslatableCodonsUnnamed) {
  EXPECT_EQ(describe_indel(in_frame("MAXK*", "MAK*", 0, 3, 3, -1)).type, ProteinChangeType::kNone);
}

}  // namespace
}  // namespace rarematch::reference::hgvs
