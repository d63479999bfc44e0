#include "pipeline/annotate.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include <oneapi/tbb/parallel_pipeline.h>

#include "pipeline/clinical.h"
#include "pipeline/preannotated.h"
#include "pipeline/profile_builder.h"
#include "pipeline/reference_context.h"
#include "pipeline/samplesheet.h"
#include "pipeline/vcf_reader.h"
#include "reference/error.h"
#include "reference/oncotree.h"

namespace rarematch::pipeline {

namespace v1 = rarematch::v1;

namespace {

constexpr std::size_t kBatchRecords = 2048;

/// The samples read from one variant file.
struct VcfPlan {
  std::string path;
  std::vector<SampleSource*> samples;  ///< into the cohort's sample list
};

bool is_normal_name(const std::string& name, const std::vector<std::string>& normals,
                    const std::optional<std::string>& declared_normal) {
  if (declared_normal && name == *declared_normal) return true;
  if (std::find(normals.begin(), normals.end(), name) != normals.end()) return true;
  std::string upper = name;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return upper == "NORMAL";
}

std::string upper_assay(const std::string& assay) {
  std::string upper = assay;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return upper == "WES" || upper == "WGS" ? upper : assay;
}

/// Sample sources from the samplesheet, in row order.
std::vector<SampleSource> samples_from_samplesheet(const Samplesheet& sheet) {
  std::vector<SampleSource> out;
  for (const auto& row : sheet.rows) {
    SampleSource source;
    source.patient = row.patient;
    source.sample = row.sample;
    source.vcf = row.vcf;
    source.vcf_column = row.tumor_sample;
    source.assay = upper_assay(row.assay);
    source.origin_file = sheet.path;
    source.origin_line = row.line;
    out.push_back(std::move(source));
  }
  return out;
}

/// One sample per tumour column of each --vcf file (patient = sample = column name).
std::vector<SampleSource> samples_from_vcfs(const InputSettings& inputs) {
  std::vector<SampleSource> out;
  for (const auto& path : inputs.vcfs) {
    const VcfReader reader = VcfReader::open(path);
    const auto declared_normal = reader.header_value("normal_sample");
    for (const auto& column : reader.sample_names()) {
      if (is_normal_name(column, inputs.normal_columns, declared_normal)) continue;
      SampleSource source;
      source.patient = column;
      source.sample = column;
      source.vcf = path;
      source.vcf_column = column;
      source.origin_file = path;
      out.push_back(std::move(source));
    }
  }
  return out;
}

/// Decides the VCF column of each sample (see README "Inputs"), or throws naming the samplesheet row.
std::vector<int> resolve_columns(const VcfReader& reader, const std::vector<SampleSource*>& samples) {
  const auto names = reader.sample_names();
  const auto column_of = [&](const std::string& name) -> std::optional<int> {
    const auto it = std::find(names.begin(), names.end(), name);
    if (it == names.end()) return std::nullopt;
    return static_cast<int>(it - names.begin());
  };
  const auto declared_tumour = reader.header_value("tumor_sample");
  const auto declared_normal = reader.header_value("normal_sample");
  std::vector<int> columns;
  for (SampleSource* sample : samples) {
    std::optional<int> column;
    if (!sample->vcf_column.empty()) {
      column = column_of(sample->vcf_column);
      if (!column) {
        throw_bad_input(sample->origin_file, sample->origin_line, "column tumor_sample",
                        "'" + sample->vcf_column + "' is not a sample column of " + reader.path(),
                        "the VCF's columns are listed by 'bcftools query -l " + reader.path() + "'");
      }
    } else if ((column = column_of(sample->sample))) {
    } else if (names.size() == 1) {
      column = 0;
    } else if (declared_tumour && (column = column_of(*declared_tumour))) {
    } else {
      throw_bad_input(sample->origin_file, sample->origin_line, "sample " + sample->sample,
                      "cannot tell which of the " + std::to_string(names.size()) + " columns of " + reader.path() +
                          " holds it",
                      "add a tumor_sample column naming the VCF column");
    }
    sample->vcf_column = names.empty() ? "" : names[static_cast<std::size_t>(*column)];
    if (declared_normal) sample->normal_column = *declared_normal;
    columns.push_back(names.empty() ? -1 : *column);
  }
  return columns;
}

/// Refuses a VCF whose declared contig lengths contradict the reference (another genome build), unless the user
/// said the reference is an excerpt (--ignore-contig-lengths).
void check_contigs(const VcfReader& reader, const reference::SequenceSource& sequence, const AnnotationSettings& settings) {
  if (settings.ignore_contig_lengths) return;
  for (const auto& contig : reader.contigs()) {
    if (!contig.length) continue;
    const auto length = sequence.contig_length(contig.name);
    if (length && *length != *contig.length) {
      throw_bad_input(reader.path(), std::nullopt, "##contig " + contig.name,
                      "declared length " + std::to_string(*contig.length) + " but " + sequence.path() + " has " +
                          std::to_string(*length) + ": the VCF was called against another genome build",
                      "annotate it with the reference it was called against (e.g. GRCh37 vs GRCh38); for an excerpt "
                      "reference, give --ignore-contig-lengths");
    }
  }
}

/// Whether records of each header contig id are on the reference: checked once per id, then remembered. A record
/// on a contig the reference lacks is an error, or a counted skip with --skip-unknown-contigs.
class ContigChecker {
 public:
  ContigChecker(const VcfReader& reader, const reference::SequenceSource* sequence, bool skip_unknown)
      : reader_(reader), sequence_(sequence), skip_unknown_(skip_unknown) {}

