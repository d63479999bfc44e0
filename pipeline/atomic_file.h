#pragma once
// Output files that are complete or absent: each is written to a temporary name in the same folder, flushed and
// renamed over its final name. Files and folders are private to the owner (0600 / 0700): they hold patient data.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace rarematch::pipeline {

/// Creates `dir` (and parents) with mode 0700 when missing. Throws rarematch::Error (kBadInput) when it cannot,
/// or when `dir` exists and is not a folder.
void prepare_output_dir(const std::filesystem::path& dir);

/// Writes `content` to `path` atomically with mode 0600. Throws rarematch::Error (kBadInput) naming the path on
/// any I/O failure; the temporary file is removed then.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

}  // namespace rarematch::pipeline

namespace rarematch::pipeline {

/// Output files that appear together or not at all. The folder is prepared (as prepare_output_dir) on
/// construction, remembering whether this object created it; files are written to temporary names
/// (temporary_path) and registered with add(); commit() renames them all into place. Until commit() succeeds, the
/// destructor removes every registered temporary and, when this object created the folder, the folder with all it
/// holds (a failed run leaves nothing behind). Move-only.
class PendingOutputs {
 public:
  PendingOutputs() = default;
  /// Prepares `dir`; throws as prepare_output_dir.
  explicit PendingOutputs(std::filesystem::path dir);
  PendingOutputs(PendingOutputs&& other) noexcept;
  PendingOutputs& operator=(PendingOutputs&& other) noexcept;
  PendingOutputs(const PendingOutputs&) = delete;
  PendingOutputs& operator=(const PendingOutputs&) = delete;
  ~PendingOutputs();

  /// The folder ("" for a default-constructed object, which holds nothing).
  const std::filesystem::path& dir() const { return dir_; }
  /// The temporary name under which `name` (a plain file name) is written before commit().
  std::filesystem::path temporary_path(const std::string& name) const;
  /// Registers `name`, already written completely to temporary_path(name), for commit().
  void add(const std::string& name);
  /// Renames every registered file into place. Throws rarematch::Error (kBadInput) naming the file on failure
  /// (the destructor then cleans up as for an uncommitted set).
  void commit();

 private:
  void discard() noexcept;

  std::filesystem::path dir_;
  bool created_dir_ = false;
  bool committed_ = false;
  std::vector<std::string> names_;
};

}  // namespace rarematch::pipeline
