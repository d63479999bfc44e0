// Our annotator against bcftools csq (-l, local mode; the apt package, 1.16) on real sequence:
//   - mini-grch38: a seeded generated VCF (every transcript hit, with indel, splice-site and MNV quotas) plus the
//     five trial hotspots;
//   - ga4gh-brca1-grch37: the 1000 Genomes BRCA1 records, with the GENCODE GFF3 read as it is by us and a copy
//     rewritten for csq 1.16.
// Both run `bcftools norm` first (our pipeline annotates normalised records) and compare canonical-transcript calls
// through the mapping of tests/data/csq/README.md. Every disagreement must fall in a class of the committed file
// (tests/data/csq/*-disagreements.tsv) with at most its count; a new class or a higher count fails and the table
// of observed classes is printed. Set RAREMATCH_CSQ_DISAGREEMENTS_OUT=<folder> to get the observed file.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "reference/annotator.h"
#include "reference/gene_model.h"
#include "reference/genome.h"
#include "tests/support/csq_compare.h"
#include "tests/support/csq_notation.h"
#include "tests/support/test_support.h"
#include "tests/support/variant_generator.h"

namespace rarematch::testing {
namespace {

namespace fs = std::filesystem;
using reference::Annotation;
using reference::Annotator;
using reference::GeneModel;
using reference::Genome;

/// The generator's seed for mini-grch38 (any fixed value; changing it changes the disagreement counts).
constexpr std::uint64_t kMiniSeed = 20240603;
constexpr std::size_t kMiniDrawsPerTranscript = 14;

/// A hotspot as trials name it, with the allele that encodes it on GRCh38 (checked with bcftools csq, see
/// ../shared/data/INDEX.md).
struct Hotspot {
  const char* gene;
  const char* contig;
  std::uint64_t position;
  const char* ref;
  const char* alt;
  const char* hgvs_p_short;
};

constexpr Hotspot kHotspots[] = {
    {"KIT", "chr4", 54733155, "A", "T", "p.D816V"},
    {"EGFR", "chr7", 55174014, "G", "A", "p.G719S"},
    {"EGFR", "chr7", 55174771, "AGGAATTAAGAGAAGC", "A", "p.E746_A750del"},
    {"EGFR", "chr7", 55181378, "C", "T", "p.T790M"},
    {"EGFR", "chr7", 55191822, "T", "G", "p.L858R"},
};

fs::path mini_folder() { return shared_data_dir() / "mini-grch38"; }
fs::path brca1_folder() { return shared_data_dir() / "ga4gh-brca1-grch37"; }
fs::path disagreement_file(const std::string& name) { return source_dir() / "tests" / "data" / "csq" / name; }

/// The comparison of a csq-annotated, normalised VCF with our annotations of all transcripts. Canonical-transcript
/// calls are the ones checked (threshold and committed classes); the other transcripts' calls are counted and
/// printed for information.
struct RunResult {
  std::size_t alleles = 0;
  ComparisonCounts canonical;
  ComparisonCounts other_transcripts;
  DisagreementTally tally;             ///< canonical-transcript calls
  DisagreementTally other_tally;       ///< calls on other transcripts (printed, not checked)
  std::size_t uncompared_entries = 0;  ///< csq entries naming a transcript our model does not hold
  std::size_t calls_on_other_genes = 0;
  /// "CHROM:POS REF ALT" of the record before normalisation -> whether any of its alleles was annotated.
  std::map<std::string, bool> annotated;
  /// Transcripts on which we report a consequence other than upstream/downstream_gene_variant.
  std::set<std::string> hit_transcripts;
};

RunResult compare_run(const std::vector<VcfTextRecord>& csq_records, const Annotator& annotator,
                      const CsqComparer& comparer, const std::vector<std::string>& genes) {
  RunResult result;
  for (const VcfTextRecord& record : csq_records) {
    if (record.alts.size() != 1) {
      throw std::runtime_error("record not split by bcftools norm: line " + std::to_string(record.line));
    }
    ++result.alleles;
    const std::string& alt = record.alts.front();
    const std::vector<Annotation> ours = annotator.annotate(record.contig, record.position, record.ref, alt);
    bool& any = result.annotated[record.contig + ":" + original_allele(record)];
    any = any || !ours.empty();
    for (const Annotation& annotation : ours) {
      const bool flank_only = std::all_of(annotation.consequences.begin(), annotation.consequences.end(),
                                          [](const std::string& term) { return is_uncompared_term(term); });
      if (!flank_only) result.hit_transcripts.insert(annotation.transcript_id);
    }
    const AlleleComparison compared = comparer.compare(record.contig, record.position, record.ref, alt, ours,
                                                       parse_bcsq(info_value(record.info, "BCSQ")));
    result.uncompared_entries += compared.uncompared_entries;
    for (const CallComparison& call : compared.calls) {
      if (!genes.empty() && std::find(genes.begin(), genes.end(), call.gene) == genes.end()) {
        ++result.calls_on_other_genes;
      } else if (call.canonical) {
        result.canonical.add(call);
        result.tally.add(call);
      } else {
        result.other_transcripts.add(call);
        result.other_tally.add(call);
      }
    }
  }
  return result;
}

/// Prints the run and checks its canonical-transcript calls against the committed disagreement file.
void check_against_file(const std::string& title, const RunResult& run, const std::string& file_name) {
  std::cout << title << ": " << run.alleles << " alleles\n  canonical transcripts: " << run.canonical.summary()
            << "\n  other transcripts (not checked): " << run.other_transcripts.summary()
            << "\n  csq entries of transcripts we do not hold: " << run.uncompared_entries
            << "; calls on other genes (not compared): " << run.calls_on_other_genes << "\n"
            << "canonical transcripts, " << run.tally.table(3) << "other transcripts, " << run.other_tally.table(1);
  const std::vector<DisagreementClass> accepted = read_disagreement_file(disagreement_file(file_name));
  const fs::path exported = export_disagreements(file_name, run.tally, accepted);
  if (!exported.empty()) {
    export_disagreements("other-transcripts-" + file_name, run.other_tally, {});
    std::cout << "observed classes written to " << exported << "\n";
  }
  for (const std::string& problem : disagreement_problems(accepted, run.tally)) {
    ADD_FAILURE() << problem << "\n  (accepted classes: " << disagreement_file(file_name) << ")";
  }
}

/// Our annotator on every transcript (csq reports every transcript too).
Annotator all_transcripts(const GeneModel& model, const Genome& genome) {
  return Annotator(model, genome, reference::AnnotatorOptions{reference::TranscriptSet::kAll, {}});
}

TEST(CsqComparisonTest, MiniGrch38HotspotsReadAsTrialsNameThem) {
  RAREMATCH_REQUIRE_SHARED_DATA(mini_folder());
  const GeneModel model = GeneModel::load_gff3((mini_folder() / "mini_grch38.gff3").string());
  const Genome genome = Genome::open((mini_folder() / "mini_grch38.fa.gz").string());
  const Annotator annotator(model, genome);
  for (const Hotspot& hotspot : kHotspots) {
    SCOPED_TRACE(std::string(hotspot.gene) + " " + hotspot.hgvs_p_short);
    const auto annotations = annotator.annotate(hotspot.contig, hotspot.position, hotspot.ref, hotspot.alt);
    const auto found = std::find_if(annotations.begin(), annotations.end(),
                                    [&hotspot](const Annotation& a) { return a.gene == hotspot.gene; });
    ASSERT_NE(found, annotations.end());
    EXPECT_EQ(found->hgvs_p_short, hotspot.hgvs_p_short);
  }
}

TEST(CsqComparisonTest, MiniGrch38AgreesWithBcftoolsCsq) {
  RAREMATCH_REQUIRE_SHARED_DATA(mini_folder());
  RAREMATCH_REQUIRE_BCFTOOLS();
  const fs::path gff = mini_folder() / "mini_grch38.gff3";
  const fs::path fasta = mini_folder() / "mini_grch38.fa.gz";
  const GeneModel model = GeneModel::load_gff3(gff.string());
  const Genome genome = Genome::open(fasta.string());

  const GeneratedSet generated = generate_variants(model, genome, {kMiniSeed, kMiniDrawsPerTranscript});
  std::size_t transcripts = 0;
  for (const auto& gene : model.genes()) transcripts += gene.transcripts.size();
  ASSERT_EQ(transcripts, 225u);
  const double total = static_cast<double>(generated.variants.size());
  const std::size_t indels = generated.count(VariantKind::kInsertion) + generated.count(VariantKind::kDeletion) +
                             generated.count(VariantKind::kDelins);
  std::cout << "generated " << generated.variants.size() << " variants on " << generated.per_transcript.size()
            << " transcripts: " << generated.count(VariantKind::kSnv) << " SNVs, "
            << generated.count(VariantKind::kMnv) << " MNVs, " << indels << " indels, "
            << generated.near_splice_sites() << " within 10 bp of a splice site\n";
  EXPECT_GE(generated.variants.size(), 3000u);
  EXPECT_EQ(generated.per_transcript.size(), transcripts) << "every transcript is hit";
  EXPECT_GE(static_cast<double>(indels) / total, 0.20);
  EXPECT_GE(static_cast<double>(generated.near_splice_sites()) / total, 0.10);
  EXPECT_GE(static_cast<double>(generated.count(VariantKind::kMnv)) / total, 0.03);

  std::vector<GeneratedVariant> variants = generated.variants;
  for (const Hotspot& hotspot : kHotspots) {
    GeneratedVariant variant;
    variant.contig = hotspot.contig;
    variant.position = hotspot.position;
    variant.ref = hotspot.ref;
    variant.alt = hotspot.alt;
    variant.category = "hotspot";
    variants.push_back(variant);
  }

  const TempDir dir("rarematch-csq-mini");
  const fs::path input = dir.write("generated.vcf", to_vcf(variants, genome));
  const fs::path normalised = dir.path() / "normalised.vcf";
  const fs::path annotated = dir.path() / "csq.vcf";
  run_checked("bcftools norm -m -any --old-rec-tag ORIGINAL -f " + shell_quote(fasta.string()) + " -Ov -o " +
              shell_quote(normalised.string()) + " " + shell_quote(input.string()));
  run_checked("bcftools csq -l -f " + shell_quote(fasta.string()) + " -g " + shell_quote(gff.string()) +
              " -Ov -o " + shell_quote(annotated.string()) + " " + shell_quote(normalised.string()));
  const std::vector<VcfTextRecord> records = parse_vcf_text(read_file(annotated));
  ASSERT_GE(records.size(), variants.size()) << "bcftools norm or csq dropped records";

  const Annotator annotator = all_transcripts(model, genome);
  const CsqComparer comparer(model, genome, CompareScope::kAll);
  const RunResult run = compare_run(records, annotator, comparer, {});
  check_against_file("mini-grch38 vs bcftools csq -l", run, "mini-grch38-disagreements.tsv");
  // Issue 3's target is >= 99% of canonical-transcript calls; the annotator is at 96.98% (2925 of 3016) and the
  // issue stays open. This floor catches regressions: raise it as classes marked OPEN in the file are resolved.
  constexpr double kAgreementFloor = 2925.0 / 3016.0;
  EXPECT_GE(run.canonical.agreement(), kAgreementFloor) << run.canonical.summary();
  std::cout << "target 99%: " << (run.canonical.agreement() >= 0.99 ? "met" : "NOT met") << "\n";
  EXPECT_EQ(run.hit_transcripts.size(), transcripts) << "transcripts with a consequence of a generated variant";
  EXPECT_EQ(run.uncompared_entries, 0u);

  // csq reads the hotspots as the trials name them, through our mapping (a check of the mapping itself).
  for (const Hotspot& hotspot : kHotspots) {
    SCOPED_TRACE(std::string(hotspot.gene) + " " + hotspot.hgvs_p_short);
    const auto record = std::find_if(records.begin(), records.end(), [&hotspot](const VcfTextRecord& r) {
      return r.contig == hotspot.contig && r.position == hotspot.position && r.ref == hotspot.ref;
    });
    ASSERT_NE(record, records.end());
    const auto gene = model.find_gene(hotspot.gene);
    ASSERT_NE(gene, nullptr);
    const auto csq = parse_bcsq(info_value(record->info, "BCSQ"));
    const auto entry = std::find_if(csq.begin(), csq.end(), [gene](const CsqConsequence& c) {
      return c.transcript == gene->canonical_transcript()->id;
    });
    ASSERT_NE(entry, csq.end());
    std::set<std::string> terms;
    for (const std::string& term : entry->terms) terms.insert(so_term_for_csq(term).value_or(term));
    EXPECT_EQ(csq_protein_to_hgvs(entry->protein, terms, reference_protein(*gene->canonical_transcript(), genome)),
              hotspot.hgvs_p_short);
  }
}

TEST(CsqComparisonTest, Ga4ghBrca1AgreesWithBcftoolsCsq) {
  RAREMATCH_REQUIRE_SHARED_DATA(brca1_folder());
  RAREMATCH_REQUIRE_BCFTOOLS();
  const fs::path gff = brca1_folder() / "brca1_gencodev19.chr17_GRCh37.gff3";
  const fs::path fasta = brca1_folder() / "17_GRCh37.BRCA1_region_only.Npadded.fa.gz";
  const fs::path vcf = brca1_folder() / "brca1_1kgPhase3_variants.chr17_GRCh37.vcf.gz";

  // We read the GENCODE GFF3 as it is; csq 1.16 gets the rewritten copy.
  const GeneModel model = GeneModel::load_gff3(gff.string());
  const Genome genome = Genome::open(fasta.string());
  ASSERT_NE(model.find_gene("BRCA1"), nullptr);
  const TempDir dir("rarematch-csq-brca1");
  const fs::path csq_gff = dir.write("brca1.csq.gff3", rewrite_gencode_gff3_for_csq(read_file(gff)));
  const fs::path normalised = dir.path() / "normalised.vcf";
  const fs::path annotated = dir.path() / "csq.vcf";
  run_checked("bcftools norm -m -any --old-rec-tag ORIGINAL -f " + shell_quote(fasta.string()) + " -Ov -o " +
              shell_quote(normalised.string()) + " " + shell_quote(vcf.string()));
  run_checked("bcftools csq -l -s - -f " + shell_quote(fasta.string()) + " -g " + shell_quote(csq_gff.string()) +
              " -Ov -o " + shell_quote(annotated.string()) + " " + shell_quote(normalised.string()));
  const std::vector<VcfTextRecord> input =
      parse_vcf_text(run_checked("bcftools view -H " + shell_quote(vcf.string())));
  const std::vector<VcfTextRecord> records = parse_vcf_text(read_file(annotated));

  const Annotator annotator = all_transcripts(model, genome);
  const CsqComparer comparer(model, genome, CompareScope::kAll);
  const RunResult run = compare_run(records, annotator, comparer, {"BRCA1"});

  // Every input record is annotated, or skipped for a reason we can name.
  std::map<std::string, std::size_t> outcome;
  for (const VcfTextRecord& record : input) {
    std::string key;
    for (const std::string& alt : record.alts) {
      const std::string kind = allele_kind(record.ref, alt);
      const auto found = run.annotated.find(record.contig + ":" + std::to_string(record.position) + " " + record.ref +
                                            " " + alt);
      if (found != run.annotated.end() && found->second) {
        key = "annotated";
        break;
      }
      if (kind == "symbolic") {
        key = "skipped: symbolic allele " + alt;
      } else if (kind == "none") {
        key = "skipped: REF equals ALT";
      } else if (found == run.annotated.end()) {
        key = "skipped: not in bcftools norm output";
      } else {
        key = "skipped: no gene within 5 kb";
      }
    }
    ++outcome[key];
  }
  std::cout << "records of " << vcf.filename() << ":\n";
  for (const auto& [key, count] : outcome) std::cout << "  " << key << ": " << count << "\n";
  EXPECT_EQ(input.size(), 2052u);
  const std::map<std::string, std::size_t> expected_outcome = {{"annotated", 2051},
                                                                {"skipped: symbolic allele <CN0>", 1}};
  EXPECT_EQ(outcome, expected_outcome);

  check_against_file("ga4gh BRCA1 (1000 Genomes) vs bcftools csq -l", run, "ga4gh-brca1-disagreements.tsv");
}

}  // namespace
}  // namespace rarematch::testing
