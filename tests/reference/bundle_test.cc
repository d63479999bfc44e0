#include "reference/bundle.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "reference/annotator.h"
#include "reference/error.h"
#include "reference/gene_model.h"
#include "reference/genome.h"
#include "tests/support/test_support.h"

namespace rarematch::reference {
namespace {

namespace fs = std::filesystem;
using ::rarematch::testing::expect_error;
using ::rarematch::testing::TempDir;
using ::rarematch::testing::expect_same_genes;

// ---- helpers --------------------------------------------------------------------------------------------------

struct ReferenceFiles {
  fs::path gene_model;
  fs::path fasta;
};

ReferenceFiles example_reference() {
  const fs::path dir = testing::source_dir() / "examples" / "synthetic-cohort" / "reference";
  return {dir / "genes.gff3", dir / "genome.fa"};
}

ReferenceFiles mini_grch38() {
  const fs::path dir = testing::shared_data_dir() / "mini-grch38";
  return {dir / "mini_grch38.gff3", dir / "mini_grch38.fa.gz"};
}


// Counts the fields of an aggregate: the largest N for which T{f1, ..., fN} compiles with fields of any type.
struct AnyField {
  template <typename T>
  operator T() const;  // declared only: used in unevaluated contexts
};
template <std::size_t>
using AnyFieldAt = AnyField;

template <typename T, std::size_t... I>
constexpr bool brace_constructible(std::index_sequence<I...>) {
  return requires { T{AnyFieldAt<I>{}...}; };
}

template <typename T, std::size_t N = 0>
constexpr std::size_t field_count() {
  if constexpr (brace_constructible<T>(std::make_index_sequence<N + 1>{})) {
    return field_count<T, N + 1>();
  } else {
    return N;
  }
}

// first_difference() compares every field of Annotation; this fails when one is added, until it is compared too.
static_assert(field_count<Annotation>() == 15, "Annotation changed: compare its new fields in first_difference()");

// The name of the first field in which two annotations differ; empty when they are equal.
std::string first_difference(const Annotation& a, const Annotation& b) {
  if (a.gene != b.gene) return "gene";
  if (a.gene_id != b.gene_id) return "gene_id";
  if (a.transcript_id != b.transcript_id) return "transcript_id";
  if (a.transcript_biotype != b.transcript_biotype) return "transcript_biotype";
  if (a.canonical != b.canonical) return "canonical";
  if (a.consequences != b.consequences) return "consequences";
  if (a.impact != b.impact) return "impact";
  if (a.hgvs_c != b.hgvs_c) return "hgvs_c";
  if (a.hgvs_p != b.hgvs_p) return "hgvs_p";
  if (a.hgvs_p_short != b.hgvs_p_short) return "hgvs_p_short";
  if (a.protein_start != b.protein_start) return "protein_start";
  if (a.protein_end != b.protein_end) return "protein_end";
  if (a.exon != b.exon) return "exon";
  if (a.intron != b.intron) return "intron";
  if (a.exon_count != b.exon_count) return "exon_count";
  return {};
}

// An allele to annotate, VCF style.
struct Probe {
  std::string contig;
  std::uint64_t position = 0;
  std::string ref;
  std::string alt;

  std::string text() const { return contig + ":" + std::to_string(position) + " " + ref + ">" + alt; }
};

// SplitMix64: a fixed, portable pseudo-random sequence.
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  std::uint64_t below(std::uint64_t bound) { return next() % bound; }

