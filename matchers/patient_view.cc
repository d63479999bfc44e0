#include "matchers/patient_view.h"

#include <algorithm>

namespace rarematch::matchers {

namespace v1 = rarematch::v1;

namespace {

const v1::DataKindCoverage& coverage_of(const v1::Sample& sample, DataKind kind) {
  switch (kind) {
    case DataKind::kSmallVariants: return sample.small_variants();
    case DataKind::kCopyNumber: return sample.copy_number();
    case DataKind::kStructuralVariants: return sample.structural_variants();
  }
  return sample.small_variants();
}

template <typename T>
const std::vector<const T*>& lookup(const std::unordered_map<std::string, std::vector<const T*>>& map,
                                    std::string_view gene) {
  static const std::vector<const T*> kNone;
  const auto it = map.find(std::string(gene));
  return it == map.end() ? kNone : it->second;
}

}  // namespace

PatientView::PatientView(const v1::PatientProfile& profile) : profile_(profile) {
  for (const auto& variant : profile.small_variants()) small_variants_[variant.gene()].push_back(&variant);
  for (const auto& call : profile.copy_numbers()) copy_numbers_[call.gene()].push_back(&call);
  for (const auto& fusion : profile.fusions()) {
    fusions_[fusion.gene_5p()].push_back(&fusion);
    if (!fusion.gene_3p().empty() && fusion.gene_3p() != fusion.gene_5p()) {
      fusions_[fusion.gene_3p()].push_back(&fusion);
    }
  }
}

const std::vector<const v1::SmallVariant*>& PatientView::small_variants(std::string_view gene) const {
  return lookup(small_variants_, gene);
}

const std::vector<const v1::CopyNumberAlteration*>& PatientView::copy_numbers(std::string_view gene) const {
  return lookup(copy_numbers_, gene);
}

const std::vector<const v1::Fusion*>& PatientView::fusions(std::string_view gene) const {
  return lookup(fusions_, gene);
}

GeneCoverage PatientView::coverage(DataKind kind, std::string_view gene) const {
  bool calls_only = false;
  bool declared = false;
  for (const auto& sample : profile_.samples()) {
    const auto& coverage = coverage_of(sample, kind);
    switch (coverage.state()) {
      case v1::COVERAGE_STATE_DECLARED: {
        declared = true;
        const bool listed = std::binary_search(coverage.genes().begin(), coverage.genes().end(), std::string(gene));
        if (coverage.genome_wide() || listed) return GeneCoverage::kCovered;
        break;
      }
      case v1::COVERAGE_STATE_CALLS_ONLY:
        calls_only = true;
        break;
      default:
        break;
    }
  }
  if (calls_only) return GeneCoverage::kCallsOnly;
  if (declared) return GeneCoverage::kNotCovered;
  return GeneCoverage::kNotTested;
}

}  // namespace rarematch::matchers
