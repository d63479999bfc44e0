#include "matchers/compiled_catalogue.h"

#include <functional>
#include <random>

#include <gtest/gtest.h>

#include "matchers/truth.h"

namespace rarematch::matchers {
namespace {

namespace v1 = rarematch::v1;

/// A leaf standing for variable `id` (an unmapped criterion whose value the test assigns).
v1::Criterion variable(int id) {
  v1::Criterion leaf;
  leaf.mutable_unmapped()->set_source_value(std::to_string(id));
  return leaf;
}

/// Plain recursive Kleene evaluation of the source tree: the reference the compiled form must agree with.
Truth reference_value(const v1::Criterion& node, const std::vector<Truth>& values) {
  const auto count = [&](const auto& children, std::uint32_t k) {
    std::uint32_t t = 0, u = 0;
    for (const auto& child : children) {
      const Truth value = reference_value(child, values);
      t += value == Truth::kTrue;
      u += value == Truth::kUnknown;
    }
    return at_least(k, t, u);
  };
  switch (node.node_case()) {
    case v1::Criterion::kAll: return count(node.all().criteria(), node.all().criteria_size());
    case v1::Criterion::kAny: return count(node.any().criteria(), 1);
    case v1::Criterion::kAtLeast: return count(node.at_least().criteria(), node.at_least().k());
    case v1::Criterion::kNot: return negate(reference_value(node.not_(), values));
    default: return values[std::stoul(node.unmapped().source_value())];
  }
}

/// Evaluates the compiled tree: leaves take their variable's value with the leaf's polarity applied.
Truth compiled_value(const CompiledCatalogue& compiled, std::uint32_t index, const std::vector<Truth>& values) {
  const CompiledNode& node = compiled.nodes()[index];
  if (node.leaf >= 0) {
    const CompiledLeaf& leaf = compiled.leaves()[static_cast<std::size_t>(node.leaf)];
    const Truth value = values[std::stoul(leaf.source->unmapped().source_value())];
    return leaf.negated ? negate(value) : value;
  }
  std::uint32_t t = 0, u = 0;
  for (auto child : node.children) {
    const Truth value = compiled_value(compiled, child, values);
    t += value == Truth::kTrue;
    u += value == Truth::kUnknown;
  }
  return at_least(node.k, t, u);
}

/// A random tree over `variables` variables with ALL/ANY/NOT/AT_LEAST nodes.
v1::Criterion random_tree(std::mt19937& rng, int depth, int variables) {
  std::uniform_int_distribution<int> pick(0, depth <= 0 ? 0 : 4);
  const int kind = pick(rng);
  if (kind == 0) return variable(std::uniform_int_distribution<int>(0, variables - 1)(rng));
  v1::Criterion node;
  if (kind == 1) {
    *node.mutable_not_() = random_tree(rng, depth - 1, variables);
    return node;
  }
  const int n = std::uniform_int_distribution<int>(1, 4)(rng);
  google::protobuf::RepeatedPtrField<v1::Criterion>* children =
      kind == 2 ? node.mutable_all()->mutable_criteria()
                : (kind == 3 ? node.mutable_any()->mutable_criteria() : node.mutable_at_least()->mutable_criteria());
  for (int i = 0; i < n; ++i) *children->Add() = random_tree(rng, depth - 1, variables);
  if (kind == 4) node.mutable_at_least()->set_k(std::uniform_int_distribution<std::uint32_t>(0, n)(rng));
  return node;
}

CompiledCatalogue compile_tree(const v1::Criterion& tree) {
  v1::Catalogue catalogue;
  auto* trial = catalogue.add_trials();
  trial->set_id("T");
  auto* arm = trial->add_arms();
  arm->set_id("A");
  *arm->mutable_eligibility() = tree;
  return CompiledCatalogue::compile(catalogue, false);
}

TEST(CompiledCatalogueTest, NegationNormalFormAgreesWithKleeneOnEveryAssignment) {
  std::mt19937 rng(20261125);
  constexpr int kVariables = 5;  // 3^5 = 243 assignments per tree
  for (int round = 0; round < 200; ++round) {
    const v1::Criterion tree = random_tree(rng, 4, kVariables);
    const CompiledCatalogue compiled = compile_tree(tree);
    ASSERT_EQ(compiled.arms().size(), 1u);
    std::vector<Truth> values(kVariables);
    for (int assignment = 0; assignment < 243; ++assignment) {
      for (int v = 0, rest = assignment; v < kVariables; ++v, rest /= 3) values[v] = static_cast<Truth>(rest % 3);
      ASSERT_EQ(compiled_value(compiled, compiled.arms()[0].root, values), reference_value(tree, values))
          << "round " << round << " assignment " << assignment << "\n" << tree.DebugString();
    }
  }
}

TEST(CompiledCatalogueTest, NotIsPushedToTheLeaves) {
  v1::Criterion tree;
  auto* all = tree.mutable_not_()->mutable_all();
  *all->add_criteria() = variable(0);
  *all->mutable_criteria()->Add() = variable(1);
  const CompiledCatalogue compiled = compile_tree(tree);
  for (const auto& leaf : compiled.leaves()) EXPECT_TRUE(leaf.negated);
  // NOT ALL(a, b) = ANY(NOT a, NOT b): an AT_LEAST 1 node of two leaves under the arm's root.
  const auto& root = compiled.nodes()[compiled.arms()[0].root];
  ASSERT_EQ(root.children.size(), 2u);
  const auto& arm_tree = compiled.nodes()[root.children[1]];
  EXPECT_EQ(arm_tree.k, 1u);
  EXPECT_EQ(arm_tree.children.size(), 2u);
}

TEST(CompiledCatalogueTest, WildtypeIsANegatedLeaf) {
  v1::Criterion wildtype;
  wildtype.mutable_genomic()->set_gene("KRAS");
  wildtype.mutable_genomic()->set_wildtype(true);
  const CompiledCatalogue compiled = compile_tree(wildtype);
  ASSERT_EQ(compiled.leaves().size(), 1u);
  EXPECT_TRUE(compiled.leaves()[0].negated);
  EXPECT_EQ(compiled.leaves()[0].description, "no KRAS mutation");
  EXPECT_EQ(compiled.leaves()[0].specificity, v1::SPECIFICITY_WILDTYPE);

  v1::Criterion not_wildtype;
  *not_wildtype.mutable_not_() = wildtype;
  EXPECT_FALSE(compile_tree(not_wildtype).leaves()[0].negated);
}

TEST(CompiledCatalogueTest, ClosedArmsAreLeftOutUnlessAskedFor) {
  v1::Catalogue catalogue;
  auto* trial = catalogue.add_trials();
  trial->set_id("T");
  trial->add_arms()->set_id("OPEN");
  auto* closed = trial->add_arms();
  closed->set_id("CLOSED");
  closed->set_status(v1::ENROLLMENT_STATUS_SUSPENDED);
  auto* suspended_trial = catalogue.add_trials();
  suspended_trial->set_id("T2");
  suspended_trial->set_status(v1::ENROLLMENT_STATUS_CLOSED);
  suspended_trial->add_arms()->set_id("A");

  const auto open_only = CompiledCatalogue::compile(catalogue, false);
  ASSERT_EQ(open_only.arms().size(), 1u);
  EXPECT_EQ(open_only.arms()[0].arm->id(), "OPEN");
  EXPECT_EQ(open_only.stats().arms_skipped_closed, 2u);
  const auto all = CompiledCatalogue::compile(catalogue, true);
  EXPECT_EQ(all.arms().size(), 3u);
  EXPECT_FALSE(all.arms()[1].open);
}

TEST(CompiledCatalogueTest, PhaseRankCountsOneTwoAsTwo) {
  EXPECT_EQ(phase_rank(v1::PHASE_1_2), phase_rank(v1::PHASE_2));
  EXPECT_GT(phase_rank(v1::PHASE_2), phase_rank(v1::PHASE_1));
  EXPECT_GT(phase_rank(v1::PHASE_3), phase_rank(v1::PHASE_2));
  EXPECT_EQ(phase_rank(v1::PHASE_UNSPECIFIED), 0u);
}

TEST(CompiledCatalogueTest, DescribesLeavesReadably) {
  v1::Criterion leaf;
  leaf.mutable_genomic()->set_gene("EGFR");
  leaf.mutable_genomic()->add_protein_changes("p.L858R");
  EXPECT_EQ(describe_leaf(leaf), "EGFR p.L858R");
  v1::Criterion age;
  age.mutable_clinical()->mutable_age()->set_min_years(18);
  EXPECT_EQ(describe_leaf(age), "age >= 18");
  v1::Criterion fusion;
  fusion.mutable_genomic()->set_gene("ALK");
  fusion.mutable_genomic()->mutable_fusion()->set_partner("EML4");
  EXPECT_EQ(describe_leaf(fusion), "ALK fusion with EML4");
}

}  // namespace
}  // namespace rarematch::matchers