 private:
  std::uint64_t state_;
};

// `per_gene` alleles around every gene: positions anywhere within the gene's span +- 5.5 kb (upstream and
// downstream included), near exon boundaries (splice sites) and inside coding segments; SNVs, MNVs, deletions of
// 1-12 bases and insertions of 1-9 bases, REF taken from `genome`, indels with their anchor base.
std::vector<Probe> generate_probes(const GeneModel& model, const SequenceSource& genome, std::size_t per_gene,
                                   std::uint64_t seed) {
  constexpr std::uint64_t kReach = 5500;
  constexpr char kBases[] = "ACGT";
  SplitMix64 random(seed);
  std::vector<Probe> out;
  for (const Gene& gene : model.genes()) {
    const std::uint64_t length = genome.contig_length(gene.contig).value_or(0);
    if (length == 0 || gene.transcripts.empty()) continue;
    const std::uint64_t low = gene.start > kReach ? gene.start - kReach : 1;
    const std::uint64_t high = std::min(length, gene.end + kReach);
    for (std::size_t i = 0; i < per_gene; ++i) {
      const Transcript& transcript = gene.transcripts[random.below(gene.transcripts.size())];
      std::uint64_t position = low + random.below(high - low + 1);
      const std::uint64_t where = random.below(3);
      if (where == 1 && !transcript.exons.empty()) {
        const Segment& exon = transcript.exons[random.below(transcript.exons.size())];
        const std::uint64_t boundary = random.below(2) == 0 ? exon.start : exon.end;
        const std::uint64_t offset = random.below(25);  // boundary - 12 .. boundary + 12
        position = boundary + offset > 12 ? boundary + offset - 12 : 1;
      } else if (where == 2 && transcript.is_coding()) {
        const Segment& segment = transcript.cds[random.below(transcript.cds.size())];
        position = segment.start + random.below(segment.end - segment.start + 1);
      }
      const std::uint64_t kind = random.below(10);
      std::uint64_t ref_length = 1;
      if (kind == 5 || kind == 6) ref_length = 2 + random.below(12);  // anchor + 1-12 deleted bases
      if (kind == 9) ref_length = 2 + random.below(2);                // MNV of 2-3 bases
      if (position + ref_length - 1 > length) continue;
      Probe probe{gene.contig, position, genome.fetch(gene.contig, position, position + ref_length - 1), {}};
      if (kind <= 4 || kind == 9) {  // SNV, MNV: change every base
        for (const char base : probe.ref) {
          char changed = kBases[random.below(4)];
          while (changed == base) changed = kBases[random.below(4)];
          probe.alt += changed;
        }
      } else if (kind <= 6) {  // deletion
        probe.alt = probe.ref.substr(0, 1);
      } else {  // insertion after the anchor
        probe.alt = probe.ref;
        const std::uint64_t inserted = 1 + random.below(9);
        for (std::uint64_t b = 0; b < inserted; ++b) probe.alt += kBases[random.below(4)];
      }
      out.push_back(std::move(probe));
    }
  }
  return out;
}

// Counts of what a comparison saw, to show it was not vacuous.
struct Compared {
  std::size_t probes = 0;
  std::size_t annotated = 0;     // probes with at least one annotation
  std::size_t protein_named = 0; // probes with an hgvs_p
};

// Annotates every probe with both annotators and expects identical results.
Compared expect_same_annotations(const Annotator& expected, const Annotator& actual, const std::vector<Probe>& probes) {
  Compared compared;
  std::size_t mismatches = 0;
  for (const Probe& probe : probes) {
    const std::vector<Annotation> a = expected.annotate(probe.contig, probe.position, probe.ref, probe.alt);
    const std::vector<Annotation> b = actual.annotate(probe.contig, probe.position, probe.ref, probe.alt);
    ++compared.probes;
    if (!a.empty()) ++compared.annotated;
    if (std::any_of(a.begin(), a.end(), [](const Annotation& x) { return !x.hgvs_p.empty(); })) {
      ++compared.protein_named;
    }
    std::string difference;
    if (a.size() != b.size()) {
      difference = std::to_string(a.size()) + " vs " + std::to_string(b.size()) + " annotations";
    }
    for (std::size_t i = 0; difference.empty() && i < a.size(); ++i) {
      const std::string field = first_difference(a[i], b[i]);
      if (!field.empty()) difference = a[i].transcript_id + " field " + field;
    }
    if (!difference.empty()) {
      ADD_FAILURE() << probe.text() << ": " << difference;
      if (++mismatches >= 20) {
        ADD_FAILURE() << "stopping after 20 mismatches";
        break;
      }
    }
  }
  return compared;
}

AnnotatorOptions all_transcripts() {
  AnnotatorOptions options;
  options.transcripts = TranscriptSet::kAll;
  return options;
}

// Expects every stored window, and pieces of it, to read as the FASTA does, and every window the Annotator reads
// for any transcript to be stored.
void expect_windows_match_fasta(const ReferenceBundle& bundle, const Genome& genome) {
  const BundleSequence& sequence = bundle.sequence();
  std::size_t windows = 0;
  SplitMix64 random(7);
  for (std::size_t index = 0; index < sequence.contigs().size(); ++index) {
    const std::string& contig = sequence.contigs()[index].name;
    EXPECT_EQ(genome.contig_length(contig), sequence.contig_length(contig)) << contig;
    for (const Segment& window : sequence.windows(index)) {
      ++windows;
      ASSERT_EQ(sequence.fetch(contig, window.start, window.end), genome.fetch(contig, window.start, window.end))
          << contig << ":" << window.start << "-" << window.end;
      for (int piece = 0; piece < 20; ++piece) {
        const std::uint64_t start = window.start + random.below(window.end - window.start + 1);
        const std::uint64_t end = start + random.below(std::min<std::uint64_t>(window.end - start + 1, 200));
        ASSERT_EQ(sequence.fetch(contig, start, end), genome.fetch(contig, start, end));
        EXPECT_TRUE(sequence.covers(contig, start, end));
      }
    }
  }
  EXPECT_GT(windows, 0u);
  for (const Gene& gene : bundle.gene_model().genes()) {
    for (const Transcript& transcript : gene.transcripts) {
      const std::uint64_t length = *sequence.contig_length(transcript.contig);
      for (const GenomicWindow& window : sequence_windows(transcript, length)) {
        EXPECT_TRUE(sequence.covers(window.contig, window.start, window.end))
            << transcript.id << " " << window.contig << ":" << window.start << "-" << window.end;
      }
    }
  }
}

// A position on `contig` that an annotator-windows bundle does not store: the middle of the longest intron of
// the model's transcripts there (introns are over 2 * kSequenceFlankBases long in both references).
std::optional<std::uint64_t> deep_intron_position(const GeneModel& model, std::string_view contig) {
  std::optional<std::uint64_t> best;
  std::uint64_t best_length = 0;
  for (const Gene& gene : model.genes()) {
    if (gene.contig != contig) continue;
    for (const Transcript& transcript : gene.transcripts) {
      for (std::size_t i = 1; i < transcript.exons.size(); ++i) {
        const std::uint64_t start = transcript.exons[i - 1].end + 1;
        const std::uint64_t end = transcript.exons[i].start - 1;
        if (end >= start && end - start + 1 > best_length) {
          best_length = end - start + 1;
          best = start + (end - start) / 2;
        }
      }
    }
  }
  if (best_length <= 2 * kSequenceFlankBases + 2) return std::nullopt;
  // Far from every exon of every transcript?
  for (const Gene& gene : model.genes()) {
    for (const Transcript& transcript : gene.transcripts) {
      if (transcript.contig != contig) continue;
      for (const Segment& exon : transcript.exons) {
        if (exon.start <= *best + kSequenceFlankBases + 1 && *best <= exon.end + kSequenceFlankBases + 1) {
          return std::nullopt;
        }
      }
    }
  }
  return best;
}

// ---- the example reference (always present) -------------------------------------------------------------------

class ReferenceBundleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    files_ = example_reference();
    ASSERT_TRUE(fs::exists(files_.gene_model)) << files_.gene_model;
    bundle_path_ = temp_.path() / "example.rmref";
    build_bundle(files_.gene_model.string(), files_.fasta.string(), bundle_path_.string());
  }

  ReferenceFiles files_;
  TempDir temp_{"rarematch-bundle"};
  fs::path bundle_path_;
};

