// Gene model readers (GFF3, GTF) and overlap index.
//
// GFF3 algorithm (one pass over the file, then one resolution step):
//   1. Every line is split into its 9 columns (text after the 8th tab is column 9, so a stray tab inside the
//      attributes does not break a line, as in bcftools) and its attributes are parsed (tag=value pairs split on
//      ';', values split on ',' and percent-decoded).
//   2. Each feature is classified:
//      - gene: type "gene", "pseudogene" or any "*_gene" (Ensembl "ncRNA_gene", older "lincRNA_gene"), or a
//        feature without Parent whose ID starts with "gene:" (older Ensembl writes IG/TR genes as
//        "J_gene_segment" with ID=gene:...);
//      - exon / CDS: attached to the transcript(s) named by Parent;
//      - leaf features (UTRs, codons, introns): ignored;
//      - any other feature with an ID and a Parent that is a gene: a transcript (mRNA, transcript, lnc_RNA,
//        pseudogenic_transcript, NMD_transcript_variant, ...);
//      - any other feature with an ID (chromosome, a child of a transcript, a transcript of an ignored parent):
//        ignored, but its ID is remembered as declared.
//      A feature whose parent has not been seen yet is set aside and resolved after the last line, so files
//      sorted by position (children before parents) load too.
//   3. Unknown parents. GFF3 requires every Parent to name an ID in the same file. An exon/CDS is attached when
//      its Parent is a transcript; it is silently ignored when its Parent is declared by a feature we ignore
//      (a gene, a chromosome, or a transcript-like feature whose own parent is not a gene); and it is an error
//      naming file:line when no line of the file declares that ID (a truncated or filtered file). The same rule
//      applies to a transcript-like feature whose Parent is declared nowhere.
//   4. Transcripts keep file order within their gene.
//
// GTF algorithm (one pass, then one resolution step). GTF has no Parent: `gene` lines declare gene_id,
// `transcript` lines declare transcript_id and name their gene_id, and exon / CDS / stop_codon lines name their
// transcript_id. All three kinds are collected in file order and joined by id after the last line, so any line
// order loads. GTF's CDS excludes the stop codon (GTF 2.2), GFF3's includes it: each stop_codon segment is joined to
// the CDS segment it touches, or added as its own segment when an intron splits the stop codon, so both formats of
// one annotation give the same transcripts. Everything GFF3 can express but GTF cannot (features under non-gene
// parents) does not arise.
//
// Both readers end in GeneModel::from_genes, the one place that sorts segments and builds the overlap index:
// per contig_key, genes sorted by start with a running maximum of end. A query binary-searches the last gene
// starting at or before the query end, then walks left while the running maximum reaches the query start:
// O(log n + k) for non-nested genes.

#include "reference/gene_model.h"

#include <htslib/hts.h>
#include <htslib/kstring.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <initializer_list>
#include <numeric>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "reference/contig.h"
#include "reference/error.h"

namespace rarematch::reference {

std::uint64_t Transcript::coding_length() const {
  std::uint64_t total = 0;
  for (const Segment& segment : cds) total += segment.end - segment.start + 1;
  return total;
}

namespace {

// Spliced length (sum of exons); the genomic span when the transcript lists no exons.
std::uint64_t spliced_length(const Transcript& transcript) {
  if (transcript.exons.empty()) return transcript.end - transcript.start + 1;
  std::uint64_t total = 0;
  for (const Segment& segment : transcript.exons) total += segment.end - segment.start + 1;
  return total;
}

// True when `a` is a better canonical choice than `b`: coding first, then longer (coding length for coding
// transcripts, spliced length otherwise), then the smaller id.
bool better_canonical(const Transcript& a, const Transcript& b) {
  if (a.is_coding() != b.is_coding()) return a.is_coding();
  const std::uint64_t length_a = a.is_coding() ? a.coding_length() : spliced_length(a);
  const std::uint64_t length_b = b.is_coding() ? b.coding_length() : spliced_length(b);
  if (length_a != length_b) return length_a > length_b;
  return a.id < b.id;
}

}  // namespace

const Transcript* Gene::canonical_transcript() const {
  const bool any_tagged =
      std::any_of(transcripts.begin(), transcripts.end(), [](const Transcript& t) { return t.canonical; });
  const Transcript* best = nullptr;
  for (const Transcript& transcript : transcripts) {
    if (any_tagged && !transcript.canonical) continue;
    if (best == nullptr || better_canonical(transcript, *best)) best = &transcript;
  }
  return best;
}

namespace {

// The two text formats of a gene model; they share line reading, column splitting and coordinate checks.
enum class Format { kGff3, kGtf };

std::string format_name(Format format) { return format == Format::kGff3 ? "GFF3" : "GTF"; }

std::string columns_hint(Format format) {
  return format == Format::kGff3
             ? "a GFF3 line has 9 tab-separated columns: seqid, source, type, start, end, score, strand, phase, "
               "attributes"
             : "a GTF line has 9 tab-separated columns: seqname, source, feature, start, end, score, strand, frame, "
               "attributes";
}

constexpr std::string_view kCoordinateHint =
    "columns 4 and 5 hold the 1-based start and end (inclusive), start <= end";
constexpr std::string_view kParentHint =
    "every Parent must name the ID of a line in the same file; was the GFF3 truncated or filtered (e.g. with "
    "grep) so that the transcript or gene line was dropped?";

struct HtsFileCloser {
  void operator()(htsFile* file) const noexcept { hts_close(file); }
};

// Reads lines of a plain, gzip or bgzip text file through HTSlib.
class LineReader {
 public:
  LineReader(const std::string& path, Format format) : path_(path), format_(format) {
    errno = 0;
    file_.reset(hts_open(path.c_str(), "r"));
    if (!file_) {
      const int saved = errno;
      throw_bad_input(path, std::nullopt, "open " + format_name(format),
                      saved != 0 ? std::string(std::strerror(saved)) : std::string("HTSlib cannot open it"),
                      "check the path; the " + format_name(format) + " may be plain, gzip or bgzip compressed");
    }
    const htsFormat* file_format = hts_get_format(file_.get());
    if (file_format->compression != no_compression && file_format->compression != gzip &&
        file_format->compression != bgzf) {
      throw_bad_input(path, std::nullopt, "open " + format_name(format),
                      "the file uses a compression HTSlib cannot read as text",
                      "decompress it, or compress it with bgzip or gzip");
    }
  }
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;
  ~LineReader() { ks_free(&buffer_); }

