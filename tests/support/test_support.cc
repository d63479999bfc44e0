#include "tests/support/test_support.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utility>
#include <vector>

#include <htslib/bgzf.h>

namespace rarematch::testing {
namespace {

/// The environment variable `name` when set, else the location the build recorded.
std::filesystem::path env_path(const char* name, const char* built_in) {
  const char* value = std::getenv(name);
  return std::filesystem::path(value != nullptr && *value != '\0' ? value : built_in);
}

/// Closes a BGZF handle that is being abandoned after an error (the error is already being reported).
struct BgzfCloser {
  void operator()(BGZF* file) const { bgzf_close(file); }
};

}  // namespace

std::filesystem::path source_dir() { return env_path("RAREMATCH_SOURCE_DIR", RAREMATCH_SOURCE_DIR_DEFAULT); }
std::filesystem::path shared_data_dir() {
  return env_path("RAREMATCH_SHARED_DATA", RAREMATCH_SHARED_DATA_DEFAULT).lexically_normal();
}
std::filesystem::path rarematch_binary() { return env_path("RAREMATCH_BINARY", RAREMATCH_BINARY_DEFAULT); }

bool running_in_ci() {
  const char* value = std::getenv("CI");
  return value != nullptr && std::string(value) == "true";
}

std::filesystem::path make_temp_dir(const std::string& prefix) {
  static std::atomic<int> counter{0};
  const auto base = std::filesystem::temp_directory_path();
  for (int attempt = 0; attempt < 1000; ++attempt) {
    auto dir = base / (prefix + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    if (std::filesystem::create_directory(dir)) return dir;
  }
  throw std::runtime_error("cannot create a temporary folder for " + prefix);
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::filesystem::path write_text_file(const std::filesystem::path& path, std::string_view content) {
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  if (!out) throw std::runtime_error("cannot write " + path.string());
  return path;
}

std::filesystem::path write_compressed_file(const std::filesystem::path& path, std::string_view content,
                                            const char* mode, std::size_t block) {
  if (block == 0) throw std::runtime_error("block size 0 for " + path.string());
  std::unique_ptr<BGZF, BgzfCloser> out(bgzf_open(path.c_str(), mode));
  if (!out) throw std::runtime_error("cannot open " + path.string() + " for writing with mode " + mode);
  for (std::size_t at = 0; at < content.size(); at += block) {
    const std::size_t size = std::min(block, content.size() - at);
    if (bgzf_write(out.get(), content.data() + at, size) != static_cast<ssize_t>(size) ||
        bgzf_flush(out.get()) != 0) {
      throw std::runtime_error("cannot write " + path.string());
    }
  }
  if (bgzf_close(out.release()) != 0) throw std::runtime_error("cannot finish " + path.string());
  return path;
}

TempDir::TempDir(const std::string& prefix) : path_(make_temp_dir(prefix)) {}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::filesystem::path TempDir::write(const std::filesystem::path& name, std::string_view content) const {
  return write_text_file(path_ / name, content);
}

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

CommandResult run_command(const std::string& command) {
  const auto dir = make_temp_dir("rarematch-cmd");
  const auto out_path = dir / "stdout";
  const auto err_path = dir / "stderr";
  const std::string full =
      command + " >" + shell_quote(out_path.string()) + " 2>" + shell_quote(err_path.string()) + " </dev/null";
  const int status = std::system(full.c_str());
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = read_file(out_path);
  result.err = read_file(err_path);
  std::filesystem::remove_all(dir);
  return result;
}

std::vector<std::pair<std::uint64_t, std::uint64_t>> segment_ranges(const std::vector<reference::Segment>& segments) {
  std::vector<std::pair<std::uint64_t, std::uint64_t>> out;
  for (const reference::Segment& segment : segments) out.emplace_back(segment.start, segment.end);
  return out;
}

void expect_same_genes(const reference::GeneModel& expected, const reference::GeneModel& actual) {
  ASSERT_EQ(expected.genes().size(), actual.genes().size());
  for (std::size_t g = 0; g < expected.genes().size(); ++g) {
    const reference::Gene& a = expected.genes()[g];
    const reference::Gene& b = actual.genes()[g];
    SCOPED_TRACE("gene " + a.id);
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.biotype, b.biotype);
    EXPECT_EQ(a.contig, b.contig);
    EXPECT_EQ(a.strand, b.strand);
    EXPECT_EQ(a.start, b.start);
    EXPECT_EQ(a.end, b.end);
    ASSERT_EQ(a.transcripts.size(), b.transcripts.size());
    for (std::size_t t = 0; t < a.transcripts.size(); ++t) {
      const reference::Transcript& x = a.transcripts[t];
      const reference::Transcript& y = b.transcripts[t];
      SCOPED_TRACE("transcript " + x.id);
      EXPECT_EQ(x.id, y.id);
      EXPECT_EQ(x.gene_id, y.gene_id);
      EXPECT_EQ(x.gene_name, y.gene_name);
      EXPECT_EQ(x.biotype, y.biotype);
      EXPECT_EQ(x.contig, y.contig);
      EXPECT_EQ(x.strand, y.strand);
      EXPECT_EQ(x.start, y.start);
      EXPECT_EQ(x.end, y.end);
      EXPECT_EQ(x.canonical, y.canonical);
      EXPECT_EQ(x.tags, y.tags);
      EXPECT_EQ(segment_ranges(x.exons), segment_ranges(y.exons));
      EXPECT_EQ(segment_ranges(x.cds), segment_ranges(y.cds));
    }
    EXPECT_TRUE(a == b);  // also covers any field added to Gene or Transcript later
  }
}

}  // namespace rarematch::testing