TEST_F(ReferenceBundleTest, RestoresGenesContigsAndSources) {
  const GeneModel gff3 = GeneModel::load(files_.gene_model.string());
  const Genome genome = Genome::open(files_.fasta.string());
  const ReferenceBundle bundle = ReferenceBundle::load(bundle_path_.string());
  EXPECT_EQ(bundle.path(), bundle_path_.string());
  expect_same_genes(gff3, bundle.gene_model());
  EXPECT_EQ(bundle.scope(), BundleScope::kTranscriptSpans);

  // Every FASTA contig, in FASTA order, with its length.
  std::vector<std::pair<std::string, std::uint64_t>> expected_contigs;
  for (const std::string& contig : genome.contigs()) {
    expected_contigs.emplace_back(contig, *genome.contig_length(contig));
  }
  std::vector<std::pair<std::string, std::uint64_t>> contigs;
  for (const BundleContig& contig : bundle.sequence().contigs()) contigs.emplace_back(contig.name, contig.length);
  EXPECT_EQ(contigs, expected_contigs);
  EXPECT_EQ(bundle.sequence().resolve_contig("7"), std::optional<std::string>("chr7"));
  EXPECT_EQ(bundle.sequence().contig_length("CHR7"), genome.contig_length("chr7"));
  EXPECT_FALSE(bundle.sequence().resolve_contig("chr2").has_value());

  // The synthetic contigs are short: no build is stated or recognisable.
  EXPECT_EQ(bundle.genome_build(), v1::GENOME_BUILD_UNSPECIFIED);
  EXPECT_EQ(bundle.assembly_name(), "");

  ASSERT_EQ(bundle.sources().size(), 2u);
  const std::vector<std::pair<std::string, fs::path>> expected_sources = {{"gene_model", files_.gene_model},
                                                                          {"fasta", files_.fasta}};
  for (std::size_t i = 0; i < expected_sources.size(); ++i) {
    const BundleSource& source = bundle.sources()[i];
    const auto& [role, path] = expected_sources[i];
    EXPECT_EQ(source.role, role);
    EXPECT_EQ(source.name, path.filename().string());
    EXPECT_EQ(source.size_bytes, fs::file_size(path));
    const testing::CommandResult md5sum = testing::run_command("md5sum " + testing::shell_quote(path.string()));
    ASSERT_EQ(md5sum.exit_code, 0) << md5sum.err;
    EXPECT_EQ(source.md5, md5sum.out.substr(0, 32));
  }
}

