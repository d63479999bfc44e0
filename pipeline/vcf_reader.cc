// VCF/BCF reading and decoding into calls.
//
// Reading (one thread): hts_open -> bcf_hdr_read -> bcf_read per record -> bcf_unpack(BCF_UN_ALL). HTSlib
// reports a record it cannot parse as bcf_read < -1 (or -1 with bcf1_t::errcode set, which we clear before each
// read, so that -1 with errcode 0 is the end of the file); a damaged compressed stream shows up the same way, with
// the BGZF handle's errcode set. A BGZF file whose end-of-file block is missing was cut at a block boundary: it
// reads "cleanly" and is refused at open.
//
// Line numbers: HTSlib counts every line it reads through hts_getline in htsFile::lineno, so right after the
// header that counter is exactly the number of header lines of a text VCF (plain, gzip or bgzip). Re-formatting
// the parsed header (bcf_hdr_format) or hdr->nhrec do not give it: HTSlib adds a FILTER=PASS line when the file
// has none, drops duplicated lines, and adds ##contig lines from a tabix index.
//
// Decoding (any thread): see decode_calls in the header for which sample columns carry an allele and how VAF,
// depth and alt depth are derived from GT, AD, AF and DP.

#include "pipeline/vcf_reader.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <system_error>
#include <utility>

#include <htslib/bgzf.h>
#include <htslib/hts.h>
#include <htslib/tbx.h>  // hts_get_bgzfp

#include "reference/error.h"

