#include "tests/support/variant_generator.h"

#include <algorithm>
#include <array>
#include <set>
#include <sstream>
#include <stdexcept>
#include <tuple>
#include <utility>

namespace rarematch::testing {
namespace {

using reference::Segment;
using reference::SequenceSource;
using reference::Transcript;

/// SplitMix64 (Steele, Lea, Flood 2014): fixed arithmetic, so the same seed gives the same stream everywhere.
class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}

  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  /// Uniform in [0, bound) (modulo bias is irrelevant here); bound must be > 0.
  std::uint64_t below(std::uint64_t bound) { return next() % bound; }

  /// Uniform in [low, high].
  std::uint64_t between(std::uint64_t low, std::uint64_t high) { return low + below(high - low + 1); }

  /// True with probability percent / 100.
  bool chance(std::uint64_t percent) { return below(100) < percent; }

  template <typename T>
  const T& pick(const std::vector<T>& items) {
    return items[static_cast<std::size_t>(below(items.size()))];
  }

 private:
  std::uint64_t state_;
};

constexpr std::string_view kBases = "ACGT";

/// A random base different from `base`.
char other_base(Random& random, char base) {
  char out = base;
  while (out == base) out = kBases[static_cast<std::size_t>(random.below(4))];
  return out;
}

std::string random_bases(Random& random, std::size_t length) {
  std::string out;
  for (std::size_t i = 0; i < length; ++i) out += kBases[static_cast<std::size_t>(random.below(4))];
  return out;
}

/// A junction lies between bases `before` and `before` + 1 (genomic).
struct Junction {
  std::uint64_t before = 0;
};

/// The features of one transcript that the categories draw from; all segments genomic, sorted.
struct Features {
  const Transcript* transcript = nullptr;
  std::vector<Segment> exons;
  std::vector<Segment> coding;      // CDS segments
  std::vector<Segment> non_coding;  // exonic bases outside the CDS
  std::vector<Segment> introns;
  std::vector<Junction> junctions;
  std::array<Segment, 2> start_stop{};  // genomic spans of the first and last codon (coding only)
};

std::uint64_t total_length(const std::vector<Segment>& segments) {
  std::uint64_t total = 0;
  for (const Segment& segment : segments) total += segment.end - segment.start + 1;
  return total;
}

/// A uniformly drawn base of `segments`.
std::uint64_t pick_base(Random& random, const std::vector<Segment>& segments) {
  std::uint64_t offset = random.below(total_length(segments));
  for (const Segment& segment : segments) {
    const std::uint64_t length = segment.end - segment.start + 1;
    if (offset < length) return segment.start + offset;
    offset -= length;
  }
  throw std::logic_error("pick_base: offset beyond the segments");
}

/// The genomic base at coding offset `offset` (transcript order) of a transcript's CDS.
std::uint64_t coding_base(const Transcript& transcript, std::uint64_t offset) {
  std::vector<Segment> ordered = transcript.cds;
  if (transcript.strand == '-') std::reverse(ordered.begin(), ordered.end());
  for (const Segment& segment : ordered) {
    const std::uint64_t length = segment.end - segment.start + 1;
    if (offset < length) return transcript.strand == '+' ? segment.start + offset : segment.end - offset;
    offset -= length;
  }
  throw std::logic_error("coding_base: offset beyond the CDS");
}

Features features_of(const Transcript& transcript) {
  Features out;
  out.transcript = &transcript;
  out.exons = transcript.exons.empty() ? std::vector<Segment>{{transcript.start, transcript.end}} : transcript.exons;
  out.coding = transcript.cds;
  for (std::size_t i = 0; i + 1 < out.exons.size(); ++i) {
    const Segment intron{out.exons[i].end + 1, out.exons[i + 1].start - 1};
    if (intron.start > intron.end) continue;
    out.introns.push_back(intron);
    out.junctions.push_back({intron.start - 1});
    out.junctions.push_back({intron.end});
  }
  for (const Segment& exon : out.exons) {
    std::uint64_t at = exon.start;
    for (const Segment& cds : out.coding) {
      if (cds.end < at || cds.start > exon.end) continue;
      if (cds.start > at) out.non_coding.push_back({at, cds.start - 1});
      at = std::max(at, cds.end + 1);
    }
    if (at <= exon.end) out.non_coding.push_back({at, exon.end});
  }
  if (transcript.is_coding() && transcript.coding_length() >= 6) {
    const std::uint64_t length = transcript.coding_length();
    for (std::size_t which = 0; which < 2; ++which) {
      const std::uint64_t first = which == 0 ? 0 : length - 3;
      const std::uint64_t a = coding_base(transcript, first);
      const std::uint64_t b = coding_base(transcript, first + 2);
      out.start_stop[which] = {std::min(a, b), std::max(a, b)};
    }
  }
  return out;
}

