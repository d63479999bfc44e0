#include "matchers/evaluate.h"

#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

#include "tests/support/test_support.h"

namespace rarematch::matchers {
namespace {

namespace v1 = rarematch::v1;

v1::Criterion criterion(const std::string& text) {
  v1::Criterion out;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &out)) << text;
  return out;
}

v1::PatientProfile profile(const std::string& text) {
  v1::PatientProfile out;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &out)) << text;
  return out;
}

/// Compiles `leaf_text` (optionally under NOT) into a one-arm catalogue and evaluates its single leaf.
LeafOutcome evaluate(const std::string& leaf_text, const v1::PatientProfile& patient, bool under_not = false,
                     const EvaluationContext& context = {}) {
  v1::Catalogue catalogue;
  auto* arm = catalogue.add_trials()->add_arms();
  arm->set_id("A");
  const v1::Criterion leaf = criterion(leaf_text);
  if (under_not) {
    *arm->mutable_eligibility()->mutable_not_() = leaf;
  } else {
    *arm->mutable_eligibility() = leaf;
  }
  const auto compiled = CompiledCatalogue::compile(catalogue, false);
  const PatientView view(patient);
  return evaluate_leaf(compiled.leaves().at(0), view, context);
}

const std::string kSampleWes =
    R"(samples { sample_id: "S1" small_variants { state: COVERAGE_STATE_DECLARED genome_wide: true } })";
const std::string kSampleCallsOnly = R"(samples { sample_id: "S1" small_variants { state: COVERAGE_STATE_CALLS_ONLY } })";
const std::string kSamplePanel =
    R"(samples { sample_id: "S1" small_variants { state: COVERAGE_STATE_DECLARED genes: "KIT" genes: "TP53" } })";
const std::string kSampleUntested = R"(samples { sample_id: "S1" })";
const std::string kEgfrMissense =
    R"(small_variants { sample_id: "S1" gene: "EGFR" consequences: "missense_variant" hgvs_p: "p.Leu858Arg"
       hgvs_p_short: "p.L858R" protein_start: 858 protein_end: 858 exon: 21 vaf: 0.3 depth: 100 filter_pass: true })";

struct CoverageCase {
  std::string sample;
  Truth positive;
  Truth negated;
  v1::UnknownReason reason;  // for the UNKNOWN one(s)
};

TEST(EvaluateTest, NoCallFollowsCoverageForBothPolarities) {
  const std::vector<CoverageCase> cases = {
      {kSampleWes, Truth::kFalse, Truth::kTrue, v1::UNKNOWN_REASON_UNSPECIFIED},
      {kSampleCallsOnly, Truth::kFalse, Truth::kUnknown, v1::UNKNOWN_REASON_NEGATED_WITHOUT_COVERAGE},
      {kSamplePanel, Truth::kUnknown, Truth::kUnknown, v1::UNKNOWN_REASON_OUTSIDE_COVERAGE},
      {kSampleUntested, Truth::kUnknown, Truth::kUnknown, v1::UNKNOWN_REASON_DATA_KIND_NOT_TESTED},
  };
  for (const auto& c : cases) {
    const auto patient = profile(c.sample);
    const auto positive = evaluate(R"(genomic { gene: "EGFR" })", patient);
    const auto negated = evaluate(R"(genomic { gene: "EGFR" wildtype: true })", patient);
    EXPECT_EQ(positive.value, c.positive) << c.sample;
    EXPECT_EQ(negated.value, c.negated) << c.sample;
    if (negated.value == Truth::kUnknown) {
      EXPECT_EQ(negated.unknown_reason, c.reason) << c.sample;
      EXPECT_EQ(negated.missing_kind, v1::MISSING_KIND_GENOMIC);
    }
  }
}

TEST(EvaluateTest, PanelCoveringTheGeneDecides) {
  const auto patient = profile(kSamplePanel);
  EXPECT_EQ(evaluate(R"(genomic { gene: "KIT" })", patient).value, Truth::kFalse);
  EXPECT_EQ(evaluate(R"(genomic { gene: "KIT" wildtype: true })", patient).value, Truth::kTrue);
}

TEST(EvaluateTest, QualifyingCallDecidesWhateverTheCoverage) {
  for (const auto& sample : {kSampleWes, kSampleCallsOnly, kSamplePanel, kSampleUntested}) {
    const auto patient = profile(sample + kEgfrMissense);
    const auto positive = evaluate(R"(genomic { gene: "EGFR" })", patient);
    EXPECT_EQ(positive.value, Truth::kTrue);
    ASSERT_EQ(positive.evidence.size(), 1u);
    EXPECT_EQ(positive.evidence[0].sample_id(), "S1");
    EXPECT_EQ(positive.evidence[0].hgvs_p(), "p.L858R");
    EXPECT_EQ(evaluate(R"(genomic { gene: "EGFR" wildtype: true })", patient).value, Truth::kFalse);
    // NOT of a positive leaf behaves like wildtype.
    EXPECT_EQ(evaluate(R"(genomic { gene: "EGFR" })", patient, true).value, Truth::kFalse);
  }
}