  /// Next line without its end-of-line characters; false at the end of the file.
  bool next(std::string_view& line) {
    const int status = hts_getline(file_.get(), '\n', &buffer_);
    if (status == -1) return false;
    ++line_number_;
    if (status < -1) {
      throw_bad_input(path_, line_number_, "read " + format_name(format_),
                      "the file cannot be read (corrupt compressed data?)",
                      "check the file, e.g. with `gzip -t`");
    }
    std::size_t length = buffer_.l;
    while (length > 0 && (buffer_.s[length - 1] == '\r' || buffer_.s[length - 1] == '\n')) --length;
    line = std::string_view(buffer_.s, length);
    return true;
  }

  std::uint64_t line_number() const { return line_number_; }

 private:
  std::string path_;
  Format format_;
  std::unique_ptr<htsFile, HtsFileCloser> file_;
  kstring_t buffer_ = KS_INITIALIZE;
  std::uint64_t line_number_ = 0;
};

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// GFF3 percent-decoding ("%3B" -> ';'). A '%' not followed by two hex digits is kept as written.
std::string percent_decode(std::string_view raw) {
  if (raw.find('%') == std::string_view::npos) return std::string(raw);
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '%' && i + 2 < raw.size()) {
      const int high = hex_value(raw[i + 1]);
      const int low = hex_value(raw[i + 2]);
      if (high >= 0 && low >= 0) {
        out += static_cast<char>(high * 16 + low);
        i += 2;
        continue;
      }
    }
    out += raw[i];
  }
  return out;
}

std::string_view trim_spaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// The tag=value pairs of column 9, as raw (still encoded) views into the line.
class Attributes {
 public:
  void parse(std::string_view text, const std::string& path, std::uint64_t line) {
    items_.clear();
    if (text == ".") return;
    while (!text.empty()) {
      const std::size_t semicolon = text.find(';');
      const std::string_view item = trim_spaces(text.substr(0, semicolon));
      text = semicolon == std::string_view::npos ? std::string_view() : text.substr(semicolon + 1);
      if (item.empty()) continue;
      const std::size_t equals = item.find('=');
      if (equals == std::string_view::npos) {
        throw_bad_input(path, line, "GFF3 column 9", "attribute '" + std::string(item) + "' is not tag=value",
                        "GFF3 attributes are tag=value pairs separated by ';' (a GTF file, with gene_id \"...\", "
                        "is read as GTF when its name ends in .gtf)");
      }
      items_.emplace_back(trim_spaces(item.substr(0, equals)), item.substr(equals + 1));
    }
  }

  /// The raw value of the first attribute `key`, if present.
  std::optional<std::string_view> raw(std::string_view key) const {
    for (const auto& [tag, value] : items_) {
      if (tag == key) return value;
    }
    return std::nullopt;
  }

  /// The decoded value of the first of `keys` present (a multi-value attribute is returned whole).
  std::optional<std::string> first(std::initializer_list<std::string_view> keys) const {
    for (std::string_view key : keys) {
      if (const auto value = raw(key); value && !value->empty()) return percent_decode(*value);
    }
    return std::nullopt;
  }

  /// The decoded values of a multi-value attribute ("Parent=a,b"); empty when absent.
  std::vector<std::string> list(std::string_view key) const {
    std::vector<std::string> out;
    const auto value = raw(key);
    if (!value) return out;
    std::string_view rest = *value;
    while (true) {
      const std::size_t comma = rest.find(',');
      const std::string_view part = rest.substr(0, comma);
      if (!part.empty()) out.push_back(percent_decode(part));
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
    return out;
  }

 private:
  std::vector<std::pair<std::string_view, std::string_view>> items_;
};

using Columns = std::array<std::string_view, 9>;

// Splits a line into 9 columns; column 9 takes the rest of the line. Returns the number of columns found.
std::size_t split_columns(std::string_view line, Columns& columns) {
  std::size_t count = 0;
  while (count < 8) {
    const std::size_t tab = line.find('\t');
    if (tab == std::string_view::npos) break;
    columns[count++] = line.substr(0, tab);
    line.remove_prefix(tab + 1);
  }
  columns[count++] = line;
  return count;
}

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && text.substr(0, prefix.size()) == prefix;
}

// Features that never carry transcripts or exons: skipped without remembering their IDs.
bool is_leaf_type(std::string_view type) {
  static const std::unordered_set<std::string_view> kLeaves = {
      "five_prime_UTR", "three_prime_UTR", "UTR",    "start_codon", "stop_codon",
      "stop_codon_redefined_as_selenocysteine", "intron", "Selenocysteine"};
  return kLeaves.count(type) > 0;
}