namespace rarematch::pipeline {

void HtsFileDeleter::operator()(htsFile* f) const noexcept {
  if (f != nullptr) hts_close(f);
}
void BcfHeaderDeleter::operator()(bcf_hdr_t* h) const noexcept {
  if (h != nullptr) bcf_hdr_destroy(h);
}
void BcfRecordDeleter::operator()(bcf1_t* r) const noexcept {
  if (r != nullptr) bcf_destroy(r);
}

namespace {

constexpr int kRecoverableErrors = BCF_ERR_CTG_UNDEF | BCF_ERR_TAG_UNDEF;

std::string system_reason(int err) {
  if (err == 0) return "HTSlib cannot open it";
  return std::error_code(err, std::generic_category()).message();
}

/// Why a record failed, from the bcf1_t::errcode bits HTSlib sets.
std::string record_error_reason(int errcode) {
  std::string why;
  const auto add = [&why](const char* text) {
    if (!why.empty()) why += "; ";
    why += text;
  };
  if (errcode & BCF_ERR_NCOLS) add("wrong number of columns (or of FORMAT values for a sample)");
  if (errcode & BCF_ERR_LIMITS) add("a value exceeds HTSlib's limits (position, allele count or field size)");
  if (errcode & BCF_ERR_CHAR) add("invalid character");
  if (errcode & BCF_ERR_CTG_INVALID) add("invalid contig name");
  if (errcode & BCF_ERR_TAG_INVALID) add("invalid INFO or FORMAT tag");
  if (why.empty()) why = "HTSlib cannot parse this record";
  return why;
}

const char* const kRecordHint =
    "check this record against the VCF specification (8 tab-separated fixed columns, FORMAT keys matching each "
    "sample's values, tags declared in the header); HTSlib's log line, when shown, names the field";

/// A buffer HTSlib's bcf_get_* functions allocate and grow; freed with free().
template <typename T>
struct HtsBuffer {
  T* data = nullptr;
  int capacity = 0;
  HtsBuffer() = default;
  HtsBuffer(const HtsBuffer&) = delete;
  HtsBuffer& operator=(const HtsBuffer&) = delete;
  ~HtsBuffer() { std::free(data); }
};

/// The char** of bcf_get_format_string: one block (data[0]) holding every sample's string, plus the pointer array.
struct HtsStrings {
  char** data = nullptr;
  int capacity = 0;
  HtsStrings() = default;
  HtsStrings(const HtsStrings&) = delete;
  HtsStrings& operator=(const HtsStrings&) = delete;
  ~HtsStrings() {
    if (data != nullptr) std::free(data[0]);
    std::free(data);
  }
};

/// How per-sample AD/AF values line up with alleles.
enum class AlleleShape {
  kNone,      ///< absent, of another type, or a count we cannot interpret
  kPerAllele, ///< reference first, then each ALT (Number=R)
  kPerAlt,    ///< one per ALT (Number=A)
};

AlleleShape shape_of(int values_per_sample, int n_allele) {
  if (values_per_sample <= 0 || n_allele < 2) return AlleleShape::kNone;
  if (values_per_sample == n_allele) return AlleleShape::kPerAllele;
  if (values_per_sample == n_allele - 1) return AlleleShape::kPerAlt;
  return AlleleShape::kNone;
}

/// Index of ALT allele `allele` (1-based allele index) in a vector of the given shape.
int index_in(AlleleShape shape, int allele) { return shape == AlleleShape::kPerAllele ? allele : allele - 1; }

/// One sample's integer FORMAT vector, without its vector_end padding.
struct IntSlice {
  const int32_t* values = nullptr;
  int size = 0;
  std::optional<std::int64_t> at(int i) const {
    if (i < 0 || i >= size || values[i] == bcf_int32_missing || values[i] < 0) return std::nullopt;
    return values[i];
  }
};

IntSlice int_slice(const HtsBuffer<int32_t>& buffer, int per_sample, int column) {
  IntSlice slice;
  if (buffer.data == nullptr || per_sample <= 0) return slice;
  slice.values = buffer.data + static_cast<std::ptrdiff_t>(column) * per_sample;
  while (slice.size < per_sample && slice.values[slice.size] != bcf_int32_vector_end) ++slice.size;
  return slice;
}

bool is_skipped_alt(std::string_view alt) {
  if (alt.empty()) return false;
  if (alt.front() == '<' || alt == "*") return true;
  if (alt.find_first_of("[]") != std::string_view::npos) return true;
  // Single breakends: "G." or ".G".
  if (alt.size() > 1 && (alt.front() == '.' || alt.back() == '.')) return true;
  return false;
}

void add_filter_name(std::vector<std::string>& filters, std::string name) {
  if (name.empty() || name == "PASS" || name == ".") return;
  if (std::find(filters.begin(), filters.end(), name) == filters.end()) filters.push_back(std::move(name));
}

}  // namespace

HtsFilePtr open_hts_file(const std::string& path) {
  if (path.find("://") != std::string::npos) {
    throw_bad_input(path, std::nullopt, "open", "remote files are not read: patient data stays local",
                    "copy the file to a local disk and give its local path");
  }
  errno = 0;
  HtsFilePtr file(hts_open(path.c_str(), "r"));
  if (!file) {
    throw_bad_input(path, std::nullopt, "open", system_reason(errno),
                    "check that the path is right and that the file is readable");
  }
  if (file->format.compression == bgzf) {
    const int eof = bgzf_check_EOF(hts_get_bgzfp(file.get()));
    if (eof == 0) {
      throw_bad_input(path, std::nullopt, "open",
                      "the BGZF end-of-file block is missing: the file is truncated",
                      "re-create or re-copy the file; `bgzip -t FILE` tests a bgzip file");
    }
    if (eof < 0) {
      throw_bad_input(path, std::nullopt, "open", "cannot check the end of the compressed file: " +
                      system_reason(errno), "check that the file is readable");
    }
  }
  return file;
}

VcfReader VcfReader::open(const std::string& path, int hts_threads) {
  VcfReader reader;
  reader.path_ = path;
  reader.file_ = open_hts_file(path);
  const htsFormat* format = hts_get_format(reader.file_.get());
  if (format->format != vcf && format->format != bcf) {
    char* description = hts_format_description(format);
    const std::string what = description != nullptr ? description : "an unknown format";
    std::free(description);
    throw_bad_input(path, std::nullopt, "open", "not a VCF or BCF file (HTSlib sees " + what + ")",
                    "give a VCF (plain or bgzip, starting with ##fileformat=VCFv4.x) or a BCF");
  }
  reader.is_bcf_ = format->format == bcf;
  if (hts_threads > 0 && hts_set_threads(reader.file_.get(), hts_threads) != 0) {
    throw Error(ErrorKind::kInternal, path, std::nullopt, "open",
                "cannot start " + std::to_string(hts_threads) + " HTSlib threads", "run with fewer threads");
  }
  reader.header_.reset(bcf_hdr_read(reader.file_.get()));
  if (!reader.header_) {
    const BGZF* bgzf = hts_get_bgzfp(reader.file_.get());
    if (bgzf != nullptr && bgzf->errcode != 0) {
      throw_bad_input(path, std::nullopt, "header", "the compressed data is damaged or truncated",
                      "re-create or re-copy the file; `bgzip -t FILE` tests a bgzip file");
    }
    throw_bad_input(path, std::nullopt, "header", "HTSlib cannot parse the VCF header",
                    "check the ## lines and the #CHROM line (tab-separated) against the VCF specification");
  }
  if (!reader.is_bcf_) {
    reader.header_lines_ = static_cast<std::uint64_t>(std::max<std::int64_t>(reader.file_->lineno, 0));
  }
  reader.frozen_.emplace_back(bcf_hdr_dup(reader.header_.get()));
  if (!reader.frozen_.back()) {
    throw Error(ErrorKind::kInternal, path, std::nullopt, "header", "cannot copy the VCF header (out of memory?)");
  }
  reader.declared_header_ = reader.frozen_.front().get();
  reader.latest_header_ = reader.declared_header_;
  return reader;
}

std::vector<std::string> VcfReader::sample_names() const {
  std::vector<std::string> names;
  const int n = bcf_hdr_nsamples(declared_header_);
  names.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) names.emplace_back(declared_header_->samples[i]);
  return names;
}

