#pragma once
// Reading VCF/BCF with HTSlib. A VcfReader owns its htsFile and header (unique_ptr with deleters); records are
// read in batches on one thread, and decoded into plain Call structs on any thread, since decoding only reads a
// frozen header. A bcf1_t belongs to one batch at a time.
//
// Frozen headers. A text VCF may use contigs and INFO/FORMAT tags its header never declared (many callers write no
// ##contig lines); HTSlib then adds them to the header it reads with, while reading. That header therefore belongs
// to the reading thread alone. Workers get frozen copies instead: every batch carries `RecordBatch::header`, a copy
// that knows every contig and tag its records use, and header() is the latest copy (the same pointer as long as
// nothing was added). Copies are never changed and live as long as the reader.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <htslib/vcf.h>

namespace rarematch::pipeline {

/// Closes an htsFile (hts_close); null is ignored.
struct HtsFileDeleter { void operator()(htsFile* f) const noexcept; };
/// Frees a VCF header (bcf_hdr_destroy); null is ignored.
struct BcfHeaderDeleter { void operator()(bcf_hdr_t* h) const noexcept; };
/// Frees a VCF record (bcf_destroy); null is ignored.
struct BcfRecordDeleter { void operator()(bcf1_t* r) const noexcept; };
/// An owned htsFile.
using HtsFilePtr = std::unique_ptr<htsFile, HtsFileDeleter>;
/// An owned VCF header.
using BcfHeaderPtr = std::unique_ptr<bcf_hdr_t, BcfHeaderDeleter>;
/// An owned VCF record.
using BcfRecordPtr = std::unique_ptr<bcf1_t, BcfRecordDeleter>;

/// Opens `path` for reading through HTSlib (plain, gzip or bgzip; any format HTSlib detects). Remote URLs
/// ("scheme://...") are refused: patient data is read from local files only. Throws rarematch::Error (kBadInput)
/// naming the file when it cannot be opened (with the system's reason), or when it is BGZF-compressed but lacks
/// the BGZF end-of-file block (a truncated file). Shared by the VCF and the delimited-text readers.
HtsFilePtr open_hts_file(const std::string& path);

/// A `##contig=<ID=..,length=..>` declaration.
struct ContigDeclaration {
  std::string name;                      ///< ID as written
  std::optional<std::uint64_t> length;   ///< length in bases; absent when not declared (or not a number)
};

/// Records read together; `first_ordinal` is the 1-based ordinal of records[0] in the file.
struct RecordBatch {
  std::uint64_t first_ordinal = 0;     ///< 1-based ordinal of records[0]
  std::vector<BcfRecordPtr> records;   ///< in file order, unpacked (BCF_UN_ALL)
  /// The frozen header to decode these records with (see the top of this file); owned by the reader, valid as
  /// long as it. Set by VcfReader::read_batch.
  const bcf_hdr_t* header = nullptr;
};

/// One ALT allele of one record as seen in one sample column. Coordinates are VCF's: 1-based position of the
/// first REF base. Alleles are as written (normalisation happens later).
struct Call {
  std::uint64_t record_ordinal = 0;  ///< 1-based record number in the file
  int sample_column = 0;             ///< index in the header's sample list; -1 for the record itself
  std::string contig;                ///< as written in the VCF
  std::uint64_t position = 0;        ///< 1-based position of the first REF base
  std::string ref;                   ///< REF as written
  std::string alt;                   ///< this ALT allele as written
  bool filter_pass = true;           ///< FILTER is PASS or missing, and so is the column's FORMAT/FT if present
  std::vector<std::string> filters;  ///< failing filter names (FILTER, then FORMAT/FT), when !filter_pass
  /// Variant allele fraction 0..1: FORMAT/AF, else from the caller's read counts (see decode_calls); absent when
  /// not computable.
  std::optional<double> vaf;
  std::optional<std::uint32_t> depth;      ///< read depth: FORMAT/DP, else the caller's counts (see decode_calls)
  std::optional<std::uint32_t> alt_depth;  ///< reads supporting this allele (AD, tier-1 counts, ...)
};

/// A VCF/BCF file being read: header access, batches of records, and record locations for messages. Movable,
/// not copyable; one thread reads.
class VcfReader {
 public:
  /// Opens a VCF (plain or bgzip) or BCF and reads its header. `hts_threads` > 0 attaches that many HTSlib
  /// decompression threads. Throws rarematch::Error (kBadInput) naming the file when it cannot be opened, is not
  /// VCF/BCF, or its header is malformed.
  static VcfReader open(const std::string& path, int hts_threads = 0);

  /// The path as given to open().
  const std::string& path() const { return path_; }
  /// The latest frozen header: it knows every contig and tag of the records read so far, is never changed, and
  /// stays valid as long as the reader, so it may be read from any thread. After read_batch it equals that batch's
  /// `RecordBatch::header`. Call it on the reading thread (not concurrently with read_batch); workers decoding a
  /// batch use `RecordBatch::header`.
  const bcf_hdr_t* header() const { return latest_header_; }
  /// Sample column names in header order.
  std::vector<std::string> sample_names() const;
  /// Value of a simple `##key=value` header line (e.g. "tumor_sample", "normal_sample"), when present.
  std::optional<std::string> header_value(std::string_view key) const;
  /// The `##contig` declarations in header order.
  std::vector<ContigDeclaration> contigs() const;
  /// The line number of the record with this ordinal in a plain-text VCF (header lines + ordinal), for
  /// messages; nullopt for BCF.
  std::optional<std::uint64_t> line_of(std::uint64_t record_ordinal) const;
  /// "file:line" for VCF or "file: record N" for BCF - the location part of a message about a record.
  std::string describe_record(std::uint64_t record_ordinal) const;