// True when the tags mark the canonical transcript of its gene.
bool is_canonical_tagged(const std::vector<std::string>& tags) {
  return std::any_of(tags.begin(), tags.end(),
                     [](const std::string& tag) { return tag == "Ensembl_canonical" || tag == "MANE_Select"; });
}

bool is_gene(std::string_view type, const std::optional<std::string>& id, bool has_parent) {
  if (type == "gene" || type == "pseudogene" || ends_with(type, "_gene")) return true;
  return !has_parent && id && starts_with(*id, "gene:");
}

// "gene:ENSG00000146648" -> "ENSG00000146648"; "ENSG00000012048.14" -> "ENSG00000012048";
// "ENSG00000182378.14_PAR_Y" -> "ENSG00000182378_PAR_Y". The version is removed only from ids shaped like
// stable ids (letters, then digits, then ".N"), so dotted names such as WormBase "C41D11.1a.2" stay intact.
std::string normalise_id(std::string_view raw) {
  if (starts_with(raw, "gene:")) {
    raw.remove_prefix(5);
  } else if (starts_with(raw, "transcript:")) {
    raw.remove_prefix(11);
  }
  const std::size_t dot = raw.find('.');
  if (dot == std::string_view::npos) return std::string(raw);
  const std::string_view base = raw.substr(0, dot);
  std::size_t letters = 0;
  while (letters < base.size() && (std::isalpha(static_cast<unsigned char>(base[letters])) || base[letters] == '_')) {
    ++letters;
  }
  std::size_t digits = letters;
  while (digits < base.size() && std::isdigit(static_cast<unsigned char>(base[digits]))) ++digits;
  if (letters == 0 || digits == letters || digits != base.size()) return std::string(raw);
  std::size_t version_end = dot + 1;
  while (version_end < raw.size() && std::isdigit(static_cast<unsigned char>(raw[version_end]))) ++version_end;
  if (version_end == dot + 1) return std::string(raw);
  if (version_end != raw.size() && raw[version_end] != '_') return std::string(raw);
  return std::string(base) + std::string(raw.substr(version_end));
}

struct Coordinates {
  std::uint64_t start = 0;
  std::uint64_t end = 0;
};

std::optional<std::uint64_t> parse_position(std::string_view text) {
  std::uint64_t value = 0;
  const char* first = text.data();
  const char* last = text.data() + text.size();
  if (text.empty() || !std::isdigit(static_cast<unsigned char>(text.front()))) return std::nullopt;
  const auto [ptr, ec] = std::from_chars(first, last, value);
  if (ec != std::errc() || ptr != last || value == 0) return std::nullopt;
  return value;
}

Coordinates parse_coordinates(const Columns& columns, const std::string& path, std::uint64_t line,
                              Format format = Format::kGff3) {
  const auto start = parse_position(columns[3]);
  if (!start) {
    throw_bad_input(path, line, format_name(format) + " column 4",
                    "start '" + std::string(columns[3]) + "' is not a positive whole number",
                    std::string(kCoordinateHint));
  }
  const auto end = parse_position(columns[4]);
  if (!end) {
    throw_bad_input(path, line, format_name(format) + " column 5",
                    "end '" + std::string(columns[4]) + "' is not a positive whole number",
                    std::string(kCoordinateHint));
  }
  if (*start > *end) {
    throw_bad_input(path, line, format_name(format) + " columns 4-5",
                    "start " + std::to_string(*start) + " is after end " + std::to_string(*end),
                    std::string(kCoordinateHint));
  }
  return {*start, *end};
}

char parse_strand(const Columns& columns, const std::string& path, std::uint64_t line,
                  Format format = Format::kGff3) {
  if (columns[6] == "+" || columns[6] == "-") return columns[6].front();
  throw_bad_input(path, line, format_name(format) + " column 7",
                  "strand '" + std::string(columns[6]) + "' of a " + std::string(columns[2]) + " is not '+' or '-'",
                  "genes and transcripts must be stranded");
}

void require_seqid(const Columns& columns, const std::string& path, std::uint64_t line,
                   Format format = Format::kGff3) {
  if (columns[0].empty()) {
    throw_bad_input(path, line, format_name(format) + " column 1", "the sequence id is empty", columns_hint(format));
  }
}

// An exon or CDS whose parent transcript was not yet seen when its line was read.
struct PendingSegment {
  std::string parent;
  std::string contig;
  Segment segment;
  bool is_cds = false;
  std::uint64_t line = 0;
};

// A transcript-like feature whose parent was not yet seen; its line is classified again after the last line.
struct PendingFeature {
  std::string text;
  std::uint64_t line = 0;
};

// Accumulates genes, transcripts and segments while the file is read, then resolves what was set aside.
class Gff3Builder {
 public:
  explicit Gff3Builder(const std::string& path) : path_(path) {}

  void read() {
    LineReader reader(path_, Format::kGff3);
    std::string_view text;
    while (reader.next(text)) {
      if (text.empty() || text.front() == '#') {
        if (starts_with(text, "##FASTA")) break;  // the rest of the file is sequence
        continue;
      }
      if (trim_spaces(text).empty()) continue;
      handle_line(text, reader.line_number(), /*final_pass=*/false);
    }
    resolve_pending();
  }