std::optional<std::string> VcfReader::header_value(std::string_view key) const {
  for (int i = 0; i < declared_header_->nhrec; ++i) {
    const bcf_hrec_t* hrec = declared_header_->hrec[i];
    if (hrec->type != BCF_HL_GEN || hrec->key == nullptr || hrec->value == nullptr) continue;
    if (key == hrec->key) return std::string(hrec->value);
  }
  return std::nullopt;
}

std::vector<ContigDeclaration> VcfReader::contigs() const {
  std::vector<ContigDeclaration> out;
  for (int i = 0; i < declared_header_->nhrec; ++i) {
    const bcf_hrec_t* hrec = declared_header_->hrec[i];
    if (hrec->type != BCF_HL_CTG) continue;
    ContigDeclaration contig;
    for (int k = 0; k < hrec->nkeys; ++k) {
      const std::string_view key = hrec->keys[k];
      const char* value = hrec->vals[k];
      if (value == nullptr) continue;
      if (key == "ID") {
        contig.name = value;
      } else if (key == "length") {
        char* end = nullptr;
        errno = 0;
        const unsigned long long length = std::strtoull(value, &end, 10);
        if (errno == 0 && end != value && *end == '\0' && value[0] != '-') contig.length = length;
      }
    }
    if (!contig.name.empty()) out.push_back(std::move(contig));
  }
  return out;
}

std::optional<std::uint64_t> VcfReader::line_of(std::uint64_t record_ordinal) const {
  if (is_bcf_) return std::nullopt;
  return header_lines_ + record_ordinal;
}

std::string VcfReader::describe_record(std::uint64_t record_ordinal) const {
  if (const auto line = line_of(record_ordinal)) return path_ + ":" + std::to_string(*line);
  return path_ + ": record " + std::to_string(record_ordinal);
}

void VcfReader::throw_bad_record(std::uint64_t ordinal, const std::string& why, const std::string& hint) const {
  throw_bad_input(path_, line_of(ordinal), "record " + std::to_string(ordinal), why, hint);
}

void VcfReader::refresh_frozen_header() {
  const bcf_hdr_t* live = header_.get();
  const bcf_hdr_t* last = frozen_.back().get();
  const bool same = live->nhrec == last->nhrec && live->n[BCF_DT_ID] == last->n[BCF_DT_ID] &&
                    live->n[BCF_DT_CTG] == last->n[BCF_DT_CTG] &&
                    live->n[BCF_DT_SAMPLE] == last->n[BCF_DT_SAMPLE];
  if (same) return;
  BcfHeaderPtr copy(bcf_hdr_dup(live));
  if (!copy) throw Error(ErrorKind::kInternal, path_, std::nullopt, "header", "cannot copy the VCF header");
  frozen_.push_back(std::move(copy));
  latest_header_ = frozen_.back().get();
}

