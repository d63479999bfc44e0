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
// Decoding (any thread): FormatData reads a record's FORMAT fields once (GT, AD, RD, DP, Strelka's tier counts,
// BCOUNT, DP4, AF, FA, FREQ, FT); then, per ALT allele and sample column, the first read-count convention that
// has the allele's count gives alt/total/depth, GT (when some column's GT names an ALT) or the counts and
// fractions decide whether the column carries the allele, and AF, the counts, FA and FREQ in that order give the
// VAF. The rules and their order are the contract of decode_calls in the header.

#include "pipeline/vcf_reader.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
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

// ---------------------------------------------------------------------------------------------------------------
// FORMAT fields of one record, read once for all its alleles and sample columns, and the callers' conventions
// for read counts (see decode_calls in the header for the rules and their order).

/// Whether the header types FORMAT `tag` as String. HTSlib declares a FORMAT tag a text VCF uses without a
/// ##FORMAT line as String (Strelka's indel records concatenated under its SNV header use TAR/TIR/TOR so);
/// VarScan declares its DP4 String.
bool is_string_format(const bcf_hdr_t* header, const char* tag) {
  const int id = bcf_hdr_id2int(header, BCF_DT_ID, tag);
  return id >= 0 && bcf_hdr_idinfo_exists(header, BCF_HL_FMT, id) &&
         bcf_hdr_id2type(header, BCF_HL_FMT, id) == BCF_HT_STR;
}

