#include "matchers/compiled_catalogue.h"

#include <cctype>
#include <optional>
#include <sstream>

#include "matchers/protein_change.h"

namespace rarematch::matchers {

namespace v1 = rarematch::v1;

namespace {

std::string format_number(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

std::string join(const google::protobuf::RepeatedPtrField<std::string>& items, const std::string& separator) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

std::string range_text(const v1::PositionRange& range) {
  if (!range.has_end() || range.end() == range.start()) return std::to_string(range.start());
  return std::to_string(range.start()) + "-" + std::to_string(range.end());
}

std::string variant_class_name(int value) {
  std::string name = v1::VariantClass_Name(static_cast<v1::VariantClass>(value));
  name = name.substr(std::string("VARIANT_CLASS_").size());
  for (auto& c : name) c = c == '_' ? ' ' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

std::string copy_number_name(int value) {
  switch (static_cast<v1::CopyNumberState>(value)) {
    case v1::COPY_NUMBER_STATE_HOMOZYGOUS_DELETION: return "deep deletion";
    case v1::COPY_NUMBER_STATE_HETEROZYGOUS_DELETION: return "shallow deletion";
    case v1::COPY_NUMBER_STATE_NEUTRAL: return "neutral copy number";
    case v1::COPY_NUMBER_STATE_GAIN: return "gain";
    case v1::COPY_NUMBER_STATE_AMPLIFICATION: return "amplification";
    default: return "copy-number change";
  }
}

std::string describe_genomic(const v1::GenomicCriterion& g) {
  std::string text = g.gene();
  if (g.has_fusion()) {
    text += g.fusion().any_partner() ? " fusion (any partner)" : " fusion with " + g.fusion().partner();
  } else if (!g.copy_number_states().empty()) {
    std::string states;
    for (int s : g.copy_number_states()) states += (states.empty() ? "" : " or ") + copy_number_name(s);
    text += " " + states;
  } else {
    std::string detail;
    if (!g.protein_changes().empty()) detail += " " + join(g.protein_changes(), " or ");
    if (g.has_residues()) detail += " at residue " + range_text(g.residues());
    if (g.has_exons()) detail += " in exon " + range_text(g.exons());
    if (!g.variant_classes().empty()) {
      std::string classes;
      for (int c : g.variant_classes()) classes += (classes.empty() ? "" : " or ") + variant_class_name(c);
      detail += " " + classes;
    }
    if (!g.consequences().empty()) detail += " " + join(g.consequences(), " or ");
    text += detail.empty() ? " mutation" : detail;
  }
  if (g.oncogenic_hotspot()) text += " at a hotspot";
  if (g.origin() == v1::ORIGIN_SOMATIC) text += " (somatic)";
  if (g.origin() == v1::ORIGIN_GERMLINE) text += " (germline)";
  if (g.has_min_vaf()) text += " with VAF >= " + format_number(g.min_vaf());
  return text;
}

std::string bounds_text(const std::string& what, bool has_min, double min, bool has_max, double max) {
  if (has_min && has_max) return what + " " + format_number(min) + "-" + format_number(max);
  if (has_min) return what + " >= " + format_number(min);
  return what + " <= " + format_number(max);
}

std::string describe_biomarker(const v1::BiomarkerCriterion& b) {
  switch (b.biomarker_case()) {
    case v1::BiomarkerCriterion::kTmb:
      return bounds_text("TMB", b.tmb().has_min_mut_per_mb(), b.tmb().min_mut_per_mb(), b.tmb().has_max_mut_per_mb(),
                         b.tmb().max_mut_per_mb()) + " mut/Mb";
    case v1::BiomarkerCriterion::kMsiHighOrMmrDeficient: return "MSI-H or MMR-deficient";
    case v1::BiomarkerCriterion::kMsiStatus: return "MSI status " + v1::MsiStatus_Name(b.msi_status()).substr(11);
    case v1::BiomarkerCriterion::kMmrStatus: return "MMR status " + v1::MmrStatus_Name(b.mmr_status()).substr(11);
    case v1::BiomarkerCriterion::BIOMARKER_NOT_SET: break;
  }
  return "biomarker";
}

std::string describe_clinical(const v1::ClinicalCriterion& c) {
  switch (c.clinical_case()) {
    case v1::ClinicalCriterion::kDiagnosis: return "diagnosis " + join(c.diagnosis().oncotree_codes(), " or ");
    case v1::ClinicalCriterion::kAge:
      return bounds_text("age", c.age().has_min_years(), c.age().min_years(), c.age().has_max_years(),
                         c.age().max_years());
    case v1::ClinicalCriterion::kSex: return c.sex() == v1::SEX_FEMALE ? "sex female" : "sex male";
    case v1::ClinicalCriterion::kEcog:
      return bounds_text("ECOG", c.ecog().has_min(), c.ecog().min(), c.ecog().has_max(), c.ecog().max());
    case v1::ClinicalCriterion::kPriorTherapy: {
      const auto& p = c.prior_therapy();
      const std::string agent = p.drug().empty() ? p.drug_class() : p.drug();
      return (p.received() ? "prior " : "no prior ") + agent;
    }
    case v1::ClinicalCriterion::kMaxPriorLines:
      return "at most " + std::to_string(c.max_prior_lines()) + " prior lines";
    case v1::ClinicalCriterion::CLINICAL_NOT_SET: break;
  }
  return "clinical";
}

LeafKind leaf_kind(const v1::Criterion& leaf) {
  switch (leaf.node_case()) {
    case v1::Criterion::kGenomic:
      if (leaf.genomic().has_fusion()) return LeafKind::kFusion;
      if (!leaf.genomic().copy_number_states().empty()) return LeafKind::kCopyNumber;
      return LeafKind::kSmallVariant;
    case v1::Criterion::kBiomarker: return LeafKind::kBiomarker;
    case v1::Criterion::kClinical: return LeafKind::kClinical;
    default: return LeafKind::kUnmapped;
  }
}

v1::Specificity leaf_specificity(const v1::Criterion& leaf, bool negated) {
  switch (leaf.node_case()) {
    case v1::Criterion::kGenomic: {
      if (negated) return v1::SPECIFICITY_WILDTYPE;
      const auto& g = leaf.genomic();
      if (g.has_fusion()) return g.fusion().partner().empty() ? v1::SPECIFICITY_CLASS : v1::SPECIFICITY_EXACT;
      if (!g.copy_number_states().empty()) return v1::SPECIFICITY_CLASS;
      if (!g.protein_changes().empty()) return v1::SPECIFICITY_EXACT;
      if (g.has_residues()) return v1::SPECIFICITY_RESIDUE;
      if (g.has_exons()) return v1::SPECIFICITY_EXON;
      if (!g.variant_classes().empty() || !g.consequences().empty()) return v1::SPECIFICITY_CLASS;
      return v1::SPECIFICITY_GENE;
    }
    case v1::Criterion::kBiomarker: return v1::SPECIFICITY_BIOMARKER;
    default: return v1::SPECIFICITY_CLINICAL_ONLY;
  }
}

}  // namespace

std::string describe_leaf(const v1::Criterion& leaf) {
  switch (leaf.node_case()) {
    case v1::Criterion::kGenomic: return describe_genomic(leaf.genomic());
    case v1::Criterion::kBiomarker: return describe_biomarker(leaf.biomarker());
    case v1::Criterion::kClinical: return describe_clinical(leaf.clinical());
    case v1::Criterion::kUnmapped:
      return "unmapped " + leaf.unmapped().source_field() + " = " + leaf.unmapped().source_value();
    default: return "criterion";
  }
}

std::uint32_t phase_rank(v1::Phase phase) {
  switch (phase) {
    case v1::PHASE_EARLY_1: return 1;
    case v1::PHASE_1: return 2;
    case v1::PHASE_1_2:
    case v1::PHASE_2: return 3;
    case v1::PHASE_2_3:
    case v1::PHASE_3: return 4;
    case v1::PHASE_4: return 5;
    default: return 0;
  }
}

/// Builds nodes and leaves in negation normal form (see the header comment).
class TreeCompiler {
 public:
  explicit TreeCompiler(CompiledCatalogue& out) : out_(out) {}

  /// Index of the node for `criterion` under `negated` polarity; `path` names it in explanations.
  std::uint32_t compile(const v1::Criterion& criterion, bool negated, const std::string& path) {
    switch (criterion.node_case()) {
      case v1::Criterion::kAll:
        return combine(criterion.all().criteria(), negated ? 1u : count(criterion.all().criteria()), negated,
                       path + "/all");
      case v1::Criterion::kAny:
        return combine(criterion.any().criteria(), negated ? count(criterion.any().criteria()) : 1u, negated,
                       path + "/any");
      case v1::Criterion::kAtLeast: {
        const std::uint32_t n = count(criterion.at_least().criteria());
        const std::uint32_t k = criterion.at_least().k();
        return combine(criterion.at_least().criteria(), negated ? n - k + 1 : k, negated, path + "/at_least");
      }
      case v1::Criterion::kNot:
        return compile(criterion.not_(), !negated, path + "/not");
      case v1::Criterion::NODE_NOT_SET:
        return add_node(CompiledNode{0, {}, -1});  // TRUE: validation reports empty nodes
      default:
        return add_leaf(criterion, negated, path);
    }
  }

  /// AT_LEAST `k` of `children`.
  std::uint32_t at_least(std::uint32_t k, std::vector<std::uint32_t> children) {
    return add_node(CompiledNode{k, std::move(children), -1});
  }

 private:
  static std::uint32_t count(const google::protobuf::RepeatedPtrField<v1::Criterion>& children) {
    return static_cast<std::uint32_t>(children.size());
  }

  std::uint32_t combine(const google::protobuf::RepeatedPtrField<v1::Criterion>& children, std::uint32_t k,
                        bool negated, const std::string& path) {
    std::vector<std::uint32_t> compiled;
    compiled.reserve(children.size());
    for (int i = 0; i < children.size(); ++i) {
      compiled.push_back(compile(children[i], negated, path + "[" + std::to_string(i) + "]"));
    }
    return at_least(k, std::move(compiled));
  }

  std::uint32_t add_node(CompiledNode node) {
    out_.nodes_.push_back(std::move(node));
    return static_cast<std::uint32_t>(out_.nodes_.size() - 1);
  }

  std::uint32_t add_leaf(const v1::Criterion& criterion, bool negated, const std::string& path) {
    CompiledLeaf leaf;
    leaf.source = &criterion;
    leaf.kind = leaf_kind(criterion);
    const bool wildtype = criterion.has_genomic() && criterion.genomic().wildtype();
    leaf.negated = negated != wildtype;
    leaf.path = path + "/" + criterion.GetDescriptor()->FindFieldByNumber(criterion.node_case())->name();
    const std::string positive = describe_leaf(criterion);
    if (!leaf.negated) {
      leaf.description = positive;
    } else if (criterion.has_genomic()) {
      leaf.description = "no " + positive;
    } else {
      leaf.description = "not " + positive;
    }
    if (criterion.has_genomic()) {
      for (const auto& change : criterion.genomic().protein_changes()) {
        if (auto canonical = canonical_protein_change(change)) leaf.protein_changes.push_back(*canonical);
      }
    }
    leaf.specificity = leaf_specificity(criterion, leaf.negated);
    out_.leaves_.push_back(std::move(leaf));
    return add_node(CompiledNode{0, {}, static_cast<std::int32_t>(out_.leaves_.size() - 1)});
  }

  CompiledCatalogue& out_;
};

namespace {

bool is_closed(v1::EnrollmentStatus status) {
  return status == v1::ENROLLMENT_STATUS_CLOSED || status == v1::ENROLLMENT_STATUS_SUSPENDED ||
         status == v1::ENROLLMENT_STATUS_NOT_YET_OPEN;
}

/// Leaf indices under `node`, in tree order.
void collect_leaves(const std::vector<CompiledNode>& nodes, std::uint32_t node, std::vector<std::uint32_t>& out) {
  if (nodes[node].leaf >= 0) {
    out.push_back(static_cast<std::uint32_t>(nodes[node].leaf));
    return;
  }
  for (auto child : nodes[node].children) collect_leaves(nodes, child, out);
}

}  // namespace

CompiledCatalogue CompiledCatalogue::compile(v1::Catalogue catalogue, bool include_closed) {
  CompiledCatalogue out;
  out.catalogue_ = std::make_unique<v1::Catalogue>(std::move(catalogue));
  TreeCompiler compiler(out);
  for (const auto& trial : out.catalogue_->trials()) {
    std::optional<std::uint32_t> trial_root;
    for (const auto& arm : trial.arms()) {
      const v1::EnrollmentStatus arm_status =
          arm.status() == v1::ENROLLMENT_STATUS_UNSPECIFIED ? trial.status() : arm.status();
      const bool closed = is_closed(trial.status()) || is_closed(arm_status);
      if (closed && !include_closed) {
        ++out.stats_.arms_skipped_closed;
        continue;
      }
      if (!trial_root) {
        trial_root = trial.has_eligibility() ? compiler.compile(trial.eligibility(), false, "trial")
                                             : compiler.at_least(0, {});
      }
      const std::uint32_t arm_root = arm.has_eligibility()
                                         ? compiler.compile(arm.eligibility(), false, "arm " + arm.id())
                                         : compiler.at_least(0, {});
      CompiledArm compiled;
      compiled.trial = &trial;
      compiled.arm = &arm;
      compiled.root = compiler.at_least(2, {*trial_root, arm_root});
      collect_leaves(out.nodes_, compiled.root, compiled.leaves);
      compiled.open = !closed && (!arm.has_slots_available() || arm.slots_available() > 0);
      compiled.phase_rank = phase_rank(trial.phase());
      out.arms_.push_back(std::move(compiled));
      ++out.stats_.arms_compiled;
    }
  }
  return out;
}

}  // namespace rarematch::matchers
