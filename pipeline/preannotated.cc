// Pre-annotated VCFs: VEP CSQ, SnpEff ANN and bcftools BCSQ entries to reference::Annotation.
//
// Algorithm. from_header finds the tool's INFO line, takes the '|'-separated column names from its Description
// and records where each field the parser reads sits (preannotation_detail::Column). annotations_for then, per
// record and ALT allele: reads the INFO string; splits it into entries at ',' (the tools write ',' inside a value
// as '&' or "%2C"), each entry into fields at '|'; keeps the entries that are the allele's (VEP: ALLELE_NUM, else
// VEP's allele spelling, else the minimal spelling; SnpEff: the ALT as written; BCSQ: dna_change) and describe a
// transcript; and maps their fields (text rules, term tables and the BCSQ protein notation in preannotated.h).
// No state is kept between records, so records are annotated on any thread.

#include "pipeline/preannotated.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <tuple>
#include <utility>

#include "reference/error.h"

namespace rarematch::pipeline {

namespace v1 = rarematch::v1;
using preannotation_detail::Column;
using reference::Annotation;

namespace {

// ---------------------------------------------------------------------------------------------------------------
// Tables.

/// Consequence terms most severe first, with their impact (Ensembl VEP's table of calculated consequences).
struct TermImpact {
  std::string_view term;
  v1::Impact impact;
};
constexpr TermImpact kSeverity[] = {
    {"transcript_ablation", v1::IMPACT_HIGH},
    {"splice_acceptor_variant", v1::IMPACT_HIGH},
    {"splice_donor_variant", v1::IMPACT_HIGH},
    {"stop_gained", v1::IMPACT_HIGH},
    {"frameshift_variant", v1::IMPACT_HIGH},
    {"stop_lost", v1::IMPACT_HIGH},
    {"start_lost", v1::IMPACT_HIGH},
    {"transcript_amplification", v1::IMPACT_HIGH},
    {"feature_elongation", v1::IMPACT_HIGH},
    {"feature_truncation", v1::IMPACT_HIGH},
    {"inframe_insertion", v1::IMPACT_MODERATE},
    {"inframe_deletion", v1::IMPACT_MODERATE},
    {"missense_variant", v1::IMPACT_MODERATE},
    {"protein_altering_variant", v1::IMPACT_MODERATE},
    {"splice_donor_5th_base_variant", v1::IMPACT_LOW},
    {"splice_region_variant", v1::IMPACT_LOW},
    {"splice_donor_region_variant", v1::IMPACT_LOW},
    {"splice_polypyrimidine_tract_variant", v1::IMPACT_LOW},
    {"incomplete_terminal_codon_variant", v1::IMPACT_LOW},
    {"start_retained_variant", v1::IMPACT_LOW},
    {"stop_retained_variant", v1::IMPACT_LOW},
    {"synonymous_variant", v1::IMPACT_LOW},
    {"coding_sequence_variant", v1::IMPACT_MODIFIER},
    {"mature_miRNA_variant", v1::IMPACT_MODIFIER},
    {"5_prime_UTR_variant", v1::IMPACT_MODIFIER},
    {"3_prime_UTR_variant", v1::IMPACT_MODIFIER},
    {"non_coding_transcript_exon_variant", v1::IMPACT_MODIFIER},
    {"intron_variant", v1::IMPACT_MODIFIER},
    {"NMD_transcript_variant", v1::IMPACT_MODIFIER},
    {"non_coding_transcript_variant", v1::IMPACT_MODIFIER},
    {"coding_transcript_variant", v1::IMPACT_MODIFIER},
    {"upstream_gene_variant", v1::IMPACT_MODIFIER},
    {"downstream_gene_variant", v1::IMPACT_MODIFIER},
    {"TFBS_ablation", v1::IMPACT_MODIFIER},
    {"TFBS_amplification", v1::IMPACT_MODIFIER},
    {"TF_binding_site_variant", v1::IMPACT_MODIFIER},
    {"regulatory_region_ablation", v1::IMPACT_MODIFIER},
    {"regulatory_region_amplification", v1::IMPACT_MODIFIER},
    {"regulatory_region_variant", v1::IMPACT_MODIFIER},
    {"intergenic_variant", v1::IMPACT_MODIFIER},
    {"sequence_variant", v1::IMPACT_MODIFIER},
};
constexpr std::size_t kSeverityCount = sizeof(kSeverity) / sizeof(kSeverity[0]);

/// A term as a tool writes it and the SO term we use.
struct TermMapping {
  std::string_view written;
  std::string_view so_term;
};

/// Obsolete and tool-specific names in VEP CSQ and SnpEff ANN.
constexpr TermMapping kTermSynonyms[] = {
    {"conservative_inframe_insertion", "inframe_insertion"},
    {"disruptive_inframe_insertion", "inframe_insertion"},
    {"conservative_inframe_deletion", "inframe_deletion"},
    {"disruptive_inframe_deletion", "inframe_deletion"},
    {"intergenic_region", "intergenic_variant"},
    {"non_coding_exon_variant", "non_coding_transcript_exon_variant"},
    {"nc_transcript_variant", "non_coding_transcript_variant"},
};

/// bcftools csq's terms (csq.c, csq_strings) and the SO terms they stand for.
constexpr TermMapping kCsqTerms[] = {
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
    {"5_prime_utr", "5_prime_UTR_variant"},
    {"3_prime_utr", "3_prime_UTR_variant"},
    {"non_coding", "non_coding_transcript_variant"},
    {"intron", "intron_variant"},
    {"intergenic", "intergenic_variant"},
    {"inframe_altering", "protein_altering_variant"},
    {"coding_sequence", "coding_sequence_variant"},
    {"feature_elongation", "feature_elongation"},
    {"feature_truncation", "feature_truncation"},
    {"start_retained", "start_retained_variant"},
    {"NMD_transcript", "NMD_transcript_variant"},
};

/// Amino acids: one-letter and three-letter codes ('*' = Ter).
struct AminoAcid {
  char one;
  std::string_view three;
};
constexpr AminoAcid kAminoAcids[] = {
    {'A', "Ala"}, {'R', "Arg"}, {'N', "Asn"}, {'D', "Asp"}, {'C', "Cys"}, {'Q', "Gln"}, {'E', "Glu"},
    {'G', "Gly"}, {'H', "His"}, {'I', "Ile"}, {'L', "Leu"}, {'K', "Lys"}, {'M', "Met"}, {'F', "Phe"},
    {'P', "Pro"}, {'S', "Ser"}, {'T', "Thr"}, {'W', "Trp"}, {'Y', "Tyr"}, {'V', "Val"}, {'U', "Sec"},
    {'O', "Pyl"}, {'X', "Xaa"}, {'B', "Asx"}, {'Z', "Glx"}, {'*', "Ter"},
};

/// A column a format reads, by its name in the layout (compared lower-case, spaces removed).
struct ColumnName {
  Column column;
  std::string_view name;
};
constexpr ColumnName kVepColumns[] = {
    {Column::kAllele, "allele"},
    {Column::kConsequence, "consequence"},
    {Column::kImpact, "impact"},
    {Column::kSymbol, "symbol"},
    {Column::kGeneId, "gene"},
    {Column::kFeatureType, "feature_type"},
    {Column::kFeature, "feature"},
    {Column::kBiotype, "biotype"},
    {Column::kExon, "exon"},
    {Column::kIntron, "intron"},
    {Column::kHgvsC, "hgvsc"},
    {Column::kHgvsP, "hgvsp"},
    {Column::kProteinPosition, "protein_position"},
    {Column::kAminoAcids, "amino_acids"},
    {Column::kCanonical, "canonical"},
    {Column::kManeSelect, "mane_select"},
    {Column::kAlleleNumber, "allele_num"},
};
constexpr ColumnName kSnpEffColumns[] = {
    {Column::kAllele, "allele"},
    {Column::kConsequence, "annotation"},
    {Column::kImpact, "annotation_impact"},
    {Column::kSymbol, "gene_name"},
    {Column::kGeneId, "gene_id"},
    {Column::kFeatureType, "feature_type"},
    {Column::kFeature, "feature_id"},
    {Column::kBiotype, "transcript_biotype"},
    {Column::kRank, "rank"},
    {Column::kHgvsC, "hgvs.c"},
    {Column::kHgvsP, "hgvs.p"},
    {Column::kProteinPosition, "aa.pos/aa.length"},
};
constexpr ColumnName kBcsqColumns[] = {
    {Column::kConsequence, "consequence"},
    {Column::kSymbol, "gene"},
    {Column::kFeature, "transcript"},
    {Column::kBiotype, "biotype"},
    {Column::kAminoAcidChange, "amino_acid_change"},
    {Column::kDnaChange, "dna_change"},
};

// ---------------------------------------------------------------------------------------------------------------
// Text helpers.

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  while (true) {
    const std::size_t at = text.find(separator);
    parts.push_back(text.substr(0, at));
    if (at == std::string_view::npos) break;
    text.remove_prefix(at + 1);
  }
  return parts;
}

std::string lower_without_spaces(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (!std::isspace(static_cast<unsigned char>(c))) out.push_back(static_cast<char>(std::tolower(
        static_cast<unsigned char>(c))));
  }
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::toupper(static_cast<unsigned char>(x)) == std::toupper(static_cast<unsigned char>(y));
         });
}

