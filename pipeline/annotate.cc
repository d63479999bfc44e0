#include "pipeline/annotate.h"

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <htslib/hts.h>
#include <oneapi/tbb/parallel_pipeline.h>

#include "pipeline/clinical.h"
#include "pipeline/preannotated.h"
#include "pipeline/profile_builder.h"
#include "pipeline/reference_context.h"
#include "pipeline/samplesheet.h"
#include "pipeline/text_table.h"
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
  return equals_ignore_case(name, "NORMAL");
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
    source.assay = row.assay;  // the samplesheet reader spells WES/WGS in upper case
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
  RecordBatch input;  ///< the records read, kept for the annotated VCF (written by the output stage)
  std::vector<Call> calls;
  std::vector<std::size_t> call_allele;  ///< for each call, its index in `alleles_work`
  std::vector<AlleleWork> alleles_work;
  std::vector<v1::SmallVariant> variants;
  std::uint64_t records = 0;
  std::uint64_t alleles = 0;           ///< ALT alleles of the records read
  std::uint64_t annotated_calls = 0;   ///< calls whose allele was annotated
  std::map<std::string, std::uint64_t> skipped;  ///< records (contigs) or alleles by reason
};

/// Percent-encodes what VCF does not allow in an INFO value, and the RMCSQ separators.
std::string info_safe(const std::string& text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == ',' || c == ';' || c == '=' || c == '|' || c == '%' || c == '&' || byte <= 0x20 || byte >= 0x7F) {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0F];
    } else {
      out += c;
    }
  }
  return out;
}

std::string impact_text(v1::Impact impact) {
  switch (impact) {
    case v1::IMPACT_HIGH: return "HIGH";
    case v1::IMPACT_MODERATE: return "MODERATE";
    case v1::IMPACT_LOW: return "LOW";
    case v1::IMPACT_MODIFIER: return "MODIFIER";
    default: return "";
  }
}

/// One RMCSQ entry: Allele|Gene|Transcript|Consequence|Impact|HGVSc|HGVSp|Exon|Intron.
std::string rmcsq_entry(const AlleleOutcome& allele, const reference::Annotation& annotation) {
  std::string consequences;
  for (const auto& term : annotation.consequences) consequences += (consequences.empty() ? "" : "&") + info_safe(term);
  return info_safe(allele.alt) + '|' + info_safe(annotation.gene) + '|' + info_safe(annotation.transcript_id) + '|' +
         consequences + '|' + impact_text(annotation.impact) + '|' + info_safe(annotation.hgvs_c) + '|' +
         info_safe(annotation.hgvs_p) + '|' + (annotation.exon > 0 ? std::to_string(annotation.exon) : "") + '|' +
         (annotation.intron > 0 ? std::to_string(annotation.intron) : "");
}

/// Writes one input's records, each unchanged but for INFO/RMCSQ, to a bgzip VCF at `path` (mode 0600), on the
/// pipeline's serial output stage. The output header is a copy of the input's first header plus the RMCSQ line;
/// the contigs and tags HTSlib adds to the input header while reading reach it by bcf_hdr_merge as the batches'
/// frozen headers change, and each record is translated to it (bcf_translate) before it is written. Since the
/// header is complete only at the end, the records go to a BGZF body file first; finish() writes the header as
/// its own BGZF blocks and appends the body (concatenated BGZF files are one valid BGZF file). Nothing is left
/// behind unless finish() succeeds.
class AnnotatedVcfWriter {
 public:
  AnnotatedVcfWriter(std::filesystem::path path, const bcf_hdr_t* input_header, std::string input_path)
      : path_(std::move(path)),
        body_path_(path_.string() + ".body"),
        input_path_(std::move(input_path)),
        last_input_header_(input_header) {
    body_ = open_bgzf(body_path_, body_created_);
    header_.reset(bcf_hdr_dup(input_header));
    if (!header_) fail("cannot copy the VCF header", "HTSlib could not duplicate it");
    bcf_hdr_remove(header_.get(), BCF_HL_INFO, "RMCSQ");
    if (bcf_hdr_append(header_.get(), kRmcsqHeaderLine) != 0 || bcf_hdr_sync(header_.get()) != 0) {
      fail("cannot add the RMCSQ header line", "HTSlib refused it");
    }
  }
  AnnotatedVcfWriter(const AnnotatedVcfWriter&) = delete;
  AnnotatedVcfWriter& operator=(const AnnotatedVcfWriter&) = delete;
  ~AnnotatedVcfWriter() {
    body_.reset();
    if (body_created_) ::unlink(body_path_.c_str());
    if (created_ && !finished_) ::unlink(path_.c_str());
  }

