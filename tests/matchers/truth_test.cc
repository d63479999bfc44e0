#include "matchers/truth.h"

#include <gtest/gtest.h>

namespace rarematch::matchers {
namespace {

TEST(TruthTest, NegateSwapsTrueAndFalseAndKeepsUnknown) {
  EXPECT_EQ(negate(Truth::kTrue), Truth::kFalse);
  EXPECT_EQ(negate(Truth::kFalse), Truth::kTrue);
  EXPECT_EQ(negate(Truth::kUnknown), Truth::kUnknown);
}

TEST(TruthTest, AtLeastFollowsKleeneCounting) {
  // AT_LEAST 2 of 3
  EXPECT_EQ(at_least(2, 2, 0), Truth::kTrue);
  EXPECT_EQ(at_least(2, 1, 1), Truth::kUnknown);
  EXPECT_EQ(at_least(2, 1, 0), Truth::kFalse);
  EXPECT_EQ(at_least(2, 0, 1), Truth::kFalse);
  EXPECT_EQ(at_least(2, 0, 2), Truth::kUnknown);
}

TEST(TruthTest, AllAndAnyAreSpecialCasesOfAtLeast) {
  // ALL of 3 = AT_LEAST 3: one FALSE decides; UNKNOWN otherwise spoils TRUE.
  EXPECT_EQ(at_least(3, 2, 0), Truth::kFalse);
  EXPECT_EQ(at_least(3, 2, 1), Truth::kUnknown);
  EXPECT_EQ(at_least(3, 3, 0), Truth::kTrue);
  // ANY of 3 = AT_LEAST 1: one TRUE decides.
  EXPECT_EQ(at_least(1, 1, 2), Truth::kTrue);
  EXPECT_EQ(at_least(1, 0, 1), Truth::kUnknown);
  EXPECT_EQ(at_least(1, 0, 0), Truth::kFalse);
}

TEST(TruthTest, AtLeastZeroIsTrue) { EXPECT_EQ(at_least(0, 0, 0), Truth::kTrue); }

}  // namespace
}  // namespace rarematch::matchers
