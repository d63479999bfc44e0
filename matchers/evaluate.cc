#include "matchers/evaluate.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <iomanip>
#include <optional>
#include <sstream>
#include <string_view>

#include "matchers/protein_change.h"
#include "reference/error.h"

namespace rarematch::matchers {

namespace v1 = rarematch::v1;

namespace {

using TermList = std::vector<std::string_view>;

/// Consequences that make a call "a mutation in the gene" when a criterion names no class (DESIGN.md).
const TermList kProteinAltering = {"missense_variant",      "stop_gained",       "frameshift_variant",
                                   "inframe_insertion",     "inframe_deletion",  "start_lost",
                                   "stop_lost",             "splice_donor_variant", "splice_acceptor_variant",
                                   "protein_altering_variant"};

const TermList& class_terms(int variant_class) {
  static const TermList kMissense = {"missense_variant"};
  static const TermList kNonsense = {"stop_gained"};
  static const TermList kFrameshift = {"frameshift_variant"};
  static const TermList kSplice = {"splice_donor_variant", "splice_acceptor_variant"};
  static const TermList kInsertion = {"inframe_insertion"};
  static const TermList kDeletion = {"inframe_deletion"};
  static const TermList kIndel = {"inframe_insertion", "inframe_deletion", "protein_altering_variant"};
  static const TermList kStartLost = {"start_lost"};
  static const TermList kStopLost = {"stop_lost"};
  static const TermList kSynonymous = {"synonymous_variant", "stop_retained_variant", "start_retained_variant"};
  static const TermList kTruncating = {"stop_gained", "frameshift_variant", "splice_donor_variant",
                                       "splice_acceptor_variant"};
  static const TermList kPromoter = {"upstream_gene_variant"};
  static const TermList kNone = {};
  switch (static_cast<v1::VariantClass>(variant_class)) {
    case v1::VARIANT_CLASS_MISSENSE: return kMissense;
    case v1::VARIANT_CLASS_NONSENSE: return kNonsense;
    case v1::VARIANT_CLASS_FRAMESHIFT: return kFrameshift;
    case v1::VARIANT_CLASS_SPLICE: return kSplice;
    case v1::VARIANT_CLASS_INFRAME_INSERTION: return kInsertion;
    case v1::VARIANT_CLASS_INFRAME_DELETION: return kDeletion;
    case v1::VARIANT_CLASS_INFRAME_INDEL: return kIndel;
    case v1::VARIANT_CLASS_START_LOST: return kStartLost;
    case v1::VARIANT_CLASS_STOP_LOST: return kStopLost;
    case v1::VARIANT_CLASS_SYNONYMOUS: return kSynonymous;
    case v1::VARIANT_CLASS_TRUNCATING: return kTruncating;
    case v1::VARIANT_CLASS_PROTEIN_ALTERING: return kProteinAltering;
    case v1::VARIANT_CLASS_PROMOTER: return kPromoter;
    default: return kNone;
  }
}

bool has_any(const v1::SmallVariant& call, const TermList& terms) {
  return std::any_of(call.consequences().begin(), call.consequences().end(), [&](const std::string& term) {
    return std::find(terms.begin(), terms.end(), term) != terms.end();
  });
}

/// The call's coding effect is not resolved (no annotation, or only the generic coding term).
bool consequence_unresolved(const v1::SmallVariant& call) {
  return call.consequences().empty() ||
         std::all_of(call.consequences().begin(), call.consequences().end(),
                     [](const std::string& t) { return t == "coding_sequence_variant" || t == "sequence_variant"; });
}

/// How one call stands against a leaf.
enum class CallStatus { kNoMatch, kQualifies, kFailsQuality, kUndecidable };

struct CallVerdict {
  CallStatus status = CallStatus::kNoMatch;
  v1::UnknownReason reason = v1::UNKNOWN_REASON_UNSPECIFIED;  ///< for kFailsQuality / kUndecidable
};

/// Folds the verdict of one more requirement into `so_far`: a failed requirement ends the match; an
/// undecidable one leaves it open.
enum class Requirement { kMet, kFailed, kUndecidable };

Requirement match_description(const v1::GenomicCriterion& g, const CompiledLeaf& leaf, const v1::SmallVariant& call,
                              const EvaluationContext& context) {
  std::vector<Requirement> requirements;
  const bool unresolved = consequence_unresolved(call);
  const bool named_detail = !g.variant_classes().empty() || !g.protein_changes().empty() || g.has_residues() ||
                            g.has_exons() || !g.consequences().empty();
  if (!named_detail) {
    requirements.push_back(unresolved ? Requirement::kUndecidable
                                      : (has_any(call, kProteinAltering) ? Requirement::kMet : Requirement::kFailed));
  }
  if (!g.variant_classes().empty()) {
    const bool any = std::any_of(g.variant_classes().begin(), g.variant_classes().end(),
                                 [&](int c) { return has_any(call, class_terms(c)); });
    requirements.push_back(unresolved ? Requirement::kUndecidable : (any ? Requirement::kMet : Requirement::kFailed));
  }
  if (!g.consequences().empty()) {
    const TermList terms(g.consequences().begin(), g.consequences().end());
    requirements.push_back(unresolved ? Requirement::kUndecidable
                                      : (has_any(call, terms) ? Requirement::kMet : Requirement::kFailed));
  }
  if (!leaf.protein_changes.empty()) {
    const auto canonical = canonical_protein_change(call.hgvs_p_short().empty() ? call.hgvs_p() : call.hgvs_p_short());
    if (canonical) {
      const bool listed = std::find(leaf.protein_changes.begin(), leaf.protein_changes.end(), *canonical) !=
                          leaf.protein_changes.end();
      requirements.push_back(listed ? Requirement::kMet : Requirement::kFailed);
    } else {
      requirements.push_back(unresolved || has_any(call, kProteinAltering) ? Requirement::kUndecidable
                                                                             : Requirement::kFailed);
    }
  }
  if (g.has_residues()) {
    const std::uint32_t first = g.residues().start();
    const std::uint32_t last = g.residues().has_end() ? g.residues().end() : first;
    if (call.protein_start() > 0) {
      const std::uint32_t end = std::max(call.protein_start(), call.protein_end());
      requirements.push_back(call.protein_start() <= last && end >= first ? Requirement::kMet : Requirement::kFailed);
    } else {
      requirements.push_back(unresolved ? Requirement::kUndecidable : Requirement::kFailed);
    }
  }
  if (g.has_exons()) {
    const std::uint32_t first = g.exons().start();
    const std::uint32_t last = g.exons().has_end() ? g.exons().end() : first;
    if (call.exon() > 0) {
      requirements.push_back(call.exon() >= first && call.exon() <= last ? Requirement::kMet : Requirement::kFailed);
    } else {
      requirements.push_back(unresolved && call.intron() == 0 ? Requirement::kUndecidable : Requirement::kFailed);
    }
  }
  if (g.oncogenic_hotspot()) {
    requirements.push_back(!context.hotspots_annotated ? Requirement::kUndecidable
                                                       : (call.hotspot() ? Requirement::kMet : Requirement::kFailed));
  }
  if (g.origin() != v1::ORIGIN_UNSPECIFIED) {
    requirements.push_back(call.origin() == v1::ORIGIN_UNSPECIFIED
                               ? Requirement::kUndecidable
                               : (call.origin() == g.origin() ? Requirement::kMet : Requirement::kFailed));
  }
  if (std::find(requirements.begin(), requirements.end(), Requirement::kFailed) != requirements.end()) {
    return Requirement::kFailed;
  }
  if (std::find(requirements.begin(), requirements.end(), Requirement::kUndecidable) != requirements.end()) {
    return Requirement::kUndecidable;
  }
  return Requirement::kMet;
}

CallVerdict judge_small_variant(const CompiledLeaf& leaf, const v1::SmallVariant& call,
                                const EvaluationContext& context) {
  const auto& g = leaf.source->genomic();
  switch (match_description(g, leaf, call, context)) {
    case Requirement::kFailed: return {CallStatus::kNoMatch, v1::UNKNOWN_REASON_UNSPECIFIED};
    case Requirement::kUndecidable: return {CallStatus::kUndecidable, v1::UNKNOWN_REASON_VALUE_NOT_COMPUTABLE};
    case Requirement::kMet: break;
  }
  if (!call.filter_pass()) return {CallStatus::kFailsQuality, v1::UNKNOWN_REASON_CALL_FILTERED_OR_SHALLOW};
  if (context.min_depth > 0 && (!call.has_depth() || call.depth() < context.min_depth)) {
    return {CallStatus::kFailsQuality, v1::UNKNOWN_REASON_CALL_FILTERED_OR_SHALLOW};
  }
  const double min_vaf = std::max(context.min_vaf, g.has_min_vaf() ? g.min_vaf() : 0.0);
  if (min_vaf > 0.0) {
    if (!call.has_vaf()) return {CallStatus::kUndecidable, v1::UNKNOWN_REASON_VALUE_NOT_COMPUTABLE};
    if (call.vaf() < min_vaf) return {CallStatus::kFailsQuality, v1::UNKNOWN_REASON_CALL_FILTERED_OR_SHALLOW};
  }
  return {CallStatus::kQualifies, v1::UNKNOWN_REASON_UNSPECIFIED};
}

CallVerdict judge_simple_call(bool matches, bool filter_pass) {
  if (!matches) return {CallStatus::kNoMatch, v1::UNKNOWN_REASON_UNSPECIFIED};
  if (!filter_pass) return {CallStatus::kFailsQuality, v1::UNKNOWN_REASON_CALL_FILTERED_OR_SHALLOW};
  return {CallStatus::kQualifies, v1::UNKNOWN_REASON_UNSPECIFIED};
}

v1::Evidence small_variant_evidence(const v1::SmallVariant& call) {
  v1::Evidence evidence;
  evidence.set_sample_id(call.sample_id());
  evidence.set_gene(call.gene());
  evidence.set_hgvs_p(call.hgvs_p_short());
  evidence.set_hgvs_c(call.hgvs_c());
  evidence.set_exon(call.exon());
  if (call.has_vaf()) evidence.set_vaf(call.vaf());
  std::string alteration = call.gene() + " ";
  if (!call.hgvs_p_short().empty()) {
    alteration += call.hgvs_p_short();
  } else {
    alteration += call.contig() + ":" + std::to_string(call.position()) + " " + call.ref() + ">" + call.alt();
    if (!call.consequences().empty()) alteration += " " + call.consequences(0);
  }
  if (!call.filter_pass()) alteration += " (filtered)";
  evidence.set_alteration(alteration);
  return evidence;
}

v1::Evidence copy_number_evidence(const v1::CopyNumberAlteration& call) {
  v1::Evidence evidence;
  evidence.set_sample_id(call.sample_id());
  evidence.set_gene(call.gene());
  evidence.set_alteration(call.gene() + " " + v1::CopyNumberState_Name(call.state()).substr(18) +
                          (call.source_value().empty() ? "" : " (" + call.source_value() + ")"));
  return evidence;
}

v1::Evidence fusion_evidence(const v1::Fusion& call) {
  v1::Evidence evidence;
  evidence.set_sample_id(call.sample_id());
  evidence.set_gene(call.gene_5p());
  evidence.set_alteration(call.gene_5p() + (call.gene_3p().empty() ? "" : "-" + call.gene_3p()) + " fusion");
  return evidence;
}

v1::Evidence clinical_evidence(const std::string& field, const std::string& value) {
  v1::Evidence evidence;
  evidence.set_clinical_field(field);
  evidence.set_clinical_value(value);
  return evidence;
}

std::string format_number(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

LeafOutcome unknown(v1::UnknownReason reason, v1::MissingKind kind, std::string datum) {
  LeafOutcome outcome;
  outcome.value = Truth::kUnknown;
  outcome.unknown_reason = reason;
  outcome.missing_kind = kind;
  outcome.missing_datum = std::move(datum);
  return outcome;
}

/// A positive clinical/biomarker value with its evidence, polarity applied.
LeafOutcome decided(Truth positive, bool negated, v1::Evidence evidence) {
  LeafOutcome outcome;
  outcome.value = negated ? negate(positive) : positive;
  outcome.evidence.push_back(std::move(evidence));
  return outcome;
}

/// Calls first, then coverage: the shared rule of every genomic leaf (see the header comment).
template <typename Call, typename Judge, typename Explain>
LeafOutcome evaluate_genomic(const CompiledLeaf& leaf, const std::vector<const Call*>& calls, GeneCoverage coverage,
                             const std::string& data_name, Judge judge, Explain explain) {
  LeafOutcome outcome;
  std::optional<CallVerdict> open_question;
  for (const Call* call : calls) {
    const CallVerdict verdict = judge(*call);
    if (verdict.status == CallStatus::kQualifies) {
      outcome.evidence.push_back(explain(*call));
    } else if (verdict.status != CallStatus::kNoMatch && !open_question) {
      open_question = verdict;
      if (outcome.evidence.empty()) outcome.missing_datum = explain(*call).alteration();
    }
  }
  if (!outcome.evidence.empty()) {
    outcome.value = leaf.negated ? Truth::kFalse : Truth::kTrue;
    outcome.missing_datum.clear();
    return outcome;
  }
  if (open_question) {
    outcome.value = Truth::kUnknown;
    outcome.unknown_reason = open_question->reason;
    outcome.missing_kind = v1::MISSING_KIND_GENOMIC;
    return outcome;
  }
  const std::string gene = leaf.source->genomic().gene();
  switch (coverage) {
    case GeneCoverage::kNotTested:
      return unknown(v1::UNKNOWN_REASON_DATA_KIND_NOT_TESTED, v1::MISSING_KIND_GENOMIC, data_name + " of " + gene);
    case GeneCoverage::kNotCovered:
      return unknown(v1::UNKNOWN_REASON_OUTSIDE_COVERAGE, v1::MISSING_KIND_GENOMIC, data_name + " of " + gene);
    case GeneCoverage::kCallsOnly:
      if (leaf.negated) {
        return unknown(v1::UNKNOWN_REASON_NEGATED_WITHOUT_COVERAGE, v1::MISSING_KIND_GENOMIC,
                       "declared coverage of " + gene + " " + data_name);
      }
      outcome.value = Truth::kFalse;
      return outcome;
    case GeneCoverage::kCovered:
      outcome.value = leaf.negated ? Truth::kTrue : Truth::kFalse;
      return outcome;
  }
  return outcome;
}

LeafOutcome evaluate_small_variant(const CompiledLeaf& leaf, const PatientView& patient,
                                   const EvaluationContext& context) {
  const std::string& gene = leaf.source->genomic().gene();
  return evaluate_genomic(
      leaf, patient.small_variants(gene), patient.coverage(DataKind::kSmallVariants, gene), "small variants",
      [&](const v1::SmallVariant& call) { return judge_small_variant(leaf, call, context); },
      small_variant_evidence);
}

LeafOutcome evaluate_copy_number(const CompiledLeaf& leaf, const PatientView& patient) {
  const auto& g = leaf.source->genomic();
  return evaluate_genomic(
      leaf, patient.copy_numbers(g.gene()), patient.coverage(DataKind::kCopyNumber, g.gene()), "copy number",
      [&](const v1::CopyNumberAlteration& call) {
        const bool listed = std::find(g.copy_number_states().begin(), g.copy_number_states().end(), call.state()) !=
                            g.copy_number_states().end();
        return judge_simple_call(listed, call.filter_pass());
      },
      copy_number_evidence);
}

LeafOutcome evaluate_fusion(const CompiledLeaf& leaf, const PatientView& patient) {
  const auto& g = leaf.source->genomic();
  return evaluate_genomic(
      leaf, patient.fusions(g.gene()), patient.coverage(DataKind::kStructuralVariants, g.gene()),
      "structural variants",
      [&](const v1::Fusion& call) {
        const std::string& other = call.gene_5p() == g.gene() ? call.gene_3p() : call.gene_5p();
        const bool matches = g.fusion().any_partner() || other == g.fusion().partner();
        return judge_simple_call(matches, call.filter_pass());
      },
      fusion_evidence);
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Truth in_bounds(double value, bool has_min, double min, bool has_max, double max) {
  return from_bool((!has_min || value >= min) && (!has_max || value <= max));
}

LeafOutcome evaluate_diagnosis(const CompiledLeaf& leaf, const v1::Diagnosis& diagnosis, const PatientView& patient,
                               const EvaluationContext& context) {
  const auto& clinical = patient.profile().clinical();
  if (!clinical.has_oncotree_code()) {
    return unknown(v1::UNKNOWN_REASON_CLINICAL_VALUE_MISSING, v1::MISSING_KIND_CLINICAL, "ONCOTREE_CODE");
  }
  if (context.oncotree == nullptr) {
    throw_usage("diagnosis criteria", "matching diagnoses needs the OncoTree", "give the tree with --oncotree FILE");
  }
  bool ancestor = false;
  bool match = false;
  for (const auto& code : diagnosis.oncotree_codes()) {
    const bool special = code == reference::OncoTree::kSolid || code == reference::OncoTree::kLiquid;
    const std::string criterion = special ? code : context.oncotree->resolve(code).value_or(code);
    switch (context.oncotree->relation(clinical.oncotree_code(), criterion)) {
      case reference::DiagnosisRelation::kSameOrDescendant: match = true; break;
      case reference::DiagnosisRelation::kAncestor: ancestor = true; break;
      case reference::DiagnosisRelation::kUnrelated: break;
    }
  }
  if (!match && ancestor) {
    return unknown(v1::UNKNOWN_REASON_DIAGNOSIS_LESS_SPECIFIC, v1::MISSING_KIND_CLINICAL,
                   "ONCOTREE_CODE more specific than " + clinical.oncotree_code());
  }
  return decided(from_bool(match), leaf.negated, clinical_evidence("ONCOTREE_CODE", clinical.oncotree_code()));
}

LeafOutcome evaluate_clinical(const CompiledLeaf& leaf, const PatientView& patient, const EvaluationContext& context) {
  const auto& c = leaf.source->clinical();
  const auto& facts = patient.profile().clinical();
  const auto missing = [](const char* field) {
    return unknown(v1::UNKNOWN_REASON_CLINICAL_VALUE_MISSING, v1::MISSING_KIND_CLINICAL, field);
  };
  switch (c.clinical_case()) {
    case v1::ClinicalCriterion::kDiagnosis:
      return evaluate_diagnosis(leaf, c.diagnosis(), patient, context);
    case v1::ClinicalCriterion::kAge:
      if (!facts.has_age_years()) return missing("AGE");
      return decided(in_bounds(facts.age_years(), c.age().has_min_years(), c.age().min_years(),
                               c.age().has_max_years(), c.age().max_years()),
                     leaf.negated, clinical_evidence("AGE", format_number(facts.age_years())));
    case v1::ClinicalCriterion::kSex:
      if (facts.sex() == v1::SEX_UNSPECIFIED) return missing("SEX");
      return decided(from_bool(facts.sex() == c.sex()), leaf.negated,
                     clinical_evidence("SEX", facts.sex() == v1::SEX_FEMALE ? "Female" : "Male"));
    case v1::ClinicalCriterion::kEcog:
      if (!facts.has_ecog()) return missing("ECOG");
      return decided(in_bounds(facts.ecog(), c.ecog().has_min(), c.ecog().min(), c.ecog().has_max(), c.ecog().max()),
                     leaf.negated, clinical_evidence("ECOG", std::to_string(facts.ecog())));
    case v1::ClinicalCriterion::kPriorTherapy: {
      if (!facts.has_prior_therapies()) return missing("PRIOR_THERAPIES");
      const auto& p = c.prior_therapy();
      const std::string drug = lower(p.drug());
      const std::string drug_class = lower(p.drug_class());
      std::string given;
      bool received = false;
      for (const auto& agent : facts.prior_therapies().agents()) {
        given += (given.empty() ? "" : ", ") + agent;
        const std::string name = lower(agent);
        received = received || (!drug.empty() && name == drug) || (!drug_class.empty() && name == drug_class);
      }
      return decided(from_bool(received == p.received()), leaf.negated,
                     clinical_evidence("PRIOR_THERAPIES", given.empty() ? "none" : given));
    }
    case v1::ClinicalCriterion::kMaxPriorLines:
      if (!facts.has_prior_lines()) return missing("PRIOR_LINES");
      return decided(from_bool(facts.prior_lines() <= c.max_prior_lines()), leaf.negated,
                     clinical_evidence("PRIOR_LINES", std::to_string(facts.prior_lines())));
    case v1::ClinicalCriterion::CLINICAL_NOT_SET: break;
  }
  return unknown(v1::UNKNOWN_REASON_CRITERION_NOT_UNDERSTOOD, v1::MISSING_KIND_CATALOGUE, "clinical criterion");
}

LeafOutcome evaluate_biomarker(const CompiledLeaf& leaf, const PatientView& patient) {
  const auto& b = leaf.source->biomarker();
  const auto& markers = patient.profile().biomarkers();
  const std::string msi = v1::MsiStatus_Name(markers.msi_status()).substr(11);
  const std::string mmr = v1::MmrStatus_Name(markers.mmr_status()).substr(11);
  switch (b.biomarker_case()) {
    case v1::BiomarkerCriterion::kTmb:
      if (!markers.has_tmb_mut_per_mb()) {
        return unknown(v1::UNKNOWN_REASON_VALUE_NOT_COMPUTABLE, v1::MISSING_KIND_GENOMIC, "TMB");
      }
      return decided(in_bounds(markers.tmb_mut_per_mb(), b.tmb().has_min_mut_per_mb(), b.tmb().min_mut_per_mb(),
                               b.tmb().has_max_mut_per_mb(), b.tmb().max_mut_per_mb()),
                     leaf.negated, clinical_evidence("TMB", format_number(markers.tmb_mut_per_mb())));
    case v1::BiomarkerCriterion::kMsiHighOrMmrDeficient: {
      // MSI and MMR status measure one phenotype: either positive suffices, either negative result excludes.
      const bool msi_known = markers.msi_status() != v1::MSI_STATUS_UNSPECIFIED;
      const bool mmr_known = markers.mmr_status() != v1::MMR_STATUS_UNSPECIFIED;
      if (!msi_known && !mmr_known) {
        return unknown(v1::UNKNOWN_REASON_CLINICAL_VALUE_MISSING, v1::MISSING_KIND_CLINICAL,
                       "MSI_STATUS or MMR_STATUS");
      }
      const bool positive =
          markers.msi_status() == v1::MSI_STATUS_MSI_HIGH || markers.mmr_status() == v1::MMR_STATUS_DEFICIENT;
      return decided(from_bool(positive), leaf.negated,
                     clinical_evidence(msi_known ? "MSI_STATUS" : "MMR_STATUS", msi_known ? msi : mmr));
    }
    case v1::BiomarkerCriterion::kMsiStatus:
      if (markers.msi_status() == v1::MSI_STATUS_UNSPECIFIED) {
        return unknown(v1::UNKNOWN_REASON_CLINICAL_VALUE_MISSING, v1::MISSING_KIND_CLINICAL, "MSI_STATUS");
      }
      return decided(from_bool(markers.msi_status() == b.msi_status()), leaf.negated,
                     clinical_evidence("MSI_STATUS", msi));
    case v1::BiomarkerCriterion::kMmrStatus:
      if (markers.mmr_status() == v1::MMR_STATUS_UNSPECIFIED) {
        return unknown(v1::UNKNOWN_REASON_CLINICAL_VALUE_MISSING, v1::MISSING_KIND_CLINICAL, "MMR_STATUS");
      }
      return decided(from_bool(markers.mmr_status() == b.mmr_status()), leaf.negated,
                     clinical_evidence("MMR_STATUS", mmr));
    case v1::BiomarkerCriterion::BIOMARKER_NOT_SET: break;
  }
  return unknown(v1::UNKNOWN_REASON_CRITERION_NOT_UNDERSTOOD, v1::MISSING_KIND_CATALOGUE, "biomarker criterion");
}

}  // namespace

LeafOutcome evaluate_leaf(const CompiledLeaf& leaf, const PatientView& patient, const EvaluationContext& context) {
  switch (leaf.kind) {
    case LeafKind::kSmallVariant: return evaluate_small_variant(leaf, patient, context);
    case LeafKind::kCopyNumber: return evaluate_copy_number(leaf, patient);
    case LeafKind::kFusion: return evaluate_fusion(leaf, patient);
    case LeafKind::kClinical: return evaluate_clinical(leaf, patient, context);
    case LeafKind::kBiomarker: return evaluate_biomarker(leaf, patient);
    case LeafKind::kUnmapped: break;
  }
  const auto& unmapped = leaf.source->unmapped();
  return unknown(v1::UNKNOWN_REASON_CRITERION_NOT_UNDERSTOOD, v1::MISSING_KIND_CATALOGUE,
                 unmapped.source_field() + " = " + unmapped.source_value());
}

}  // namespace rarematch::matchers