/// Smallest distance (bases) from the changed part of a variant to a junction of `features`; an insertion
/// between bases a and a + 1 is at distance 0 from a junction there.
std::uint64_t splice_distance(const Features& features, const GeneratedVariant& variant) {
  std::size_t lead = 0;
  while (lead < variant.ref.size() && lead < variant.alt.size() && variant.ref[lead] == variant.alt[lead]) ++lead;
  const std::uint64_t first = variant.position + lead;
  const std::uint64_t removed = variant.ref.size() - lead;
  std::uint64_t best = UINT64_MAX;
  for (const Junction& junction : features.junctions) {
    std::uint64_t distance = 0;
    if (removed == 0) {  // insertion between first - 1 and first
      const std::uint64_t point = first - 1;
      distance = point > junction.before ? point - junction.before : junction.before - point;
    } else {
      const std::uint64_t last = first + removed - 1;
      if (last <= junction.before) {
        distance = junction.before - last + 1;
      } else if (first > junction.before) {
        distance = first - junction.before;
      }
    }
    best = std::min(best, distance);
  }
  return best;
}

enum class Shape { kSnv, kMnv, kDeletion, kInsertion, kDelins };

/// Builds a variant of `shape` at `position` (the first changed base; for an insertion, the base it follows).
GeneratedVariant make_variant(Random& random, const SequenceSource& genome, const std::string& contig, Shape shape,
                              std::uint64_t position, std::uint64_t length) {
  GeneratedVariant variant;
  variant.contig = contig;
  switch (shape) {
    case Shape::kSnv:
    case Shape::kMnv: {
      variant.position = position;
      variant.ref = genome.fetch(contig, position, position + length - 1);
      for (char base : variant.ref) variant.alt += other_base(random, base);
      variant.kind = length == 1 ? VariantKind::kSnv : VariantKind::kMnv;
      break;
    }
    case Shape::kDeletion: {
      variant.position = position - 1;
      variant.ref = genome.fetch(contig, position - 1, position + length - 1);
      variant.alt = variant.ref.substr(0, 1);
      variant.kind = VariantKind::kDeletion;
      break;
    }
    case Shape::kInsertion: {
      variant.position = position;
      variant.ref = genome.fetch(contig, position, position);
      const bool duplicate = random.chance(50) && position > length;
      const std::string inserted =
          duplicate ? genome.fetch(contig, position - length + 1, position) : random_bases(random, length);
      variant.alt = variant.ref + inserted;
      variant.kind = VariantKind::kInsertion;
      break;
    }
    case Shape::kDelins: {
      variant.position = position;
      variant.ref = genome.fetch(contig, position, position + length - 1);
      std::uint64_t added = random.between(1, 5);
      if (added == length) added = length + 1;
      variant.alt = random_bases(random, added);
      // Ends that differ from REF's ends, so that no shared base is trimmed away.
      std::string& alt = variant.alt;
      const std::string& ref = variant.ref;
      do {
        alt.front() = kBases[static_cast<std::size_t>(random.below(4))];
      } while (alt.front() == ref.front() || (alt.size() == 1 && alt.front() == ref.back()));
      if (alt.size() > 1) alt.back() = other_base(random, ref.back());
      variant.kind = VariantKind::kDelins;
      break;
    }
  }
  return variant;
}

/// Lengths drawn for indels: frameshifting and in-frame, short ones more often.
constexpr std::array<std::uint64_t, 14> kDeletionLengths = {1, 1, 2, 3, 3, 4, 5, 6, 7, 9, 12, 15, 18, 21};
constexpr std::array<std::uint64_t, 10> kInsertionLengths = {1, 1, 2, 3, 3, 4, 5, 6, 9, 12};

