#include "tests/support/csq_notation.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <stdexcept>
#include <utility>

namespace rarematch::testing {
namespace {

/// Splits `text` at every `separator`; an empty text gives one empty field.
std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find(separator, start);
    fields.push_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return fields;
}

char complement(char base) {
  switch (base) {
    case 'A': return 'T';
    case 'C': return 'G';
    case 'G': return 'C';
    case 'T': return 'A';
    default: return 'N';
  }
}

int base_index(char base) {  // TCAG order of the code below
  switch (base) {
    case 'T': return 0;
    case 'C': return 1;
    case 'A': return 2;
    case 'G': return 3;
    default: return -1;
  }
}

/// "{digits}{residues}" -> (position, residues). Residues are letters or '*'.
std::pair<std::uint64_t, std::string> parse_residues(std::string_view part, std::string_view field) {
  std::size_t digits = 0;
  while (digits < part.size() && std::isdigit(static_cast<unsigned char>(part[digits])) != 0) ++digits;
  if (digits == 0 || digits == part.size()) {
    throw std::runtime_error("csq amino-acid change does not parse: '" + std::string(field) + "'");
  }
  for (std::size_t i = digits; i < part.size(); ++i) {
    if (std::isupper(static_cast<unsigned char>(part[i])) == 0 && part[i] != '*' && part[i] != '?') {
      throw std::runtime_error("csq amino-acid change does not parse: '" + std::string(field) + "'");
    }
  }
  return {std::stoull(std::string(part.substr(0, digits))), std::string(part.substr(digits))};
}

/// "{residue}{position}", or a range "{residue}{position}_{residue}{position}" for `residues` from `first`.
std::string residue_span(std::string_view residues, std::uint64_t first) {
  std::string out = std::string(1, residues.front()) + std::to_string(first);
  if (residues.size() > 1) out += "_" + std::string(1, residues.back()) + std::to_string(first + residues.size() - 1);
  return out;
}

/// The residue at 1-based `position` of `protein`, or '?' outside it.
char residue_at(std::string_view protein, std::uint64_t position) {
  return position >= 1 && position <= protein.size() ? protein[position - 1] : '?';
}

/// Deletion of `removed` starting at `position`, shifted 3' along `protein` while the next residue equals the
/// first deleted one (HGVS 3' rule); unshifted when `protein` does not hold `removed` there.
std::string name_deletion(std::string removed, std::uint64_t position, std::string_view protein) {
  const bool located = position >= 1 && position - 1 + removed.size() <= protein.size() &&
                       protein.substr(position - 1, removed.size()) == removed;
  if (located) {
    while (position + removed.size() <= protein.size()) {
      const char next = protein[position - 1 + removed.size()];
      if (next != removed.front() || next == '*') break;
      removed = removed.substr(1) + next;
      ++position;
    }
  }
  return "p." + residue_span(removed, position) + "del";
}

/// Insertion of `inserted` before residue `position` (after `position` - 1), shifted 3' while the following
/// residue equals the first inserted one, then named as a dup when the residues before it equal `inserted`.
std::string name_insertion(std::string inserted, std::uint64_t position, std::string_view protein) {
  if (!protein.empty()) {
    while (position <= protein.size()) {
      const char next = protein[position - 1];
      if (next != inserted.front() || next == '*') break;
      inserted = inserted.substr(1) + next;
      ++position;
    }
    const std::size_t length = inserted.size();
    if (position - 1 >= length && protein.substr(position - 1 - length, length) == inserted) {
      return "p." + residue_span(inserted, position - length) + "dup";
    }
  }
  return "p." + std::string(1, residue_at(protein, position - 1)) + std::to_string(position - 1) + "_" +
         std::string(1, residue_at(protein, position)) + std::to_string(position) + "ins" + inserted;
}

/// The parts of a frameshift name: "p.R2Tfs*6" -> {'R', 2, "T", "6"}; "p.R2fs" -> {'R', 2, "", ""}.
struct Frameshift {
  std::string reference;
  std::string position;
  std::string alternate;
  std::string stop_count;
};

std::optional<Frameshift> parse_frameshift(std::string_view name) {
  const std::size_t fs = name.find("fs");
  if (name.substr(0, 2) != "p." || fs == std::string_view::npos) return std::nullopt;
  Frameshift out;
  std::size_t at = 2;
  while (at < fs && (std::isupper(static_cast<unsigned char>(name[at])) != 0 || name[at] == '*')) {
    out.reference += name[at++];
  }
  while (at < fs && std::isdigit(static_cast<unsigned char>(name[at])) != 0) out.position += name[at++];
  out.alternate = std::string(name.substr(at, fs - at));
  std::string_view tail = name.substr(fs + 2);
  if (!tail.empty() && tail.front() == '*') tail.remove_prefix(1);
  if (tail.substr(0, 3) == "Ter") tail.remove_prefix(3);
  out.stop_count = std::string(tail);
  if (out.reference.empty() || out.position.empty()) return std::nullopt;
  return out;
}

/// "p.(L858R)" and "(p.L858R)" -> "p.L858R".
std::string without_parentheses(std::string_view name) {
  if (name.size() >= 2 && name.front() == '(' && name.back() == ')') name = name.substr(1, name.size() - 2);
  if (name.size() >= 4 && name.substr(0, 3) == "p.(" && name.back() == ')') {
    return "p." + std::string(name.substr(3, name.size() - 4));
  }
  return std::string(name);
}

/// Attribute `key` of a GFF3 column 9, or empty.
std::string attribute(std::string_view attributes, std::string_view key) {
  for (std::string_view item : split(attributes, ';')) {
    const std::size_t equals = item.find('=');
    if (equals != std::string_view::npos && item.substr(0, equals) == key) {
      return std::string(item.substr(equals + 1));
    }
  }
  return {};
}

/// Drops a ".N" version suffix: "ENSG00000012048.15" -> "ENSG00000012048".
std::string without_version(std::string_view id) {
  const std::size_t dot = id.rfind('.');
  if (dot == std::string_view::npos || dot + 1 == id.size()) return std::string(id);
  for (std::size_t i = dot + 1; i < id.size(); ++i) {
    if (std::isdigit(static_cast<unsigned char>(id[i])) == 0) return std::string(id);
  }
  return std::string(id.substr(0, dot));
}

/// Column 9 with `key` set to `value` (replaced where present, else appended).
std::string set_attribute(std::string_view attributes, std::string_view key, const std::string& value) {
  std::string out;
  bool found = false;
  for (std::string_view item : split(attributes, ';')) {
    if (item.empty()) continue;
    const std::size_t equals = item.find('=');
    if (!out.empty()) out += ';';
    if (equals != std::string_view::npos && item.substr(0, equals) == key) {
      out += std::string(key) + "=" + value;
      found = true;
    } else {
      out += item;
    }
  }
  if (!found) out += (out.empty() ? "" : ";") + std::string(key) + "=" + value;
  return out;
}

}  // namespace