  /// True when the record's contig is on the reference (always true without a reference).
  bool known(const bcf_hdr_t* header, int rid, std::uint64_t ordinal) {
    if (sequence_ == nullptr) return true;
    const auto index = static_cast<std::size_t>(rid);
    if (index >= state_.size()) state_.resize(index + 1, State::kUnchecked);
    if (state_[index] == State::kUnchecked) {
      const std::string contig = bcf_hdr_id2name(header, rid);
      state_[index] = sequence_->resolve_contig(contig) ? State::kKnown : State::kUnknown;
      if (state_[index] == State::kUnknown && !skip_unknown_) {
        throw_bad_input(reader_.path(), reader_.line_of(ordinal),
                        "contig " + contig + " (record " + std::to_string(ordinal) + ")",
                        "not in the reference " + sequence_->path(),
                        "use the reference the VCF was called against (contig names chr7 and 7 are matched), or "
                        "count such records as skipped with --skip-unknown-contigs");
      }
    }
    return state_[index] == State::kKnown;
  }

 private:
  enum class State : std::uint8_t { kUnchecked, kKnown, kUnknown };
  const VcfReader& reader_;
  const reference::SequenceSource* sequence_;
  bool skip_unknown_;
  std::vector<State> state_;
};

/// One ALT allele of one record that a selected sample carries: annotated once, whatever the number of samples.
struct AlleleWork {
  std::uint64_t record_ordinal = 0;
  std::string contig;
  std::uint64_t position = 0;
  std::string ref;
  std::string alt;
  std::vector<reference::Annotation> given;  ///< pre-annotated input: the entries of this allele
  AlleleOutcome outcome;                     ///< filled by the parallel stage
};

/// Work passed between the pipeline's stages.
struct Batch {
  std::vector<Call> calls;
  std::vector<std::size_t> call_allele;  ///< for each call, its index in `alleles_work`
  std::vector<AlleleWork> alleles_work;
  std::vector<v1::SmallVariant> variants;
  std::uint64_t records = 0;
  std::uint64_t alleles = 0;           ///< ALT alleles of the records read
  std::uint64_t annotated_calls = 0;   ///< calls whose allele was annotated
  std::map<std::string, std::uint64_t> skipped;  ///< records (contigs) or alleles by reason
};

/// Everything read from one file.
struct FileResult {
  std::vector<v1::SmallVariant> variants;
  std::uint64_t records = 0;
  std::uint64_t alleles = 0;
  std::uint64_t calls = 0;
  std::uint64_t annotated_calls = 0;
  std::map<std::string, std::uint64_t> skipped;
};

/// Turns one annotated allele of one call into one SmallVariant per gene and sample.
void add_variants(const Call& call, const AlleleOutcome& allele,
                  const std::vector<std::vector<std::string>>& samples_of_column, const VcfReader& reader,
                  Batch& batch) {
  const auto column = static_cast<std::size_t>(std::max(call.sample_column, 0));
  for (const auto& sample_id : samples_of_column[column]) {
    for (const auto& annotation : allele.annotations) {
      v1::SmallVariant variant;
      variant.set_sample_id(sample_id);
      variant.set_contig(call.contig);
      variant.set_position(allele.position);
      variant.set_ref(allele.ref);
      variant.set_alt(allele.alt);
      variant.set_gene(annotation.gene);
      variant.set_transcript_id(annotation.transcript_id);
      for (const auto& term : annotation.consequences) variant.add_consequences(term);
      variant.set_impact(annotation.impact);
      variant.set_hgvs_c(annotation.hgvs_c);
      variant.set_hgvs_p(annotation.hgvs_p);
      variant.set_hgvs_p_short(annotation.hgvs_p_short);
      variant.set_protein_start(annotation.protein_start);
      variant.set_protein_end(annotation.protein_end);
      variant.set_exon(annotation.exon);
      variant.set_intron(annotation.intron);
      variant.set_exon_count(annotation.exon_count);
      if (call.vaf) variant.set_vaf(*call.vaf);
      if (call.depth) variant.set_depth(*call.depth);
      if (call.alt_depth) variant.set_alt_depth(*call.alt_depth);
      variant.set_filter_pass(call.filter_pass);
      for (const auto& filter : call.filters) variant.add_filters(filter);
      variant.set_source_record(reader.describe_record(call.record_ordinal));
      batch.variants.push_back(std::move(variant));
    }
  }
}

/// The most severe given annotation per gene; with the canonical choice and a source that flags canonical
/// transcripts (VEP), only those.
std::vector<reference::Annotation> choose_given(std::vector<reference::Annotation> given,
                                               const AnnotationSettings& settings, bool flags_canonical) {
  if (settings.transcripts == TranscriptChoice::kCanonical && flags_canonical) {
    std::erase_if(given, [](const reference::Annotation& a) { return !a.canonical; });
  }
  return reference::most_severe_per_gene(given);
}

/// The pre-annotation parser for a file, when its annotations are to be used (nullopt: builtin annotation).
std::optional<PreannotationParser> preannotation_for(const VcfReader& reader, const AnnotationSettings& settings,
                                                     bool have_reference) {
  std::optional<PreannotationFormat> format;
  switch (settings.source) {
    case AnnotationSource::kBuiltin: return std::nullopt;
    case AnnotationSource::kVep: format = PreannotationFormat::kVep; break;
    case AnnotationSource::kSnpEff: format = PreannotationFormat::kSnpEff; break;
    case AnnotationSource::kBcsq: format = PreannotationFormat::kBcsq; break;
    case AnnotationSource::kAuto:
      format = detect_preannotation(reader.header());
      if (!format && !have_reference) {
        throw_bad_input(reader.path(), std::nullopt, "annotation",
                        "the header declares no VEP CSQ, SnpEff ANN or bcftools BCSQ field and no reference is given",
                        "give --gff3 and --fasta (or --reference) to annotate it");
      }
      if (!format) return std::nullopt;
      break;
  }
  return PreannotationParser::from_header(reader.header(), *format, reader.path());
}

/// Index of `alt` among the record's ALT alleles (1-based, as HTSlib numbers them), or -1.
int allele_index(const bcf1_t* record, const std::string& alt) {
  for (int i = 1; i < record->n_allele; ++i) {
    if (alt == record->d.allele[i]) return i;
  }
  return -1;
}

/// Annotations of one allele: from the VCF's own annotation field, or normalised and annotated on the reference.
AlleleOutcome annotate_allele(const AlleleWork& work, const ReferenceContext* ref, const AnnotationSettings& settings,
                              const std::optional<PreannotationParser>& preannotation) {
  if (!preannotation) return ref->annotate(work.contig, work.position, work.ref, work.alt);
  AlleleOutcome outcome;
  outcome.position = work.position;
  outcome.ref = work.ref;
  outcome.alt = work.alt;
  outcome.annotations = choose_given(work.given, settings, preannotation->has_canonical_flag());
  if (outcome.annotations.empty()) outcome.skip_reason = "no_annotation_for_allele";
  return outcome;
}

/// Streams one variant file through the three-stage pipeline (see the header comment).
FileResult read_vcf(const VcfPlan& plan, const ReferenceContext* ref, const AnnotationSettings& settings,
                    int threads) {
  VcfReader reader = VcfReader::open(plan.path);
  if (ref != nullptr) check_contigs(reader, ref->sequence(), settings);
  const auto preannotation = preannotation_for(reader, settings, ref != nullptr);
  const std::vector<int> columns = resolve_columns(reader, plan.samples);
  std::vector<int> distinct(columns.begin(), columns.end());
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  std::vector<std::vector<std::string>> samples_of_column(std::max<std::size_t>(reader.sample_names().size(), 1));
  for (std::size_t i = 0; i < columns.size(); ++i) {
    samples_of_column[static_cast<std::size_t>(std::max(columns[i], 0))].push_back(plan.samples[i]->sample);
  }

  FileResult result;
  ContigChecker contigs(reader, ref == nullptr ? nullptr : &ref->sequence(), settings.skip_unknown_contigs);
  bool exhausted = false;
  const auto tokens = static_cast<std::size_t>(std::max(2, 2 * threads));
  oneapi::tbb::parallel_pipeline(
      tokens,
      oneapi::tbb::make_filter<void, std::shared_ptr<Batch>>(
          oneapi::tbb::filter_mode::serial_in_order,
          [&](oneapi::tbb::flow_control& control) -> std::shared_ptr<Batch> {
            RecordBatch records;
            if (exhausted || !reader.read_batch(records, kBatchRecords)) {
              exhausted = true;
              control.stop();
              return nullptr;
            }
            auto batch = std::make_shared<Batch>();
            batch->records = records.records.size();
            for (std::size_t i = 0; i < records.records.size(); ++i) {
              bcf1_t* record = records.records[i].get();
              const std::uint64_t ordinal = records.first_ordinal + i;
              batch->alleles += record->n_allele > 1 ? static_cast<std::uint64_t>(record->n_allele - 1) : 0;
              if (!contigs.known(records.header, record->rid, ordinal)) {
                ++batch->skipped["contig_not_in_reference"];
                continue;
              }
              std::uint64_t symbolic = 0;
              auto calls = decode_calls(records.header, record, ordinal, distinct, symbolic);
              if (symbolic > 0) batch->skipped["symbolic_allele"] += symbolic;
              const std::size_t first_allele = batch->alleles_work.size();
              for (auto& call : calls) {
                auto work = std::find_if(batch->alleles_work.begin() + static_cast<std::ptrdiff_t>(first_allele),
                                         batch->alleles_work.end(),
                                         [&](const AlleleWork& w) { return w.alt == call.alt; });
                if (work == batch->alleles_work.end()) {
                  AlleleWork allele{ordinal, call.contig, call.position, call.ref, call.alt, {}, {}};
                  if (preannotation) {
                    allele.given = preannotation->annotations_for(record, allele_index(record, call.alt),
                                                                  records.header, reader.line_of(ordinal));
                  }
                  batch->alleles_work.push_back(std::move(allele));
                  work = batch->alleles_work.end() - 1;
                }
                batch->call_allele.push_back(static_cast<std::size_t>(work - batch->alleles_work.begin()));
                batch->calls.push_back(std::move(call));
              }
            }
            return batch;
          }) &
          oneapi::tbb::make_filter<std::shared_ptr<Batch>, std::shared_ptr<Batch>>(
              oneapi::tbb::filter_mode::parallel,
              [&](std::shared_ptr<Batch> batch) {
                for (auto& work : batch->alleles_work) {
                  work.outcome = annotate_allele(work, ref, settings, preannotation);
                  if (work.outcome.skip_reason == "ref_mismatch" && !settings.skip_ref_mismatch) {
                    throw_bad_input(reader.path(), reader.line_of(work.record_ordinal),
                                    "REF of record " + std::to_string(work.record_ordinal), work.outcome.detail,
                                    "use the reference the VCF was called against, or count such records as "
                                    "skipped with --skip-ref-mismatch");
                  }
                  if (!work.outcome.skip_reason.empty()) ++batch->skipped[work.outcome.skip_reason];
                }
                for (std::size_t i = 0; i < batch->calls.size(); ++i) {
                  const AlleleOutcome& allele = batch->alleles_work[batch->call_allele[i]].outcome;
                  if (!allele.skip_reason.empty()) continue;
                  ++batch->annotated_calls;
                  add_variants(batch->calls[i], allele, samples_of_column, reader, *batch);
                }
                return batch;
              }) &
          oneapi::tbb::make_filter<std::shared_ptr<Batch>, void>(
              oneapi::tbb::filter_mode::serial_in_order, [&](std::shared_ptr<Batch> batch) {
                result.records += batch->records;
                result.alleles += batch->alleles;
                result.calls += batch->calls.size();
                result.annotated_calls += batch->annotated_calls;
                for (const auto& [reason, count] : batch->skipped) result.skipped[reason] += count;
                std::move(batch->variants.begin(), batch->variants.end(), std::back_inserter(result.variants));
              }));
  return result;
}

/// Refuses a sample id used twice (by two patients, or twice in --vcf files): calls and clinical rows are joined
/// by sample id, so it must name one sample.
void check_unique_samples(const std::vector<SampleSource>& samples) {
  std::map<std::string, const SampleSource*> seen;
  for (const auto& sample : samples) {
    const auto [it, inserted] = seen.emplace(sample.sample, &sample);
    if (!inserted) {
      throw_bad_input(sample.origin_file, sample.origin_line, "sample " + sample.sample,
                      "the id is also used at " + it->second->origin() + " (patient " + it->second->patient + ")",
                      "sample ids must be unique across the cohort; name the samples apart in a samplesheet");
    }
  }
}

/// Counts clinical rows that no variant input profiles, so summary.json shows them.
void count_unprofiled_clinical(const ClinicalData& clinical, const std::vector<SampleSource>& samples,
                               AnnotateReport& report) {
  std::set<std::string> patients;
  std::set<std::string> sample_ids;
  for (const auto& sample : samples) {
    patients.insert(sample.patient);
    sample_ids.insert(sample.sample);
  }
  for (const auto& [patient, row] : clinical.patients) report.clinical_patients_without_samples += !patients.contains(patient);
  for (const auto& [sample, row] : clinical.samples) report.clinical_samples_without_variants += !sample_ids.contains(sample);
}

ClinicalData read_clinical(const std::vector<std::string>& files, AnnotateReport& report) {
  ClinicalData clinical;
  for (const auto& file : files) {
    const std::size_t before = clinical.patients.size() + clinical.samples.size();
    read_clinical_file(file, clinical);
    report.inputs.push_back({file, "clinical", clinical.patients.size() + clinical.samples.size() - before, {}});
  }
  return clinical;
}

}  // namespace

CohortProfiles annotate_cohort(const AnnotateSettings& settings, const Log& log) {
  const InputSettings& inputs = settings.inputs;
  if (inputs.samplesheet.empty() && inputs.vcfs.empty()) {
    throw_usage("inputs", "no variant input given", "give --samplesheet CSV or --vcf FILE");
  }
  const bool builtin = settings.annotation.source == AnnotationSource::kBuiltin;
  const bool has_reference =
      !settings.reference.bundle.empty() || (!settings.reference.gff3.empty() && !settings.reference.fasta.empty());
  if (builtin && !has_reference) {
    throw_usage("reference", "annotating variant files needs a reference",
                "give --gff3 FILE and --fasta FILE, or --reference BUNDLE");
  }
  CohortProfiles out;
  AnnotateReport& report = out.report;

  std::vector<SampleSource> samples;
  if (!inputs.samplesheet.empty()) {
    const Samplesheet sheet = read_samplesheet(inputs.samplesheet);
    report.inputs.push_back({inputs.samplesheet, "samplesheet", sheet.rows.size(), {}});
    samples = samples_from_samplesheet(sheet);
  }
  auto from_vcfs = samples_from_vcfs(inputs);
  std::move(from_vcfs.begin(), from_vcfs.end(), std::back_inserter(samples));
  check_unique_samples(samples);

  std::optional<reference::OncoTree> oncotree;
  if (!settings.reference.oncotree.empty()) oncotree = reference::OncoTree::load_json(settings.reference.oncotree);
  const ClinicalData clinical = read_clinical(inputs.clinical_files, report);

  const auto ref = ReferenceContext::load(settings.reference, settings.annotation, log);

  std::vector<VcfPlan> plans;
  for (auto& sample : samples) {
    auto it = std::find_if(plans.begin(), plans.end(), [&](const VcfPlan& p) { return p.path == sample.vcf; });
    if (it == plans.end()) it = plans.insert(plans.end(), VcfPlan{sample.vcf, {}});
    it->samples.push_back(&sample);
  }

  std::vector<v1::SmallVariant> variants;
  std::set<std::string> failed;
  for (const auto& plan : plans) {
    try {
      FileResult result = read_vcf(plan, ref.get(), settings.annotation, settings.execution.threads);
      InputReport input{plan.path, "vcf", result.records, {}};
      for (const auto* sample : plan.samples) input.samples.push_back(sample->vcf_column);
      report.inputs.push_back(std::move(input));
      report.records += result.records;
      report.alleles += result.alleles;
      report.calls += result.calls;
      for (const auto& [reason, count] : result.skipped) report.skipped[reason] += count;
      report.annotated += result.annotated_calls;
      log.detail(plan.path + ": " + std::to_string(result.records) + " records, " +
                 std::to_string(result.variants.size()) + " annotated calls");
      std::move(result.variants.begin(), result.variants.end(), std::back_inserter(variants));
    } catch (const Error& error) {
      if (!settings.execution.keep_going || error.kind() != ErrorKind::kBadInput) throw;
      for (const auto* sample : plan.samples) {
        report.failed_samples.push_back({sample->patient, sample->sample, error.message()});
        failed.insert(sample->sample);
      }
      log.warn("skipping " + std::to_string(plan.samples.size()) + " sample(s) of " + plan.path + ": " +
               error.message());
    }
  }
  std::vector<SampleSource> kept;
  for (const auto& sample : samples) {
    if (!failed.contains(sample.sample)) kept.push_back(sample);
  }
  out.profiles = build_profiles(kept, std::move(variants), clinical, oncotree ? &*oncotree : nullptr);
  report.patients = out.profiles.size();
  report.samples = kept.size();
  count_unprofiled_clinical(clinical, kept, report);
  return out;
}

}  // namespace rarematch::pipeline