  /// Genes with their transcripts attached (segments not yet sorted: GeneModel::from_genes does it); call once
  /// after read().
  std::vector<Gene> take_genes() {
    if (genes_.empty()) {
      throw_bad_input(path_, std::nullopt, "read GFF3", "the file holds no gene",
                      "give an Ensembl or GENCODE GFF3 with gene lines (type gene, ncRNA_gene or pseudogene)");
    }
    std::vector<std::size_t> order(transcripts_.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [this](std::size_t a, std::size_t b) {
      if (transcript_gene_[a] != transcript_gene_[b]) return transcript_gene_[a] < transcript_gene_[b];
      return transcript_line_[a] < transcript_line_[b];
    });
    for (std::size_t index : order) {
      genes_[transcript_gene_[index]].transcripts.push_back(std::move(transcripts_[index]));
    }
    transcripts_.clear();
    return std::move(genes_);
  }

 private:
  bool declared(const std::string& id) const {
    return gene_by_id_.count(id) > 0 || transcript_by_id_.count(id) > 0 || other_ids_.count(id) > 0 ||
           pending_ids_.count(id) > 0;
  }

  void check_new_id(const std::string& id, std::uint64_t line) const {
    std::optional<std::uint64_t> earlier;
    if (const auto it = gene_by_id_.find(id); it != gene_by_id_.end()) earlier = gene_line_[it->second];
    if (const auto it = transcript_by_id_.find(id); it != transcript_by_id_.end()) {
      earlier = transcript_line_[it->second];
    }
    if (earlier) {
      throw_bad_input(path_, line, "GFF3 column 9",
                      "ID '" + id + "' was already declared at line " + std::to_string(*earlier),
                      "gene and transcript IDs must be unique within the file");
    }
  }

  void handle_line(std::string_view text, std::uint64_t line, bool final_pass) {
    Columns columns;
    const std::size_t count = split_columns(text, columns);
    if (count != 9) {
      throw_bad_input(path_, line, "GFF3 line", "expected 9 tab-separated columns, found " + std::to_string(count),
                      columns_hint(Format::kGff3));
    }
    attributes_.parse(columns[8], path_, line);
    const std::string_view type = columns[2];
    const bool is_exon = type == "exon";
    const bool is_cds = type == "CDS";
    if (is_exon || is_cds) {
      handle_segment(columns, is_cds, line);
      return;
    }
    if (is_leaf_type(type)) return;
    const std::optional<std::string> id = attributes_.first({"ID"});
    const std::vector<std::string> parents = attributes_.list("Parent");
    if (is_gene(type, id, !parents.empty())) {
      add_gene(columns, id, line);
      return;
    }
    if (!id) return;  // nothing can refer to it
    if (parents.empty()) {
      other_ids_.insert(*id);
      return;
    }
    for (const std::string& parent : parents) {
      if (const auto it = gene_by_id_.find(parent); it != gene_by_id_.end()) {
        add_transcript(columns, *id, it->second, line);
        return;
      }
    }
    for (const std::string& parent : parents) {
      if (declared(parent)) continue;
      if (!final_pass) {
        pending_features_.push_back({std::string(text), line});
        return;
      }
      throw_bad_input(path_, line, "GFF3 column 9",
                      std::string(type) + " '" + *id + "' has Parent '" + parent + "', which no line declares",
                      std::string(kParentHint));
    }
    other_ids_.insert(*id);  // a child of a transcript, or of a feature we ignore
  }

  void handle_segment(const Columns& columns, bool is_cds, std::uint64_t line) {
    const std::vector<std::string> parents = attributes_.list("Parent");
    if (parents.empty()) {
      throw_bad_input(path_, line, "GFF3 column 9", std::string(columns[2]) + " has no Parent attribute",
                      "each exon and CDS line must name its transcript with Parent=");
    }
    require_seqid(columns, path_, line);
    const Coordinates where = parse_coordinates(columns, path_, line);
    for (const std::string& parent : parents) {
      if (const auto it = transcript_by_id_.find(parent); it != transcript_by_id_.end()) {
        attach(it->second, columns[0], {where.start, where.end}, is_cds, line);
      } else if (gene_by_id_.count(parent) == 0 && other_ids_.count(parent) == 0) {
        pending_segments_.push_back({parent, std::string(columns[0]), {where.start, where.end}, is_cds, line});
      }
      // else: a child of a gene or of an ignored feature (e.g. a transcript of a gene type we do not model)
    }
  }

  void attach(std::size_t transcript_index, std::string_view contig, Segment segment, bool is_cds,
              std::uint64_t line) {
    Transcript& transcript = transcripts_[transcript_index];
    if (transcript.contig != contig) {
      throw_bad_input(path_, line, "GFF3 column 1",
                      std::string(is_cds ? "CDS" : "exon") + " on '" + std::string(contig) + "' but its transcript '" +
                          transcript.id + "' is on '" + transcript.contig + "'",
                      "an exon or CDS must lie on the contig of its transcript");
    }
    (is_cds ? transcript.cds : transcript.exons).push_back(segment);
  }