TEST(EvaluateTest, FilteredOrShallowMatchingCallIsUnknownEitherWay) {
  const std::string filtered =
      R"(small_variants { sample_id: "S1" gene: "EGFR" consequences: "missense_variant" filter_pass: false
         filters: "LowQual" depth: 100 })";
  const auto patient = profile(kSampleWes + filtered);
  for (bool wildtype : {false, true}) {
    const auto outcome =
        evaluate(std::string(R"(genomic { gene: "EGFR" )") + (wildtype ? "wildtype: true" : "") + " }", patient);
    EXPECT_EQ(outcome.value, Truth::kUnknown);
    EXPECT_EQ(outcome.unknown_reason, v1::UNKNOWN_REASON_CALL_FILTERED_OR_SHALLOW);
  }
  EvaluationContext deep;
  deep.min_depth = 200;
  const auto shallow = evaluate(R"(genomic { gene: "EGFR" })", profile(kSampleWes + kEgfrMissense), false, deep);
  EXPECT_EQ(shallow.value, Truth::kUnknown);
  EXPECT_EQ(shallow.unknown_reason, v1::UNKNOWN_REASON_CALL_FILTERED_OR_SHALLOW);
}

TEST(EvaluateTest, NonQualifyingConsequenceIsNoMatch) {
  const std::string intronic =
      R"(small_variants { sample_id: "S1" gene: "EGFR" consequences: "intron_variant" filter_pass: true })";
  EXPECT_EQ(evaluate(R"(genomic { gene: "EGFR" })", profile(kSampleWes + intronic)).value, Truth::kFalse);
  EXPECT_EQ(evaluate(R"(genomic { gene: "EGFR" })", profile(kSampleCallsOnly + intronic)).value, Truth::kFalse);
}

TEST(EvaluateTest, CallWithoutTheAnnotationTheLeafNeedsIsUnknown) {
  const std::string unannotated = R"(small_variants { sample_id: "S1" gene: "EGFR" filter_pass: true })";
  const auto outcome = evaluate(R"(genomic { gene: "EGFR" })", profile(kSampleWes + unannotated));
  EXPECT_EQ(outcome.value, Truth::kUnknown);
  EXPECT_EQ(outcome.unknown_reason, v1::UNKNOWN_REASON_VALUE_NOT_COMPUTABLE);
  const std::string coding_no_hgvs =
      R"(small_variants { sample_id: "S1" gene: "EGFR" consequences: "frameshift_variant" filter_pass: true })";
  EXPECT_EQ(evaluate(R"(genomic { gene: "EGFR" protein_changes: "p.L858R" })", profile(kSampleWes + coding_no_hgvs))
                .value,
            Truth::kUnknown);
}

TEST(EvaluateTest, ProteinChangeResidueExonAndClass) {
  const auto patient = profile(kSampleWes + kEgfrMissense);
  EXPECT_EQ(evaluate(R"(genomic { gene: "EGFR" protein_changes: "p.Leu858Arg" })", patient).value, Truth::kTrue);
  EXPECT_EQ(evaluate(R"(genomic { gene: "EGFR" protein_changes: "p.T790M" })", patient).value, Truth::kFalse);
  EXPECT_EQ(evaluate(R"(genomic { gene: "EGFR" residues { start: 850 end: 860 } })", patient).value, Truth::kTrue);
  EXPECT_EQ(evaluate(R"(genomic { gene: "EGFR" exons { start: 19 } })", patient).value, Truth::kFalse);
  EXPECT_EQ(evaluate(R"(genomic { gene: "EGFR" exons { start: 21 } variant_classes: VARIANT_CLASS_MISSENSE })",
                     patient)
                .value,
            Truth::kTrue);
  EXPECT_EQ(evaluate(R"(genomic { gene: "EGFR" variant_classes: VARIANT_CLASS_TRUNCATING })", patient).value,
            Truth::kFalse);
}