bool VcfReader::read_batch(RecordBatch& batch, std::size_t max_records) {
  batch.first_ordinal = records_read_ + 1;
  std::size_t count = 0;
  while (count < max_records) {
    if (count == batch.records.size()) {
      batch.records.emplace_back(bcf_init());
      if (!batch.records.back()) {
        throw Error(ErrorKind::kInternal, path_, std::nullopt, "read", "cannot allocate a VCF record");
      }
    }
    bcf1_t* record = batch.records[count].get();
    record->errcode = 0;
    const int status = bcf_read(file_.get(), header_.get(), record);
    const std::uint64_t ordinal = records_read_ + 1;
    // A read error inside a compressed block can still hand over the part of the line before it: check the
    // stream whatever bcf_read says.
    const BGZF* bgzf = hts_get_bgzfp(file_.get());
    if (bgzf != nullptr && bgzf->errcode != 0) {
      throw_bad_record(ordinal, "cannot be read: the compressed data is truncated or damaged",
                       "re-create or re-copy the file; `bgzip -t FILE` tests a bgzip file");
    }
    if (status < 0) {
      if (status == -1 && record->errcode == 0) break;  // end of file
      throw_bad_record(ordinal, record_error_reason(record->errcode), kRecordHint);
    }
    if ((record->errcode & ~kRecoverableErrors) != 0) {
      throw_bad_record(ordinal, record_error_reason(record->errcode), kRecordHint);
    }
    if (bcf_unpack(record, BCF_UN_ALL) != 0 || (record->errcode & ~kRecoverableErrors) != 0) {
      throw_bad_record(ordinal, "cannot be unpacked: " + record_error_reason(record->errcode), kRecordHint);
    }
    // HTSlib accepts a line that stops before its FORMAT column; in a VCF with samples that is a cut-short line
    // (a truncated plain VCF ends so), and decoding it would give every column the call.
    if (bcf_hdr_nsamples(header_.get()) > 0 && record->n_sample == 0) {
      throw_bad_record(ordinal,
                       "the record has no FORMAT and sample columns, but the header names " +
                           std::to_string(bcf_hdr_nsamples(header_.get())) + " samples",
                       "the line is cut short: check whether the file is truncated, or write its FORMAT and sample "
                       "columns (\".\" for missing values)");
    }
    ++records_read_;
    ++count;
  }
  batch.records.resize(count);
  refresh_frozen_header();
  batch.header = latest_header_;
  return count > 0;
}

