#include "matchers/validate.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <unordered_map>

#include "matchers/protein_change.h"
#include "reference/error.h"

namespace rarematch::matchers {
namespace {

namespace v1 = rarematch::v1;

bool is_identifier(const std::string& id) {
  if (id.empty()) return false;
  return std::all_of(id.begin(), id.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '.' || c == '_' || c == '-' || c == '/';
  });
}

bool is_nct_number(const std::string& nct) {
  if (nct.size() != 11 || !nct.starts_with("NCT")) return false;
  return std::all_of(nct.begin() + 3, nct.end(), [](unsigned char c) { return std::isdigit(c); });
}

bool is_gene_symbol(const std::string& gene) {
  if (gene.empty()) return false;
  return std::all_of(gene.begin(), gene.end(),
                     [](unsigned char c) { return std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '@'; });
}

/// Walks one catalogue, collecting issues. Each check names the locator of the message it looks at, so its line
/// is the one where that message starts.
class Validator {
 public:
  Validator(const LoadedCatalogue& catalogue, const ValidationContext& context)
      : catalogue_(catalogue), context_(context) {}

  std::vector<ValidationIssue> run() {
    const auto& trials = catalogue_.catalogue().trials();
    const SourceLocator root = catalogue_.root();
    if (trials.empty()) {
      add(std::nullopt, "", "", "the catalogue has no trials", "add at least one 'trials { ... }' entry");
    }
    std::unordered_map<std::string, int> first_index;
    for (int i = 0; i < trials.size(); ++i) {
      const auto& trial = trials[i];
      const SourceLocator at = root.nested("trials", i);
      const auto line = root.line_of("trials", i);
      if (!trial.id().empty()) {
        auto [it, inserted] = first_index.emplace(trial.id(), i);
        if (!inserted) {
          const auto first_line = root.line_of("trials", it->second);
          add(line, trial.id(), "", "duplicate trial id (first used by trial #" + std::to_string(it->second + 1) +
                                        (first_line ? ", line " + std::to_string(*first_line) : "") + ")",
              "trial ids must be unique within a catalogue");
        }
      }
      check_trial(trial, at, line);
    }
    return std::move(issues_);
  }

 private:
  void add(std::optional<std::uint64_t> line, const std::string& trial_id, const std::string& path,
           const std::string& reason, const std::string& hint) {
    issues_.push_back({catalogue_.path(), line, trial_id, path, reason, hint});
  }

  void check_trial(const v1::Trial& trial, const SourceLocator& at, std::optional<std::uint64_t> line) {
    const std::string& id = trial.id();
    if (id.empty()) {
      add(line, "", "", "trial without an id", "give every trial an 'id' (letters, digits and ._-/)");
    } else if (!is_identifier(id)) {
      add(at.line_of("id"), id, "id", "trial id contains characters other than letters, digits and ._-/",
          "rename the trial, e.g. 'RM-EGFR-01'");
    }
    if (!trial.nct_id().empty() && !is_nct_number(trial.nct_id())) {
      add(at.line_of("nct_id"), id, "nct_id", "'" + trial.nct_id() + "' is not an NCT number",
          "write 'NCT' followed by 8 digits, or leave nct_id out");
    }
    if (trial.has_eligibility()) check_criterion(trial.eligibility(), at.nested("eligibility"), id, "trial");
    if (trial.arms().empty()) {
      add(line, id, "", "trial has no arms", "add an 'arms { id: \"A\" }' entry (it may carry no criteria)");
    }
    std::unordered_map<std::string, int> arm_ids;
    for (int a = 0; a < trial.arms().size(); ++a) {
      const auto& arm = trial.arms(a);
      const SourceLocator arm_at = at.nested("arms", a);
      const auto arm_line = at.line_of("arms", a);
      const std::string arm_label = "arm " + (arm.id().empty() ? "#" + std::to_string(a + 1) : arm.id());
      if (arm.id().empty()) {
        add(arm_line, id, arm_label, "arm without an id", "give every arm an 'id' unique within its trial");
      } else if (!is_identifier(arm.id())) {
        add(arm_line, id, arm_label, "arm id contains characters other than letters, digits and ._-/",
            "rename the arm, e.g. 'A' or 'EGFR-ex20'");
      } else if (!arm_ids.emplace(arm.id(), a).second) {
        add(arm_line, id, arm_label, "duplicate arm id within the trial", "arm ids must be unique within a trial");
      }
      if (arm.has_slots_available() && arm.slots_available() < 0) {
        add(arm_at.line_of("slots_available"), id, arm_label, "slots_available is negative",
            "write the number of open slots (0 or more), or leave it out when unknown");
      }
      if (arm.has_eligibility()) check_criterion(arm.eligibility(), arm_at.nested("eligibility"), id, arm_label);
    }
  }

