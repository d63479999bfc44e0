#include "reference/contig.h"

namespace rarematch::reference {

std::string contig_key(std::string_view name) {
  std::string_view rest = name;
  const bool has_chr = rest.size() > 3 && (rest[0] == 'c' || rest[0] == 'C') && (rest[1] == 'h' || rest[1] == 'H') &&
                       (rest[2] == 'r' || rest[2] == 'R');
  // A bare "chr" keeps its name: stripping it would leave an empty key shared by nothing meaningful.
  if (has_chr) rest.remove_prefix(3);
  if (rest == "M") return "MT";
  return std::string(rest);
}

}  // namespace rarematch::reference
