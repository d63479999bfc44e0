#pragma once
// Helpers for tests only (never linked into the product): where the project's and the shared data live, and
// the skip-or-fail rule for tests that need ../shared/data.

#include <filesystem>
#include <string>

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
