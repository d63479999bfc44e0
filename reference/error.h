#pragma once
// The one error model of rarematch. Every layer (reference, matchers, pipeline) reports bad input, bad usage and
// internal faults by throwing rarematch::Error; only the CLI catches, prints and chooses the exit code. Exceptions
// suit oneTBB, which carries an exception out of a parallel algorithm and cancels the rest of the work.
//
// It lives in reference/ because that is the lowest C++ library every other one depends on.

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

namespace rarematch {

/// What went wrong, which decides the process exit code (see README "Exit codes").
enum class ErrorKind {
  kBadInput = 1,  ///< an input file or value is wrong (exit 1)
  kUsage = 2,     ///< the command line is wrong (exit 2)
  kInternal = 4,  ///< a bug or an environment failure (exit 4)
};

/// An error with its location, cause and remedy.
/// Contract: `where()` names the file (may be empty for usage errors) and, when known, the 1-based line or a
/// record description; `what_failed()` says what could not be done ("field AGE", "trial T1: criterion all[0]");
/// `why()` the reason; `hint()` what the user can do (may be empty).
class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, std::string file, std::optional<std::uint64_t> line, std::string what_failed,
        std::string why, std::string hint = {});

  ErrorKind kind() const noexcept { return kind_; }
  const std::string& file() const noexcept { return file_; }
  std::optional<std::uint64_t> line() const noexcept { return line_; }
  const std::string& what_failed() const noexcept { return what_failed_; }
  const std::string& why() const noexcept { return why_; }
  const std::string& hint() const noexcept { return hint_; }

  /// "<file>:<line>: <what>: <why>" (parts that are empty are left out); the hint is not included.
  std::string message() const;

 private:
  ErrorKind kind_;
  std::string file_;
  std::optional<std::uint64_t> line_;
  std::string what_failed_;
  std::string why_;
  std::string hint_;
};

/// Throws a kBadInput Error. Convenience for readers: `throw_bad_input(path, line, "field AGE", "not a number",
/// "write the age in years, or NA")`.
[[noreturn]] void throw_bad_input(const std::string& file, std::optional<std::uint64_t> line,
                                  const std::string& what_failed, const std::string& why,
                                  const std::string& hint = {});

/// Throws a kUsage Error (no file).
[[noreturn]] void throw_usage(const std::string& what_failed, const std::string& why, const std::string& hint = {});

}  // namespace rarematch