  void check_criterion(const v1::Criterion& node, const SourceLocator& at, const std::string& trial_id,
                       const std::string& path) {
    const auto issue = [&](const std::string& reason, const std::string& hint) {
      add(first_line(at), trial_id, path, reason, hint);
    };
    switch (node.node_case()) {
      case v1::Criterion::NODE_NOT_SET:
        issue("empty criterion", "write one of all, any, not, at_least, genomic, biomarker, clinical");
        return;
      case v1::Criterion::kAll:
      case v1::Criterion::kAny: {
        const bool all = node.node_case() == v1::Criterion::kAll;
        const auto& list = all ? node.all() : node.any();
        const std::string name = all ? "all" : "any";
        if (list.criteria().empty()) {
          issue("empty " + name + " (no criteria)", "give it at least one criterion, or remove it");
        }
        check_children(list.criteria(), at.nested(name), trial_id, path + "/" + name);
        return;
      }
      case v1::Criterion::kNot:
        check_criterion(node.not_(), at.nested("not"), trial_id, path + "/not");
        return;
      case v1::Criterion::kAtLeast: {
        const auto n = static_cast<std::uint32_t>(node.at_least().criteria_size());
        if (node.at_least().k() > n) {
          issue("at_least k = " + std::to_string(node.at_least().k()) + " exceeds its " + std::to_string(n) +
                    " criteria",
                "k must be between 0 and the number of criteria");
        }
        check_children(node.at_least().criteria(), at.nested("at_least"), trial_id, path + "/at_least");
        return;
      }
      case v1::Criterion::kGenomic:
        check_genomic(node.genomic(), at.nested("genomic"), trial_id, path + "/genomic");
        return;
      case v1::Criterion::kBiomarker:
        check_biomarker(node.biomarker(), at.nested("biomarker"), trial_id, path + "/biomarker");
        return;
      case v1::Criterion::kClinical:
        check_clinical(node.clinical(), at.nested("clinical"), trial_id, path + "/clinical");
        return;
      case v1::Criterion::kUnmapped:
        return;  // always UNKNOWN by design; importers warn about them
    }
  }

  void check_children(const google::protobuf::RepeatedPtrField<v1::Criterion>& children, const SourceLocator& at,
                      const std::string& trial_id, const std::string& path) {
    for (int i = 0; i < children.size(); ++i) {
      check_criterion(children[i], at.nested("criteria", i), trial_id, path + "[" + std::to_string(i) + "]");
    }
  }

  void check_range(const v1::PositionRange& range, const std::string& what, std::optional<std::uint64_t> line,
                   const std::string& trial_id, const std::string& path) {
    if (range.start() < 1) {
      add(line, trial_id, path, what + " start must be >= 1", "positions are 1-based");
    } else if (range.has_end() && range.end() < range.start()) {
      add(line, trial_id, path,
          what + " range is inverted (" + std::to_string(range.start()) + ".." + std::to_string(range.end()) + ")",
          "write start <= end");
    }
  }

  void check_genomic(const v1::GenomicCriterion& leaf, const SourceLocator& at, const std::string& trial_id,
                     const std::string& path) {
    const auto line = first_line(at);
    const auto issue = [&](const std::string& reason, const std::string& hint) {
      add(line, trial_id, path, reason, hint);
    };
    if (leaf.gene().empty()) {
      issue("genomic criterion without a gene", "name the gene with its HGNC symbol, e.g. gene: \"EGFR\"");
    } else if (!is_gene_symbol(leaf.gene())) {
      issue("'" + leaf.gene() + "' is not a gene symbol", "use the HGNC symbol, e.g. \"EGFR\"");
    } else if (context_.hgnc_symbols != nullptr && !context_.hgnc_symbols->contains(leaf.gene())) {
      issue("unknown gene symbol '" + leaf.gene() + "'", "use the current HGNC approved symbol");
    }
    const bool small = !leaf.variant_classes().empty() || !leaf.protein_changes().empty() || leaf.has_residues() ||
                       leaf.has_exons() || !leaf.consequences().empty();
    const bool copy_number = !leaf.copy_number_states().empty();
    const bool fusion = leaf.has_fusion();
    if (int(small) + int(copy_number) + int(fusion) > 1) {
      issue("one genomic criterion mixes small-variant, copy-number and fusion fields",
            "split it into separate criteria combined with all/any");
    }
    for (int i = 0; i < leaf.variant_classes_size(); ++i) {
      if (leaf.variant_classes(i) == v1::VARIANT_CLASS_UNSPECIFIED) {
        issue("variant class UNSPECIFIED", "name a class, e.g. VARIANT_CLASS_MISSENSE");
      }
    }
    for (const auto& change : leaf.protein_changes()) {
      if (!canonical_protein_change(change)) {
        issue("malformed protein change '" + change + "'",
              "write an HGVS protein change such as p.L858R, p.Leu858Arg, p.R658*, p.E746_A750del or p.S68fs");
      }
    }
    if (leaf.has_residues()) check_range(leaf.residues(), "residue", line, trial_id, path);
    if (leaf.has_exons()) check_range(leaf.exons(), "exon", line, trial_id, path);
    for (int i = 0; i < leaf.copy_number_states_size(); ++i) {
      if (leaf.copy_number_states(i) == v1::COPY_NUMBER_STATE_UNSPECIFIED) {
        issue("copy-number state UNSPECIFIED", "name a state, e.g. COPY_NUMBER_STATE_AMPLIFICATION");
      }
    }
    if (fusion) {
      const auto& spec = leaf.fusion();
      if (spec.partner().empty() == !spec.any_partner()) {
        issue("fusion needs exactly one of partner and any_partner: true",
              "write fusion { any_partner: true } or fusion { partner: \"EML4\" }");
      } else if (!spec.partner().empty() && context_.hgnc_symbols != nullptr &&
                 !context_.hgnc_symbols->contains(spec.partner())) {
        issue("unknown fusion partner symbol '" + spec.partner() + "'", "use the current HGNC approved symbol");
      }
    }
    if (leaf.has_min_vaf() && (leaf.min_vaf() < 0.0 || leaf.min_vaf() > 1.0)) {
      issue("min_vaf " + std::to_string(leaf.min_vaf()) + " is outside 0..1",
            "write the variant allele fraction as a fraction, e.g. 0.05 for 5%");
    }
  }