template <std::size_t N>
std::uint64_t pick_length(Random& random, const std::array<std::uint64_t, N>& lengths) {
  return lengths[static_cast<std::size_t>(random.below(N))];
}

/// A small variant of a random shape around `position`: SNV, else deletion or insertion (percentages).
GeneratedVariant small_variant(Random& random, const SequenceSource& genome, const std::string& contig,
                               std::uint64_t position, std::uint64_t deletion_percent,
                               std::uint64_t insertion_percent, std::uint64_t max_length) {
  const std::uint64_t roll = random.below(100);
  if (roll < deletion_percent) {
    return make_variant(random, genome, contig, Shape::kDeletion, position, random.between(1, max_length));
  }
  if (roll < deletion_percent + insertion_percent) {
    return make_variant(random, genome, contig, Shape::kInsertion, position, random.between(1, max_length));
  }
  return make_variant(random, genome, contig, Shape::kSnv, position, 1);
}

/// One draw for a transcript; the category is chosen by weight among those the transcript has.
GeneratedVariant draw(Random& random, const SequenceSource& genome, const Features& features) {
  const Transcript& transcript = *features.transcript;
  const std::string& contig = transcript.contig;
  struct Category {
    std::string_view name;
    std::uint64_t weight;
  };
  std::vector<Category> categories;
  const bool coding = transcript.is_coding() && transcript.coding_length() >= 6;
  if (coding) {
    categories = {{"coding-snv", 24},    {"coding-mnv", 6}, {"coding-deletion", 12}, {"coding-insertion", 10},
                  {"coding-delins", 4},  {"start-stop", 6}};
  }
  if (!features.junctions.empty()) categories.push_back({"splice", coding ? 20u : 35u});
  if (!features.non_coding.empty()) categories.push_back({"exonic", coding ? 10u : 45u});
  if (!features.introns.empty()) categories.push_back({"intron", coding ? 8u : 20u});
  if (categories.empty()) categories.push_back({"exonic", 1});
  std::uint64_t total = 0;
  for (const Category& category : categories) total += category.weight;
  std::uint64_t roll = random.below(total);
  std::string_view name;
  for (const Category& category : categories) {
    if (roll < category.weight) {
      name = category.name;
      break;
    }
    roll -= category.weight;
  }

  GeneratedVariant variant;
  if (name == "coding-snv") {
    variant = make_variant(random, genome, contig, Shape::kSnv, pick_base(random, features.coding), 1);
  } else if (name == "coding-mnv") {
    variant = make_variant(random, genome, contig, Shape::kMnv, pick_base(random, features.coding),
                           random.between(2, 3));
  } else if (name == "coding-deletion") {
    variant = make_variant(random, genome, contig, Shape::kDeletion, pick_base(random, features.coding),
                           pick_length(random, kDeletionLengths));
  } else if (name == "coding-insertion") {
    variant = make_variant(random, genome, contig, Shape::kInsertion, pick_base(random, features.coding),
                           pick_length(random, kInsertionLengths));
  } else if (name == "coding-delins") {
    variant = make_variant(random, genome, contig, Shape::kDelins, pick_base(random, features.coding),
                           random.between(2, 6));
  } else if (name == "start-stop") {
    const Segment& codon = features.start_stop[static_cast<std::size_t>(random.below(2))];
    const std::uint64_t position = random.between(codon.start, codon.end);
    variant = small_variant(random, genome, contig, position, 15, 15, 3);
  } else if (name == "splice") {
    const Junction& junction = random.pick(features.junctions);
    // A base within 10 of the junction on either side: before - 9 .. before + 10.
    const std::uint64_t position = junction.before - 9 + random.below(20);
    if (random.chance(5)) {
      variant = make_variant(random, genome, contig, Shape::kMnv, position, 2);
    } else {
      variant = small_variant(random, genome, contig, position, 25, 15, 4);
    }
  } else if (name == "exonic") {
    const auto& segments = features.non_coding.empty() ? features.exons : features.non_coding;
    variant = small_variant(random, genome, contig, pick_base(random, segments), 15, 15, 6);
  } else {  // intron, at least 11 bases from both ends where the intron allows
    const Segment& intron = random.pick(features.introns);
    const bool long_enough = intron.end - intron.start + 1 > 22;
    const std::uint64_t position =
        long_enough ? random.between(intron.start + 10, intron.end - 10) : random.between(intron.start, intron.end);
    variant = small_variant(random, genome, contig, position, 15, 15, 6);
  }
  variant.category = std::string(name);
  variant.transcript_id = transcript.id;
  return variant;
}