  /// Writes the batch's records in order, with RMCSQ from the batch's annotated alleles (grouped by record).
  void write(Batch& batch) {
    // bcf_translate caches its id translation table in the source header; the frozen headers are never changed
    // otherwise, and the parallel stage reads none of these fields, so the cache is the only state touched here.
    auto* input_header = const_cast<bcf_hdr_t*>(batch.input.header);
    if (input_header != last_input_header_) {
      if (bcf_hdr_merge(header_.get(), input_header) == nullptr || bcf_hdr_sync(header_.get()) != 0) {
        fail("cannot extend the annotated VCF header", "HTSlib could not merge the input header");
      }
      last_input_header_ = input_header;
    }
    std::size_t next_allele = 0;
    std::string value;
    for (std::size_t i = 0; i < batch.input.records.size(); ++i) {
      bcf1_t* record = batch.input.records[i].get();
      const std::uint64_t ordinal = batch.input.first_ordinal + i;
      value.clear();
      for (; next_allele < batch.alleles_work.size() && batch.alleles_work[next_allele].record_ordinal == ordinal;
           ++next_allele) {
        const AlleleOutcome& outcome = batch.alleles_work[next_allele].outcome;
        if (!outcome.skip_reason.empty()) continue;
        for (const auto& annotation : outcome.annotations) {
          value += (value.empty() ? "" : ",") + rmcsq_entry(outcome, annotation);
        }
      }
      // The reader accepted the record with its contig or tags undeclared (HTSlib flags that in errcode, and
      // bcf_translate / bcf_write refuse a flagged record); the merged header declares them now.
      record->errcode &= ~(BCF_ERR_CTG_UNDEF | BCF_ERR_TAG_UNDEF);
      if (bcf_translate(header_.get(), input_header, record) != 0) {
        fail("cannot write record " + std::to_string(ordinal), "HTSlib could not translate it to the output header");
      }
      const int updated = value.empty()
                              ? bcf_update_info(header_.get(), record, "RMCSQ", nullptr, 0, BCF_HT_STR)
                              : bcf_update_info_string(header_.get(), record, "RMCSQ", value.c_str());
      if (updated != 0 || bcf_write(body_.get(), header_.get(), record) != 0) {
        fail("cannot write record " + std::to_string(ordinal), std::strerror(errno));
      }
    }
  }

  /// Writes the complete header, then the records; throws when that fails.
  void finish() {
    if (hts_close(body_.release()) != 0) fail("cannot write the annotated VCF", std::strerror(errno));
    {
      HtsFilePtr out = open_bgzf(path_, created_);
      if (bcf_hdr_write(out.get(), header_.get()) != 0) {
        fail("cannot write the annotated VCF header", std::strerror(errno));
      }
      if (hts_close(out.release()) != 0) fail("cannot write the annotated VCF header", std::strerror(errno));
    }
    append_body();
    finished_ = true;
  }

 private:
  HtsFilePtr open_bgzf(const std::filesystem::path& path, bool& created) const {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) fail("cannot create the annotated VCF", std::strerror(errno));
    ::close(fd);
    created = true;
    HtsFilePtr file(hts_open(path.c_str(), "wz"));
    if (!file) fail("cannot open the annotated VCF for writing", std::strerror(errno));
    return file;
  }

  void append_body() const {
    const int in = ::open(body_path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (in < 0) fail("cannot read back the annotated records", std::strerror(errno));
    const int out = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
    if (out < 0) {
      const int error_number = errno;
      ::close(in);
      fail("cannot open the annotated VCF", std::strerror(error_number));
    }
    std::vector<char> buffer(1 << 16);
    int error_number = 0;
    while (error_number == 0) {
      const ssize_t n = ::read(in, buffer.data(), buffer.size());
      if (n == 0) break;
      if (n < 0) {
        if (errno != EINTR) error_number = errno;
        continue;
      }
      for (ssize_t done = 0; done < n && error_number == 0;) {
        const ssize_t w = ::write(out, buffer.data() + done, static_cast<std::size_t>(n - done));
        if (w < 0) {
          if (errno != EINTR) error_number = errno;
        } else {
          done += w;
        }
      }
    }
    if (error_number == 0 && ::fsync(out) != 0) error_number = errno;
    ::close(in);
    if (::close(out) != 0 && error_number == 0) error_number = errno;
    if (error_number != 0) fail("cannot write the annotated VCF", std::strerror(error_number));
  }

  [[noreturn]] void fail(const std::string& what, const std::string& why) const {
    throw_bad_input(path_.string(), std::nullopt, what + " (annotating " + input_path_ + ")", why,
                    "check that the output folder is writable and the disk is not full");
  }

  std::filesystem::path path_;
  std::filesystem::path body_path_;
  std::string input_path_;
  HtsFilePtr body_;
  BcfHeaderPtr header_;
  const bcf_hdr_t* last_input_header_ = nullptr;
  bool body_created_ = false;
  bool created_ = false;
  bool finished_ = false;
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
/// With `annotated_vcf`, also writes the annotated copy of the file there (see AnnotatedVcfWriter); the file is
/// complete when this returns, and removed when it throws.
FileResult read_vcf(const VcfPlan& plan, const ReferenceContext* ref, const AnnotationSettings& settings,
                    int threads, const std::optional<std::filesystem::path>& annotated_vcf) {
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

  std::optional<AnnotatedVcfWriter> writer;
  if (annotated_vcf) writer.emplace(*annotated_vcf, reader.header(), plan.path);

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
            batch->input = std::move(records);
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
                if (writer) writer->write(*batch);
              }));
  if (writer) writer->finish();
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
    report.inputs.push_back({file, "clinical", clinical.patients.size() + clinical.samples.size() - before, {}, {}});
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
    report.inputs.push_back({inputs.samplesheet, "samplesheet", sheet.rows.size(), {}, {}});
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

  if (!settings.output_dir.empty()) out.outputs = PendingOutputs(settings.output_dir);
  std::vector<v1::SmallVariant> variants;
  std::set<std::string> failed;
  for (std::size_t index = 0; index < plans.size(); ++index) {
    const VcfPlan& plan = plans[index];
    // Numbered, never named after the input: input file names may hold patient ids.
    const std::string annotated_name = "annotated." + std::to_string(index + 1) + ".vcf.gz";
    std::optional<std::filesystem::path> annotated_path;
    if (!settings.output_dir.empty()) annotated_path = out.outputs.temporary_path(annotated_name);
    try {
      FileResult result = read_vcf(plan, ref.get(), settings.annotation, settings.execution.threads, annotated_path);
      InputReport input{plan.path, "vcf", result.records, {}, {}};
      if (annotated_path) {
        out.outputs.add(annotated_name);
        input.annotated_vcf = annotated_name;
      }
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