/// A non-negative decimal number filling `text`; nullopt otherwise.
std::optional<std::uint32_t> parse_number(std::string_view text) {
  if (text.empty() || text.size() > 9) return std::nullopt;
  std::uint32_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<std::uint32_t>(c - '0');
  }
  return value;
}

/// The leading decimal number of `text` ("19/28" -> 19, "2-3/28" -> 2); nullopt when it does not start with one.
std::optional<std::uint32_t> leading_number(std::string_view text) {
  std::size_t n = 0;
  while (n < text.size() && text[n] >= '0' && text[n] <= '9') ++n;
  return parse_number(text.substr(0, n));
}

/// The total after '/' ("19/28" -> 28).
std::optional<std::uint32_t> total_after_slash(std::string_view text) {
  const std::size_t slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  return parse_number(trim(text.substr(slash + 1)));
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// Decodes %XX escapes (VEP writes '=' as "%3D", ';' as "%3B", ',' as "%2C").
std::string url_unescape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const int high = hex_value(text[i + 1]);
      const int low = hex_value(text[i + 2]);
      if (high >= 0 && low >= 0) {
        out.push_back(static_cast<char>(high * 16 + low));
        i += 2;
        continue;
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

/// `id` without trailing ".N" version groups: "ENST00000275493.7" -> "ENST00000275493", "NR_106918.1.3" ->
/// "NR_106918".
std::string strip_version(std::string_view id) {
  while (true) {
    const std::size_t dot = id.rfind('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 1 == id.size()) break;
    if (!parse_number(id.substr(dot + 1))) break;
    id = id.substr(0, dot);
  }
  return std::string(id);
}

/// An HGVS value without its reference prefix ("ENST00000275493.7:c.2573T>G" -> "c.2573T>G"), unescaped.
std::string hgvs_without_prefix(std::string_view text) {
  std::string value = url_unescape(trim(text));
  const std::size_t colon = value.find(':');
  if (colon != std::string::npos) value.erase(0, colon + 1);
  return value;
}

// ---------------------------------------------------------------------------------------------------------------
// Protein changes.

std::optional<char> one_letter(std::string_view three) {
  for (const AminoAcid& aa : kAminoAcids) {
    if (aa.three == three) return aa.one;
  }
  return std::nullopt;
}

std::optional<std::string_view> three_letter(char one) {
  for (const AminoAcid& aa : kAminoAcids) {
    if (aa.one == one) return aa.three;
  }
  return std::nullopt;
}

/// Whether `text` (after "p.") starts with a three-letter amino acid code.
bool starts_three_letter(std::string_view text) {
  return text.size() >= 3 && std::isupper(static_cast<unsigned char>(text[0])) &&
         std::islower(static_cast<unsigned char>(text[1])) && std::islower(static_cast<unsigned char>(text[2])) &&
         one_letter(text.substr(0, 3)).has_value();
}

/// "p.Ser68ArgfsTer12" -> "p.S68Rfs*12": three-letter codes (Ter included) to one letter.
std::string to_short_form(std::string_view long_form) {
  std::string out(long_form.substr(0, 2));
  std::string_view rest = long_form.substr(2);
  while (!rest.empty()) {
    if (starts_three_letter(rest)) {
      out.push_back(*one_letter(rest.substr(0, 3)));
      rest.remove_prefix(3);
    } else {
      out.push_back(rest.front());
      rest.remove_prefix(1);
    }
  }
  return out;
}

/// "p.S68Rfs*12" -> "p.Ser68ArgfsTer12": every upper-case letter or '*' is a residue (the keywords del, ins, dup,
/// delins, fs, ext are lower-case).
std::string to_long_form(std::string_view short_form) {
  std::string out(short_form.substr(0, 2));
  for (const char c : short_form.substr(2)) {
    const auto three = (std::isupper(static_cast<unsigned char>(c)) || c == '*') ? three_letter(c) : std::nullopt;
    if (three) {
      out.append(*three);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

/// A protein change in both forms, with the residues it names.
struct ProteinNames {
  std::string long_form;
  std::string short_form;
  std::uint32_t start = 0;
  std::uint32_t end = 0;
};

/// The residues a short-form name names: "p.E746_A750del" -> 746..750, "p.L858R" -> 858..858; 0 when none.
std::pair<std::uint32_t, std::uint32_t> named_residues(std::string_view short_form) {
  std::string_view rest = short_form.substr(std::min<std::size_t>(2, short_form.size()));
  const auto residue_then_number = [](std::string_view& text) -> std::optional<std::uint32_t> {
    if (text.empty() || !(std::isupper(static_cast<unsigned char>(text.front())) || text.front() == '*')) {
      return std::nullopt;
    }
    text.remove_prefix(1);
    std::size_t n = 0;
    while (n < text.size() && text[n] >= '0' && text[n] <= '9') ++n;
    const auto number = parse_number(text.substr(0, n));
    text.remove_prefix(n);
    return number;
  };
  const auto start = residue_then_number(rest);
  if (!start) return {0, 0};
  std::uint32_t end = *start;
  if (!rest.empty() && rest.front() == '_') {
    rest.remove_prefix(1);
    if (const auto last = residue_then_number(rest)) end = std::max(*start, *last);
  }
  return {*start, end};
}

/// Both forms of an HGVS protein change written in either ("p.Leu858Arg", "p.L858R", "p.(Leu858Arg)",
/// "p.Leu858%3D" already unescaped); empty when `text` is not a p. name. A substitution naming one residue twice
/// ("p.Leu858Leu") becomes "=".
ProteinNames protein_names(std::string_view text) {
  ProteinNames names;
  std::string value(trim(text));
  if (value.starts_with("c.") || value.starts_with("n.")) {
    // VEP's "c.X(p.Y)" form.
    const std::size_t open = value.find("(p.");
    if (open == std::string::npos || value.back() != ')') return names;
    value = value.substr(open + 1, value.size() - open - 2);
  }
  if (!value.starts_with("p.") || value.size() < 3) return names;
  if (value[2] == '(' && value.back() == ')') value = "p." + value.substr(3, value.size() - 4);
  const std::string_view body = std::string_view(value).substr(2);
  names.short_form = starts_three_letter(body) ? to_short_form(value) : value;
  // "p.L858L" (a residue, its number, the same residue) -> "p.L858=".
  const std::string& s = names.short_form;
  if (s.size() >= 5 && s[s.size() - 1] == s[2] && (std::isupper(static_cast<unsigned char>(s[2])) || s[2] == '*')) {
    bool digits = true;
    for (std::size_t i = 3; i + 1 < s.size(); ++i) digits = digits && s[i] >= '0' && s[i] <= '9';
    if (digits) names.short_form.back() = '=';
  }
  names.long_form = to_long_form(names.short_form);
  std::tie(names.start, names.end) = named_residues(names.short_form);
  return names;
}

/// Names from the short form only (built here, so already normalised).
ProteinNames from_short_form(std::string short_form) {
  ProteinNames names;
  names.long_form = to_long_form(short_form);
  std::tie(names.start, names.end) = named_residues(short_form);
  names.short_form = std::move(short_form);
  return names;
}

bool has_term(const std::vector<std::string>& terms, std::string_view term) {
  return std::find(terms.begin(), terms.end(), term) != terms.end();
}

bool is_residue(char c) { return (c >= 'A' && c <= 'Z') || c == '*'; }

/// bcftools csq's amino_acid_change ("858L>858R", "745KELREA>745K") to HGVS, by the rules in preannotated.h, with
/// the residues it names; without a name, the residues csq shows (an unnamed insertion: the two flanking ones).
/// `terms` are the entry's SO terms.
ProteinNames bcsq_protein_change(std::string_view field, const std::vector<std::string>& terms) {
  ProteinNames none;
  // Parse "{pos}{ref}[>{pos}{alt}]".
  const auto parse_side = [](std::string_view text, bool allow_unknown)
      -> std::optional<std::pair<std::uint32_t, std::string_view>> {
    std::size_t n = 0;
    while (n < text.size() && text[n] >= '0' && text[n] <= '9') ++n;
    const auto position = parse_number(text.substr(0, n));
    const std::string_view residues = text.substr(n);
    if (!position || *position == 0 || residues.empty()) return std::nullopt;
    for (const char c : residues) {
      if (!is_residue(c) && !(allow_unknown && c == '?')) return std::nullopt;
    }
    return std::make_pair(*position, residues);
  };
  const std::size_t arrow = field.find('>');
  const auto ref_side = parse_side(field.substr(0, arrow), false);
  if (!ref_side) return none;
  const auto [position, ref] = *ref_side;
  const auto span = [&](std::uint32_t first, std::uint32_t last) {
    ProteinNames out;
    out.start = first;
    out.end = std::max(first, last);
    return out;
  };
  const std::uint32_t ref_last = position + static_cast<std::uint32_t>(ref.size()) - 1;
  const auto one = [](char residue) { return std::string(1, residue); };
  const auto at = [](std::uint32_t number) { return std::to_string(number); };
  // A residue range "E746" or "E746_A750" (short form, without "p.").
  const auto range = [&](std::string_view residues, std::uint32_t first) {
    std::string text = one(residues.front()) + at(first);
    if (residues.size() > 1) {
      text += "_" + one(residues.back()) + at(first + static_cast<std::uint32_t>(residues.size()) - 1);
    }
    return text;
  };

  if (has_term(terms, "start_lost") && position == 1 && ref.front() == 'M') return from_short_form("p.M1?");
  if (arrow == std::string_view::npos) return from_short_form("p." + range(ref, position) + "=");
  const auto alt_side = parse_side(field.substr(arrow + 1), true);
  if (!alt_side) return span(position, ref_last);
  const auto [alt_position, alt] = *alt_side;
  if (alt_position != position || alt.find('?') != std::string_view::npos) return span(position, ref_last);

  if (has_term(terms, "frameshift_variant")) {
    std::size_t i = 0;
    while (i < ref.size() && i < alt.size() && ref[i] == alt[i]) ++i;
    if (i >= ref.size() || i >= alt.size()) return span(position, position);
    const std::uint32_t changed = position + static_cast<std::uint32_t>(i);
    if (alt[i] == '*') return from_short_form("p." + one(ref[i]) + at(changed) + "*");
    if (ref[i] == '*') return from_short_form("p.*" + at(changed) + one(alt[i]) + "ext*?");
    const std::size_t stop = alt.find('*', i);
    const std::string count = stop == std::string_view::npos ? "?" : at(static_cast<std::uint32_t>(stop - i + 1));
    return from_short_form("p." + one(ref[i]) + at(changed) + one(alt[i]) + "fs*" + count);
  }

  if (ref == alt) return from_short_form("p." + range(ref, position) + "=");  // stop retained: 260*>260*
  // Trim the residues both share: leading then trailing, and trailing then leading.
  const std::size_t shorter = std::min(ref.size(), alt.size());
  const auto common_prefix = [&](std::size_t limit) {
    std::size_t n = 0;
    while (n < limit && ref[n] == alt[n]) ++n;
    return n;
  };
  const auto common_suffix = [&](std::size_t limit) {
    std::size_t n = 0;
    while (n < limit && ref[ref.size() - 1 - n] == alt[alt.size() - 1 - n]) ++n;
    return n;
  };
  const std::size_t lead = common_prefix(shorter);
  const std::size_t trail = common_suffix(shorter - lead);
  const std::size_t trail_first = common_suffix(shorter);
  const std::size_t lead_second = common_prefix(shorter - trail_first);
  if (lead != lead_second || trail != trail_first) return span(position, ref_last);
  const std::string_view r = ref.substr(lead, ref.size() - lead - trail);
  const std::string_view a = alt.substr(lead, alt.size() - lead - trail);
  const std::uint32_t first = position + static_cast<std::uint32_t>(lead);

  if (r.size() == 1 && a.size() == 1) {
    if (r.front() == '*') return from_short_form("p.*" + at(first) + one(a.front()) + "ext*?");
    return from_short_form("p." + one(r.front()) + at(first) + one(a.front()));
  }
  if (r.find('*') != std::string_view::npos) return span(position, ref_last);
  if (!r.empty() && !a.empty() && a.front() == '*') return from_short_form("p." + one(r.front()) + at(first) + "*");
  if (a.empty()) return from_short_form("p." + range(r, first) + "del");
  if (r.empty()) {
    // Between residues first - 1 and first; both must be shown.
    if (lead == 0 || trail == 0) return span(first > 1 ? first - 1 : first, first);
    return from_short_form("p." + one(ref[lead - 1]) + at(first - 1) + "_" + one(ref[lead]) + at(first) + "ins" +
                           std::string(a));
  }
  return from_short_form("p." + range(r, first) + "delins" + std::string(a));
}

/// bcsq_protein_change, with protein positions covering the codons the REF allele touches (the residues csq
/// shows; for a frameshift its first residue, csq showing the reference on to the stop) and the named residues,
/// as Annotation::protein_start/end require.
ProteinNames bcsq_protein(std::string_view field, const std::vector<std::string>& terms) {
  ProteinNames names = bcsq_protein_change(field, terms);
  std::size_t digits = 0;
  while (digits < field.size() && field[digits] >= '0' && field[digits] <= '9') ++digits;
  const auto position = parse_number(field.substr(0, digits));
  if (!position || *position == 0 || names.start == 0) return names;
  std::size_t residues = 0;
  while (digits + residues < field.size() && is_residue(field[digits + residues])) ++residues;
  const bool frameshift = has_term(terms, "frameshift_variant");
  const std::uint32_t last = frameshift || residues == 0 ? *position
                                                         : *position + static_cast<std::uint32_t>(residues) - 1;
  names.start = std::min(names.start, *position);
  names.end = std::max(names.end, last);
  return names;
}

/// VEP without --hgvs: Amino_acids ("L/R", or "L" when synonymous) at one Protein_position names a one-residue
/// change; a changed stop (stop lost) is not named, its extension being unknown.
ProteinNames vep_amino_acids(std::string_view amino_acids, std::string_view protein_position,
                             const std::vector<std::string>& terms) {
  const auto number = parse_number(trim(protein_position.substr(0, protein_position.find('/'))));
  if (!number || *number == 0) return {};
  const std::vector<std::string_view> sides = split(amino_acids, '/');
  if (sides.size() == 1 && sides[0].size() == 1 && is_residue(sides[0][0]) && has_term(terms, "synonymous_variant")) {
    return from_short_form("p." + std::string(sides[0]) + std::to_string(*number) + "=");
  }
  if (sides.size() != 2 || sides[0].size() != 1 || sides[1].size() != 1) return {};
  const char ref = sides[0][0];
  const char alt = sides[1][0];
  if (!is_residue(ref) || !is_residue(alt) || ref == '*') return {};
  if (has_term(terms, "start_lost") && *number == 1) return from_short_form("p.M1?");
  const std::string change = ref == alt ? "=" : std::string(1, alt);
  return from_short_form("p." + std::string(1, ref) + std::to_string(*number) + change);
}

// ---------------------------------------------------------------------------------------------------------------
// Terms.

std::size_t severity_rank(std::string_view term) {
  for (std::size_t i = 0; i < kSeverityCount; ++i) {
    if (kSeverity[i].term == term) return i;
  }
  return kSeverityCount;
}

/// The entry's terms as SO terms: '&'-split, mapped, de-duplicated, most severe first (unknown terms last, in
/// the order written).
std::vector<std::string> so_terms(std::string_view field, bool csq_terms) {
  std::vector<std::string> terms;
  for (std::string_view term : split(field, '&')) {
    term = trim(term);
    if (term.empty()) continue;
    std::string mapped(term);
    if (csq_terms) {
      for (const TermMapping& m : kCsqTerms) {
        if (m.written == term) mapped = m.so_term;
      }
    } else {
      for (const TermMapping& m : kTermSynonyms) {
        if (m.written == term) mapped = m.so_term;
      }
    }
    if (!has_term(terms, mapped)) terms.push_back(std::move(mapped));
  }
  std::stable_sort(terms.begin(), terms.end(),
                   [](const std::string& a, const std::string& b) { return severity_rank(a) < severity_rank(b); });
  return terms;
}

v1::Impact impact_of_column(std::string_view text) {
  text = trim(text);
  if (iequals(text, "HIGH")) return v1::IMPACT_HIGH;
  if (iequals(text, "MODERATE")) return v1::IMPACT_MODERATE;
  if (iequals(text, "LOW")) return v1::IMPACT_LOW;
  if (iequals(text, "MODIFIER")) return v1::IMPACT_MODIFIER;
  return v1::IMPACT_UNSPECIFIED;
}

v1::Impact impact_of_terms(const std::vector<std::string>& terms) {
  if (terms.empty()) return v1::IMPACT_UNSPECIFIED;
  const std::size_t rank = severity_rank(terms.front());
  return rank < kSeverityCount ? kSeverity[rank].impact : v1::IMPACT_UNSPECIFIED;
}

/// Whether an HGVS c./n. name starts at an intronic position ("c.2184+1G>A", "n.100-5del", "c.-85+1C>T").
bool names_intronic_position(std::string_view hgvs_c) {
  if (hgvs_c.size() < 3 || hgvs_c[1] != '.') return false;
  std::string_view rest = hgvs_c.substr(2);
  if (!rest.empty() && (rest.front() == '-' || rest.front() == '*')) rest.remove_prefix(1);
  std::size_t n = 0;
  while (n < rest.size() && rest[n] >= '0' && rest[n] <= '9') ++n;
  return n > 0 && n + 1 < rest.size() && (rest[n] == '+' || rest[n] == '-') && rest[n + 1] >= '0' &&
         rest[n + 1] <= '9';
}

// ---------------------------------------------------------------------------------------------------------------
// Alleles.

/// The ALT alleles of a record as VEP spells them in its Allele column (see preannotated.h): index 0 is unused.
std::vector<std::string> vep_alleles(const bcf1_t* record) {
  const int n = record->n_allele;
  std::vector<std::string> alleles(static_cast<std::size_t>(n));
  const std::string_view ref = record->d.allele[0];
  bool indel = false;
  bool same_first = !ref.empty();
  for (int i = 1; i < n; ++i) {
    const std::string_view alt = record->d.allele[i];
    if (alt.size() != ref.size()) indel = true;
    if (alt.find('*') == std::string_view::npos && (alt.empty() || ref.empty() || alt.front() != ref.front())) {
      same_first = false;
    }
  }
  for (int i = 1; i < n; ++i) {
    const std::string_view alt = record->d.allele[i];
    if (indel && same_first && alt.find('*') == std::string_view::npos) {
      alleles[static_cast<std::size_t>(i)] = alt.size() > 1 ? std::string(alt.substr(1)) : "-";
    } else {
      alleles[static_cast<std::size_t>(i)] = std::string(alt);
    }
  }
  return alleles;
}

/// The minimal spellings of ALT `alt` against `ref`: common bases dropped leading-then-trailing and
/// trailing-then-leading, '-' when nothing is left.
std::pair<std::string, std::string> minimal_alleles(std::string_view ref, std::string_view alt) {
  const auto trimmed = [&](bool leading_first) {
    std::string_view r = ref;
    std::string_view a = alt;
    const auto drop_leading = [&] {
      while (!r.empty() && !a.empty() && r.front() == a.front()) {
        r.remove_prefix(1);
        a.remove_prefix(1);
      }
    };
    const auto drop_trailing = [&] {
      while (!r.empty() && !a.empty() && r.back() == a.back()) {
        r.remove_suffix(1);
        a.remove_suffix(1);
      }
    };
    if (leading_first) {
      drop_leading();
      drop_trailing();
    } else {
      drop_trailing();
      drop_leading();
    }
    return a.empty() ? std::string("-") : std::string(a);
  };
  return {trimmed(true), trimmed(false)};
}

/// Whether a BCSQ dna_change ("55191822T>G", parts joined with '+') names this record's allele.
bool dna_change_names(std::string_view dna_change, const bcf1_t* record, int allele_index) {
  const std::string position = std::to_string(record->pos + 1);
  const std::string expected =
      position + record->d.allele[0] + ">" + record->d.allele[allele_index];
  for (const std::string_view part : split(dna_change, '+')) {
    if (iequals(trim(part), expected)) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------------------
// Header.

/// The Description of an INFO header record, without its quotes; empty when absent.
std::string description_of(const bcf_hrec_t* hrec) {
  for (int k = 0; k < hrec->nkeys; ++k) {
    if (hrec->keys[k] != nullptr && std::strcmp(hrec->keys[k], "Description") == 0 && hrec->vals[k] != nullptr) {
      std::string_view text = hrec->vals[k];
      if (text.size() >= 2 && text.front() == '"' && text.back() == '"') text = text.substr(1, text.size() - 2);
      return std::string(text);
    }
  }
  return {};
}

std::string id_of(const bcf_hrec_t* hrec) {
  for (int k = 0; k < hrec->nkeys; ++k) {
    if (hrec->keys[k] != nullptr && std::strcmp(hrec->keys[k], "ID") == 0 && hrec->vals[k] != nullptr) {
      return hrec->vals[k];
    }
  }
  return {};
}

/// Which format an INFO line declares (see declared_preannotations); nullopt for none.
std::optional<PreannotationFormat> classify(const std::string& id, const std::string& description) {
  if (description.find("Ensembl VEP") != std::string::npos) return PreannotationFormat::kVep;
  if (id == "CSQ") return PreannotationFormat::kVep;
  if (description.starts_with("Functional annotations") || id == "ANN") return PreannotationFormat::kSnpEff;
  if (id == "BCSQ" || description.find("BCFtools/csq") != std::string::npos) return PreannotationFormat::kBcsq;
  return std::nullopt;
}

/// The column names a Description gives: the quoted list of SnpEff ("Functional annotations: 'A | B | ...'"),
/// else the '|'-separated list after "Format:". Empty when there is none.
std::vector<std::string> layout_of(const std::string& description, PreannotationFormat format) {
  std::string_view list;
  const std::size_t open = description.find('\'');
  const std::size_t close = description.rfind('\'');
  if (format == PreannotationFormat::kSnpEff && open != std::string::npos && close > open) {
    list = std::string_view(description).substr(open + 1, close - open - 1);
  } else {
    const std::size_t at = description.find("Format:");
    if (at == std::string::npos) return {};
    list = std::string_view(description).substr(at + 7);
  }
  std::vector<std::string> names;
  for (const std::string_view name : split(list, '|')) {
    std::string_view clean = trim(name);
    while (!clean.empty() && (clean.back() == '"' || clean.back() == '\'')) {
      clean = trim(clean.substr(0, clean.size() - 1));
    }
    names.emplace_back(clean);
  }
  if (names.size() < 2 || std::any_of(names.begin(), names.end(), [](const std::string& n) { return n.empty(); })) {
    return {};
  }
  return names;
}

std::string tool_name(PreannotationFormat format) {
  switch (format) {
    case PreannotationFormat::kVep: return "VEP";
    case PreannotationFormat::kSnpEff: return "SnpEff";
    case PreannotationFormat::kBcsq: return "bcftools csq";
  }
  return "?";
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------------
// Formats.

std::string_view preannotation_format_name(PreannotationFormat format) {
  switch (format) {
    case PreannotationFormat::kVep: return "vep";
    case PreannotationFormat::kSnpEff: return "snpeff";
    case PreannotationFormat::kBcsq: return "bcsq";
  }
  return "?";
}

std::optional<PreannotationFormat> parse_preannotation_format(std::string_view name) {
  for (const PreannotationFormat format :
       {PreannotationFormat::kVep, PreannotationFormat::kSnpEff, PreannotationFormat::kBcsq}) {
    if (preannotation_format_name(format) == name) return format;
  }
  return std::nullopt;
}

std::vector<PreannotationFormat> declared_preannotations(const bcf_hdr_t* header) {
  bool seen[3] = {false, false, false};
  for (int i = 0; i < header->nhrec; ++i) {
    const bcf_hrec_t* hrec = header->hrec[i];
    if (hrec->type != BCF_HL_INFO) continue;
    if (const auto format = classify(id_of(hrec), description_of(hrec))) seen[static_cast<int>(*format)] = true;
  }
  std::vector<PreannotationFormat> out;
  for (const PreannotationFormat format :
       {PreannotationFormat::kVep, PreannotationFormat::kSnpEff, PreannotationFormat::kBcsq}) {
    if (seen[static_cast<int>(format)]) out.push_back(format);
  }
  return out;
}

std::optional<PreannotationFormat> detect_preannotation(const bcf_hdr_t* header) {
  const auto declared = declared_preannotations(header);
  if (declared.empty()) return std::nullopt;
  return declared.front();
}

// ---------------------------------------------------------------------------------------------------------------
// PreannotationParser.

PreannotationParser PreannotationParser::from_header(const bcf_hdr_t* header, PreannotationFormat format,
                                                     const std::string& path) {
  const std::string tool = tool_name(format);
  const std::string default_tag = format == PreannotationFormat::kVep      ? "CSQ"
                                  : format == PreannotationFormat::kSnpEff ? "ANN"
                                                                           : "BCSQ";
  const bcf_hrec_t* chosen = nullptr;
  for (int i = 0; i < header->nhrec; ++i) {
    const bcf_hrec_t* hrec = header->hrec[i];
    if (hrec->type != BCF_HL_INFO) continue;
    const std::string id = id_of(hrec);
    if (classify(id, description_of(hrec)) != format) continue;
    if (chosen == nullptr || (id == default_tag && id_of(chosen) != default_tag)) chosen = hrec;
  }
  if (chosen == nullptr) {
    throw_bad_input(path, std::nullopt, "header",
                    "no INFO/" + default_tag + " field of " + tool + " is declared, so the file holds no " + tool +
                        " annotations",
                    "annotate the VCF with " + tool + " first, choose the --annotation format the file carries, or "
                    "use --annotation builtin with a reference");
  }
  PreannotationParser parser;
  parser.format_ = format;
  parser.path_ = path;
  parser.tag_ = id_of(chosen);
  const std::string what = "header: INFO/" + parser.tag_;
  const int id = bcf_hdr_id2int(header, BCF_DT_ID, parser.tag_.c_str());
  if (id < 0 || !bcf_hdr_idinfo_exists(header, BCF_HL_INFO, id) ||
      bcf_hdr_id2type(header, BCF_HL_INFO, id) != BCF_HT_STR) {
    throw_bad_input(path, std::nullopt, what, "the field is not declared Type=String",
                    "keep the ##INFO line " + tool + " wrote");
  }
  parser.columns_ = layout_of(description_of(chosen), format);
  if (parser.columns_.empty()) {
    throw_bad_input(path, std::nullopt, what,
                    "its Description gives no field layout (\"Format: A|B|...\"), so the " + tool +
                        " fields cannot be named",
                    "keep the ##INFO line " + tool + " wrote, with its Format list");
  }
  parser.index_.fill(-1);
  const auto set_columns = [&](const auto& names) {
    for (const ColumnName& wanted : names) {
      for (std::size_t i = 0; i < parser.columns_.size(); ++i) {
        if (lower_without_spaces(parser.columns_[i]) == wanted.name && parser.index_[wanted.column] < 0) {
          parser.index_[wanted.column] = static_cast<int>(i);
        }
      }
    }
  };
  std::vector<std::pair<Column, std::string_view>> required;
  switch (format) {
    case PreannotationFormat::kVep:
      set_columns(kVepColumns);
      required = {{Column::kAllele, "Allele"}, {Column::kConsequence, "Consequence"}};
      break;
    case PreannotationFormat::kSnpEff:
      set_columns(kSnpEffColumns);
      required = {{Column::kAllele, "Allele"}, {Column::kConsequence, "Annotation"}};
      break;
    case PreannotationFormat::kBcsq:
      set_columns(kBcsqColumns);
      required = {{Column::kConsequence, "Consequence"}, {Column::kSymbol, "gene"}};
      break;
  }
  for (const auto& [column, name] : required) {
    if (parser.index_[column] < 0) {
      throw_bad_input(path, std::nullopt, what,
                      "its Format list has no " + std::string(name) + " column, which " + tool + " always writes",
                      "keep the ##INFO line " + tool + " wrote");
    }
  }
  return parser;
}

bool PreannotationParser::has_canonical_flag() const {
  return index_[Column::kCanonical] >= 0 || index_[Column::kManeSelect] >= 0;
}

std::vector<Annotation> PreannotationParser::annotations_for(bcf1_t* record, int allele_index,
                                                             const bcf_hdr_t* header,
                                                             std::optional<std::uint64_t> line) const {
  std::vector<Annotation> out;
  if (allele_index < 1 || allele_index >= record->n_allele) {
    throw Error(ErrorKind::kInternal, path_, line, "INFO/" + tag_,
                "allele index " + std::to_string(allele_index) + " is not an ALT of the record (it has " +
                    std::to_string(record->n_allele - 1) + ")");
  }
  struct InfoBuffer {
    char* data = nullptr;
    int capacity = 0;
    ~InfoBuffer() { std::free(data); }
  } buffer;
  const int length = bcf_get_info_string(header, record, tag_.c_str(), &buffer.data, &buffer.capacity);
  if (length <= 0 || buffer.data == nullptr) return out;
  const std::string_view value(buffer.data, std::strlen(buffer.data));
  if (value.empty() || value == ".") return out;

  const auto where = [&] {
    const char* contig = bcf_seqname(header, record);
    return "INFO/" + tag_ + " of the record at " + (contig != nullptr ? contig : "?") + ":" +
           std::to_string(record->pos + 1);
  };
  const std::string_view alt = record->d.allele[allele_index];
  const std::vector<std::string> vep_spelling =
      format_ == PreannotationFormat::kVep ? vep_alleles(record) : std::vector<std::string>{};
  // Minimal spellings, built only when an entry matches no ALT in VEP's own spelling.
  std::vector<std::pair<std::string, std::string>> minimal;

  const std::vector<std::string_view> entries = split(value, ',');
  for (std::size_t e = 0; e < entries.size(); ++e) {
    const std::vector<std::string_view> fields = split(entries[e], '|');
    const bool exact = format_ != PreannotationFormat::kBcsq;
    if (fields.size() > columns_.size() || (exact && fields.size() != columns_.size())) {
      throw_bad_input(path_, line, where(),
                      "entry " + std::to_string(e + 1) + " has " + std::to_string(fields.size()) +
                          " '|'-separated fields where the header's Format list names " +
                          std::to_string(columns_.size()),
                      "the header does not describe this file's " + tag_ +
                          " entries (files annotated by different runs merged?): annotate the file again, or keep "
                          "the header the annotating tool wrote");
    }
    const auto get = [&](Column column) -> std::string_view {
      const int i = index_[column];
      return i >= 0 && static_cast<std::size_t>(i) < fields.size() ? trim(fields[static_cast<std::size_t>(i)])
                                                                   : std::string_view{};
    };

    // Is the entry this allele's?
    std::string_view consequence = get(Column::kConsequence);
    switch (format_) {
      case PreannotationFormat::kVep: {
        const std::string_view number = get(Column::kAlleleNumber);
        if (index_[Column::kAlleleNumber] >= 0 && !number.empty()) {
          if (parse_number(number) != static_cast<std::uint32_t>(allele_index)) continue;
          break;
        }
        const std::string_view written = get(Column::kAllele);
        if (iequals(written, vep_spelling[static_cast<std::size_t>(allele_index)])) break;
        bool other_alt = false;
        for (std::size_t i = 1; i < vep_spelling.size(); ++i) {
          other_alt = other_alt || iequals(written, vep_spelling[i]);
        }
        if (other_alt) continue;
        if (minimal.empty()) {
          for (int i = 0; i < record->n_allele; ++i) {
            minimal.push_back(i == 0 ? std::pair<std::string, std::string>{}
                                     : minimal_alleles(record->d.allele[0], record->d.allele[i]));
          }
        }
        const auto& mine = minimal[static_cast<std::size_t>(allele_index)];
        if (!iequals(written, mine.first) && !iequals(written, mine.second)) continue;
        break;
      }
      case PreannotationFormat::kSnpEff:
        if (!iequals(get(Column::kAllele), alt)) continue;
        break;
      case PreannotationFormat::kBcsq: {
        if (consequence.starts_with('@')) continue;
        if (consequence.starts_with('*')) consequence.remove_prefix(1);
        const std::string_view dna = get(Column::kDnaChange);
        if (!dna.empty() && !dna_change_names(dna, record, allele_index)) continue;
        break;
      }
    }

    // Does it describe a transcript?
    if (index_[Column::kFeatureType] >= 0 && !iequals(get(Column::kFeatureType), "transcript")) continue;

    Annotation annotation;
    annotation.gene = std::string(get(Column::kSymbol));
    annotation.gene_id = strip_version(get(Column::kGeneId));
    if (annotation.gene.empty()) annotation.gene = annotation.gene_id;
    if (annotation.gene.empty()) continue;
    annotation.transcript_id = strip_version(get(Column::kFeature));
    annotation.transcript_biotype = std::string(get(Column::kBiotype));
    annotation.canonical = iequals(get(Column::kCanonical), "YES") || !get(Column::kManeSelect).empty();
    annotation.consequences = so_terms(consequence, format_ == PreannotationFormat::kBcsq);
    annotation.impact = impact_of_column(get(Column::kImpact));
    if (annotation.impact == v1::IMPACT_UNSPECIFIED) annotation.impact = impact_of_terms(annotation.consequences);

    // HGVS and protein positions.
    ProteinNames protein;
    if (format_ == PreannotationFormat::kBcsq) {
      const std::string_view change = get(Column::kAminoAcidChange);
      if (!change.empty()) protein = bcsq_protein(change, annotation.consequences);
    } else {
      annotation.hgvs_c = hgvs_without_prefix(get(Column::kHgvsC));
      protein = protein_names(hgvs_without_prefix(get(Column::kHgvsP)));
      if (protein.start == 0 && format_ == PreannotationFormat::kVep) {
        // No HGVSp, or one naming no residue ("p.=" in VEP's "c.1218A>G(p.=)" form).
        ProteinNames named = vep_amino_acids(get(Column::kAminoAcids), get(Column::kProteinPosition),
                                             annotation.consequences);
        if (!named.short_form.empty()) protein = std::move(named);
      }
    }
    annotation.hgvs_p = protein.long_form;
    annotation.hgvs_p_short = protein.short_form;
    std::uint32_t start = 0;
    std::uint32_t end = 0;
    const std::string_view positions = get(Column::kProteinPosition);
    if (format_ == PreannotationFormat::kVep) {
      // "858", "746-750", "?-750", "746-?" (and "858/1210" in VEP's tab output).
      const std::vector<std::string_view> bounds = split(positions.substr(0, positions.find('/')), '-');
      const auto first = parse_number(trim(bounds.front()));
      const auto last = bounds.size() > 1 ? parse_number(trim(bounds[1])) : first;
      start = first ? *first : last.value_or(0);
      end = last ? *last : start;
    } else if (format_ == PreannotationFormat::kSnpEff) {
      start = end = leading_number(positions).value_or(0);
    }
    if (start == 0) {
      start = protein.start;
      end = protein.end;
    } else if (protein.start != 0) {
      start = std::min(start, protein.start);
      end = std::max(end, protein.end);
    }
    annotation.protein_start = start;
    annotation.protein_end = std::max(start, end);

    // Exon and intron numbers.
    if (format_ == PreannotationFormat::kVep) {
      const std::string_view exon = get(Column::kExon);
      const std::string_view intron = get(Column::kIntron);
      annotation.exon = leading_number(exon).value_or(0);
      annotation.intron = leading_number(intron).value_or(0);
      if (const auto total = total_after_slash(exon)) {
        annotation.exon_count = *total;
      } else if (const auto introns = total_after_slash(intron)) {
        annotation.exon_count = *introns + 1;
      }
    } else if (format_ == PreannotationFormat::kSnpEff) {
      const std::string_view rank = get(Column::kRank);
      const auto number = leading_number(rank);
      const auto total = total_after_slash(rank);
      if (number) {
        const bool intronic = !annotation.hgvs_c.empty() ? names_intronic_position(annotation.hgvs_c)
                                                         : has_term(annotation.consequences, "intron_variant");
        if (intronic) {
          annotation.intron = *number;
          if (total) annotation.exon_count = *total + 1;
        } else {
          annotation.exon = *number;
          if (total) annotation.exon_count = *total;
        }
      }
    }
    out.push_back(std::move(annotation));
  }
  return out;
}

}  // namespace rarematch::pipeline
