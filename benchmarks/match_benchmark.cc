// Micro-benchmarks of the matcher on the bundled example's catalogue: compiling it, and matching one patient.
// Patients are generated (seeded) with a few calls in the catalogue's genes and random clinical facts.
#include <random>

#include <benchmark/benchmark.h>

#include "matchers/catalogue_io.h"
#include "matchers/compiled_catalogue.h"
#include "matchers/match.h"
#include "reference/oncotree.h"

namespace {

namespace v1 = rarematch::v1;
using namespace rarematch;

const std::string kExample = std::string(RAREMATCH_SOURCE_DIR) + "/examples/synthetic-cohort/";

v1::PatientProfile random_patient(std::mt19937& rng, int index) {
  static const std::vector<std::string> genes = {"EGFR", "KIT", "KRAS", "BRAF", "BRCA2", "ERBB2", "NTRK1", "TP53"};
  static const std::vector<std::string> codes = {"LUAD", "NSCLC", "COADREAD", "MEL", "GIST", "BRCA", "AML"};
  static const std::vector<std::string> terms = {"missense_variant", "intron_variant", "frameshift_variant"};
  v1::PatientProfile profile;
  profile.set_patient_id("P" + std::to_string(index));
  auto* sample = profile.add_samples();
  sample->set_sample_id(profile.patient_id() + "-T");
  sample->mutable_small_variants()->set_state(v1::COVERAGE_STATE_DECLARED);
  sample->mutable_small_variants()->set_genome_wide(true);
  for (int i = std::uniform_int_distribution<int>(0, 4)(rng); i > 0; --i) {
    auto* call = profile.add_small_variants();
    call->set_sample_id(sample->sample_id());
    call->set_gene(genes[rng() % genes.size()]);
    call->add_consequences(terms[rng() % terms.size()]);
    call->set_filter_pass(rng() % 10 != 0);
    call->set_vaf(std::uniform_real_distribution<double>(0.02, 0.6)(rng));
  }
  if (rng() % 5 != 0) profile.mutable_clinical()->set_age_years(std::uniform_int_distribution<int>(12, 90)(rng));
  if (rng() % 5 != 0) profile.mutable_clinical()->set_oncotree_code(codes[rng() % codes.size()]);
  if (rng() % 3 != 0) profile.mutable_clinical()->set_ecog(rng() % 4);
  return profile;
}

void BM_CompileCatalogue(benchmark::State& state) {
  const auto loaded = matchers::LoadedCatalogue::read(kExample + "trials.textproto");
  for (auto _ : state) {
    auto compiled = matchers::CompiledCatalogue::compile(loaded.catalogue(), false);
    benchmark::DoNotOptimize(compiled.arms().data());
  }
}
BENCHMARK(BM_CompileCatalogue);

void BM_MatchPatient(benchmark::State& state) {
  const auto oncotree = reference::OncoTree::load_json(kExample + "oncotree.json");
  const auto compiled =
      matchers::CompiledCatalogue::compile(matchers::LoadedCatalogue::read(kExample + "trials.textproto").catalogue(),
                                           false);
  matchers::EvaluationContext context;
  context.oncotree = &oncotree;
  std::mt19937 rng(7);
  std::vector<v1::PatientProfile> patients;
  for (int i = 0; i < 1000; ++i) patients.push_back(random_patient(rng, i));
  std::size_t next = 0;
  std::int64_t candidates = 0;
  for (auto _ : state) {
    const auto matches = matchers::match_patient(compiled, patients[next++ % patients.size()], context);
    candidates += matches.candidates_size();
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["candidates/patient"] =
      benchmark::Counter(static_cast<double>(candidates) / static_cast<double>(state.iterations()));
}
BENCHMARK(BM_MatchPatient);

}  // namespace
