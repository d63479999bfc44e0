#include "matchers/match.h"

#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

namespace rarematch::matchers {
namespace {

namespace v1 = rarematch::v1;

template <typename Message>
Message parse(const std::string& text) {
  Message out;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &out)) << text;
  return out;
}

// Fictional trials: each arm exercises one ranking key against the others.
const char* const kCatalogue = R"(
  trials { id: "T-CLIN" phase: PHASE_3 arms { id: "A" eligibility { clinical { age { min_years: 18 } } } } }
  trials { id: "T-GENE" phase: PHASE_1 arms { id: "A" eligibility { genomic { gene: "EGFR" } } } }
  trials { id: "T-EXACT" phase: PHASE_1
           arms { id: "FULL" slots_available: 0 eligibility { genomic { gene: "EGFR" protein_changes: "p.L858R" } } }
           arms { id: "OPEN" eligibility { genomic { gene: "EGFR" protein_changes: "p.L858R" } } } }
  trials { id: "T-POT" phase: PHASE_3 arms { id: "A" eligibility { all {
           criteria { genomic { gene: "EGFR" protein_changes: "p.L858R" } }
           criteria { clinical { ecog { max: 1 } } } } } } }
  trials { id: "T-NO" arms { id: "A" eligibility { genomic { gene: "KRAS" } } } }
  trials { id: "T-PHASE2" phase: PHASE_2 arms { id: "A" eligibility { genomic { gene: "EGFR" } } } }
  trials { id: "T-PHASE12" phase: PHASE_1_2 arms { id: "A" eligibility { genomic { gene: "EGFR" } } } }
)";

const char* const kPatient = R"(
  patient_id: "P1"
  samples { sample_id: "P1-T" small_variants { state: COVERAGE_STATE_DECLARED genome_wide: true } }
  clinical { age_years: 60 }
  small_variants { sample_id: "P1-T" gene: "EGFR" consequences: "missense_variant" hgvs_p_short: "p.L858R"
                   filter_pass: true vaf: 0.4 }
)";

TEST(MatchTest, ListsEligibleAndPotentialArmsInRankOrder) {
  const auto compiled = CompiledCatalogue::compile(parse<v1::Catalogue>(kCatalogue), false);
  const auto matches = match_patient(compiled, parse<v1::PatientProfile>(kPatient), {});
  std::vector<std::string> order;
  for (const auto& candidate : matches.candidates()) {
    order.push_back(candidate.trial_id() + "/" + candidate.arm_id());
    EXPECT_EQ(candidate.rank(), order.size());
  }
  // Exact before gene before clinical-only; open before full; phase II and I/II tie (trial id decides) and
  // rank above phase I; the POTENTIAL arm comes last; T-NO (KRAS, WES, no call) is FALSE and not listed.
  const std::vector<std::string> expected = {"T-EXACT/OPEN",   "T-EXACT/FULL", "T-PHASE12/A", "T-PHASE2/A",
                                             "T-GENE/A",       "T-CLIN/A",     "T-POT/A"};
  EXPECT_EQ(order, expected);
  EXPECT_EQ(matches.candidates(6).eligibility(), v1::ELIGIBILITY_POTENTIAL);
  EXPECT_EQ(matches.candidates(6).rank_key().unknown_leaves(), 1u);
}

TEST(MatchTest, CandidateExplainsEveryLeaf) {
  const auto compiled = CompiledCatalogue::compile(parse<v1::Catalogue>(kCatalogue), false);
  const auto matches = match_patient(compiled, parse<v1::PatientProfile>(kPatient), {});
  const auto& potential = matches.candidates(6);
  ASSERT_EQ(potential.leaves_size(), 2);
  EXPECT_EQ(potential.leaves(0).value(), v1::TRUTH_VALUE_TRUE);
  EXPECT_EQ(potential.leaves(0).evidence(0).sample_id(), "P1-T");
  EXPECT_EQ(potential.leaves(0).specificity(), v1::SPECIFICITY_EXACT);
  EXPECT_EQ(potential.leaves(1).value(), v1::TRUTH_VALUE_UNKNOWN);
  EXPECT_EQ(potential.leaves(1).missing_datum(), "ECOG");
  EXPECT_EQ(potential.leaves(1).path(), "arm A/all[1]/clinical");
  ASSERT_EQ(potential.evidence_samples_size(), 1);
  EXPECT_EQ(potential.evidence_samples(0), "P1-T");
}

TEST(MatchTest, RanksBeforeComparesTheTupleInOrder) {
  v1::Candidate a;
  v1::Candidate b;
  a.mutable_rank_key()->set_eligibility(v1::ELIGIBILITY_ELIGIBLE);
  b.mutable_rank_key()->set_eligibility(v1::ELIGIBILITY_POTENTIAL);
  a.mutable_rank_key()->set_specificity(v1::SPECIFICITY_CLINICAL_ONLY);
  b.mutable_rank_key()->set_specificity(v1::SPECIFICITY_EXACT);
  EXPECT_TRUE(ranks_before(a, b));  // eligibility outranks specificity
  b.mutable_rank_key()->set_eligibility(v1::ELIGIBILITY_ELIGIBLE);
  EXPECT_FALSE(ranks_before(a, b));
  a.mutable_rank_key()->set_specificity(v1::SPECIFICITY_EXACT);
  a.mutable_rank_key()->set_unknown_leaves(2);
  b.mutable_rank_key()->set_unknown_leaves(1);
  EXPECT_TRUE(ranks_before(b, a));  // fewer UNKNOWN leaves first
  a.mutable_rank_key()->set_unknown_leaves(1);
  a.set_trial_id("T1");
  b.set_trial_id("T2");
  EXPECT_TRUE(ranks_before(a, b));  // trial id breaks ties
}

}  // namespace
}  // namespace rarematch::matchers
