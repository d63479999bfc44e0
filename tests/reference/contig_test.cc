#include "reference/contig.h"

#include <gtest/gtest.h>

namespace rarematch::reference {
namespace {

TEST(ContigKeyTest, StripsChrPrefixInAnyCase) {
  EXPECT_EQ(contig_key("chr7"), "7");
  EXPECT_EQ(contig_key("CHR7"), "7");
  EXPECT_EQ(contig_key("Chr17"), "17");
  EXPECT_EQ(contig_key("7"), "7");
  EXPECT_EQ(contig_key("chrX"), "X");
  EXPECT_EQ(contig_key("X"), "X");
}

TEST(ContigKeyTest, MapsMitochondrionToMt) {
  EXPECT_EQ(contig_key("chrM"), "MT");
  EXPECT_EQ(contig_key("M"), "MT");
  EXPECT_EQ(contig_key("MT"), "MT");
  EXPECT_EQ(contig_key("chrMT"), "MT");
}

TEST(ContigKeyTest, KeepsOtherNamesAsGiven) {
  EXPECT_EQ(contig_key("GL000192.1"), "GL000192.1");
  EXPECT_EQ(contig_key("chrUn_KI270302v1"), "Un_KI270302v1");
  EXPECT_EQ(contig_key("ref_brca1"), "ref_brca1");
  EXPECT_EQ(contig_key("chr"), "chr");
  EXPECT_EQ(contig_key(""), "");
}

TEST(ContigKeyTest, AliasesShareAKeyAndDistinctContigsDoNot) {
  EXPECT_EQ(contig_key("chr1"), contig_key("1"));
  EXPECT_NE(contig_key("chr1"), contig_key("chr11"));
  EXPECT_NE(contig_key("chrX"), contig_key("chrY"));
}

}  // namespace
}  // namespace rarematch::reference