TEST(EvaluateTest, MinimumVafNeedsAVaf) {
  const std::string no_vaf =
      R"(small_variants { sample_id: "S1" gene: "EGFR" consequences: "missense_variant" filter_pass: true })";
  const auto unknown = evaluate(R"(genomic { gene: "EGFR" min_vaf: 0.1 })", profile(kSampleWes + no_vaf));
  EXPECT_EQ(unknown.value, Truth::kUnknown);
  EXPECT_EQ(unknown.unknown_reason, v1::UNKNOWN_REASON_VALUE_NOT_COMPUTABLE);
  EXPECT_EQ(evaluate(R"(genomic { gene: "EGFR" min_vaf: 0.5 })", profile(kSampleWes + kEgfrMissense)).value,
            Truth::kUnknown);
  EXPECT_EQ(evaluate(R"(genomic { gene: "EGFR" min_vaf: 0.25 })", profile(kSampleWes + kEgfrMissense)).value,
            Truth::kTrue);
}

TEST(EvaluateTest, CopyNumberAndFusionNeedTheirDataKind) {
  const auto untested = profile(kSampleWes);
  const auto cn = evaluate(R"(genomic { gene: "ERBB2" copy_number_states: COPY_NUMBER_STATE_AMPLIFICATION })", untested);
  EXPECT_EQ(cn.value, Truth::kUnknown);
  EXPECT_EQ(cn.unknown_reason, v1::UNKNOWN_REASON_DATA_KIND_NOT_TESTED);
  const auto tested = profile(
      R"(samples { sample_id: "S1" copy_number { state: COVERAGE_STATE_DECLARED genes: "ERBB2" }
                   structural_variants { state: COVERAGE_STATE_CALLS_ONLY } }
         copy_numbers { sample_id: "S1" gene: "ERBB2" state: COPY_NUMBER_STATE_AMPLIFICATION filter_pass: true }
         fusions { sample_id: "S1" gene_5p: "EML4" gene_3p: "ALK" filter_pass: true })");
  EXPECT_EQ(evaluate(R"(genomic { gene: "ERBB2" copy_number_states: COPY_NUMBER_STATE_AMPLIFICATION })", tested).value,
            Truth::kTrue);
  EXPECT_EQ(evaluate(R"(genomic { gene: "ERBB2" copy_number_states: COPY_NUMBER_STATE_HOMOZYGOUS_DELETION })", tested)
                .value,
            Truth::kFalse);
  EXPECT_EQ(evaluate(R"(genomic { gene: "ALK" fusion { partner: "EML4" } })", tested).value, Truth::kTrue);
  EXPECT_EQ(evaluate(R"(genomic { gene: "ALK" fusion { any_partner: true } })", tested).value, Truth::kTrue);
  EXPECT_EQ(evaluate(R"(genomic { gene: "ALK" fusion { partner: "NPM1" } })", tested).value, Truth::kFalse);
  EXPECT_EQ(evaluate(R"(genomic { gene: "RET" fusion { any_partner: true } wildtype: true })", tested).value,
            Truth::kUnknown);
}

TEST(EvaluateTest, MissingClinicalValuesAreUnknownNeverFalse) {
  const auto patient = profile(kSampleWes);
  for (const auto& leaf : {R"(clinical { age { min_years: 18 } })", R"(clinical { sex: SEX_FEMALE })",
                           R"(clinical { ecog { max: 1 } })", R"(clinical { max_prior_lines: 2 })",
                           R"(clinical { prior_therapy { drug: "osimertinib" received: false } })"}) {
    for (bool under_not : {false, true}) {
      const auto outcome = evaluate(leaf, patient, under_not);
      EXPECT_EQ(outcome.value, Truth::kUnknown) << leaf;
      EXPECT_EQ(outcome.unknown_reason, v1::UNKNOWN_REASON_CLINICAL_VALUE_MISSING) << leaf;
      EXPECT_EQ(outcome.missing_kind, v1::MISSING_KIND_CLINICAL) << leaf;
    }
  }
}

TEST(EvaluateTest, ClinicalValuesDecide) {
  const auto patient = profile(R"(clinical { age_years: 64 sex: SEX_MALE ecog: 1 prior_lines: 3
                                  prior_therapies { agents: "Osimertinib" agents: "carboplatin" } })");
  EXPECT_EQ(evaluate(R"(clinical { age { min_years: 18 max_years: 75 } })", patient).value, Truth::kTrue);
  EXPECT_EQ(evaluate(R"(clinical { age { min_years: 65 } })", patient).value, Truth::kFalse);
  EXPECT_EQ(evaluate(R"(clinical { sex: SEX_FEMALE })", patient).value, Truth::kFalse);
  EXPECT_EQ(evaluate(R"(clinical { ecog { max: 1 } })", patient).value, Truth::kTrue);
  EXPECT_EQ(evaluate(R"(clinical { max_prior_lines: 2 })", patient).value, Truth::kFalse);
  EXPECT_EQ(evaluate(R"(clinical { prior_therapy { drug: "osimertinib" received: true } })", patient).value,
            Truth::kTrue);
  EXPECT_EQ(evaluate(R"(clinical { prior_therapy { drug: "osimertinib" received: false } })", patient).value,
            Truth::kFalse);
  const auto age = evaluate(R"(clinical { age { min_years: 18 } })", patient);
  ASSERT_EQ(age.evidence.size(), 1u);
  EXPECT_EQ(age.evidence[0].clinical_field(), "AGE");
  EXPECT_EQ(age.evidence[0].clinical_value(), "64");
}

