#pragma once
// Delimited text tables (tab- or comma-separated) as the samplesheet and the cBioPortal clinical readers see them.
//
// Lines come through HTSlib (hts_open + hts_getline), so a plain, gzip or bgzip file reads the same way. A trailing
// carriage return (CRLF line ends) and a UTF-8 byte-order mark at the start of the file are removed. Line numbers are
// 1-based and count every physical line of the (decompressed) file, blank and '#' lines included, so messages point
// at the line an editor shows.
//
// A table is: any number of blank or '#' lines, a header row naming the columns, then data rows. Blank lines,
// '#' lines and rows whose fields are all empty are skipped wherever they are. Every data row must have as many
// fields as the header.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rarematch::pipeline {

/// How fields are separated.
enum class FieldSeparator {
  kTab,    ///< split at every tab; quotes are ordinary characters (cBioPortal files)
  kComma,  ///< CSV: a field may be enclosed in double quotes, inside which commas are literal and "" is one quote
};

/// Reads the lines of a plain, gzip or bgzip text file, one at a time, on one thread.
class LineReader {
 public:
  /// Opens `path`. Throws rarematch::Error (kBadInput) naming the file when it cannot be opened or is a binary
  /// format (BAM, BCF, CRAM, an index).
  static LineReader open(const std::string& path);

  LineReader(LineReader&&) noexcept;
  LineReader& operator=(LineReader&&) noexcept;
  ~LineReader();

  /// Reads the next line into `line`, without its '\n' and a trailing '\r' (and without a UTF-8 BOM on line 1).
  /// Returns false at the end of the file. Throws rarematch::Error (kBadInput) naming the file and the line that
  /// could not be read (a truncated or corrupt compressed file).
  bool next(std::string& line);

  /// 1-based number of the line last returned by next(); 0 before the first.
  std::uint64_t line_number() const { return line_number_; }

  /// The path as given to open().
  const std::string& path() const { return path_; }

 private:
  struct Handle;
  LineReader() = default;
  std::string path_;
  std::unique_ptr<Handle> handle_;
  std::uint64_t line_number_ = 0;
};

/// Splits one line into fields (see FieldSeparator). Fields are not trimmed. An empty line is one empty field.
/// `file` and `line` only serve the message: throws rarematch::Error (kBadInput) for a CSV quote that is not
/// closed on the line, or text between a closing quote and the next comma.
std::vector<std::string> split_fields(std::string_view text, FieldSeparator separator, const std::string& file,
                                      std::uint64_t line);

/// `text` without leading and trailing spaces and tabs.
std::string_view trim(std::string_view text);

/// ASCII case-insensitive equality.
bool equals_ignore_case(std::string_view a, std::string_view b);

/// ASCII upper-case copy.
std::string to_upper(std::string_view text);

/// ASCII lower-case copy.
std::string to_lower(std::string_view text);

/// One data row of a TextTable.
struct TableRow {
  std::uint64_t line = 0;            ///< 1-based line in the file
  std::vector<std::string> fields;   ///< one per header column, trimmed of surrounding spaces and tabs
};

/// A delimited table with a header row, read row by row.
class TextTable {
 public:
  /// Opens `path` and reads up to and including its header row (the first line that is neither blank nor starts
  /// with '#'). Header names are trimmed. Throws rarematch::Error (kBadInput) naming the file (and line) when it
  /// cannot be opened or read, has no header row, or names a column twice (case-insensitively).
  static TextTable open(const std::string& path, FieldSeparator separator);

  /// The path as given to open().
  const std::string& path() const { return lines_.path(); }
  /// Column names from the header row, in file order, trimmed.
  const std::vector<std::string>& columns() const { return columns_; }
  /// 1-based line of the header row.
  std::uint64_t header_line() const { return header_line_; }
  /// Index of the column named `name` (ASCII case-insensitive, after trimming), or nullopt.
  std::optional<std::size_t> find_column(std::string_view name) const;

  /// Reads the next data row into `row`, skipping blank lines, lines starting with '#' and rows whose fields are
  /// all empty. Returns false at the end of the file. Throws rarematch::Error (kBadInput) naming the file and line
  /// when the row's field count differs from the header's, its quoting is broken, or it cannot be read.
  bool next_row(TableRow& row);

 private:
  TextTable(LineReader lines, FieldSeparator separator) : lines_(std::move(lines)), separator_(separator) {}
  LineReader lines_;
  FieldSeparator separator_;
  std::vector<std::string> columns_;
  std::uint64_t header_line_ = 0;
  std::string buffer_;
};

}  // namespace rarematch::pipeline