TEST_F(ReferenceBundleTest, FetchesStoredWindowsAsTheFasta) {
  const Genome genome = Genome::open(files_.fasta.string());
  const ReferenceBundle bundle = ReferenceBundle::load(bundle_path_.string());
  expect_windows_match_fasta(bundle, genome);
  // Spans +- 6 kb cover these short synthetic contigs around their genes.
  EXPECT_EQ(bundle.sequence().fetch("7", 1, 10), genome.fetch("chr7", 1, 10));
}

TEST_F(ReferenceBundleTest, AnnotatesGeneratedVariantsAsGff3AndFasta) {
  const GeneModel gff3 = GeneModel::load(files_.gene_model.string());
  const Genome genome = Genome::open(files_.fasta.string());
  const ReferenceBundle bundle = ReferenceBundle::load(bundle_path_.string());
  const std::vector<Probe> probes = generate_probes(gff3, genome, 400, 2024);
  ASSERT_GE(probes.size(), 3000u);
  for (const AnnotatorOptions& options : {AnnotatorOptions{}, all_transcripts()}) {
    const Annotator from_fasta(gff3, genome, options);
    const Annotator from_bundle(bundle.gene_model(), bundle.sequence(), options);
    const Compared compared = expect_same_annotations(from_fasta, from_bundle, probes);
    EXPECT_GT(compared.annotated, probes.size() * 3 / 4);
    EXPECT_GT(compared.protein_named, probes.size() / 10);
  }
}

