#include "matchers/protein_change.h"

#include <gtest/gtest.h>

namespace rarematch::matchers {
namespace {

TEST(ProteinChangeTest, ShortAndLongFormsAgree) {
  EXPECT_EQ(canonical_protein_change("p.L858R"), "L858R");
  EXPECT_EQ(canonical_protein_change("p.Leu858Arg"), "L858R");
  EXPECT_EQ(canonical_protein_change("L858R"), "L858R");
  EXPECT_EQ(canonical_protein_change("p.(Leu858Arg)"), "L858R");
}

TEST(ProteinChangeTest, StopNotationsAgree) {
  EXPECT_EQ(canonical_protein_change("p.R658*"), "R658*");
  EXPECT_EQ(canonical_protein_change("p.Arg658Ter"), "R658*");
  EXPECT_EQ(canonical_protein_change("p.R658X"), "R658*");
}

TEST(ProteinChangeTest, IndelsKeepTheirKind) {
  EXPECT_EQ(canonical_protein_change("p.Glu746_Ala750del"), "E746_A750del");
  EXPECT_EQ(canonical_protein_change("p.E746_A750del"), "E746_A750del");
  EXPECT_EQ(canonical_protein_change("p.A767_V769dup"), "A767_V769dup");
  EXPECT_EQ(canonical_protein_change("p.Ala767_Val768insSerValAsp"), "A767_V768insSVD");
  EXPECT_EQ(canonical_protein_change("p.L747_P753delinsS"), "L747_P753delinsS");
  EXPECT_EQ(canonical_protein_change("p.K745del"), "K745del");
}

TEST(ProteinChangeTest, FrameshiftsDropTheNewResidueAndTerCount) {
  EXPECT_EQ(canonical_protein_change("p.Ser68ArgfsTer12"), "S68fs");
  EXPECT_EQ(canonical_protein_change("p.S68Rfs*12"), "S68fs");
  EXPECT_EQ(canonical_protein_change("p.S68fs"), "S68fs");
}

TEST(ProteinChangeTest, SynonymousStartAndStopLoss) {
  EXPECT_EQ(canonical_protein_change("p.Tyr522="), "Y522=");
  EXPECT_EQ(canonical_protein_change("p.Met1?"), "M1?");
  EXPECT_EQ(canonical_protein_change("p.*757Lext*?"), "*757Lext*?");
}

TEST(ProteinChangeTest, RejectsMalformedChanges) {
  EXPECT_FALSE(canonical_protein_change(""));
  EXPECT_FALSE(canonical_protein_change("p."));
  EXPECT_FALSE(canonical_protein_change("L858"));
  EXPECT_FALSE(canonical_protein_change("858R"));
  EXPECT_FALSE(canonical_protein_change("p.Leu858Xyz"));
  EXPECT_FALSE(canonical_protein_change("c.2573T>G"));
  EXPECT_FALSE(canonical_protein_change("exon19del"));
}

}  // namespace
}  // namespace rarematch::matchers
