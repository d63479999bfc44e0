#pragma once
// Kleene three-valued logic: TRUE, FALSE and UNKNOWN ("the data to decide is missing").

#include <cstdint>
#include <string_view>

namespace rarematch::matchers {

/// A three-valued truth value.
enum class Truth : std::uint8_t { kFalse, kUnknown, kTrue };

/// NOT: swaps TRUE and FALSE, keeps UNKNOWN.
constexpr Truth negate(Truth value) {
  switch (value) {
    case Truth::kTrue: return Truth::kFalse;
    case Truth::kFalse: return Truth::kTrue;
    case Truth::kUnknown: return Truth::kUnknown;
  }
  return Truth::kUnknown;
}

/// TRUE or FALSE from a decided boolean.
constexpr Truth from_bool(bool value) { return value ? Truth::kTrue : Truth::kFalse; }

/// AT_LEAST k of n children, given how many are TRUE and UNKNOWN: TRUE if true_count >= k; FALSE if
/// true_count + unknown_count < k; else UNKNOWN. (ALL = AT_LEAST n, ANY = AT_LEAST 1, k = 0 is TRUE.)
constexpr Truth at_least(std::uint32_t k, std::uint32_t true_count, std::uint32_t unknown_count) {
  if (true_count >= k) return Truth::kTrue;
  if (true_count + unknown_count < k) return Truth::kFalse;
  return Truth::kUnknown;
}

/// "TRUE", "FALSE", "UNKNOWN".
constexpr std::string_view to_string(Truth value) {
  switch (value) {
    case Truth::kTrue: return "TRUE";
    case Truth::kFalse: return "FALSE";
    case Truth::kUnknown: return "UNKNOWN";
  }
  return "UNKNOWN";
}

}  // namespace rarematch::matchers