std::vector<CsqConsequence> parse_bcsq(std::string_view value) {
  std::vector<CsqConsequence> out;
  if (value.empty() || value == ".") return out;
  for (std::string_view item : split(value, ',')) {
    const std::vector<std::string_view> fields = split(item, '|');
    std::string_view consequence = fields[0];
    if (consequence.empty()) throw std::runtime_error("BCSQ item without a consequence: '" + std::string(item) + "'");
    CsqConsequence entry;
    if (consequence.front() == '@') {
      entry.reference = std::string(consequence.substr(1));
      out.push_back(std::move(entry));
      continue;
    }
    if (consequence.front() == '*') {
      entry.upstream_stop = true;
      consequence.remove_prefix(1);
    }
    for (std::string_view term : split(consequence, '&')) entry.terms.emplace_back(term);
    auto field = [&fields](std::size_t index) {
      return index < fields.size() ? std::string(fields[index]) : std::string();
    };
    entry.gene = field(1);
    entry.transcript = field(2);
    entry.biotype = field(3);
    entry.strand = field(4);
    entry.protein = field(5);
    entry.dna = field(6);
    out.push_back(std::move(entry));
  }
  return out;
}

std::optional<std::string> so_term_for_csq(std::string_view csq_term) {
  static const std::map<std::string, std::string, std::less<>> kTerms = {
      {"synonymous", "synonymous_variant"},
      {"missense", "missense_variant"},
      {"stop_lost", "stop_lost"},
      {"stop_gained", "stop_gained"},
      {"inframe_deletion", "inframe_deletion"},
      {"inframe_insertion", "inframe_insertion"},
      {"frameshift", "frameshift_variant"},
      {"splice_acceptor", "splice_acceptor_variant"},
      {"splice_donor", "splice_donor_variant"},
      {"start_lost", "start_lost"},
      {"splice_region", "splice_region_variant"},
      {"stop_retained", "stop_retained_variant"},
      {"start_retained", "start_retained_variant"},
      {"5_prime_utr", "5_prime_UTR_variant"},
      {"3_prime_utr", "3_prime_UTR_variant"},
      {"non_coding", "non_coding_transcript_variant"},
      {"intron", "intron_variant"},
      {"intergenic", "intergenic_variant"},
      {"inframe_altering", "protein_altering_variant"},
      {"coding_sequence", "coding_sequence_variant"},
      {"feature_elongation", "feature_elongation"},
      {"NMD_transcript", "NMD_transcript_variant"},
  };
  const auto found = kTerms.find(csq_term);
  if (found == kTerms.end()) return std::nullopt;
  return found->second;
}