  void check_biomarker(const v1::BiomarkerCriterion& leaf, const SourceLocator& at, const std::string& trial_id,
                       const std::string& path) {
    const auto issue = [&](const std::string& reason, const std::string& hint) {
      add(first_line(at), trial_id, path, reason, hint);
    };
    switch (leaf.biomarker_case()) {
      case v1::BiomarkerCriterion::BIOMARKER_NOT_SET:
        issue("empty biomarker criterion", "write tmb, msi_high_or_mmr_deficient, msi_status or mmr_status");
        return;
      case v1::BiomarkerCriterion::kTmb: {
        const auto& tmb = leaf.tmb();
        if (!tmb.has_min_mut_per_mb() && !tmb.has_max_mut_per_mb()) {
          issue("TMB criterion without bounds", "write min_mut_per_mb and/or max_mut_per_mb");
        } else if ((tmb.has_min_mut_per_mb() && tmb.min_mut_per_mb() < 0) ||
                   (tmb.has_max_mut_per_mb() && tmb.max_mut_per_mb() < 0)) {
          issue("negative TMB bound", "TMB is in mutations per megabase, 0 or more");
        } else if (tmb.has_min_mut_per_mb() && tmb.has_max_mut_per_mb() &&
                   tmb.min_mut_per_mb() > tmb.max_mut_per_mb()) {
          issue("TMB range is inverted", "write min_mut_per_mb <= max_mut_per_mb");
        }
        return;
      }
      case v1::BiomarkerCriterion::kMsiHighOrMmrDeficient:
        if (!leaf.msi_high_or_mmr_deficient()) {
          issue("msi_high_or_mmr_deficient: false states nothing", "write true, or wrap it in not { }");
        }
        return;
      case v1::BiomarkerCriterion::kMsiStatus:
        if (leaf.msi_status() == v1::MSI_STATUS_UNSPECIFIED) {
          issue("msi_status UNSPECIFIED", "name a status, e.g. MSI_STATUS_MSI_HIGH");
        }
        return;
      case v1::BiomarkerCriterion::kMmrStatus:
        if (leaf.mmr_status() == v1::MMR_STATUS_UNSPECIFIED) {
          issue("mmr_status UNSPECIFIED", "name a status, e.g. MMR_STATUS_DEFICIENT");
        }
        return;
    }
  }