  void add_gene(const Columns& columns, const std::optional<std::string>& id, std::uint64_t line) {
    if (!id) {
      throw_bad_input(path_, line, "GFF3 column 9", std::string(columns[2]) + " line has no ID attribute",
                      "gene lines need ID= so that their transcripts can name them as Parent");
    }
    require_seqid(columns, path_, line);
    const Coordinates where = parse_coordinates(columns, path_, line);
    const char strand = parse_strand(columns, path_, line);
    check_new_id(*id, line);
    Gene gene;
    gene.id = normalise_id(*id);
    gene.name = attributes_.first({"Name", "gene_name", "gene"}).value_or(gene.id);
    gene.biotype = attributes_.first({"biotype", "gene_biotype", "gene_type"}).value_or(std::string());
    gene.contig = std::string(columns[0]);
    gene.strand = strand;
    gene.start = where.start;
    gene.end = where.end;
    gene_by_id_.emplace(*id, genes_.size());
    genes_.push_back(std::move(gene));
    gene_line_.push_back(line);
  }

  void add_transcript(const Columns& columns, const std::string& id, std::size_t gene_index, std::uint64_t line) {
    require_seqid(columns, path_, line);
    const Coordinates where = parse_coordinates(columns, path_, line);
    const char strand = parse_strand(columns, path_, line);
    check_new_id(id, line);
    const Gene& gene = genes_[gene_index];
    if (gene.contig != columns[0]) {
      throw_bad_input(path_, line, "GFF3 column 1",
                      "transcript on '" + std::string(columns[0]) + "' but its gene '" + gene.id + "' is on '" +
                          gene.contig + "'",
                      "a transcript must lie on the contig of its gene");
    }
    Transcript transcript;
    transcript.id = normalise_id(id);
    transcript.biotype =
        attributes_.first({"biotype", "transcript_biotype", "transcript_type"}).value_or(std::string());
    transcript.contig = std::string(columns[0]);
    transcript.strand = strand;
    transcript.start = where.start;
    transcript.end = where.end;
    transcript.tags = attributes_.list("tag");
    transcript.canonical = is_canonical_tagged(transcript.tags);
    transcript_by_id_.emplace(id, transcripts_.size());
    transcripts_.push_back(std::move(transcript));
    transcript_gene_.push_back(gene_index);
    transcript_line_.push_back(line);
  }

  void resolve_pending() {
    // Features first (they may be the transcripts that pending exons name), in file order.
    std::vector<PendingFeature> features = std::move(pending_features_);
    pending_features_.clear();
    std::vector<std::optional<std::string>> ids;
    ids.reserve(features.size());
    for (const PendingFeature& feature : features) {
      Columns columns;
      split_columns(feature.text, columns);
      attributes_.parse(columns[8], path_, feature.line);
      ids.push_back(attributes_.first({"ID"}));
      if (ids.back()) pending_ids_.insert(*ids.back());
    }
    for (std::size_t i = 0; i < features.size(); ++i) {
      if (ids[i]) pending_ids_.erase(*ids[i]);
      handle_line(features[i].text, features[i].line, /*final_pass=*/true);
    }
    for (const PendingSegment& pending : pending_segments_) {
      if (const auto it = transcript_by_id_.find(pending.parent); it != transcript_by_id_.end()) {
        attach(it->second, pending.contig, pending.segment, pending.is_cds, pending.line);
      } else if (!declared(pending.parent)) {
        throw_bad_input(path_, pending.line, "GFF3 column 9",
                        std::string(pending.is_cds ? "CDS" : "exon") + " has Parent '" + pending.parent +
                            "', which no line declares",
                        std::string(kParentHint));
      }
    }
    pending_segments_.clear();
  }

  const std::string& path_;
  Attributes attributes_;
  std::vector<Gene> genes_;
  std::vector<std::uint64_t> gene_line_;
  std::unordered_map<std::string, std::size_t> gene_by_id_;  // raw (decoded) ID -> genes_ index
  std::vector<Transcript> transcripts_;
  std::vector<std::size_t> transcript_gene_;
  std::vector<std::uint64_t> transcript_line_;
  std::unordered_map<std::string, std::size_t> transcript_by_id_;  // raw ID -> transcripts_ index
  std::unordered_set<std::string> other_ids_;    // declared IDs of features that are neither gene nor transcript
  std::unordered_set<std::string> pending_ids_;  // IDs of features still being resolved
  std::vector<PendingFeature> pending_features_;
  std::vector<PendingSegment> pending_segments_;
};

// ---- GTF ------------------------------------------------------------------------------------------------------

constexpr std::string_view kGtfAttributeHint =
    "GTF attributes are `key \"value\";` pairs (Ensembl and GENCODE GTF); a file with ID=...;Parent=... attributes "
    "is GFF3: name it .gff3";
constexpr std::string_view kGtfLinkHint =
    "every transcript_id must be declared by a transcript line, every gene_id by a gene line (Ensembl and GENCODE "
    "GTF write both); was the GTF truncated or filtered (e.g. with grep), or does it come from a source without "
    "gene and transcript lines (UCSC)?";

// The `key "value";` pairs of a GTF column 9, as views into the line (quotes removed). Keys may repeat (`tag`).
class GtfAttributes {
 public:
  void parse(std::string_view text, const std::string& path, std::uint64_t line) {
    items_.clear();
    std::size_t begin = 0;
    bool quoted = false;
    for (std::size_t i = 0; i <= text.size(); ++i) {
      if (i < text.size() && text[i] == '"') quoted = !quoted;
      if (i < text.size() && (quoted || text[i] != ';')) continue;
      if (quoted) {
        throw_bad_input(path, line, "GTF column 9", "a quoted value is not closed", std::string(kGtfAttributeHint));
      }
      add(trim_spaces(text.substr(begin, i - begin)), path, line);
      begin = i + 1;
    }
  }