bool is_uncompared_term(std::string_view so_term) {
  return so_term == "upstream_gene_variant" || so_term == "downstream_gene_variant" ||
         so_term == "NMD_transcript_variant";
}

std::string translate_coding_sequence(std::string_view bases) {
  static constexpr std::string_view kStandardCode = "FFLLSSSSYY**CC*WLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG";
  std::string protein;
  protein.reserve(bases.size() / 3);
  for (std::size_t at = 0; at + 3 <= bases.size(); at += 3) {
    int index = 0;
    bool plain = true;
    for (std::size_t i = 0; i < 3; ++i) {
      const int value = base_index(bases[at + i]);
      plain = plain && value >= 0;
      index = index * 4 + std::max(value, 0);
    }
    protein += plain ? kStandardCode[static_cast<std::size_t>(index)] : 'X';
  }
  return protein;
}

std::string reference_protein(const reference::Transcript& transcript, const reference::SequenceSource& genome) {
  std::string bases;
  for (const reference::Segment& segment : transcript.cds) {
    bases += genome.fetch(transcript.contig, segment.start, segment.end);
  }
  if (transcript.strand == '-') {
    std::reverse(bases.begin(), bases.end());
    for (char& base : bases) base = complement(base);
  }
  return translate_coding_sequence(bases);
}

std::string csq_protein_to_hgvs(std::string_view field, const std::set<std::string>& so_terms,
                                std::string_view protein) {
  const std::size_t arrow = field.find('>');
  const auto [position, reference] = parse_residues(field.substr(0, arrow), field);
  if (so_terms.contains("start_lost")) return "p.M1?";
  if (arrow == std::string_view::npos) {  // synonymous: csq prints the reference residues only
    return "p." + residue_span(reference, position) + "=";
  }
  const std::string alternate = parse_residues(field.substr(arrow + 1), field).second;
  if (alternate == "?") return {};  // csq could not translate (a splice-site overlap): nothing to compare

  if (so_terms.contains("frameshift_variant")) {
    std::size_t first = 0;
    while (first < reference.size() && first < alternate.size() && reference[first] == alternate[first]) ++first;
    const char ref_residue = first < reference.size() ? reference[first] : residue_at(protein, position + first);
    const char alt_residue = first < alternate.size() ? alternate[first] : '?';
    const std::string where = std::string(1, ref_residue) + std::to_string(position + first);
    if (ref_residue == '*') return "p." + where + std::string(1, alt_residue) + "ext";
    if (alt_residue == '*') return "p." + where + "*";
    const std::size_t stop = alternate.find('*', first);
    const std::string count = stop == std::string::npos ? "?" : std::to_string(stop - first + 1);
    return "p." + where + std::string(1, alt_residue) + "fs*" + count;
  }

  std::size_t lead = 0;
  while (lead < reference.size() && lead < alternate.size() && reference[lead] == alternate[lead]) ++lead;
  std::size_t trail = 0;
  while (trail < reference.size() - lead && trail < alternate.size() - lead &&
         reference[reference.size() - 1 - trail] == alternate[alternate.size() - 1 - trail]) {
    ++trail;
  }
  const std::string removed = reference.substr(lead, reference.size() - lead - trail);
  std::string added = alternate.substr(lead, alternate.size() - lead - trail);
  const std::uint64_t start = position + lead;

  if (removed.empty() && added.empty()) return "p." + residue_span(reference, position) + "=";
  if (!removed.empty() && removed.front() == '*') {
    return "p.*" + std::to_string(start) + std::string(1, added.empty() ? '?' : added.front()) + "ext";
  }
  if (removed.size() == 1 && added.size() == 1) {
    return "p." + std::string(1, removed.front()) + std::to_string(start) + added;
  }
  if (!added.empty() && added.front() == '*') {
    const char first = removed.empty() ? residue_at(protein, start) : removed.front();
    if (first == '*') return "p.*" + std::to_string(start) + "=";  // a stop inserted before the stop
    return "p." + std::string(1, first) + std::to_string(start) + "*";
  }
  if (added.empty()) return name_deletion(removed, start, protein);
  if (removed.empty()) return name_insertion(added, start, protein);
  const std::size_t stop = added.find('*');
  if (stop != std::string::npos) added.erase(stop + 1);
  return "p." + residue_span(removed, start) + "delins" + added;
}

