#include "reference/hgnc.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

#include <htslib/hts.h>
#include <htslib/kstring.h>

#include "reference/error.h"

namespace rarematch::reference {

namespace {

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  while (true) {
    const std::size_t tab = line.find('\t', start);
    fields.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
    if (tab == std::string::npos) return fields;
    start = tab + 1;
  }
}

std::string lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

struct HtsCloser {
  void operator()(htsFile* file) const noexcept { hts_close(file); }
};

}  // namespace

std::unordered_set<std::string> load_hgnc_symbols(const std::string& path) {
  std::unique_ptr<htsFile, HtsCloser> file(hts_open(path.c_str(), "r"));
  if (!file) {
    throw_bad_input(path, std::nullopt, "cannot open the HGNC table", std::strerror(errno),
                    "give the HGNC complete set or a custom download with an 'Approved symbol' column");
  }
  kstring_t line = KS_INITIALIZE;
  std::unordered_set<std::string> symbols;
  std::optional<std::size_t> column;
  std::uint64_t line_number = 0;
  while (hts_getline(file.get(), '\n', &line) >= 0) {
    ++line_number;
    std::string text(line.s, line.l);
    if (!text.empty() && text.back() == '\r') text.pop_back();
    const auto fields = split_tabs(text);
    if (!column) {
      const auto it = std::find_if(fields.begin(), fields.end(), [](const std::string& name) {
        const std::string key = lower(name);
        return key == "symbol" || key == "approved symbol";
      });
      if (it == fields.end()) {
        ks_free(&line);
        throw_bad_input(path, line_number, "HGNC header", "no 'symbol' or 'Approved symbol' column",
                        "give a tab-separated HGNC table with its header row");
      }
      column = static_cast<std::size_t>(it - fields.begin());
      continue;
    }
    if (*column < fields.size() && !fields[*column].empty()) symbols.insert(fields[*column]);
  }
  ks_free(&line);
  if (symbols.empty()) throw_bad_input(path, std::nullopt, "HGNC table", "no symbols", "check the file");
  return symbols;
}

}  // namespace rarematch::reference
