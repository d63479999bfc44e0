#include "pipeline/text_table.h"

#include <algorithm>
#include <cstdlib>

#include <htslib/bgzf.h>
#include <htslib/hts.h>
#include <htslib/kseq.h>  // KS_SEP_LINE
#include <htslib/kstring.h>
#include <htslib/tbx.h>  // hts_get_bgzfp

#include "pipeline/vcf_reader.h"  // HtsFilePtr, open_hts_file
#include "reference/error.h"

namespace rarematch::pipeline {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

struct KStringDeleter {
  void operator()(kstring_t* text) const noexcept {
    if (text != nullptr) {
      ks_free(text);
      delete text;
    }
  }
};

bool is_binary_format(htsExactFormat format) {
  switch (format) {
    case binary_format:
    case bam:
    case bai:
    case cram:
    case crai:
    case bcf:
    case csi:
    case gzi:
    case tbi:
    case hts_crypt4gh_format:
    case d4_format:
      return true;
    default:
      return false;
  }
}

bool is_space(char c) { return c == ' ' || c == '\t'; }

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

char upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

/// A line the table skips wherever it is: blank, or a '#' comment.
bool is_skipped_line(std::string_view line) { return trim(line).empty() || line.front() == '#'; }

}  // namespace

struct LineReader::Handle {
  HtsFilePtr file;
  std::unique_ptr<kstring_t, KStringDeleter> buffer;
};

LineReader::LineReader(LineReader&&) noexcept = default;
LineReader& LineReader::operator=(LineReader&&) noexcept = default;
LineReader::~LineReader() = default;

LineReader LineReader::open(const std::string& path) {
  HtsFilePtr file = open_hts_file(path);
  const htsFormat* format = hts_get_format(file.get());
  if (is_binary_format(format->format)) {
    char* description = hts_format_description(format);
    const std::string what = description != nullptr ? description : "binary data";
    std::free(description);
    throw_bad_input(path, std::nullopt, "open", "not a text file (HTSlib sees " + what + ")",
                    "give the tab- or comma-separated text file (plain or gzip-compressed)");
  }
  LineReader reader;
  reader.path_ = path;
  reader.handle_ = std::make_unique<Handle>();
  reader.handle_->file = std::move(file);
  reader.handle_->buffer.reset(new kstring_t{0, 0, nullptr});
  return reader;
}

bool LineReader::next(std::string& line) {
  kstring_t* buffer = handle_->buffer.get();
  const int status = hts_getline(handle_->file.get(), KS_SEP_LINE, buffer);
  // A read error inside a compressed block can still hand over the part of the line before it.
  const BGZF* bgzf = hts_get_bgzfp(handle_->file.get());
  const bool damaged = bgzf != nullptr && bgzf->errcode != 0;
  if (status == -1 && !damaged) return false;
  if (status < -1 || damaged) {
    throw_bad_input(path_, line_number_ + 1, "line " + std::to_string(line_number_ + 1),
                    "cannot be read: the file is truncated or its compressed data is damaged",
                    "re-create or re-copy the file; `gzip -t FILE` tests a compressed file");
  }
  ++line_number_;
  std::string_view text(buffer->s != nullptr ? buffer->s : "", buffer->l);
  if (line_number_ == 1 && text.starts_with(kUtf8Bom)) text.remove_prefix(kUtf8Bom.size());
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  line.assign(text);
  return true;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

bool equals_ignore_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == lower(y); });
}

std::string to_upper(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), upper);
  return out;
}

std::string to_lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), lower);
  return out;
}

