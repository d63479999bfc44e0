#include "reference/error.h"

#include <utility>

namespace rarematch {
namespace {

std::string compose(const std::string& file, std::optional<std::uint64_t> line, const std::string& what_failed,
                    const std::string& why) {
  std::string out;
  if (!file.empty()) {
    out += file;
    if (line) out += ":" + std::to_string(*line);
    out += ": ";
  }
  out += what_failed;
  if (!why.empty()) out += (what_failed.empty() ? "" : ": ") + why;
  return out;
}

}  // namespace

Error::Error(ErrorKind kind, std::string file, std::optional<std::uint64_t> line, std::string what_failed,
             std::string why, std::string hint)
    : std::runtime_error(compose(file, line, what_failed, why)),
      kind_(kind),
      file_(std::move(file)),
      line_(line),
      what_failed_(std::move(what_failed)),
      why_(std::move(why)),
      hint_(std::move(hint)) {}

std::string Error::message() const { return std::runtime_error::what(); }

void throw_bad_input(const std::string& file, std::optional<std::uint64_t> line, const std::string& what_failed,
                     const std::string& why, const std::string& hint) {
  throw Error(ErrorKind::kBadInput, file, line, what_failed, why, hint);
}

void throw_usage(const std::string& what_failed, const std::string& why, const std::string& hint) {
  throw Error(ErrorKind::kUsage, {}, std::nullopt, what_failed, why, hint);
}

}  // namespace rarematch
