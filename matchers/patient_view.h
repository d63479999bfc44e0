#pragma once
// A patient's profile indexed for evaluation: alterations by gene, and what was tested per data kind with the
// patient's samples united (DESIGN.md "Matching semantics", coverage).

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "rarematch/v1/profile.pb.h"

namespace rarematch::matchers {

/// Data kinds that coverage is stated for.
enum class DataKind { kSmallVariants, kCopyNumber, kStructuralVariants };

/// How a gene's footprint stands in the patient's coverage of one data kind, all samples considered.
enum class GeneCoverage {
  kNotTested,    ///< no sample has a source of this kind
  kCovered,      ///< some sample declares coverage wholly including the gene (WES/WGS, listed gene)
  kCallsOnly,    ///< no declaring sample covers it, but some sample has calls-only data of this kind
  kNotCovered,   ///< only declared coverage, and none of it includes the gene (or only partly, e.g. BED regions)
};

/// Read-only view over one profile; the profile must outlive it. Not copyable.
class PatientView {
 public:
  explicit PatientView(const rarematch::v1::PatientProfile& profile);
  PatientView(const PatientView&) = delete;
  PatientView& operator=(const PatientView&) = delete;

  const rarematch::v1::PatientProfile& profile() const { return profile_; }

  /// The patient's small variants / copy-number calls in `gene` (empty when none).
  const std::vector<const rarematch::v1::SmallVariant*>& small_variants(std::string_view gene) const;
  const std::vector<const rarematch::v1::CopyNumberAlteration*>& copy_numbers(std::string_view gene) const;
  /// Fusions with `gene` as either partner.
  const std::vector<const rarematch::v1::Fusion*>& fusions(std::string_view gene) const;

  /// Coverage of `gene` for `kind`. Declared BED regions count as kNotCovered until footprints are resolved
  /// against the gene model (conservative: a leaf then reads UNKNOWN, never FALSE).
  GeneCoverage coverage(DataKind kind, std::string_view gene) const;

 private:
  template <typename T>
  using ByGene = std::unordered_map<std::string, std::vector<const T*>>;

  const rarematch::v1::PatientProfile& profile_;
  ByGene<rarematch::v1::SmallVariant> small_variants_;
  ByGene<rarematch::v1::CopyNumberAlteration> copy_numbers_;
  ByGene<rarematch::v1::Fusion> fusions_;
};

}  // namespace rarematch::matchers