TEST_F(ReferenceBundleTest, AnnotatorWindowsScopeStoresLessAndStillAnnotatesAlike) {
  const GeneModel gff3 = GeneModel::load(files_.gene_model.string());
  const Genome genome = Genome::open(files_.fasta.string());
  const fs::path small_path = temp_.path() / "small.rmref";
  BundleOptions options;
  options.scope = BundleScope::kAnnotatorWindows;
  options.contigs = genome.contigs();
  write_bundle(gff3, genome, small_path.string(), options);
  EXPECT_LT(fs::file_size(small_path), fs::file_size(bundle_path_));

  const ReferenceBundle bundle = ReferenceBundle::load(small_path.string());
  EXPECT_EQ(bundle.scope(), BundleScope::kAnnotatorWindows);
  ASSERT_EQ(bundle.sources().size(), 1u);  // no gene model path was given
  EXPECT_EQ(bundle.sources()[0].role, "fasta");
  expect_windows_match_fasta(bundle, genome);
  const Annotator from_fasta(gff3, genome, all_transcripts());
  const Annotator from_bundle(bundle.gene_model(), bundle.sequence(), all_transcripts());
  const Compared compared = expect_same_annotations(from_fasta, from_bundle, generate_probes(gff3, genome, 400, 99));
  EXPECT_GT(compared.protein_named, 300u);

  // A base deep in an intron is not stored: fetch names the bundle, contig and range.
  const std::optional<std::uint64_t> intron = deep_intron_position(gff3, "chr7");
  ASSERT_TRUE(intron.has_value());
  EXPECT_FALSE(bundle.sequence().covers("chr7", *intron, *intron));
  const Error error = expect_error([&] { bundle.sequence().fetch("7", *intron, *intron + 1); });
  EXPECT_EQ(error.file(), small_path.string());
  EXPECT_EQ(error.kind(), ErrorKind::kBadInput);
  EXPECT_EQ(error.what_failed(),
            "fetch chr7:" + std::to_string(*intron) + "-" + std::to_string(*intron + 1));
  EXPECT_NE(error.why().find("windows"), std::string::npos) << error.why();
}

TEST_F(ReferenceBundleTest, RefusesFetchesOfUnknownContigsAndRangesOutsideContigs) {
  const ReferenceBundle bundle = ReferenceBundle::load(bundle_path_.string());
  const std::uint64_t length = *bundle.sequence().contig_length("chr7");
  Error error = expect_error([&] { bundle.sequence().fetch("chr2", 1, 10); });
  EXPECT_EQ(error.file(), bundle_path_.string());
  EXPECT_EQ(error.what_failed(), "fetch chr2:1-10");
  error = expect_error([&] { bundle.sequence().fetch("chr7", length, length + 1); });
  EXPECT_EQ(error.what_failed(), "fetch chr7:" + std::to_string(length) + "-" + std::to_string(length + 1));
  error = expect_error([&] { bundle.sequence().fetch("chr7", 0, 5); });
  EXPECT_EQ(error.file(), bundle_path_.string());
  error = expect_error([&] { bundle.sequence().fetch("chr7", 9, 8); });
  EXPECT_EQ(error.file(), bundle_path_.string());
  EXPECT_FALSE(bundle.sequence().covers("chr7", 9, 8));
  EXPECT_FALSE(bundle.sequence().covers("chr2", 1, 1));
}