bool same_protein_change(std::string_view ours_text, std::string_view mapped) {
  const std::string ours = without_parentheses(ours_text);
  if (ours == mapped) return true;
  if (mapped.size() > 3 && mapped.substr(mapped.size() - 3) == "ext") {
    // "p.*977?ext": csq did not see the new residue (it lies in the 3' UTR); any residue of ours matches.
    const std::size_t unknown = mapped.size() - 4;
    if (mapped[unknown] == '?') {
      return ours.size() > unknown + 3 && ours.compare(0, unknown, mapped.substr(0, unknown)) == 0 &&
             ours.compare(unknown + 1, 3, "ext") == 0;
    }
    return ours.compare(0, mapped.size(), mapped) == 0;
  }
  const auto csq = parse_frameshift(mapped);
  const auto our = parse_frameshift(ours);
  if (!csq || !our) return false;
  if (csq->reference != our->reference || csq->position != our->position) return false;
  if (!our->alternate.empty() && our->alternate != csq->alternate) return false;
  if (!our->stop_count.empty() && csq->stop_count != "?" && our->stop_count != csq->stop_count) return false;
  return true;
}

std::string rewrite_gencode_gff3_for_csq(std::string_view gff3) {
  struct Span {
    std::uint64_t low = UINT64_MAX;
    std::uint64_t high = 0;
    char strand = '+';
  };
  std::map<std::string, Span> coding;  // transcript id (as written) -> CDS extent
  const std::vector<std::string_view> lines = split(gff3, '\n');
  for (std::string_view line : lines) {
    if (line.empty() || line.front() == '#') continue;
    const std::vector<std::string_view> columns = split(line, '\t');
    if (columns.size() < 9 || columns[2] != "CDS") continue;
    Span& span = coding[attribute(columns[8], "Parent")];
    span.low = std::min<std::uint64_t>(span.low, std::stoull(std::string(columns[3])));
    span.high = std::max<std::uint64_t>(span.high, std::stoull(std::string(columns[4])));
    span.strand = columns[6].empty() ? '+' : columns[6].front();
  }

  std::string out;
  for (std::size_t index = 0; index < lines.size(); ++index) {
    std::string_view line = lines[index];
    if (line.empty() && index + 1 == lines.size()) break;  // the final newline
    const std::vector<std::string_view> columns = split(line, '\t');
    if (line.empty() || line.front() == '#' || columns.size() < 9) {
      out += std::string(line) + "\n";
      continue;
    }
    std::string type(columns[2]);
    std::string attributes(columns[8]);
    const std::string id = attribute(attributes, "ID");
    const std::string parent = attribute(attributes, "Parent");
    if (type == "start_codon" || type == "stop_codon") continue;
    if (type == "gene") {
      attributes = set_attribute(attributes, "ID", "gene:" + without_version(id));
      attributes = set_attribute(attributes, "Name", attribute(attributes, "gene_name"));
      attributes = set_attribute(attributes, "biotype", attribute(attributes, "gene_type"));
    } else if (type == "transcript") {
      attributes = set_attribute(attributes, "ID", "transcript:" + without_version(id));
      attributes = set_attribute(attributes, "Parent", "gene:" + without_version(parent));
      attributes = set_attribute(attributes, "biotype", attribute(attributes, "transcript_type"));
    } else {
      if (!parent.empty()) attributes = set_attribute(attributes, "Parent", "transcript:" + without_version(parent));
      if (type == "UTR") {
        const auto found = coding.find(parent);
        if (found == coding.end()) {
          throw std::runtime_error("GFF3 UTR line of transcript " + parent + " without CDS: " + std::string(line));
        }
        const std::uint64_t start = std::stoull(std::string(columns[3]));
        const bool before_cds = start < found->second.low;
        type = before_cds == (found->second.strand == '+') ? "five_prime_UTR" : "three_prime_UTR";
      }
    }
    for (std::size_t column = 0; column < 8; ++column) {
      out += column == 2 ? type : std::string(columns[column]);
      out += '\t';
    }
    out += attributes + "\n";
  }
  return out;
}

}  // namespace rarematch::testing
