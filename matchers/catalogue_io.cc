#include "matchers/catalogue_io.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/util/json_util.h>

#include "reference/error.h"

namespace rarematch::matchers {
namespace {

using google::protobuf::TextFormat;

constexpr const char* kFormatsHint =
    "name the catalogue .textproto/.txtpb/.pbtxt (text format), .json (proto3 JSON) or .pb/.bin (binary)";

/// Collects the first text-format parse error with its 1-based line.
class FirstErrorCollector : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, google::protobuf::io::ColumnNumber column, const std::string& message) override {
    if (!message_.empty()) return;
    line_ = static_cast<std::uint64_t>(line) + 1;
    column_ = column + 1;
    message_ = message;
  }
  std::optional<std::uint64_t> line() const { return line_; }
  int column() const { return column_; }
  const std::string& message() const { return message_; }

 private:
  std::optional<std::uint64_t> line_;
  int column_ = 0;
  std::string message_;
};

std::string read_whole_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw_bad_input(path, std::nullopt, "cannot open the catalogue", std::strerror(errno),
                    "check the path and its permissions");
  }
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) throw_bad_input(path, std::nullopt, "cannot read the catalogue", "I/O error");
  return content.str();
}

}  // namespace

CatalogueFormat catalogue_format_for(const std::string& path) {
  const std::string ext = std::filesystem::path(path).extension().string();
  if (ext == ".textproto" || ext == ".txtpb" || ext == ".pbtxt") return CatalogueFormat::kText;
  if (ext == ".json") return CatalogueFormat::kJson;
  if (ext == ".pb" || ext == ".bin") return CatalogueFormat::kBinary;
  throw Error(ErrorKind::kUsage, path, std::nullopt, "catalogue format",
              "extension '" + ext + "' names no catalogue encoding", kFormatsHint);
}

std::optional<std::uint64_t> SourceLocator::line_of(const std::string& field, int index) const {
  if (tree_ == nullptr || type_ == nullptr) return std::nullopt;
  const auto* descriptor = type_->FindFieldByName(field);
  if (descriptor == nullptr) return std::nullopt;
  const auto location = tree_->GetLocation(descriptor, index);
  if (location.line < 0) return std::nullopt;
  return static_cast<std::uint64_t>(location.line) + 1;
}

SourceLocator SourceLocator::nested(const std::string& field, int index) const {
  if (tree_ == nullptr || type_ == nullptr) return {};
  const auto* descriptor = type_->FindFieldByName(field);
  if (descriptor == nullptr || descriptor->message_type() == nullptr) return {};
  return SourceLocator(tree_->GetTreeForNested(descriptor, index), descriptor->message_type(),
                       line_of(field, index));
}

LoadedCatalogue::LoadedCatalogue() = default;
LoadedCatalogue::LoadedCatalogue(LoadedCatalogue&&) noexcept = default;
LoadedCatalogue& LoadedCatalogue::operator=(LoadedCatalogue&&) noexcept = default;
LoadedCatalogue::~LoadedCatalogue() = default;

LoadedCatalogue LoadedCatalogue::read(const std::string& path) {
  const CatalogueFormat format = catalogue_format_for(path);
  const std::string content = read_whole_file(path);
  LoadedCatalogue loaded;
  loaded.path_ = path;
  switch (format) {
    case CatalogueFormat::kText: {
      TextFormat::Parser parser;
      FirstErrorCollector errors;
      loaded.locations_ = std::make_unique<TextFormat::ParseInfoTree>();
      parser.RecordErrorsTo(&errors);
      parser.WriteLocationsTo(loaded.locations_.get());
      if (!parser.ParseFromString(content, &loaded.catalogue_)) {
        throw_bad_input(path, errors.line(), "cannot parse the text-format catalogue",
                        errors.message() + " (column " + std::to_string(errors.column()) + ")",
                        "the file must hold one rarematch.v1.Catalogue in protobuf text format; "
                        "see proto/rarematch/v1/catalogue.proto for the field names");
      }
      break;
    }
    case CatalogueFormat::kJson: {
      google::protobuf::util::JsonParseOptions options;
      options.ignore_unknown_fields = false;
      const auto status = google::protobuf::util::JsonStringToMessage(content, &loaded.catalogue_, options);
      if (!status.ok()) {
        throw_bad_input(path, std::nullopt, "cannot parse the JSON catalogue", std::string(status.message()),
                        "the file must hold one rarematch.v1.Catalogue in proto3 JSON; "
                        "see proto/rarematch/v1/catalogue.proto for the field names");
      }
      break;
    }
    case CatalogueFormat::kBinary:
      if (!loaded.catalogue_.ParseFromString(content)) {
        throw_bad_input(path, std::nullopt, "cannot parse the binary catalogue",
                        "not a valid rarematch.v1.Catalogue message",
                        "binary catalogues are written by 'rarematch catalogue convert'");
      }
      break;
  }
  return loaded;
}

LoadedCatalogue LoadedCatalogue::from_message(rarematch::v1::Catalogue catalogue, std::string label) {
  LoadedCatalogue loaded;
  loaded.catalogue_ = std::move(catalogue);
  loaded.path_ = std::move(label);
  return loaded;
}

SourceLocator LoadedCatalogue::root() const {
  if (!locations_) return {};
  return SourceLocator(locations_.get(), rarematch::v1::Catalogue::descriptor(), 1);
}

std::string serialize_catalogue(const rarematch::v1::Catalogue& catalogue, CatalogueFormat format) {
  std::string out;
  switch (format) {
    case CatalogueFormat::kText: {
      TextFormat::Printer printer;
      printer.SetUseUtf8StringEscaping(true);
      printer.PrintToString(catalogue, &out);
      break;
    }
    case CatalogueFormat::kJson: {
      google::protobuf::util::JsonPrintOptions options;
      options.add_whitespace = true;
      options.preserve_proto_field_names = true;
      const auto status = google::protobuf::util::MessageToJsonString(catalogue, &out, options);
      if (!status.ok()) {
        throw Error(ErrorKind::kInternal, {}, std::nullopt, "cannot encode the catalogue as JSON",
                    std::string(status.message()));
      }
      if (out.empty() || out.back() != '\n') out += '\n';
      break;
    }
    case CatalogueFormat::kBinary:
      if (!catalogue.SerializeToString(&out)) {
        throw Error(ErrorKind::kInternal, {}, std::nullopt, "cannot encode the catalogue", "serialisation failed");
      }
      break;
  }
  return out;
}

}  // namespace rarematch::matchers
