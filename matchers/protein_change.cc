#include "matchers/protein_change.h"

#include <array>
#include <regex>
#include <utility>

namespace rarematch::matchers {
namespace {

constexpr std::array<std::pair<std::string_view, char>, 23> kThreeLetter = {{
    {"Ala", 'A'}, {"Arg", 'R'}, {"Asn", 'N'}, {"Asp", 'D'}, {"Cys", 'C'}, {"Gln", 'Q'}, {"Glu", 'E'}, {"Gly", 'G'},
    {"His", 'H'}, {"Ile", 'I'}, {"Leu", 'L'}, {"Lys", 'K'}, {"Met", 'M'}, {"Phe", 'F'}, {"Pro", 'P'}, {"Ser", 'S'},
    {"Thr", 'T'}, {"Trp", 'W'}, {"Tyr", 'Y'}, {"Val", 'V'}, {"Ter", '*'}, {"Sec", 'U'}, {"Xaa", 'X'},
}};

/// Replaces three-letter amino-acid codes by one-letter codes, and 'X' (old stop notation) by '*'.
std::string to_one_letter(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    bool replaced = false;
    if (i + 3 <= text.size()) {
      for (const auto& [code, letter] : kThreeLetter) {
        if (text.substr(i, 3) == code) {
          out += letter;
          i += 3;
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) {
      out += text[i] == 'X' ? '*' : text[i];
      ++i;
    }
  }
  return out;
}

const std::regex& pattern(int which) {
  static const std::array<std::regex, 7> patterns = {
      std::regex(R"(^([ACDEFGHIKLMNPQRSTVWY]\d+)([ACDEFGHIKLMNPQRSTVWY*=])$)"),
      std::regex(R"(^([ACDEFGHIKLMNPQRSTVWY]\d+)[ACDEFGHIKLMNPQRSTVWY]?fs(\*(\d+|\?))?$)"),
      std::regex(R"(^([ACDEFGHIKLMNPQRSTVWY]\d+(_[ACDEFGHIKLMNPQRSTVWY]\d+)?)(del|dup)$)"),
      std::regex(R"(^([ACDEFGHIKLMNPQRSTVWY]\d+_[ACDEFGHIKLMNPQRSTVWY]\d+)ins([ACDEFGHIKLMNPQRSTVWY*]+)$)"),
      std::regex(R"(^([ACDEFGHIKLMNPQRSTVWY]\d+(_[ACDEFGHIKLMNPQRSTVWY]\d+)?)delins([ACDEFGHIKLMNPQRSTVWY*]+)$)"),
      std::regex(R"(^(M1)\?$)"),
      std::regex(R"(^(\*\d+[ACDEFGHIKLMNPQRSTVWY]ext\*(\d+|\?))$)"),
  };
  return patterns[static_cast<std::size_t>(which)];
}

}  // namespace

std::optional<std::string> canonical_protein_change(std::string_view change) {
  std::string_view text = change;
  if (text.starts_with("p.")) text.remove_prefix(2);
  if (text.size() >= 2 && text.front() == '(' && text.back() == ')') text = text.substr(1, text.size() - 2);
  if (text.empty()) return std::nullopt;
  const std::string short_form = to_one_letter(text);
  std::smatch match;
  if (std::regex_match(short_form, match, pattern(0))) return match[1].str() + match[2].str();
  if (std::regex_match(short_form, match, pattern(1))) return match[1].str() + "fs";
  if (std::regex_match(short_form, match, pattern(2))) return match[1].str() + match[3].str();
  if (std::regex_match(short_form, match, pattern(3))) return match[1].str() + "ins" + match[2].str();
  if (std::regex_match(short_form, match, pattern(4))) return match[1].str() + "delins" + match[3].str();
  if (std::regex_match(short_form, match, pattern(5))) return std::string("M1?");
  if (std::regex_match(short_form, match, pattern(6))) return match[1].str();
  return std::nullopt;
}

}  // namespace rarematch::matchers