  /// The value of the first attribute `key` with a non-empty value, if present.
  std::optional<std::string_view> first(std::string_view key) const {
    for (const auto& [tag, value] : items_) {
      if (tag == key && !value.empty()) return value;
    }
    return std::nullopt;
  }

  /// The value of the first of `keys` present (see first()).
  std::optional<std::string> first_of(std::initializer_list<std::string_view> keys) const {
    for (std::string_view key : keys) {
      if (const auto value = first(key)) return std::string(*value);
    }
    return std::nullopt;
  }

  /// Every value of the repeatable attribute `key`, in line order.
  std::vector<std::string> all(std::string_view key) const {
    std::vector<std::string> out;
    for (const auto& [tag, value] : items_) {
      if (tag == key) out.emplace_back(value);
    }
    return out;
  }

 private:
  void add(std::string_view item, const std::string& path, std::uint64_t line) {
    if (item.empty()) return;
    std::size_t space = 0;
    while (space < item.size() && item[space] != ' ' && item[space] != '\t') ++space;
    if (space == item.size()) {
      throw_bad_input(path, line, "GTF column 9", "attribute '" + std::string(item) + "' is not `key value`",
                      std::string(kGtfAttributeHint));
    }
    std::string_view value = trim_spaces(item.substr(space));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    } else if (value.find('"') != std::string_view::npos) {
      throw_bad_input(path, line, "GTF column 9", "attribute '" + std::string(item) + "' has a stray quote",
                      std::string(kGtfAttributeHint));
    }
    items_.emplace_back(item.substr(0, space), value);
  }

  std::vector<std::pair<std::string_view, std::string_view>> items_;
};

// Adds a GTF stop_codon segment to a GFF3-style CDS: joined to the CDS segment it overlaps or touches (the usual
// case), else kept as a segment of its own (the part of a stop codon that an intron splits off).
void add_stop_codon(std::vector<Segment>& cds, Segment stop) {
  for (Segment& segment : cds) {
    if (stop.start <= segment.end + 1 && segment.start <= stop.end + 1) {
      segment.start = std::min(segment.start, stop.start);
      segment.end = std::max(segment.end, stop.end);
      return;
    }
  }
  cds.push_back(stop);
}

// Collects GTF genes, transcripts and segments in file order, then joins them by id.
class GtfBuilder {
 public:
  explicit GtfBuilder(const std::string& path) : path_(path) {}

  void read() {
    LineReader reader(path_, Format::kGtf);
    std::string_view text;
    while (reader.next(text)) {
      if (text.empty() || text.front() == '#' || trim_spaces(text).empty()) continue;
      handle_line(text, reader.line_number());
    }
  }

  /// Genes with their transcripts, exons and CDS (stop codons added); call once after read().
  std::vector<Gene> take_genes() {
    if (genes_.empty()) {
      throw_bad_input(path_, std::nullopt, "read GTF", "the file holds no gene",
                      "give an Ensembl or GENCODE GTF, which has a `gene` line for every gene");
    }
    // Exons and CDS whose transcript line came after them, then every stop codon (once all CDS are in place).
    for (const bool stop_codons : {false, true}) {
      for (const PendingSegment& pending : pending_segments_) {
        if ((pending.kind == kStopCodon) != stop_codons) continue;
        const auto it = transcript_by_id_.find(pending.transcript_id);
        if (it == transcript_by_id_.end()) {
          throw_bad_input(path_, pending.line, "GTF column 9",
                          std::string(kSegmentNames[pending.kind]) + " has transcript_id '" + pending.transcript_id +
                              "', which no transcript line declares",
                          std::string(kGtfLinkHint));
        }
        attach(it->second, pending.kind, pending.contig, pending.segment, pending.line);
      }
    }
    pending_segments_.clear();
    for (PendingTranscript& pending : transcripts_) {
      const auto it = gene_by_id_.find(pending.gene_id);
      if (it == gene_by_id_.end()) {
        throw_bad_input(path_, pending.line, "GTF column 9",
                        "transcript '" + pending.transcript.id + "' has gene_id '" + pending.gene_id +
                            "', which no gene line declares",
                        std::string(kGtfLinkHint));
      }
      Gene& gene = genes_[it->second];
      if (gene.contig != pending.transcript.contig) {
        throw_bad_input(path_, pending.line, "GTF column 1",
                        "transcript on '" + pending.transcript.contig + "' but its gene '" + gene.id + "' is on '" +
                            gene.contig + "'",
                        "a transcript must lie on the contig of its gene");
      }
      gene.transcripts.push_back(std::move(pending.transcript));
    }
    transcripts_.clear();
    return std::move(genes_);
  }

 private:
  enum SegmentKind { kExon = 0, kCds = 1, kStopCodon = 2 };
  static constexpr std::array<std::string_view, 3> kSegmentNames = {"exon", "CDS", "stop_codon"};

  struct PendingTranscript {
    Transcript transcript;
    std::string gene_id;  // raw gene_id attribute
    std::uint64_t line = 0;
  };

  // An exon or CDS read before its transcript line, or any stop codon.
  struct PendingSegment {
    std::string transcript_id;  // raw transcript_id attribute
    std::string contig;
    Segment segment;
    SegmentKind kind = kExon;
    std::uint64_t line = 0;
  };

  std::string required(std::string_view key, std::string_view feature, std::uint64_t line) const {
    const auto value = attributes_.first(key);
    if (!value) {
      throw_bad_input(path_, line, "GTF column 9",
                      std::string(feature) + " line has no " + std::string(key) + " attribute",
                      "Ensembl and GENCODE GTF give every line gene_id, and every transcript, exon and CDS line "
                      "transcript_id");
    }
    return std::string(*value);
  }