TEST_F(ReferenceBundleTest, RefusesTruncatedAndCorruptFilesNamingThem) {
  const std::string bytes = testing::read_file(bundle_path_);
  ASSERT_GT(bytes.size(), 1000u);
  const auto expect_refused = [this](const std::string& name, const std::string& content) {
    const fs::path path = temp_.write(name, content);
    const Error error = expect_error([&] { ReferenceBundle::load(path.string()); });
    EXPECT_EQ(error.file(), path.string()) << name;
    EXPECT_EQ(error.kind(), ErrorKind::kBadInput) << name;
    EXPECT_NE(error.hint().find("reference build"), std::string::npos) << name << ": " << error.hint();
  };
  // Truncated anywhere, including just before the checksum field (the rest is then a valid protobuf message).
  for (const std::size_t keep : {std::size_t{0}, std::size_t{1}, std::size_t{9}, bytes.size() / 3, bytes.size() / 2,
                                 bytes.size() - 10, bytes.size() - 9, bytes.size() - 1}) {
    expect_refused("truncated-" + std::to_string(keep) + ".rmref", bytes.substr(0, keep));
  }
  // One byte changed: in the middle (sequence), near the start (genes), in the checksum itself.
  for (const std::size_t at : {bytes.size() / 2, std::size_t{40}, bytes.size() - 1}) {
    std::string corrupt = bytes;
    corrupt[at] = static_cast<char>(corrupt[at] ^ 0x20);
    expect_refused("corrupt-" + std::to_string(at) + ".rmref", corrupt);
  }
  // Not a bundle at all.
  expect_refused("genes.rmref", testing::read_file(files_.gene_model));
  const fs::path missing = temp_.path() / "missing.rmref";
  const Error error = expect_error([&] { ReferenceBundle::load(missing.string()); });
  EXPECT_EQ(error.file(), missing.string());
  // The intact file still loads.
  EXPECT_NO_THROW(ReferenceBundle::load(temp_.write("intact.rmref", bytes).string()));
}

TEST_F(ReferenceBundleTest, WriteRefusesAnotherBuildsFastaAndUnwritablePaths) {
  const Genome genome = Genome::open(files_.fasta.string());
  // A transcript on a contig the FASTA lacks, and one beyond its contig's end.
  const fs::path elsewhere = temp_.write(
      "elsewhere.gff3",
      "chr2\tt\tgene\t100\t900\t.\t+\t.\tID=gene:G1;Name=ONE\n"
      "chr2\tt\tmRNA\t100\t900\t.\t+\t.\tID=transcript:T1;Parent=gene:G1\n"
      "chr2\tt\texon\t100\t900\t.\t+\t.\tParent=transcript:T1\n");
  Error error = expect_error(
      [&] { write_bundle(GeneModel::load(elsewhere.string()), genome, (temp_.path() / "x.rmref").string()); });
  EXPECT_EQ(error.file(), files_.fasta.string());
  EXPECT_NE(error.why().find("'chr2'"), std::string::npos) << error.why();
  const fs::path beyond = temp_.write(
      "beyond.gff3",
      "chr7\tt\tgene\t100\t90000\t.\t+\t.\tID=gene:G1;Name=ONE\n"
      "chr7\tt\tmRNA\t100\t90000\t.\t+\t.\tID=transcript:T1;Parent=gene:G1\n"
      "chr7\tt\texon\t100\t90000\t.\t+\t.\tParent=transcript:T1\n");
  error = expect_error(
      [&] { write_bundle(GeneModel::load(beyond.string()), genome, (temp_.path() / "x.rmref").string()); });
  EXPECT_EQ(error.file(), files_.fasta.string());
  EXPECT_NE(error.why().find("beyond"), std::string::npos) << error.why();
  EXPECT_FALSE(fs::exists(temp_.path() / "x.rmref"));

  const fs::path unwritable = temp_.path() / "no-such-folder" / "ref.rmref";
  error = expect_error([&] { build_bundle(files_.gene_model.string(), files_.fasta.string(), unwritable.string()); });
  EXPECT_EQ(error.file(), unwritable.string());
  EXPECT_EQ(error.kind(), ErrorKind::kBadInput);

  BundleOptions options;
  options.contigs = {"chr99"};
  error = expect_error([&] { write_bundle(GeneModel::load(files_.gene_model.string()), genome,
                                          (temp_.path() / "y.rmref").string(), options); });
  EXPECT_EQ(error.what_failed(), "record contig chr99");
}

