#pragma once
// Helpers for tests only (never linked into the product): where the project's and the shared data live, the
// skip-or-fail rule for tests that need ../shared/data, temporary folders and files, and catching rarematch::Error.
//
// Failure model: a helper that cannot do its job (create a folder, write or read a file) throws
// std::runtime_error naming the path. GoogleTest reports an exception escaping a test body, SetUp or TearDown as a
// failure of that test with the message, so callers need no checks of their own. expect_error is the exception:
// it checks the code under test, so it records a GoogleTest failure instead.

#include <cstddef>
#include <filesystem>
#include <utility>
#include <vector>

#include "reference/gene_model.h"
#include <optional>
#include <source_location>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "reference/error.h"

namespace rarematch::testing {

/// The project root (environment RAREMATCH_SOURCE_DIR, else the one the tests were built from).
std::filesystem::path source_dir();

/// ../shared/data beside the project (environment RAREMATCH_SHARED_DATA overrides); may not exist.
std::filesystem::path shared_data_dir();

/// The rarematch executable of this build (environment RAREMATCH_BINARY overrides).
std::filesystem::path rarematch_binary();

/// True when the environment variable CI is "true": shared data must then be present.
bool running_in_ci();

/// A fresh empty temporary folder, unique per call; removed by the caller if it cares.
std::filesystem::path make_temp_dir(const std::string& prefix);

/// Reads a whole file; throws std::runtime_error if it cannot.
std::string read_file(const std::filesystem::path& path);

/// Writes `content` to `path` byte for byte (no newline added, no conversion), replacing the file and creating
/// missing parent folders; returns `path`. Throws std::runtime_error if it cannot.
std::filesystem::path write_text_file(const std::filesystem::path& path, std::string_view content);

/// Writes `content` compressed with HTSlib's BGZF writer and returns `path`. `mode` is a bgzf_open mode: "w" for
/// BGZF (bgzip) blocks, "wg" for one plain gzip stream (not BGZF). The content goes in pieces of `block` bytes
/// (the last may be shorter), each flushed: with "w" each piece is one BGZF block (a block larger than 0xff00,
/// BGZF's limit, is split at 0xff00), followed by the end-of-file block; with "wg" the stream stays one gzip member.
/// Empty content gives a valid empty file. Throws std::runtime_error if `block` is 0 or writing fails.
std::filesystem::path write_compressed_file(const std::filesystem::path& path, std::string_view content,
                                            const char* mode = "w", std::size_t block = 0xff00);

/// A temporary folder that lives as long as the object: created empty (see make_temp_dir) on construction and
/// removed with all its content on destruction (errors while removing are ignored). Not copyable.
class TempDir {
 public:
  /// Creates the folder; `prefix` starts its name. Throws std::runtime_error if it cannot.
  explicit TempDir(const std::string& prefix);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  /// The folder.
  const std::filesystem::path& path() const noexcept { return path_; }

  /// Writes `content` to `path() / name` as write_text_file does (`name` may hold subfolders); returns that path.
  std::filesystem::path write(const std::filesystem::path& name, std::string_view content) const;

 private:
  std::filesystem::path path_;
};

/// Runs `action`, which must throw rarematch::Error, and returns that error. When it returns normally, records a
/// non-fatal GoogleTest failure at the caller's line and returns an empty kInternal Error, so the caller's checks
/// on it fail too rather than crash. Any other exception propagates (and fails the test).
template <typename Action>
::rarematch::Error expect_error(Action action, std::source_location where = std::source_location::current()) {
  try {
    action();
  } catch (const ::rarematch::Error& error) {
    return error;
  }
  ADD_FAILURE_AT(where.file_name(), static_cast<int>(where.line())) << "no rarematch::Error thrown";
  return ::rarematch::Error(::rarematch::ErrorKind::kInternal, {}, std::nullopt, "", "");
}

/// Result of running a command line through /bin/sh.
struct CommandResult {
  int exit_code = -1;
  std::string out;  ///< stdout
  std::string err;  ///< stderr
};

/// Runs `command` (a shell command line) and captures stdout and stderr.
CommandResult run_command(const std::string& command);

/// Quotes a string for /bin/sh.
std::string shell_quote(const std::string& text);

/// (start, end) pairs of segments, for readable comparisons.
std::vector<std::pair<std::uint64_t, std::uint64_t>> segment_ranges(const std::vector<reference::Segment>& segments);

/// Field-by-field comparison of two gene models (gtest expectations naming the gene, transcript and field that
/// differ), then whole-struct equality, which also covers fields added later.
void expect_same_genes(const reference::GeneModel& expected, const reference::GeneModel& actual);

}  // namespace rarematch::testing

/// Skips the current test when `path` (under ../shared/data) is absent, with a message naming it; fails instead
/// when running in CI, where the data must be there.
#define RAREMATCH_REQUIRE_SHARED_DATA(path)                                                               \
  do {                                                                                                     \
    if (!std::filesystem::exists(path)) {                                                                  \
      if (::rarematch::testing::running_in_ci()) {                                                         \
        FAIL() << "shared data missing in CI: " << (path);                                                 \
      }                                                                                                    \
      GTEST_SKIP() << "shared data not found, skipping: " << (path);                                       \
    }                                                                                                      \
  } while (false)
