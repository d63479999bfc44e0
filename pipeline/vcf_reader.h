#pragma once
// Reading VCF/BCF with HTSlib. A VcfReader owns its htsFile and header (unique_ptr with deleters); records are
// read in batches on one thread, and decoded into plain Call structs on any thread, since decoding only reads the
// frozen header. A bcf1_t belongs to one batch at a time.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <htslib/vcf.h>

namespace rarematch::pipeline {

struct HtsFileDeleter { void operator()(htsFile* f) const noexcept; };
struct BcfHeaderDeleter { void operator()(bcf_hdr_t* h) const noexcept; };
struct BcfRecordDeleter { void operator()(bcf1_t* r) const noexcept; };
using HtsFilePtr = std::unique_ptr<htsFile, HtsFileDeleter>;
using BcfHeaderPtr = std::unique_ptr<bcf_hdr_t, BcfHeaderDeleter>;
using BcfRecordPtr = std::unique_ptr<bcf1_t, BcfRecordDeleter>;

/// A `##contig=<ID=..,length=..>` declaration.
struct ContigDeclaration {
  std::string name;
  std::optional<std::uint64_t> length;
};

/// Records read together; `first_ordinal` is the 1-based ordinal of records[0] in the file.
struct RecordBatch {
  std::uint64_t first_ordinal = 0;
  std::vector<BcfRecordPtr> records;
};

/// One ALT allele of one record as seen in one sample column. Coordinates are VCF's: 1-based position of the
/// first REF base. Alleles are as written (normalisation happens later).
struct Call {
  std::uint64_t record_ordinal = 0;  ///< 1-based record number in the file
  int sample_column = 0;             ///< index in the header's sample list
  std::string contig;
  std::uint64_t position = 0;
  std::string ref;
  std::string alt;
  bool filter_pass = true;           ///< FILTER is PASS or missing
  std::vector<std::string> filters;  ///< failing filter names, when !filter_pass
  std::optional<double> vaf;         ///< from FORMAT/AF, else AD alt / sum(AD); absent when not computable
  std::optional<std::uint32_t> depth;      ///< FORMAT/DP, else sum(AD)
  std::optional<std::uint32_t> alt_depth;  ///< FORMAT/AD of this allele
};

class VcfReader {
 public:
  /// Opens a VCF (plain or bgzip) or BCF and reads its header. `hts_threads` > 0 attaches that many HTSlib
  /// decompression threads. Throws rarematch::Error (kBadInput) naming the file when it cannot be opened, is not
  /// VCF/BCF, or its header is malformed.
  static VcfReader open(const std::string& path, int hts_threads = 0);

  const std::string& path() const { return path_; }
  /// The frozen header; valid as long as the reader.
  const bcf_hdr_t* header() const { return header_.get(); }
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

  /// Reads up to `max_records` records into `batch` (replacing its content; records are unpacked up to FORMAT).
  /// Returns false when the file is exhausted and the batch is empty.
  /// Throws rarematch::Error (kBadInput) naming the file and line (or record) of a malformed or truncated record.
  bool read_batch(RecordBatch& batch, std::size_t max_records);

 private:
  VcfReader() = default;
  std::string path_;
  HtsFilePtr file_;
  BcfHeaderPtr header_;
  bool is_bcf_ = false;
  std::uint64_t header_lines_ = 0;
  std::uint64_t records_read_ = 0;
};

/// Decodes every ALT allele of `record` in each of `sample_columns` into calls; a sample column contributes a
/// call for an allele only when it carries it: its GT contains the allele, or (no called GT) its AD/AF for the
/// allele is > 0, or the file has no FORMAT data at all. Symbolic (`<DEL>`), breakend and `*` alleles are skipped
/// and counted in `symbolic_skipped`. Thread-safe for distinct records sharing one header.
std::vector<Call> decode_calls(const bcf_hdr_t* header, bcf1_t* record, std::uint64_t record_ordinal,
                               const std::vector<int>& sample_columns, std::uint64_t& symbolic_skipped);

}  // namespace rarematch::pipeline