  void handle_line(std::string_view text, std::uint64_t line) {
    Columns columns;
    const std::size_t count = split_columns(text, columns);
    if (count != 9) {
      throw_bad_input(path_, line, "GTF line", "expected 9 tab-separated columns, found " + std::to_string(count),
                      columns_hint(Format::kGtf));
    }
    const std::string_view type = columns[2];
    SegmentKind kind = kExon;
    if (type == "exon") {
      kind = kExon;
    } else if (type == "CDS") {
      kind = kCds;
    } else if (type == "stop_codon") {
      kind = kStopCodon;
    } else if (type != "gene" && type != "transcript") {
      return;  // UTR, start_codon, Selenocysteine, ...: nothing the model keeps
    }
    attributes_.parse(columns[8], path_, line);
    require_seqid(columns, path_, line, Format::kGtf);
    const Coordinates where = parse_coordinates(columns, path_, line, Format::kGtf);
    if (type == "gene") {
      add_gene(columns, where, line);
    } else if (type == "transcript") {
      add_transcript(columns, where, line);
    } else {
      std::string transcript_id = required("transcript_id", type, line);
      const auto it = transcript_by_id_.find(transcript_id);
      if (kind != kStopCodon && it != transcript_by_id_.end()) {
        attach(it->second, kind, columns[0], {where.start, where.end}, line);
      } else {
        pending_segments_.push_back(
            {std::move(transcript_id), std::string(columns[0]), {where.start, where.end}, kind, line});
      }
    }
  }

  void attach(std::size_t transcript_index, SegmentKind kind, std::string_view contig, Segment segment,
              std::uint64_t line) {
    Transcript& transcript = transcripts_[transcript_index].transcript;
    if (transcript.contig != contig) {
      throw_bad_input(path_, line, "GTF column 1",
                      std::string(kSegmentNames[kind]) + " on '" + std::string(contig) + "' but its transcript '" +
                          transcript.id + "' is on '" + transcript.contig + "'",
                      "an exon, CDS or stop_codon must lie on the contig of its transcript");
    }
    if (kind == kExon) transcript.exons.push_back(segment);
    if (kind == kCds) transcript.cds.push_back(segment);
    if (kind == kStopCodon) add_stop_codon(transcript.cds, segment);
  }

  void add_gene(const Columns& columns, Coordinates where, std::uint64_t line) {
    const char strand = parse_strand(columns, path_, line, Format::kGtf);
    std::string raw_id = required("gene_id", "gene", line);
    if (const auto it = gene_by_id_.find(raw_id); it != gene_by_id_.end()) {
      throw_bad_input(path_, line, "GTF column 9",
                      "gene_id '" + raw_id + "' was already declared at line " + std::to_string(gene_line_[it->second]),
                      "a GTF has one gene line per gene_id");
    }
    Gene gene;
    gene.id = normalise_id(raw_id);
    gene.name = attributes_.first_of({"gene_name"}).value_or(gene.id);
    gene.biotype = attributes_.first_of({"gene_biotype", "gene_type"}).value_or(std::string());
    gene.contig = std::string(columns[0]);
    gene.strand = strand;
    gene.start = where.start;
    gene.end = where.end;
    gene_by_id_.emplace(std::move(raw_id), genes_.size());
    genes_.push_back(std::move(gene));
    gene_line_.push_back(line);
  }

  void add_transcript(const Columns& columns, Coordinates where, std::uint64_t line) {
    const char strand = parse_strand(columns, path_, line, Format::kGtf);
    std::string gene_id = required("gene_id", "transcript", line);
    std::string raw_id = required("transcript_id", "transcript", line);
    if (const auto it = transcript_by_id_.find(raw_id); it != transcript_by_id_.end()) {
      throw_bad_input(path_, line, "GTF column 9",
                      "transcript_id '" + raw_id + "' was already declared at line " +
                          std::to_string(transcripts_[it->second].line),
                      "a GTF has one transcript line per transcript_id");
    }
    Transcript transcript;
    transcript.id = normalise_id(raw_id);
    transcript.biotype = attributes_.first_of({"transcript_biotype", "transcript_type"}).value_or(std::string());
    transcript.contig = std::string(columns[0]);
    transcript.strand = strand;
    transcript.start = where.start;
    transcript.end = where.end;
    transcript.tags = attributes_.all("tag");
    transcript.canonical = is_canonical_tagged(transcript.tags);
    transcript_by_id_.emplace(std::move(raw_id), transcripts_.size());
    transcripts_.push_back({std::move(transcript), std::move(gene_id), line});
  }

  const std::string& path_;
  GtfAttributes attributes_;
  std::vector<Gene> genes_;
  std::vector<std::uint64_t> gene_line_;
  std::unordered_map<std::string, std::size_t> gene_by_id_;  // raw gene_id -> genes_ index
  std::vector<PendingTranscript> transcripts_;                // file order
  std::unordered_map<std::string, std::size_t> transcript_by_id_;  // raw transcript_id -> transcripts_ index
  std::vector<PendingSegment> pending_segments_;              // file order
};

