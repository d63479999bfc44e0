#include "pipeline/atomic_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "reference/error.h"

namespace rarematch::pipeline {

namespace {

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& what, int error_number) {
  throw_bad_input(path.string(), std::nullopt, what, std::strerror(error_number),
                  "check that the output folder is writable and the disk is not full");
}

}  // namespace

void prepare_output_dir(const std::filesystem::path& dir) {
  std::error_code error;
  if (std::filesystem::exists(dir, error)) {
    if (!std::filesystem::is_directory(dir, error)) {
      throw_bad_input(dir.string(), std::nullopt, "output folder", "exists and is not a folder",
                      "choose another -o/--output");
    }
    return;
  }
  std::filesystem::create_directories(dir, error);
  if (error) {
    throw_bad_input(dir.string(), std::nullopt, "cannot create the output folder", error.message(),
                    "check the path and its permissions");
  }
  std::filesystem::permissions(dir, std::filesystem::perms::owner_all, std::filesystem::perm_options::replace,
                               error);
}

void write_file_atomically(const std::filesystem::path& path, std::string_view content) {
  const std::filesystem::path temporary =
      path.parent_path() / ("." + path.filename().string() + ".tmp." + std::to_string(::getpid()));
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) fail(temporary, "cannot create the output file", errno);
  std::size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int error_number = errno;
      ::close(fd);
      ::unlink(temporary.c_str());
      fail(path, "cannot write the output file", error_number);
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    const int error_number = errno;
    ::unlink(temporary.c_str());
    fail(path, "cannot write the output file", error_number);
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    const int error_number = errno;
    ::unlink(temporary.c_str());
    fail(path, "cannot rename the output file into place", error_number);
  }
}

}  // namespace rarematch::pipeline

namespace rarematch::pipeline {

namespace {

std::filesystem::path temporary_name(const std::filesystem::path& path) {
  return path.parent_path() / ("." + path.filename().string() + ".tmp." + std::to_string(::getpid()));
}

}  // namespace

PendingOutputs::PendingOutputs(std::filesystem::path dir) : dir_(std::move(dir)) {
  std::error_code error;
  created_dir_ = !std::filesystem::exists(dir_, error);
  prepare_output_dir(dir_);
}

PendingOutputs::PendingOutputs(PendingOutputs&& other) noexcept
    : dir_(std::move(other.dir_)),
      created_dir_(other.created_dir_),
      committed_(other.committed_),
      names_(std::move(other.names_)) {
  other.dir_.clear();
  other.created_dir_ = false;
  other.names_.clear();
}

PendingOutputs& PendingOutputs::operator=(PendingOutputs&& other) noexcept {
  if (this != &other) {
    discard();
    dir_ = std::move(other.dir_);
    created_dir_ = other.created_dir_;
    committed_ = other.committed_;
    names_ = std::move(other.names_);
    other.dir_.clear();
    other.created_dir_ = false;
    other.names_.clear();
  }
  return *this;
}

PendingOutputs::~PendingOutputs() { discard(); }

std::filesystem::path PendingOutputs::temporary_path(const std::string& name) const {
  return temporary_name(dir_ / name);
}

void PendingOutputs::add(const std::string& name) { names_.push_back(name); }

void PendingOutputs::commit() {
  for (const auto& name : names_) {
    const auto temporary = temporary_path(name);
    if (std::rename(temporary.c_str(), (dir_ / name).c_str()) != 0) {
      fail(dir_ / name, "cannot rename the output file into place", errno);
    }
  }
  committed_ = true;
}

void PendingOutputs::discard() noexcept {
  if (committed_ || dir_.empty()) return;
  std::error_code error;
  for (const auto& name : names_) std::filesystem::remove(temporary_path(name), error);
  if (created_dir_) std::filesystem::remove_all(dir_, error);
}

}  // namespace rarematch::pipeline