TEST_F(ReferenceBundleTest, StatesTheGivenGenomeBuildAndSurvivesAMove) {
  const fs::path path = temp_.path() / "named.rmref";
  BundleOptions options;
  options.genome_build = "GRCh38.p14";
  build_bundle(files_.gene_model.string(), files_.fasta.string(), path.string(), options);
  ReferenceBundle loaded = ReferenceBundle::load(path.string());
  const ReferenceBundle bundle = std::move(loaded);
  EXPECT_EQ(bundle.genome_build(), v1::GENOME_BUILD_GRCH38);
  EXPECT_EQ(bundle.assembly_name(), "GRCh38.p14");
  const Annotator annotator(bundle.gene_model(), bundle.sequence());
  EXPECT_FALSE(bundle.gene_model().genes().empty());
}

TEST_F(ReferenceBundleTest, ReadsTheGenomeBuildFromTheGeneModelHeader) {
  const std::string gff3 = testing::read_file(files_.gene_model);
  const std::size_t first_line_end = gff3.find('\n') + 1;
  const auto build_from_header = [&](const std::string& name, const std::string& header_line) {
    const fs::path gene_model =
        temp_.write(name, gff3.substr(0, first_line_end) + header_line + "\n" + gff3.substr(first_line_end));
    const fs::path path = temp_.path() / (name + ".rmref");
    build_bundle(gene_model.string(), files_.fasta.string(), path.string());
    return ReferenceBundle::load(path.string());
  };
  const ReferenceBundle ensembl = build_from_header("ensembl.gff3", "#!genome-build GRCh38.p14");
  EXPECT_EQ(ensembl.assembly_name(), "GRCh38.p14");
  EXPECT_EQ(ensembl.genome_build(), v1::GENOME_BUILD_GRCH38);
  EXPECT_EQ(ensembl.sources()[0].name, "ensembl.gff3");
  const ReferenceBundle gencode = build_from_header(
      "gencode.gff3", "##description: evidence-based annotation of the human genome (GRCh37), version 19");
  EXPECT_EQ(gencode.assembly_name(), "GRCh37");
  EXPECT_EQ(gencode.genome_build(), v1::GENOME_BUILD_GRCH37);
}

// ---- mini-grch38 (real GRCh38 sequence and Ensembl genes) -----------------------------------------------------

struct Hotspot {
  const char* contig;
  std::uint64_t position;
  const char* ref;
  const char* alt;
  const char* gene;
  const char* protein;  // short HGVS on the canonical transcript
};

constexpr Hotspot kHotspots[] = {
    {"chr4", 54733155, "A", "T", "KIT", "p.D816V"},
    {"chr7", 55174014, "G", "A", "EGFR", "p.G719S"},
    {"chr7", 55174771, "AGGAATTAAGAGAAGC", "A", "EGFR", "p.E746_A750del"},
    {"chr7", 55181378, "C", "T", "EGFR", "p.T790M"},
    {"chr7", 55191822, "T", "G", "EGFR", "p.L858R"},
};

class ReferenceBundleRealDataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    files_ = mini_grch38();
    RAREMATCH_REQUIRE_SHARED_DATA(files_.gene_model);
    bundle_path_ = temp_.path() / "mini_grch38.rmref";
    build_bundle(files_.gene_model.string(), files_.fasta.string(), bundle_path_.string());
  }

  ReferenceFiles files_;
  TempDir temp_{"rarematch-bundle"};
  fs::path bundle_path_;
};

