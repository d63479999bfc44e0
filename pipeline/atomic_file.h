#pragma once
// Output files that are complete or absent: each is written to a temporary name in the same folder, flushed and
// renamed over its final name. Files and folders are private to the owner (0600 / 0700): they hold patient data.

#include <filesystem>
#include <string_view>

namespace rarematch::pipeline {

/// Creates `dir` (and parents) with mode 0700 when missing. Throws rarematch::Error (kBadInput) when it cannot,
/// or when `dir` exists and is not a folder.
void prepare_output_dir(const std::filesystem::path& dir);

/// Writes `content` to `path` atomically with mode 0600. Throws rarematch::Error (kBadInput) naming the path on
/// any I/O failure; the temporary file is removed then.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

}  // namespace rarematch::pipeline