  /// Reads up to `max_records` records into `batch` (replacing its content, reusing its bcf1_t; records are
  /// unpacked up to FORMAT) and sets `batch.header`. Returns false when the file is exhausted and the batch is
  /// empty. Not thread-safe: one thread reads. A record HTSlib cannot parse, or parses with an error other than an
  /// undeclared contig or tag (which HTSlib declares itself), is malformed.
  /// Throws rarematch::Error (kBadInput) naming the file and line (or record) of a malformed or truncated record.
  bool read_batch(RecordBatch& batch, std::size_t max_records);

 private:
  VcfReader() = default;
  /// Freezes a copy of header_ when HTSlib added contigs or tags to it since the last copy.
  void refresh_frozen_header();
  [[noreturn]] void throw_bad_record(std::uint64_t ordinal, const std::string& why, const std::string& hint) const;

  std::string path_;
  HtsFilePtr file_;
  BcfHeaderPtr header_;                      ///< the header HTSlib reads with; grows while reading a text VCF
  std::vector<BcfHeaderPtr> frozen_;         ///< frozen copies, oldest (as declared) first; never shrinks
  const bcf_hdr_t* declared_header_ = nullptr;  ///< frozen_.front(): what the file declares
  const bcf_hdr_t* latest_header_ = nullptr;    ///< frozen_.back()
  bool is_bcf_ = false;
  std::uint64_t header_lines_ = 0;
  std::uint64_t records_read_ = 0;
};

/// Decodes every ALT allele of `record` in each of `sample_columns` into calls; a sample column contributes a
/// call for an allele only when it carries it (rules below). Symbolic (`<DEL>`), breakend and `*` alleles are
/// skipped and counted in `symbolic_skipped`. Thread-safe for distinct records sharing one header.
///
/// Details of the contract:
/// - `header` must know the record's contig and tags: pass RecordBatch::header (header() is enough when the file
///   declares everything). A record whose contig id the header does not know throws rarematch::Error (kInternal).
/// - Sample columns are 0-based indices into the header's sample list; -1 is a pseudo column for the record itself
///   (no per-sample data; the allele is carried). A VCF without sample columns (sites-only) is decoded with
///   `{-1}`; any other index outside the sample list throws rarematch::Error (kInternal). Calls come out allele by
///   allele, and within an allele in the order of `sample_columns`.
/// - FORMAT fields are read by the number of values the record holds per sample, not by the header's Number
///   (headers often declare it wrongly): AD/AF/FA with one value per allele (reference first, Number=R) or one per
///   ALT (Number=A; VarScan's AD holds the ALT depth only). A numeric tag typed String is parsed from its text
///   ("19,19"; a value that is not a number is missing): HTSlib types String a tag the header never declares
///   (Strelka's TAR/TIR/TOR under its SNV header, VarScan's RD in a Pindel file), and VarScan declares DP4 so.
/// - Read counts of an allele in a column come from the first of these conventions that gives the allele's count:
///   1. AD per allele (GATK, MuSE, RADIA, Pindel): alt = AD[allele], total = sum(AD) (every value present);
///   2. Strelka SNVs (AU, CU, GU, TU, single-base REF and ALT): alt = tier-1 count of the ALT base,
///      total = tier-1 REF + ALT counts (Strelka's documented VAF), depth = sum of the four tier-1 counts;
///   3. Strelka indels (TIR, biallelic records): alt = TIR tier 1, total = TAR + TIR tier 1,
///      depth = TAR + TIR + TOR tier 1;
///   4. AD per ALT (VarScan): alt = AD[allele], total = RD + sum(AD) when RD is present;
///   5. SomaticSniper BCOUNT (A, C, G, T counts; single-base REF and ALT): alt = count of the ALT base,
///      total = sum(BCOUNT);
///   6. integer DP4 (biallelic records): alt = alt-fwd + alt-rev, total = sum(DP4).
/// - Carrying. GT decides when it is called (not "./.") and the record's GT is informative: some sample column's
///   GT names an ALT allele. A record whose every GT is homozygous reference, as Pindel writes its somatic
///   calls (tumour 0/0 with AD 43,4), says nothing through GT: then, as for an uncalled GT, the column carries
///   the allele when its read count is > 0, else when its allele fraction (AF, FA, FREQ, in that order) is > 0. A
///   record with none of GT, the counts above, AF, FA or FREQ in a usable shape ("no FORMAT data at all", e.g.
///   DP only) gives every requested column every allele. Missed candidates are worse than a low-VAF call, which
///   the VAF and depth thresholds can still set aside.
/// - vaf: FORMAT/AF of the allele when within 0..1 (a larger AF still counts for carrying, but is no
///   fraction); else alt / total of the counts above (total > 0, alt <= total); else MuTect's FA within 0..1; else
///   VarScan's FREQ ("48.7%", biallelic records). Absent when none applies.
/// - depth: FORMAT/DP, else the depth of the count convention (sum(AD), RD + AD, tier-1 sums, sum(BCOUNT),
///   sum(DP4)). alt_depth: the allele's read count. Missing or negative values leave the fields absent.
/// - `symbolic_skipped` is incremented once per skipped ALT allele of the record (not per column). Skipped: `<..>`
///   alleles, breakends (`[`, `]`, or a single breakend `.A` / `A.`) and `*`. A missing ALT (`.`) yields nothing.
std::vector<Call> decode_calls(const bcf_hdr_t* header, bcf1_t* record, std::uint64_t record_ordinal,
                               const std::vector<int>& sample_columns, std::uint64_t& symbolic_skipped);

}  // namespace rarematch::pipeline