TEST(EvaluateTest, DiagnosisFollowsTheOncoTree) {
  const auto tree = reference::OncoTree::load_json((testing::source_dir() / "tests/data/oncotree-mini.json").string());
  EvaluationContext context;
  context.oncotree = &tree;
  const auto luad = profile(R"(clinical { oncotree_code: "LUAD" })");
  const auto nsclc = profile(R"(clinical { oncotree_code: "NSCLC" })");
  const auto aml = profile(R"(clinical { oncotree_code: "AML" })");
  EXPECT_EQ(evaluate(R"(clinical { diagnosis { oncotree_codes: "NSCLC" } })", luad, false, context).value, Truth::kTrue);
  EXPECT_EQ(evaluate(R"(clinical { diagnosis { oncotree_codes: "COADREAD" } })", luad, false, context).value,
            Truth::kFalse);
  EXPECT_EQ(evaluate(R"(clinical { diagnosis { oncotree_codes: "COADREAD" } })", luad, true, context).value,
            Truth::kTrue);
  const auto ancestor = evaluate(R"(clinical { diagnosis { oncotree_codes: "LUAD" } })", nsclc, false, context);
  EXPECT_EQ(ancestor.value, Truth::kUnknown);
  EXPECT_EQ(ancestor.unknown_reason, v1::UNKNOWN_REASON_DIAGNOSIS_LESS_SPECIFIC);
  EXPECT_EQ(evaluate(R"(clinical { diagnosis { oncotree_codes: "LUAD" } })", nsclc, true, context).value,
            Truth::kUnknown);
  EXPECT_EQ(evaluate(R"(clinical { diagnosis { oncotree_codes: "_SOLID_" } })", luad, false, context).value,
            Truth::kTrue);
  EXPECT_EQ(evaluate(R"(clinical { diagnosis { oncotree_codes: "_SOLID_" } })", aml, false, context).value,
            Truth::kFalse);
  EXPECT_EQ(evaluate(R"(clinical { diagnosis { oncotree_codes: "_LIQUID_" } })", aml, false, context).value,
            Truth::kTrue);
  const auto missing = evaluate(R"(clinical { diagnosis { oncotree_codes: "LUAD" } })", profile(""), false, context);
  EXPECT_EQ(missing.value, Truth::kUnknown);
  EXPECT_EQ(missing.missing_datum, "ONCOTREE_CODE");
}

TEST(EvaluateTest, BiomarkersDecideOrStayUnknown) {
  const auto msi_high = profile(R"(biomarkers { msi_status: MSI_STATUS_MSI_HIGH tmb_mut_per_mb: 25 })");
  const auto mss = profile(R"(biomarkers { msi_status: MSI_STATUS_MSS })");
  const auto dmmr = profile(R"(biomarkers { mmr_status: MMR_STATUS_DEFICIENT })");
  const auto none = profile("");
  EXPECT_EQ(evaluate(R"(biomarker { msi_high_or_mmr_deficient: true })", msi_high).value, Truth::kTrue);
  EXPECT_EQ(evaluate(R"(biomarker { msi_high_or_mmr_deficient: true })", dmmr).value, Truth::kTrue);
  EXPECT_EQ(evaluate(R"(biomarker { msi_high_or_mmr_deficient: true })", mss).value, Truth::kFalse);
  EXPECT_EQ(evaluate(R"(biomarker { msi_high_or_mmr_deficient: true })", none).value, Truth::kUnknown);
  EXPECT_EQ(evaluate(R"(biomarker { tmb { min_mut_per_mb: 10 } })", msi_high).value, Truth::kTrue);
  EXPECT_EQ(evaluate(R"(biomarker { tmb { min_mut_per_mb: 10 } })", mss).value, Truth::kUnknown);
}

TEST(EvaluateTest, UnmappedCriterionIsAlwaysUnknown) {
  const auto outcome =
      evaluate(R"(unmapped { source_field: "ctml:genomic.foo" source_value: "bar" })", profile(kSampleWes));
  EXPECT_EQ(outcome.value, Truth::kUnknown);
  EXPECT_EQ(outcome.unknown_reason, v1::UNKNOWN_REASON_CRITERION_NOT_UNDERSTOOD);
  EXPECT_EQ(outcome.missing_kind, v1::MISSING_KIND_CATALOGUE);
}

}  // namespace
}  // namespace rarematch::matchers