  void check_clinical(const v1::ClinicalCriterion& leaf, const SourceLocator& at, const std::string& trial_id,
                      const std::string& path) {
    const auto issue = [&](const std::string& reason, const std::string& hint) {
      add(first_line(at), trial_id, path, reason, hint);
    };
    switch (leaf.clinical_case()) {
      case v1::ClinicalCriterion::CLINICAL_NOT_SET:
        issue("empty clinical criterion", "write diagnosis, age, sex, ecog, prior_therapy or max_prior_lines");
        return;
      case v1::ClinicalCriterion::kDiagnosis:
        if (leaf.diagnosis().oncotree_codes().empty()) {
          issue("diagnosis without OncoTree codes", "list codes, e.g. oncotree_codes: \"LUAD\"");
        }
        for (const auto& code : leaf.diagnosis().oncotree_codes()) {
          if (code == reference::OncoTree::kSolid || code == reference::OncoTree::kLiquid) continue;
          if (context_.oncotree != nullptr) {
            const auto current = context_.oncotree->resolve(code);
            if (!current) {
              issue("unknown OncoTree code '" + code + "'",
                    "use a code of the OncoTree given with --oncotree, or _SOLID_ / _LIQUID_");
            }
          }
        }
        return;
      case v1::ClinicalCriterion::kAge: {
        const auto& age = leaf.age();
        if (!age.has_min_years() && !age.has_max_years()) {
          issue("age criterion without bounds", "write min_years and/or max_years");
        } else if ((age.has_min_years() && age.min_years() < 0) || (age.has_max_years() && age.max_years() < 0)) {
          issue("negative age bound", "ages are in years, 0 or more");
        } else if (age.has_min_years() && age.has_max_years() && age.min_years() > age.max_years()) {
          issue("age range is inverted", "write min_years <= max_years");
        }
        return;
      }
      case v1::ClinicalCriterion::kSex:
        if (leaf.sex() == v1::SEX_UNSPECIFIED) issue("sex UNSPECIFIED", "write SEX_FEMALE or SEX_MALE");
        return;
      case v1::ClinicalCriterion::kEcog: {
        const auto& ecog = leaf.ecog();
        if (!ecog.has_min() && !ecog.has_max()) {
          issue("ECOG criterion without bounds", "write min and/or max (0..5)");
        } else if ((ecog.has_min() && ecog.min() > 5) || (ecog.has_max() && ecog.max() > 5)) {
          issue("ECOG bound outside 0..5", "ECOG performance status runs from 0 to 5");
        } else if (ecog.has_min() && ecog.has_max() && ecog.min() > ecog.max()) {
          issue("ECOG range is inverted", "write min <= max");
        }
        return;
      }
      case v1::ClinicalCriterion::kPriorTherapy:
        if (leaf.prior_therapy().drug().empty() && leaf.prior_therapy().drug_class().empty()) {
          issue("prior therapy without drug or drug_class", "name the drug or its class");
        }
        return;
      case v1::ClinicalCriterion::kMaxPriorLines:
        return;
    }
  }

  static std::optional<std::uint64_t> first_line(const SourceLocator& at) { return at.first_line(); }

  const LoadedCatalogue& catalogue_;
  const ValidationContext& context_;
  std::vector<ValidationIssue> issues_;
};

bool node_uses_diagnosis(const v1::Criterion& node) {
  switch (node.node_case()) {
    case v1::Criterion::kAll:
      return std::any_of(node.all().criteria().begin(), node.all().criteria().end(), node_uses_diagnosis);
    case v1::Criterion::kAny:
      return std::any_of(node.any().criteria().begin(), node.any().criteria().end(), node_uses_diagnosis);
    case v1::Criterion::kAtLeast:
      return std::any_of(node.at_least().criteria().begin(), node.at_least().criteria().end(),
                         node_uses_diagnosis);
    case v1::Criterion::kNot:
      return node_uses_diagnosis(node.not_());
    case v1::Criterion::kClinical:
      return node.clinical().has_diagnosis();
    default:
      return false;
  }
}

}  // namespace

std::string ValidationIssue::message() const {
  std::string out = file;
  if (line) out += ":" + std::to_string(*line);
  out += ": ";
  if (!trial_id.empty()) out += "trial " + trial_id + ": ";
  if (!path.empty()) out += path + ": ";
  return out + reason;
}

std::vector<ValidationIssue> validate_catalogue(const LoadedCatalogue& catalogue, const ValidationContext& context) {
  return Validator(catalogue, context).run();
}

void throw_if_invalid(const std::vector<ValidationIssue>& issues) {
  if (issues.empty()) return;
  const auto& first = issues.front();
  std::string what = first.trial_id.empty() ? "catalogue" : "trial " + first.trial_id;
  if (!first.path.empty()) what += ": " + first.path;
  std::string why = first.reason;
  if (issues.size() > 1) why += " (and " + std::to_string(issues.size() - 1) + " more problems)";
  throw Error(ErrorKind::kBadInput, first.file, first.line, what, why,
              first.hint + (first.hint.empty() ? "" : "; ") + "'rarematch catalogue validate' lists every problem");
}

bool uses_diagnosis_criteria(const rarematch::v1::Catalogue& catalogue) {
  for (const auto& trial : catalogue.trials()) {
    if (trial.has_eligibility() && node_uses_diagnosis(trial.eligibility())) return true;
    for (const auto& arm : trial.arms()) {
      if (arm.has_eligibility() && node_uses_diagnosis(arm.eligibility())) return true;
    }
  }
  return false;
}

}  // namespace rarematch::matchers