// Lower-case copy, for file-name suffixes.
std::string lower_case(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

struct GeneModel::ContigIndex {
  struct Entry {
    std::uint64_t start = 0;
    std::uint64_t end = 0;
    std::uint64_t max_end = 0;  // max end over this entry and all before it
    std::size_t gene = 0;       // index into genes_
  };
  std::unordered_map<std::string, std::vector<Entry>> by_contig;  // contig_key -> entries sorted by start
  std::unordered_map<std::string, std::size_t> by_name;           // gene name -> first gene in file order
};

GeneModel GeneModel::load_gff3(const std::string& path) {
  Gff3Builder builder(path);
  builder.read();
  return from_genes(builder.take_genes(), path);
}

GeneModel GeneModel::load_gtf(const std::string& path) {
  GtfBuilder builder(path);
  builder.read();
  return from_genes(builder.take_genes(), path);
}

GeneModel GeneModel::load(const std::string& path) {
  std::string name = lower_case(std::filesystem::path(path).filename().string());
  for (std::string_view compressed : {".gz", ".bgz"}) {
    if (ends_with(name, compressed)) {
      name.resize(name.size() - compressed.size());
      break;
    }
  }
  if (ends_with(name, ".gff3") || ends_with(name, ".gff")) return load_gff3(path);
  if (ends_with(name, ".gtf")) return load_gtf(path);
  throw_bad_input(path, std::nullopt, "read gene model", "cannot tell GFF3 from GTF by the file name",
                  "name a GFF3 *.gff3 or *.gff and a GTF *.gtf (either optionally followed by .gz)");
}

GeneModel GeneModel::from_genes(std::vector<Gene> genes, const std::string& source) {
  const auto check_range = [&source](std::uint64_t start, std::uint64_t end, const auto& describe) {
    if (start == 0 || start > end) {
      throw_bad_input(source, std::nullopt, describe(),
                      "range " + std::to_string(start) + "-" + std::to_string(end) +
                          " is not 1-based with start <= end",
                      "rebuild the gene model from its GFF3 or GTF");
    }
  };
  const auto by_position = [](const Segment& a, const Segment& b) {
    return a.start != b.start ? a.start < b.start : a.end < b.end;
  };
  for (Gene& gene : genes) {
    check_range(gene.start, gene.end, [&gene] { return "gene " + gene.id; });
    for (Transcript& transcript : gene.transcripts) {
      const auto describe = [&transcript] { return "transcript " + transcript.id; };
      check_range(transcript.start, transcript.end, describe);
      if (transcript.contig != gene.contig) {
        throw_bad_input(source, std::nullopt, describe(),
                        "on '" + transcript.contig + "' but its gene '" + gene.id + "' is on '" + gene.contig + "'",
                        "a transcript must lie on the contig of its gene");
      }
      for (std::vector<Segment>* segments : {&transcript.exons, &transcript.cds}) {
        for (const Segment& segment : *segments) check_range(segment.start, segment.end, describe);
        if (!std::is_sorted(segments->begin(), segments->end(), by_position)) {
          std::sort(segments->begin(), segments->end(), by_position);
        }
      }
      transcript.gene_id = gene.id;
      transcript.gene_name = gene.name;
    }
  }

  GeneModel model;
  model.genes_ = std::move(genes);
  auto index = std::make_shared<ContigIndex>();
  for (std::size_t i = 0; i < model.genes_.size(); ++i) {
    const Gene& gene = model.genes_[i];
    index->by_contig[contig_key(gene.contig)].push_back({gene.start, gene.end, 0, i});
    index->by_name.emplace(gene.name, i);
  }
  for (auto& [key, entries] : index->by_contig) {
    const std::vector<Gene>& indexed = model.genes_;
    std::sort(entries.begin(), entries.end(), [&indexed](const ContigIndex::Entry& a, const ContigIndex::Entry& b) {
      if (a.start != b.start) return a.start < b.start;
      const Gene& gene_a = indexed[a.gene];
      const Gene& gene_b = indexed[b.gene];
      if (gene_a.name != gene_b.name) return gene_a.name < gene_b.name;
      if (gene_a.id != gene_b.id) return gene_a.id < gene_b.id;
      return a.gene < b.gene;
    });
    std::uint64_t running = 0;
    for (ContigIndex::Entry& entry : entries) {
      running = std::max(running, entry.end);
      entry.max_end = running;
    }
  }
  model.index_ = std::move(index);
  return model;
}

std::vector<const Gene*> GeneModel::genes_overlapping(std::string_view contig, std::uint64_t start,
                                                      std::uint64_t end) const {
  std::vector<const Gene*> out;
  if (!index_ || start > end) return out;
  const auto found = index_->by_contig.find(contig_key(contig));
  if (found == index_->by_contig.end()) return out;
  const std::vector<ContigIndex::Entry>& entries = found->second;
  // First entry starting after the query end; everything before it starts at or before the end.
  auto it = std::upper_bound(entries.begin(), entries.end(), end,
                             [](std::uint64_t value, const ContigIndex::Entry& entry) { return value < entry.start; });
  while (it != entries.begin()) {
    --it;
    if (it->max_end < start) break;  // no entry at or before this one reaches the query start
    if (it->end >= start) out.push_back(&genes_[it->gene]);
  }
  std::reverse(out.begin(), out.end());
  return out;
}

const Gene* GeneModel::find_gene(std::string_view name) const {
  if (!index_) return nullptr;
  const auto it = index_->by_name.find(std::string(name));
  return it == index_->by_name.end() ? nullptr : &genes_[it->second];
}

std::vector<std::string> GeneModel::contigs() const {
  std::set<std::string> names;
  for (const Gene& gene : genes_) names.insert(gene.contig);
  return {names.begin(), names.end()};
}

}  // namespace rarematch::reference
