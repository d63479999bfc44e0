#pragma once
// Messages to stderr for the person running rarematch. Quiet keeps warnings and errors only.

#include <iostream>
#include <mutex>
#include <string>

#include "pipeline/settings.h"

namespace rarematch::pipeline {

/// Thread-safe line logger on stderr.
class Log {
 public:
  explicit Log(Verbosity verbosity) : verbosity_(verbosity) {}

  /// Progress and results (not with --quiet).
  void info(const std::string& message) const { write(Verbosity::kNormal, message); }
  /// Details (only with --verbose).
  void detail(const std::string& message) const { write(Verbosity::kVerbose, message); }
  /// Something the user should know about; always shown.
  void warn(const std::string& message) const { write(Verbosity::kQuiet, "warning: " + message); }

 private:
  void write(Verbosity level, const std::string& message) const {
    if (static_cast<int>(level) > static_cast<int>(verbosity_)) return;
    const std::lock_guard<std::mutex> lock(mutex_);
    std::cerr << "rarematch: " << message << '\n';
  }

  Verbosity verbosity_;
  mutable std::mutex mutex_;
};

}  // namespace rarematch::pipeline
