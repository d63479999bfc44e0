#pragma once
// Reading and writing trial catalogues in the three protobuf encodings, chosen by file extension:
//   .textproto .txtpb .pbtxt  protobuf text format (the hand-written form; errors carry line numbers)
//   .json                     proto3 JSON (field names as in the .proto, snake_case)
//   .pb .bin                  binary wire format

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <google/protobuf/text_format.h>

#include "rarematch/v1/catalogue.pb.h"

namespace rarematch::matchers {

enum class CatalogueFormat { kText, kJson, kBinary };

/// The encoding a path's extension names. Throws rarematch::Error (kUsage) for any other extension, with the
/// accepted ones as the hint.
CatalogueFormat catalogue_format_for(const std::string& path);

/// Where each part of a text-format catalogue was written: 1-based lines, walked alongside the message.
/// Empty (every line nullopt) for JSON and binary catalogues.
class SourceLocator {
 public:
  SourceLocator() = default;
  /// Line of field `field` (element `index` for repeated fields, -1 otherwise) of the current message.
  std::optional<std::uint64_t> line_of(const std::string& field, int index = -1) const;
  /// The locator of nested message `field`[index] of the current message.
  SourceLocator nested(const std::string& field, int index = -1) const;
  /// Line where the current message starts (its field name in the parent), when known.
  std::optional<std::uint64_t> first_line() const { return start_line_; }

 private:
  friend class LoadedCatalogue;
  SourceLocator(const google::protobuf::TextFormat::ParseInfoTree* tree,
                const google::protobuf::Descriptor* type, std::optional<std::uint64_t> start_line)
      : tree_(tree), type_(type), start_line_(start_line) {}
  const google::protobuf::TextFormat::ParseInfoTree* tree_ = nullptr;
  const google::protobuf::Descriptor* type_ = nullptr;
  std::optional<std::uint64_t> start_line_;
};

/// A catalogue read from a file, with the path and (for text format) the locations of its parts.
class LoadedCatalogue {
 public:
  /// Reads and parses `path` in the encoding its extension names.
  /// Throws rarematch::Error (kBadInput) naming the file (and, for text format, the line) when it cannot be read
  /// or parsed, with the parser's reason.
  static LoadedCatalogue read(const std::string& path);

  /// Wraps an in-memory catalogue (no locations), labelled `label` in messages.
  static LoadedCatalogue from_message(rarematch::v1::Catalogue catalogue, std::string label);

  LoadedCatalogue(LoadedCatalogue&&) noexcept;
  LoadedCatalogue& operator=(LoadedCatalogue&&) noexcept;
  ~LoadedCatalogue();

  const rarematch::v1::Catalogue& catalogue() const { return catalogue_; }
  const std::string& path() const { return path_; }
  /// Locator of the top-level Catalogue message.
  SourceLocator root() const;

 private:
  LoadedCatalogue();
  rarematch::v1::Catalogue catalogue_;
  std::string path_;
  std::unique_ptr<google::protobuf::TextFormat::ParseInfoTree> locations_;
};

/// The catalogue encoded in `format`. Text and JSON end with a newline; output is deterministic.
std::string serialize_catalogue(const rarematch::v1::Catalogue& catalogue, CatalogueFormat format);

}  // namespace rarematch::matchers
