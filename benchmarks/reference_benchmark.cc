// Reference loading: a GFF3 (or GTF) + FASTA pair versus the reference bundle built from it, each followed by the
// construction of the Annotator, which is what `rarematch annotate` does before it reads a VCF. The aim (issue 3)
// is a bundle at least 10x faster to load than the pair. Compare the Gff3Fasta and Bundle lines with the same
// transcript set (/0 canonical transcripts, as annotate uses by default; /1 all transcripts).
//
// Data: ../shared/data/mini-grch38 when present (real GRCh38: 13 genes, 225 transcripts, bgzipped FASTA; the
// environment variable RAREMATCH_SHARED_DATA overrides the folder), else the bundled example reference
// (examples/synthetic-cohort/reference). The label of each line names the data. Bundles of both sequence scopes
// are built once per run into a temporary folder, removed at exit.
//
//   build/release/benchmarks/rarematch_reference_benchmarks --benchmark_repetitions=10
//       --benchmark_report_aggregates_only=true   (one command line)
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include <benchmark/benchmark.h>

#include "reference/annotator.h"
#include "reference/bundle.h"
#include "reference/gene_model.h"
#include "reference/genome.h"

namespace {

namespace fs = std::filesystem;
using namespace rarematch::reference;

struct ReferenceInputs {
  std::string gene_model;
  std::string fasta;
  std::string label;
};

ReferenceInputs reference_inputs() {
  const char* shared = std::getenv("RAREMATCH_SHARED_DATA");
  const fs::path shared_dir =
      shared != nullptr ? fs::path(shared) : fs::path(RAREMATCH_SOURCE_DIR) / ".." / "shared" / "data";
  const fs::path mini = shared_dir / "mini-grch38";
  if (fs::exists(mini / "mini_grch38.gff3")) {
    return {(mini / "mini_grch38.gff3").string(), (mini / "mini_grch38.fa.gz").string(), "mini-grch38"};
  }
  const fs::path example = fs::path(RAREMATCH_SOURCE_DIR) / "examples" / "synthetic-cohort" / "reference";
  return {(example / "genes.gff3").string(), (example / "genome.fa").string(), "example"};
}

// The inputs and their bundles, made on first use and removed at exit.
class Fixture {
 public:
  static const Fixture& get() {
    static const Fixture fixture;
    return fixture;
  }

  Fixture(const Fixture&) = delete;
  Fixture& operator=(const Fixture&) = delete;
  ~Fixture() {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  const ReferenceInputs& inputs() const { return inputs_; }
  const std::string& bundle(BundleScope scope) const {
    return scope == BundleScope::kTranscriptSpans ? spans_ : windows_;
  }

 private:
  Fixture() : inputs_(reference_inputs()) {
    dir_ = fs::temp_directory_path() / ("rarematch-reference-benchmark-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    spans_ = (dir_ / "spans.rmref").string();
    windows_ = (dir_ / "windows.rmref").string();
    build_bundle(inputs_.gene_model, inputs_.fasta, spans_);
    BundleOptions options;
    options.scope = BundleScope::kAnnotatorWindows;
    build_bundle(inputs_.gene_model, inputs_.fasta, windows_, options);
  }

  ReferenceInputs inputs_;
  fs::path dir_;
  std::string spans_;
  std::string windows_;
};

AnnotatorOptions annotator_options(const benchmark::State& state) {
  AnnotatorOptions options;
  options.transcripts = state.range(0) == 0 ? TranscriptSet::kCanonical : TranscriptSet::kAll;
  return options;
}

void BM_LoadGff3FastaAndAnnotator(benchmark::State& state) {
  const Fixture& fixture = Fixture::get();
  const AnnotatorOptions options = annotator_options(state);
  for (auto _ : state) {
    const GeneModel model = GeneModel::load(fixture.inputs().gene_model);
    const Genome genome = Genome::open(fixture.inputs().fasta);
    Annotator annotator(model, genome, options);
    benchmark::DoNotOptimize(annotator);
  }
  state.SetLabel(fixture.inputs().label);
}

void load_bundle_and_annotator(benchmark::State& state, BundleScope scope) {
  const Fixture& fixture = Fixture::get();
  const AnnotatorOptions options = annotator_options(state);
  for (auto _ : state) {
    const ReferenceBundle bundle = ReferenceBundle::load(fixture.bundle(scope));
    Annotator annotator(bundle.gene_model(), bundle.sequence(), options);
    benchmark::DoNotOptimize(annotator);
  }
  state.SetLabel(fixture.inputs().label + ", " + std::to_string(fs::file_size(fixture.bundle(scope))) + " bytes");
}

void BM_LoadBundleSpansAndAnnotator(benchmark::State& state) {
  load_bundle_and_annotator(state, BundleScope::kTranscriptSpans);
}

void BM_LoadBundleWindowsAndAnnotator(benchmark::State& state) {
  load_bundle_and_annotator(state, BundleScope::kAnnotatorWindows);
}

// The parts: reading only the gene model, only the bundle.
void BM_LoadGeneModelOnly(benchmark::State& state) {
  const Fixture& fixture = Fixture::get();
  for (auto _ : state) {
    const GeneModel model = GeneModel::load(fixture.inputs().gene_model);
    benchmark::DoNotOptimize(model.genes().data());
  }
  state.SetLabel(fixture.inputs().label);
}

void BM_LoadBundleSpansOnly(benchmark::State& state) {
  const Fixture& fixture = Fixture::get();
  for (auto _ : state) {
    const ReferenceBundle bundle = ReferenceBundle::load(fixture.bundle(BundleScope::kTranscriptSpans));
    benchmark::DoNotOptimize(bundle.gene_model().genes().data());
  }
  state.SetLabel(fixture.inputs().label);
}

BENCHMARK(BM_LoadGff3FastaAndAnnotator)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LoadBundleSpansAndAnnotator)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LoadBundleWindowsAndAnnotator)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LoadGeneModelOnly)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LoadBundleSpansOnly)->Unit(benchmark::kMillisecond);

}  // namespace