std::vector<Call> decode_calls(const bcf_hdr_t* header, bcf1_t* record, std::uint64_t record_ordinal,
                               const std::vector<int>& sample_columns, std::uint64_t& symbolic_skipped) {
  std::vector<Call> calls;
  if (bcf_unpack(record, BCF_UN_ALL) != 0) {
    throw Error(ErrorKind::kInternal, {}, std::nullopt, "record " + std::to_string(record_ordinal),
                "cannot be unpacked");
  }
  if (record->rid < 0 || record->rid >= header->n[BCF_DT_CTG]) {
    throw Error(ErrorKind::kInternal, {}, std::nullopt, "record " + std::to_string(record_ordinal),
                "its contig id " + std::to_string(record->rid) + " is not in the header given to decode it",
                "decode a batch's records with RecordBatch::header");
  }
  const int record_samples = std::min(static_cast<int>(record->n_sample), bcf_hdr_nsamples(header));
  for (const int column : sample_columns) {
    if (column < -1 || column >= record_samples) {
      throw Error(ErrorKind::kInternal, {}, std::nullopt, "record " + std::to_string(record_ordinal),
                  "sample column " + std::to_string(column) + " does not exist (the record has " +
                      std::to_string(record_samples) + " sample columns)",
                  "use -1 for a VCF without sample columns");
    }
  }

  // Which ALT alleles to decode.
  const int n_allele = record->n_allele;
  std::vector<int> alleles;
  for (int a = 1; a < n_allele; ++a) {
    const std::string_view alt = record->d.allele[a];
    if (alt.empty() || alt == ".") continue;
    if (is_skipped_alt(alt)) {
      ++symbolic_skipped;
      continue;
    }
    alleles.push_back(a);
  }
  if (alleles.empty() || sample_columns.empty()) return calls;

  // Site-level filters.
  std::vector<std::string> site_filters;
  for (int i = 0; i < record->d.n_flt; ++i) {
    const int id = record->d.flt[i];
    if (id < 0 || id >= header->n[BCF_DT_ID]) continue;
    const char* name = bcf_hdr_int2id(header, BCF_DT_ID, id);
    if (name != nullptr) add_filter_name(site_filters, name);
  }

  // Per-sample FORMAT data, read once for all alleles and columns.
  HtsBuffer<int32_t> gt;
  HtsBuffer<int32_t> ad;
  HtsBuffer<float> af;
  HtsBuffer<int32_t> dp;
  HtsStrings ft;
  int gt_per_sample = 0;
  int ad_per_sample = 0;
  int af_per_sample = 0;
  int dp_per_sample = 0;
  bool has_ft = false;
  // bcf_get_format_* return the value count over all the header's samples.
  const int header_samples = bcf_hdr_nsamples(header);
  if (record_samples > 0) {
    const int n_gt = bcf_get_genotypes(header, record, &gt.data, &gt.capacity);
    if (n_gt > 0) gt_per_sample = n_gt / header_samples;
    const int n_ad = bcf_get_format_int32(header, record, "AD", &ad.data, &ad.capacity);
    if (n_ad > 0) ad_per_sample = n_ad / header_samples;
    const int n_af = bcf_get_format_float(header, record, "AF", &af.data, &af.capacity);
    if (n_af > 0) af_per_sample = n_af / header_samples;
    const int n_dp = bcf_get_format_int32(header, record, "DP", &dp.data, &dp.capacity);
    if (n_dp > 0) dp_per_sample = n_dp / header_samples;
    has_ft = bcf_get_format_string(header, record, "FT", &ft.data, &ft.capacity) > 0;
  }
  const AlleleShape ad_shape = shape_of(ad_per_sample, n_allele);
  const AlleleShape af_shape = shape_of(af_per_sample, n_allele);
  const bool has_evidence = gt_per_sample > 0 || ad_shape != AlleleShape::kNone || af_shape != AlleleShape::kNone;

  const std::string contig = bcf_hdr_id2name(header, record->rid);
  for (const int allele : alleles) {
    for (const int column : sample_columns) {
      Call call;
      call.record_ordinal = record_ordinal;
      call.sample_column = column;
      call.filters = site_filters;
      bool carried = true;
      if (column >= 0) {
        // GT
        bool called = false;
        bool gt_has_allele = false;
        if (gt_per_sample > 0) {
          const int32_t* g = gt.data + static_cast<std::ptrdiff_t>(column) * gt_per_sample;
          for (int i = 0; i < gt_per_sample && g[i] != bcf_int32_vector_end; ++i) {
            if (bcf_gt_is_missing(g[i])) continue;
            called = true;
            if (bcf_gt_allele(g[i]) == allele) gt_has_allele = true;
          }
        }
        // AD
        std::optional<std::int64_t> ad_alt;
        std::optional<std::int64_t> ad_sum;
        if (ad_shape != AlleleShape::kNone) {
          const IntSlice values = int_slice(ad, ad_per_sample, column);
          ad_alt = values.at(index_in(ad_shape, allele));
          if (ad_shape == AlleleShape::kPerAllele && values.size == n_allele) {
            std::int64_t sum = 0;
            bool complete = true;
            for (int i = 0; i < n_allele && complete; ++i) {
              const auto v = values.at(i);
              complete = v.has_value();
              if (complete) sum += *v;
            }
            if (complete) ad_sum = sum;
          }
        }
        // AF: any non-negative value tells whether the allele is carried; only one within 0..1 is a VAF.
        std::optional<double> af_alt;
        if (af_shape != AlleleShape::kNone) {
          const float* f = af.data + static_cast<std::ptrdiff_t>(column) * af_per_sample;
          const int i = index_in(af_shape, allele);
          if (!bcf_float_is_vector_end(f[i]) && !bcf_float_is_missing(f[i]) && std::isfinite(f[i]) &&
              f[i] >= 0.0F) {
            af_alt = static_cast<double>(f[i]);
          }
        }
        if (called) {
          carried = gt_has_allele;
        } else if (ad_alt) {
          carried = *ad_alt > 0;
        } else if (af_alt) {
          carried = *af_alt > 0.0;
        } else {
          carried = !has_evidence;
        }
        if (!carried) continue;

        if (af_alt && *af_alt <= 1.0) {
          call.vaf = af_alt;
        } else if (ad_alt && ad_sum && *ad_sum > 0) {
          call.vaf = static_cast<double>(*ad_alt) / static_cast<double>(*ad_sum);
        }
        if (dp_per_sample > 0) {
          const auto depth = int_slice(dp, dp_per_sample, column).at(0);
          if (depth) call.depth = static_cast<std::uint32_t>(*depth);
        }
        if (!call.depth && ad_sum) call.depth = static_cast<std::uint32_t>(*ad_sum);
        if (ad_alt) call.alt_depth = static_cast<std::uint32_t>(*ad_alt);
        if (has_ft && ft.data[column] != nullptr) {
          std::string_view text = ft.data[column];
          while (!text.empty()) {
            const std::size_t semicolon = text.find(';');
            add_filter_name(call.filters, std::string(text.substr(0, semicolon)));
            if (semicolon == std::string_view::npos) break;
            text.remove_prefix(semicolon + 1);
          }
        }
      }
      call.filter_pass = call.filters.empty();
      call.contig = contig;
      call.position = static_cast<std::uint64_t>(record->pos) + 1;
      call.ref = record->d.allele[0];
      call.alt = record->d.allele[allele];
      calls.push_back(std::move(call));
    }
  }
  return calls;
}

}  // namespace rarematch::pipeline