std::vector<std::string> split_fields(std::string_view text, FieldSeparator separator, const std::string& file,
                                      std::uint64_t line) {
  std::vector<std::string> fields;
  if (separator == FieldSeparator::kTab) {
    std::size_t start = 0;
    while (true) {
      const std::size_t tab = text.find('\t', start);
      fields.emplace_back(text.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start));
      if (tab == std::string_view::npos) break;
      start = tab + 1;
    }
    return fields;
  }

  // CSV. Each iteration reads one field starting at `pos` and stops after its comma, or at the end of the line.
  std::size_t pos = 0;
  while (true) {
    std::size_t quote = pos;
    while (quote < text.size() && is_space(text[quote])) ++quote;
    if (quote < text.size() && text[quote] == '"') {
      const std::size_t column = fields.size() + 1;
      std::string value;
      std::size_t i = quote + 1;
      bool closed = false;
      while (i < text.size()) {
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            value += '"';
            i += 2;
            continue;
          }
          closed = true;
          ++i;
          break;
        }
        value += text[i++];
      }
      if (!closed) {
        throw_bad_input(file, line, "field " + std::to_string(column),
                        "the quote opened at character " + std::to_string(quote + 1) + " is not closed",
                        "close the quote on the same line (a value cannot span lines); write a quote inside a "
                        "quoted value as \"\"");
      }
      while (i < text.size() && is_space(text[i])) ++i;
      if (i < text.size() && text[i] != ',') {
        throw_bad_input(file, line, "field " + std::to_string(column),
                        "text follows the closing quote at character " + std::to_string(i + 1),
                        "enclose the whole value in quotes, and write a quote inside it as \"\"");
      }
      fields.push_back(std::move(value));
      if (i >= text.size()) break;
      pos = i + 1;
    } else {
      const std::size_t comma = text.find(',', pos);
      fields.emplace_back(text.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos));
      if (comma == std::string_view::npos) break;
      pos = comma + 1;
    }
  }
  return fields;
}

TextTable TextTable::open(const std::string& path, FieldSeparator separator) {
  TextTable table(LineReader::open(path), separator);
  std::string line;
  while (table.lines_.next(line)) {
    if (is_skipped_line(line)) continue;
    const std::uint64_t number = table.lines_.line_number();
    for (std::string& name : split_fields(line, separator, path, number)) {
      table.columns_.emplace_back(trim(name));
    }
    table.header_line_ = number;
    for (std::size_t i = 0; i < table.columns_.size(); ++i) {
      if (table.columns_[i].empty()) continue;
      for (std::size_t j = 0; j < i; ++j) {
        if (equals_ignore_case(table.columns_[i], table.columns_[j])) {
          throw_bad_input(path, number, "column " + table.columns_[i],
                          "named twice in the header row (columns " + std::to_string(j + 1) + " and " +
                              std::to_string(i + 1) + ")",
                          "give every column a distinct name");
        }
      }
    }
    return table;
  }
  throw_bad_input(path, std::nullopt, "header row",
                  "the file has no header row (it is empty, or holds only blank and '#' lines)",
                  "the first line that is neither blank nor a '#' comment must name the columns");
}

std::optional<std::size_t> TextTable::find_column(std::string_view name) const {
  const std::string_view wanted = trim(name);
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    if (equals_ignore_case(columns_[i], wanted)) return i;
  }
  return std::nullopt;
}

bool TextTable::next_row(TableRow& row) {
  while (lines_.next(buffer_)) {
    if (is_skipped_line(buffer_)) continue;
    const std::uint64_t number = lines_.line_number();
    std::vector<std::string> fields = split_fields(buffer_, separator_, path(), number);
    bool all_empty = true;
    for (std::string& field : fields) {
      const std::string_view trimmed = trim(field);
      if (trimmed.size() != field.size()) field = std::string(trimmed);
      all_empty = all_empty && field.empty();
    }
    if (all_empty) continue;
    if (fields.size() != columns_.size()) {
      const bool tabs = separator_ == FieldSeparator::kTab;
      throw_bad_input(path(), number, "row",
                      "has " + std::to_string(fields.size()) + " fields but the header row (line " +
                          std::to_string(header_line_) + ") names " + std::to_string(columns_.size()) + " columns",
                      tabs ? "separate the values with single tabs, one per column; an empty value keeps its tab"
                           : "give one value per column; enclose a value that contains a comma in double quotes");
    }
    row.line = number;
    row.fields = std::move(fields);
    return true;
  }
  return false;
}

}  // namespace rarematch::pipeline