/// Parses one sample's comma-separated numbers ("87,89", ".", "0.9,0.1") into `out` (`missing` for "." or a
/// value that does not parse), padded with `end` to `width`.
template <typename T, typename Parse>
void parse_numbers(std::string_view text, int width, T missing, T end, Parse parse, std::vector<T>& out) {
  int count = 0;
  while (!text.empty() && text != "." && count < width) {
    const std::size_t comma = text.find(',');
    const std::string item(text.substr(0, comma));
    out.push_back(parse(item, missing));
    ++count;
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  for (; count < width; ++count) out.push_back(count == 0 ? missing : end);
}

/// How a numeric FORMAT field of one type is read: HTSlib's getter, its sentinels, and how a number written in a
/// String-typed (undeclared) tag is parsed.
struct Int32Values {
  using Value = int32_t;
  static int get(const bcf_hdr_t* header, bcf1_t* record, const char* tag, Value** data, int* capacity) {
    return bcf_get_format_int32(header, record, tag, data, capacity);
  }
  static Value missing() { return bcf_int32_missing; }
  static Value end() { return bcf_int32_vector_end; }
  static Value parse(const std::string& item) {
    char* stop = nullptr;
    errno = 0;
    const long value = std::strtol(item.c_str(), &stop, 10);
    const bool ok = errno == 0 && !item.empty() && stop == item.c_str() + item.size() && value >= 0 &&
                    value <= std::numeric_limits<int32_t>::max() - 8;
    return ok ? static_cast<Value>(value) : missing();
  }
};

struct FloatValues {
  using Value = float;
  static int get(const bcf_hdr_t* header, bcf1_t* record, const char* tag, Value** data, int* capacity) {
    return bcf_get_format_float(header, record, tag, data, capacity);
  }
  static Value missing() {
    float value = 0.0F;
    bcf_float_set_missing(value);
    return value;
  }
  static Value end() {
    float value = 0.0F;
    bcf_float_set_vector_end(value);
    return value;
  }
  static Value parse(const std::string& item) {
    char* stop = nullptr;
    errno = 0;
    const float value = std::strtof(item.c_str(), &stop);
    const bool ok = errno == 0 && !item.empty() && stop == item.c_str() + item.size() && std::isfinite(value);
    return ok ? value : missing();
  }
};

/// A numeric FORMAT field of one record, all samples; `per_sample` is 0 when the field is absent, of another type,
/// or holds no value. A String-typed tag (undeclared in the header) is parsed as numbers.
template <typename Values>
struct NumericField {
  using Value = typename Values::Value;
  HtsBuffer<Value> buffer;
  std::vector<Value> parsed;
  const Value* data = nullptr;
  int per_sample = 0;

  void read(const bcf_hdr_t* header, bcf1_t* record, const char* tag, int header_samples) {
    if (header_samples <= 0) return;
    const int n = Values::get(header, record, tag, &buffer.data, &buffer.capacity);
    if (n > 0) {
      data = buffer.data;
      per_sample = n / header_samples;
      return;
    }
    if (n != -2 || !is_string_format(header, tag)) return;
    HtsStrings strings;
    if (bcf_get_format_string(header, record, tag, &strings.data, &strings.capacity) <= 0) return;
    int width = 0;
    for (int s = 0; s < header_samples; ++s) {
      const std::string_view text = strings.data[s] != nullptr ? strings.data[s] : "";
      if (!text.empty() && text != ".") {
        width = std::max(width, static_cast<int>(std::count(text.begin(), text.end(), ',')) + 1);
      }
    }
    if (width == 0) return;
    parsed.reserve(static_cast<std::size_t>(width) * static_cast<std::size_t>(header_samples));
    const auto parse = [](const std::string& item, Value) { return Values::parse(item); };
    for (int s = 0; s < header_samples; ++s) {
      parse_numbers<Value>(strings.data[s] != nullptr ? strings.data[s] : "", width, Values::missing(),
                           Values::end(), parse, parsed);
    }
    data = parsed.data();
    per_sample = width;
  }
  bool present() const { return per_sample > 0; }
};

/// An integer FORMAT field.
struct IntField : NumericField<Int32Values> {
  IntSlice column(int c) const {
    IntSlice slice;
    if (data == nullptr || per_sample <= 0) return slice;
    slice.values = data + static_cast<std::ptrdiff_t>(c) * per_sample;
    while (slice.size < per_sample && slice.values[slice.size] != bcf_int32_vector_end) ++slice.size;
    return slice;
  }
};

/// A float FORMAT field.
struct FloatField : NumericField<FloatValues> {
  /// Value `index` of sample column `c` when it is a finite number >= 0.
  std::optional<double> at(int c, int index) const {
    if (data == nullptr || index < 0 || index >= per_sample) return std::nullopt;
    const float value = data[static_cast<std::ptrdiff_t>(c) * per_sample + index];
    if (bcf_float_is_vector_end(value) || bcf_float_is_missing(value) || !std::isfinite(value) || value < 0.0F) {
      return std::nullopt;
    }
    return static_cast<double>(value);
  }
};

/// A string FORMAT field of one record (one string per sample).
struct StringField {
  HtsStrings strings;
  bool present = false;

  void read(const bcf_hdr_t* header, bcf1_t* record, const char* tag) {
    present = bcf_get_format_string(header, record, tag, &strings.data, &strings.capacity) > 0;
  }
  /// Sample column `c`'s string; empty when absent or missing (".").
  std::string_view at(int c) const {
    if (!present || strings.data[c] == nullptr) return {};
    const std::string_view text = strings.data[c];
    return text == "." ? std::string_view{} : text;
  }
};

/// VarScan's FREQ ("48.7%") as a fraction; nullopt unless it is a percentage within 0..100.
std::optional<double> parse_percentage(std::string_view text) {
  if (text.size() < 2 || text.back() != '%') return std::nullopt;
  const std::string number(text.substr(0, text.size() - 1));
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(number.c_str(), &end);
  if (errno != 0 || end != number.c_str() + number.size() || !std::isfinite(value) || value < 0.0 ||
      value > 100.0) {
    return std::nullopt;
  }
  return value / 100.0;
}

/// Index of a base in the A, C, G, T order of Strelka's AU/CU/GU/TU and SomaticSniper's BCOUNT; -1 otherwise.
int base_index(std::string_view allele) {
  if (allele.size() != 1) return -1;
  switch (allele.front()) {
    case 'A': case 'a': return 0;
    case 'C': case 'c': return 1;
    case 'G': case 'g': return 2;
    case 'T': case 't': return 3;
    default: return -1;
  }
}

/// Read counts of one ALT allele in one sample column, from the first count convention that gives them.
struct AlleleCounts {
  std::optional<std::int64_t> alt;    ///< reads supporting the allele
  std::optional<std::int64_t> total;  ///< the VAF denominator of that convention
  std::optional<std::int64_t> depth;  ///< the depth that convention gives (used when FORMAT/DP is absent)
};

/// The FORMAT fields decode_calls reads.
struct FormatData {
  HtsBuffer<int32_t> gt;
  int gt_per_sample = 0;
  IntField ad;       // allelic depths: per allele (Number=R) or, as VarScan writes it, per ALT
  IntField rd;       // VarScan: reference depth
  IntField dp;
  IntField tier[4];  // Strelka SNVs: AU, CU, GU, TU (tier 1, tier 2)
  IntField tar;      // Strelka indels: reads strongly supporting the reference (tier 1, tier 2)
  IntField tir;      // Strelka indels: reads strongly supporting the indel
  IntField tor;      // Strelka indels: other reads
  IntField bcount;   // SomaticSniper: A, C, G, T base counts
  IntField dp4;      // SomaticSniper (and others, as integers): ref-fwd, ref-rev, alt-fwd, alt-rev
  FloatField af;     // allele fraction: per ALT (Number=A) or per allele (RADIA)
  FloatField fa;     // MuTect: allele fraction of the ALT
  StringField freq;  // VarScan: "48.7%"
  StringField ft;    // per-sample filter
  AlleleShape ad_shape = AlleleShape::kNone;
  AlleleShape af_shape = AlleleShape::kNone;
  AlleleShape fa_shape = AlleleShape::kNone;
  bool gt_informative = false;  // some sample's GT names an ALT allele
  bool has_evidence = false;    // any field that can tell whether a column carries an allele

  void read(const bcf_hdr_t* header, bcf1_t* record, int record_samples) {
    const int samples = bcf_hdr_nsamples(header);  // bcf_get_format_* count values over the header's samples
    const int n_gt = bcf_get_genotypes(header, record, &gt.data, &gt.capacity);
    if (n_gt > 0 && samples > 0) gt_per_sample = n_gt / samples;
    ad.read(header, record, "AD", samples);
    rd.read(header, record, "RD", samples);
    dp.read(header, record, "DP", samples);
    const char* const tier_tags[4] = {"AU", "CU", "GU", "TU"};
    for (int b = 0; b < 4; ++b) tier[b].read(header, record, tier_tags[b], samples);
    tar.read(header, record, "TAR", samples);
    tir.read(header, record, "TIR", samples);
    tor.read(header, record, "TOR", samples);
    bcount.read(header, record, "BCOUNT", samples);
    dp4.read(header, record, "DP4", samples);
    af.read(header, record, "AF", samples);
    fa.read(header, record, "FA", samples);
    freq.read(header, record, "FREQ");
    ft.read(header, record, "FT");

    const int n_allele = record->n_allele;
    ad_shape = shape_of(ad.per_sample, n_allele);
    af_shape = shape_of(af.per_sample, n_allele);
    fa_shape = shape_of(fa.per_sample, n_allele);
    for (int s = 0; s < record_samples && !gt_informative; ++s) {
      const int32_t* g = gt.data + static_cast<std::ptrdiff_t>(s) * gt_per_sample;
      for (int i = 0; i < gt_per_sample && g[i] != bcf_int32_vector_end; ++i) {
        if (!bcf_gt_is_missing(g[i]) && bcf_gt_allele(g[i]) > 0) gt_informative = true;
      }
    }
    const bool strelka_snv = tier[0].present() && tier[1].present() && tier[2].present() && tier[3].present();
    has_evidence = gt_per_sample > 0 || ad_shape != AlleleShape::kNone || af_shape != AlleleShape::kNone ||
                   fa_shape != AlleleShape::kNone || strelka_snv || tir.present() || bcount.per_sample == 4 ||
                   (dp4.per_sample == 4 && n_allele == 2) || (freq.present && n_allele == 2);
  }

  /// Whether column `c`'s GT is called (not all missing) and, if so, whether it holds `allele`.
  std::pair<bool, bool> genotype(int c, int allele) const {
    bool called = false;
    bool has_allele = false;
    const int32_t* g = gt.data + static_cast<std::ptrdiff_t>(c) * gt_per_sample;
    for (int i = 0; i < gt_per_sample && g[i] != bcf_int32_vector_end; ++i) {
      if (bcf_gt_is_missing(g[i])) continue;
      called = true;
      if (bcf_gt_allele(g[i]) == allele) has_allele = true;
    }
    return {called, has_allele};
  }

  /// Read counts of ALT `allele` (1-based allele index) in column `c`, by the first convention that gives the
  /// allele's count. `record` supplies the alleles.
  AlleleCounts counts(const bcf1_t* record, int c, int allele) const {
    AlleleCounts out;
    const int n_allele = record->n_allele;
    const auto sum_of = [](const IntSlice& values, int first, int count) -> std::optional<std::int64_t> {
      if (values.size < first + count) return std::nullopt;
      std::int64_t sum = 0;
      for (int i = first; i < first + count; ++i) {
        const auto v = values.at(i);
        if (!v) return std::nullopt;
        sum += *v;
      }
      return sum;
    };
    // 1. AD with a value per allele, reference first (GATK, MuSE, RADIA, Pindel, ...).
    if (ad_shape == AlleleShape::kPerAllele) {
      const IntSlice values = ad.column(c);
      if ((out.alt = values.at(allele))) {
        out.total = out.depth = sum_of(values, 0, n_allele);
        return out;
      }
    }
    // 2. Strelka SNVs: tier-1 counts of the REF and ALT bases; VAF = alt / (ref + alt), as Strelka documents.
    const int ref_base = base_index(record->d.allele[0]);
    const int alt_base = base_index(record->d.allele[allele]);
    if (ref_base >= 0 && alt_base >= 0 && tier[0].present() && tier[1].present() && tier[2].present() &&
        tier[3].present()) {
      if ((out.alt = tier[alt_base].column(c).at(0))) {
        const auto ref = tier[ref_base].column(c).at(0);
        if (ref) out.total = *ref + *out.alt;
        std::int64_t all = 0;
        bool complete = true;
        for (const IntField& field : tier) {
          const auto v = field.column(c).at(0);
          complete = complete && v.has_value();
          if (v) all += *v;
        }
        if (complete) out.depth = all;
        return out;
      }
    }
    // 3. Strelka indels (biallelic records): tier-1 TIR reads for the indel, TAR for the reference.
    if (n_allele == 2 && tir.present()) {
      if ((out.alt = tir.column(c).at(0))) {
        const auto ref = tar.present() ? tar.column(c).at(0) : std::nullopt;
        const auto other = tor.present() ? tor.column(c).at(0) : std::nullopt;
        if (ref) out.total = *ref + *out.alt;
        if (ref && other) out.depth = *ref + *out.alt + *other;
        return out;
      }
    }
    // 4. AD with a value per ALT only (VarScan, whose RD holds the reference depth).
    if (ad_shape == AlleleShape::kPerAlt) {
      const IntSlice values = ad.column(c);
      if ((out.alt = values.at(allele - 1))) {
        const auto ref = rd.per_sample == 1 ? rd.column(c).at(0) : std::nullopt;
        const auto alts = sum_of(values, 0, n_allele - 1);
        if (ref && alts) out.total = out.depth = *ref + *alts;
        return out;
      }
    }
    // 5. SomaticSniper: BCOUNT, base counts in A, C, G, T order.
    if (ref_base >= 0 && alt_base >= 0 && bcount.per_sample == 4) {
      const IntSlice values = bcount.column(c);
      if ((out.alt = values.at(alt_base))) {
        out.total = out.depth = sum_of(values, 0, 4);
        return out;
      }
    }
    // 6. DP4 as integers (biallelic records): ref-fwd, ref-rev, alt-fwd, alt-rev.
    if (n_allele == 2 && dp4.per_sample == 4) {
      const IntSlice values = dp4.column(c);
      const auto forward = values.at(2);
      const auto reverse = values.at(3);
      if (forward && reverse) {
        out.alt = *forward + *reverse;
        out.total = out.depth = sum_of(values, 0, 4);
        return out;
      }
    }
    return out;
  }
};

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
  FormatData format;
  if (record_samples > 0) format.read(header, record, record_samples);

  const std::string contig = bcf_hdr_id2name(header, record->rid);
  for (const int allele : alleles) {
    for (const int column : sample_columns) {
      Call call;
      call.record_ordinal = record_ordinal;
      call.sample_column = column;
      call.filters = site_filters;
      if (column >= 0) {
        const AlleleCounts counts = format.counts(record, column, allele);
        // Allele fractions: any value >= 0 tells whether the allele is carried; only one within 0..1 is a VAF.
        const std::optional<double> af = format.af_shape != AlleleShape::kNone
                                             ? format.af.at(column, index_in(format.af_shape, allele))
                                             : std::nullopt;
        const std::optional<double> fa = format.fa_shape != AlleleShape::kNone
                                             ? format.fa.at(column, index_in(format.fa_shape, allele))
                                             : std::nullopt;
        const std::optional<double> freq =
            record->n_allele == 2 ? parse_percentage(format.freq.at(column)) : std::nullopt;
        const std::optional<double> fraction = af ? af : fa ? fa : freq;

        bool carried = false;
        const auto [called, gt_has_allele] =
            format.gt_per_sample > 0 ? format.genotype(column, allele) : std::pair<bool, bool>{false, false};
        if (called && format.gt_informative) {
          carried = gt_has_allele;
        } else if (counts.alt) {
          carried = *counts.alt > 0;
        } else if (fraction) {
          carried = *fraction > 0.0;
        } else {
          carried = !format.has_evidence;
        }
        if (!carried) continue;

        // VAF: FORMAT/AF (the caller's estimate), else the counts, else MuTect's FA, else VarScan's FREQ.
        if (af && *af <= 1.0) {
          call.vaf = af;
        } else if (counts.alt && counts.total && *counts.total > 0 && *counts.alt <= *counts.total) {
          call.vaf = static_cast<double>(*counts.alt) / static_cast<double>(*counts.total);
        } else if (fa && *fa <= 1.0) {
          call.vaf = fa;
        } else if (freq) {
          call.vaf = freq;
        }
        if (format.dp.present()) {
          const auto depth = format.dp.column(column).at(0);
          if (depth) call.depth = static_cast<std::uint32_t>(*depth);
        }
        if (!call.depth && counts.depth) call.depth = static_cast<std::uint32_t>(*counts.depth);
        if (counts.alt) call.alt_depth = static_cast<std::uint32_t>(*counts.alt);
        std::string_view text = format.ft.at(column);
        while (!text.empty()) {
          const std::size_t semicolon = text.find(';');
          add_filter_name(call.filters, std::string(text.substr(0, semicolon)));
          if (semicolon == std::string_view::npos) break;
          text.remove_prefix(semicolon + 1);
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