bool plain_bases(const std::string& bases) {
  return !bases.empty() && bases.find_first_not_of(kBases) == std::string::npos;
}

}  // namespace

std::size_t GeneratedSet::count(VariantKind kind) const {
  return static_cast<std::size_t>(
      std::count_if(variants.begin(), variants.end(), [kind](const GeneratedVariant& v) { return v.kind == kind; }));
}

std::size_t GeneratedSet::near_splice_sites() const {
  return static_cast<std::size_t>(
      std::count_if(variants.begin(), variants.end(), [](const GeneratedVariant& v) { return v.near_splice_site; }));
}

GeneratedSet generate_variants(const reference::GeneModel& model, const SequenceSource& genome,
                               const GeneratorOptions& options) {
  constexpr std::size_t kAttempts = 50;
  Random random(options.seed);
  GeneratedSet out;
  std::set<std::tuple<std::string, std::uint64_t, std::string, std::string>> seen;
  for (const reference::Gene& gene : model.genes()) {
    for (const Transcript& transcript : gene.transcripts) {
      const Features features = features_of(transcript);
      for (std::size_t i = 0; i < options.per_transcript; ++i) {
        bool placed = false;
        for (std::size_t attempt = 0; attempt < kAttempts && !placed; ++attempt) {
          GeneratedVariant variant = draw(random, genome, features);
          if (!plain_bases(variant.ref) || !plain_bases(variant.alt) || variant.ref == variant.alt) continue;
          if (!seen.emplace(variant.contig, variant.position, variant.ref, variant.alt).second) continue;
          variant.near_splice_site = splice_distance(features, variant) <= 10;
          ++out.per_transcript[transcript.id];
          out.variants.push_back(std::move(variant));
          placed = true;
        }
        if (!placed) {
          throw std::runtime_error("no variant could be placed on transcript " + transcript.id + " (" +
                                   transcript.contig + ":" + std::to_string(transcript.start) + "-" +
                                   std::to_string(transcript.end) + "): is its sequence N in " + genome.path() + "?");
        }
      }
    }
  }
  std::sort(out.variants.begin(), out.variants.end(), [](const GeneratedVariant& a, const GeneratedVariant& b) {
    return std::tie(a.contig, a.position, a.ref, a.alt) < std::tie(b.contig, b.position, b.ref, b.alt);
  });
  return out;
}

std::string to_vcf(const std::vector<GeneratedVariant>& variants, const SequenceSource& genome) {
  std::vector<const GeneratedVariant*> sorted;
  for (const GeneratedVariant& variant : variants) sorted.push_back(&variant);
  std::stable_sort(sorted.begin(), sorted.end(), [](const GeneratedVariant* a, const GeneratedVariant* b) {
    return std::tie(a->contig, a->position) < std::tie(b->contig, b->position);
  });
  std::ostringstream out;
  out << "##fileformat=VCFv4.2\n";
  std::vector<std::string> contigs;
  for (const GeneratedVariant* variant : sorted) {
    if (contigs.empty() || contigs.back() != variant->contig) contigs.push_back(variant->contig);
  }
  for (const std::string& contig : contigs) {
    const auto length = genome.contig_length(contig);
    if (!length) throw std::runtime_error("contig " + contig + " is not in " + genome.path());
    out << "##contig=<ID=" << contig << ",length=" << *length << ">\n";
  }
  out << "##INFO=<ID=CAT,Number=1,Type=String,Description=\"Generator category\">\n"
      << "##INFO=<ID=TX,Number=1,Type=String,Description=\"Transcript the variant was drawn for\">\n"
      << "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n";
  for (const GeneratedVariant* variant : sorted) {
    out << variant->contig << '\t' << variant->position << "\t.\t" << variant->ref << '\t' << variant->alt
        << "\t.\t.\tCAT=" << (variant->category.empty() ? "manual" : variant->category)
        << ";TX=" << (variant->transcript_id.empty() ? "." : variant->transcript_id) << '\n';
  }
  return out.str();
}

}  // namespace rarematch::testing