TEST_F(ReferenceBundleRealDataTest, MiniGrch38RestoresGenesAndFetchesAsTheFasta) {
  const GeneModel gff3 = GeneModel::load(files_.gene_model.string());
  const Genome genome = Genome::open(files_.fasta.string());
  const ReferenceBundle bundle = ReferenceBundle::load(bundle_path_.string());
  expect_same_genes(gff3, bundle.gene_model());
  std::size_t transcripts = 0;
  for (const Gene& gene : bundle.gene_model().genes()) transcripts += gene.transcripts.size();
  EXPECT_EQ(transcripts, 225u);
  // chr1 has GRCh38's length; the GFF3 header states no build.
  EXPECT_EQ(bundle.genome_build(), v1::GENOME_BUILD_GRCH38);
  EXPECT_EQ(bundle.sequence().contigs().size(), genome.contigs().size());
  expect_windows_match_fasta(bundle, genome);
  // Far from every gene nothing is stored, even with transcript spans.
  const Error error = expect_error([&] { bundle.sequence().fetch("chr1", 1000, 1010); });
  EXPECT_EQ(error.file(), bundle_path_.string());
  EXPECT_EQ(error.what_failed(), "fetch chr1:1000-1010");
}

TEST_F(ReferenceBundleRealDataTest, MiniGrch38AnnotatesHotspotsAsGff3AndFasta) {
  const GeneModel gff3 = GeneModel::load(files_.gene_model.string());
  const Genome genome = Genome::open(files_.fasta.string());
  const ReferenceBundle bundle = ReferenceBundle::load(bundle_path_.string());
  const Annotator from_fasta(gff3, genome);
  const Annotator from_bundle(bundle.gene_model(), bundle.sequence());
  for (const Hotspot& hotspot : kHotspots) {
    SCOPED_TRACE(std::string(hotspot.gene) + " " + hotspot.protein);
    const std::vector<Annotation> annotations =
        from_bundle.annotate(hotspot.contig, hotspot.position, hotspot.ref, hotspot.alt);
    const auto found = std::find_if(annotations.begin(), annotations.end(),
                                    [&](const Annotation& a) { return a.gene == hotspot.gene && a.canonical; });
    ASSERT_NE(found, annotations.end());
    EXPECT_EQ(found->hgvs_p_short, hotspot.protein);
    const std::vector<Annotation> expected =
        from_fasta.annotate(hotspot.contig, hotspot.position, hotspot.ref, hotspot.alt);
    ASSERT_EQ(annotations.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(first_difference(expected[i], annotations[i]), "");
  }
}

TEST_F(ReferenceBundleRealDataTest, MiniGrch38AnnotatesGeneratedVariantsAsGff3AndFasta) {
  const GeneModel gff3 = GeneModel::load(files_.gene_model.string());
  const Genome genome = Genome::open(files_.fasta.string());
  const std::vector<Probe> probes = generate_probes(gff3, genome, 300, 38);
  ASSERT_GE(probes.size(), 3500u);
  const Annotator from_fasta(gff3, genome, all_transcripts());
  {
    const ReferenceBundle bundle = ReferenceBundle::load(bundle_path_.string());
    const Annotator from_bundle(bundle.gene_model(), bundle.sequence(), all_transcripts());
    const Compared compared = expect_same_annotations(from_fasta, from_bundle, probes);
    EXPECT_GT(compared.annotated, probes.size() * 3 / 4);
    EXPECT_GT(compared.protein_named, probes.size() / 10);
  }
  // The smallest bundle serves the Annotator as well.
  const fs::path small_path = temp_.path() / "small.rmref";
  BundleOptions options;
  options.scope = BundleScope::kAnnotatorWindows;
  write_bundle(gff3, genome, small_path.string(), options);
  EXPECT_LT(fs::file_size(small_path) * 2, fs::file_size(bundle_path_));
  const ReferenceBundle small = ReferenceBundle::load(small_path.string());
  const Annotator from_small(small.gene_model(), small.sequence(), all_transcripts());
  expect_same_annotations(from_fasta, from_small, probes);
}

}  // namespace
}  // namespace rarematch::reference
