#include "tests/support/csq_compare.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <set>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "tests/support/test_support.h"

namespace rarematch::testing {
namespace {

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

/// "ENST00000357654.3" -> "ENST00000357654"; ids without a numeric version are kept.
std::string without_version(std::string_view id) {
  const std::size_t dot = id.rfind('.');
  if (dot == std::string_view::npos || dot + 1 == id.size()) return std::string(id);
  for (std::size_t i = dot + 1; i < id.size(); ++i) {
    if (id[i] < '0' || id[i] > '9') return std::string(id);
  }
  return std::string(id.substr(0, dot));
}

std::string join(const std::set<std::string>& items, std::string_view separator, std::string_view empty) {
  if (items.empty()) return std::string(empty);
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

/// The first and last reference bases an allele touches after trimming (an insertion: its two flanks).
std::pair<std::uint64_t, std::uint64_t> allele_span(std::uint64_t position, std::string_view ref,
                                                    std::string_view alt) {
  std::size_t lead = 0;
  while (lead < ref.size() && lead < alt.size() && ref[lead] == alt[lead]) ++lead;
  std::size_t trail = 0;
  while (trail < ref.size() - lead && trail < alt.size() - lead &&
         ref[ref.size() - 1 - trail] == alt[alt.size() - 1 - trail]) {
    ++trail;
  }
  const std::uint64_t first = position + lead;
  const std::size_t removed = ref.size() - lead - trail;
  if (removed == 0) return {first - 1, first};
  return {first, first + removed - 1};
}

/// The shape of an HGVS protein change, for naming classes.
std::string protein_form(std::string_view name) {
  auto ends_with = [&name](std::string_view tail) {
    return name.size() >= tail.size() && name.substr(name.size() - tail.size()) == tail;
  };
  if (name.find("fs") != std::string_view::npos) return "frameshift";
  if (ends_with("ext")) return "extension";
  if (ends_with("=")) return "synonymous";
  if (ends_with("?")) return "start";
  if (ends_with("dup")) return "dup";
  if (name.find("delins") != std::string_view::npos) return "delins";
  if (ends_with("del")) return "del";
  if (name.find("ins") != std::string_view::npos) return "ins";
  if (ends_with("*")) return "nonsense";
  return "substitution";
}

bool exonic(const reference::Transcript& transcript, std::uint64_t position) {
  return std::any_of(transcript.exons.begin(), transcript.exons.end(), [position](const reference::Segment& exon) {
    return exon.start <= position && position <= exon.end;
  });
}

/// Qualifies an allele's kind where it straddles a boundary of `transcript`: REF bases both exonic and not (an
/// insertion: one flank exonic, the other not), inside the transcript or past its end.
std::string boundary_qualifier(const reference::Transcript& transcript, std::uint64_t first, std::uint64_t last,
                               bool insertion) {
  if (transcript.exons.empty()) return {};
  std::size_t in_exons = 0;
  bool outside = false;
  const std::uint64_t length = last - first + 1;
  for (std::uint64_t position = first; position <= last; ++position) {
    if (exonic(transcript, position)) {
      ++in_exons;
    } else if (position < transcript.start || position > transcript.end) {
      outside = true;
    }
  }
  if (in_exons == 0 || in_exons == length) return {};
  if (insertion) return outside ? " at the transcript's end" : " at an exon-intron junction";
  return outside ? " across the transcript's end" : " across an exon-intron boundary";
}

/// csq's amino-acid change with long residue strings shortened for messages:
/// "1401GNTSNK...(1999 aa)>1401G*" keeps the first 12 residues of a side longer than 24.
std::string abbreviate_residues(std::string_view field) {
  std::string out;
  for (std::string_view side : split(field, '>')) {
    if (!out.empty()) out += '>';
    std::size_t digits = 0;
    while (digits < side.size() && side[digits] >= '0' && side[digits] <= '9') ++digits;
    const std::size_t residues = side.size() - digits;
    if (residues <= 24) {
      out += side;
    } else {
      out += std::string(side.substr(0, digits + 12)) + "...(" + std::to_string(residues) + " aa)";
    }
  }
  return out;
}

bool is_coding_change(const std::string& term) {
  static const std::set<std::string> kCoding = {
      "synonymous_variant", "missense_variant",  "stop_lost",        "stop_gained",
      "inframe_deletion",   "inframe_insertion", "frameshift_variant", "start_lost",
      "stop_retained_variant", "start_retained_variant", "protein_altering_variant"};
  return kCoding.contains(term);
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------------
// VCF text.

std::vector<VcfTextRecord> parse_vcf_text(std::string_view text) {
  std::vector<VcfTextRecord> records;
  std::size_t number = 0;
  for (std::string_view line : split(text, '\n')) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    const std::vector<std::string_view> columns = split(line, '\t');
    if (columns.size() < 8) {
      throw std::runtime_error("VCF line " + std::to_string(number) + " has fewer than 8 columns: " +
                               std::string(line));
    }
    VcfTextRecord record;
    record.contig = std::string(columns[0]);
    try {
      record.position = std::stoull(std::string(columns[1]));
    } catch (const std::exception&) {
      throw std::runtime_error("VCF line " + std::to_string(number) + ": POS is not a number: " +
                               std::string(columns[1]));
    }
    record.id = std::string(columns[2]);
    record.ref = std::string(columns[3]);
    for (std::string_view alt : split(columns[4], ',')) record.alts.emplace_back(alt);
    record.info = std::string(columns[7]);
    record.line = number;
    records.push_back(std::move(record));
  }
  return records;
}

std::string info_value(std::string_view info, std::string_view key) {
  if (info == ".") return {};
  for (std::string_view item : split(info, ';')) {
    const std::size_t equals = item.find('=');
    if (item.substr(0, equals) != key) continue;
    return equals == std::string_view::npos ? std::string("1") : std::string(item.substr(equals + 1));
  }
  return {};
}

std::string original_allele(const VcfTextRecord& record) {
  const std::string original = info_value(record.info, "ORIGINAL");
  if (original.empty()) {
    return std::to_string(record.position) + " " + record.ref + " " + (record.alts.empty() ? "" : record.alts[0]);
  }
  const std::vector<std::string_view> parts = split(original, '|');
  if (parts.size() < 4) throw std::runtime_error("INFO/ORIGINAL does not parse: " + original);
  const std::vector<std::string_view> alts = split(parts[3], ',');
  std::size_t index = 1;
  if (parts.size() > 4) index = std::stoul(std::string(parts[4]));
  if (index < 1 || index > alts.size()) throw std::runtime_error("INFO/ORIGINAL names no ALT: " + original);
  return std::string(parts[1]) + " " + std::string(parts[2]) + " " + std::string(alts[index - 1]);
}

std::string run_checked(const std::string& command) {
  const CommandResult result = run_command(command);
  if (result.exit_code != 0) {
    throw std::runtime_error("command failed (exit " + std::to_string(result.exit_code) + "): " + command + "\n" +
                             result.err);
  }
  return result.out;
}

std::string allele_kind(std::string_view ref, std::string_view alt) {
  for (std::string_view allele : {ref, alt}) {
    if (allele.empty()) return "symbolic";
    for (char c : allele) {
      if (std::string_view("ACGTNacgtn").find(c) == std::string_view::npos) return "symbolic";
    }
  }
  std::size_t lead = 0;
  while (lead < ref.size() && lead < alt.size() && ref[lead] == alt[lead]) ++lead;
  std::size_t trail = 0;
  while (trail < ref.size() - lead && trail < alt.size() - lead &&
         ref[ref.size() - 1 - trail] == alt[alt.size() - 1 - trail]) {
    ++trail;
  }
  const std::size_t removed = ref.size() - lead - trail;
  const std::size_t added = alt.size() - lead - trail;
  if (removed == 0 && added == 0) return "none";
  if (removed == 0) return "insertion";
  if (added == 0) return "deletion";
  if (removed == added) return removed == 1 ? "SNV" : "MNV";
  return "delins";
}

// ---------------------------------------------------------------------------------------------------------------
// Comparison.

void ComparisonCounts::add(const CallComparison& call) {
  ++calls;
  if (call.agrees) ++agreeing;
  if (call.csq_reported) ++csq_calls;
  if (call.protein_compared) ++proteins_compared;
  if (call.protein_not_compared) ++proteins_not_compared;
}

std::string ComparisonCounts::summary() const {
  std::ostringstream out;
  out << agreeing << " of " << calls << " calls agree (" << 100.0 * agreement() << "%); csq reports " << csq_calls
      << " of them; protein changes compared " << proteins_compared
      << ", csq coding terms without an amino-acid change " << proteins_not_compared;
  return out.str();
}

CsqComparer::CsqComparer(const reference::GeneModel& model, const reference::SequenceSource& genome,
                         CompareScope scope) {
  for (const reference::Gene& gene : model.genes()) {
    const reference::Transcript* canonical = gene.canonical_transcript();
    for (const reference::Transcript& transcript : gene.transcripts) {
      const bool is_canonical = &transcript == canonical;
      if (scope == CompareScope::kCanonical && !is_canonical) continue;
      InScope details;
      details.gene = gene.name;
      details.transcript = &transcript;
      details.canonical = is_canonical;
      if (transcript.is_coding()) details.protein = reference_protein(transcript, genome);
      by_gene_[gene.name].push_back(transcript.id);
      by_transcript_[transcript.id] = std::move(details);
    }
  }
}

AlleleComparison CsqComparer::compare(std::string_view contig, std::uint64_t position, std::string_view ref,
                                      std::string_view alt, const std::vector<reference::Annotation>& ours,
                                      const std::vector<CsqConsequence>& csq) const {
  AlleleComparison result;
  const auto [first, last] = allele_span(position, ref, alt);
  auto spans = [first, last](const reference::Transcript& transcript) {
    return transcript.start <= last && transcript.end >= first;
  };
  auto fallback_fits = [](const CsqConsequence& entry, bool coding) {
    return std::any_of(entry.terms.begin(), entry.terms.end(), [coding](const std::string& term) {
      return coding ? term == "intron" : term == "non_coding";
    });
  };

  std::set<std::string> named;
  for (const CsqConsequence& entry : csq) {
    if (!entry.reference.empty() || entry.transcript.empty()) continue;
    const std::string id = without_version(entry.transcript);
    if (named.insert(id).second && !by_transcript_.contains(id)) ++result.uncompared_entries;
  }

  // The calls: our transcripts, then csq's, then those of csq's gene-level fallback entries; all in scope.
  std::vector<std::string> order;
  std::set<std::string> seen;
  auto consider = [this, &order, &seen](const std::string& id) {
    if (by_transcript_.contains(id) && seen.insert(id).second) order.push_back(id);
  };
  for (const reference::Annotation& annotation : ours) consider(annotation.transcript_id);
  for (const std::string& id : named) consider(id);
  for (const CsqConsequence& entry : csq) {
    if (!entry.reference.empty() || !entry.transcript.empty()) continue;
    const auto gene = by_gene_.find(entry.gene);
    if (gene == by_gene_.end()) continue;
    for (const std::string& id : gene->second) {
      const reference::Transcript& transcript = *by_transcript_.at(id).transcript;
      if (!named.contains(id) && spans(transcript) && fallback_fits(entry, transcript.is_coding())) consider(id);
    }
  }

  const std::string allele = std::string(contig) + ":" + std::to_string(position) + " " + std::string(ref) + ">" +
                             std::string(alt);
  const std::string bare_kind = allele_kind(ref, alt);
  for (const std::string& id : order) {
    const InScope& details = by_transcript_.at(id);
    const reference::Transcript& transcript = *details.transcript;
    const auto annotation = std::find_if(ours.begin(), ours.end(),
                                         [&id](const reference::Annotation& a) { return a.transcript_id == id; });
    const reference::Annotation* mine = annotation == ours.end() ? nullptr : &*annotation;
    const bool coding = transcript.is_coding();
    const std::string kind = bare_kind + boundary_qualifier(transcript, first, last, bare_kind == "insertion");

    std::set<std::string> our_terms;
    if (mine != nullptr) {
      for (const std::string& term : mine->consequences) {
        if (is_uncompared_term(term)) continue;
        const bool fallback_like = term == "non_coding_transcript_exon_variant" || term == "intron_variant";
        our_terms.insert(!coding && fallback_like ? "non_coding_transcript_variant" : term);
      }
    }

    std::set<std::string> csq_terms;
    std::set<std::string> unknown_terms;
    std::vector<std::string> protein_fields;
    auto take_terms = [&csq_terms, &unknown_terms](const CsqConsequence& entry) {
      // On a splice entry (no amino-acid change), csq's "synonymous" flags a splice site or region whose
      // sequence reads the same after the change (csq.c splice_csq_ins/del compare the region's bases); it is
      // not a coding consequence.
      const bool splice_entry = entry.protein.empty() && std::any_of(entry.terms.begin(), entry.terms.end(),
                                                                     [](const std::string& term) {
                                                                       return term == "splice_donor" ||
                                                                              term == "splice_acceptor" ||
                                                                              term == "splice_region";
                                                                     });
      for (const std::string& term : entry.terms) {
        if (splice_entry && term == "synonymous") continue;
        const auto so = so_term_for_csq(term);
        if (!so) {
          unknown_terms.insert(term);
        } else if (!is_uncompared_term(*so)) {
          csq_terms.insert(*so);
        }
      }
    };
    for (const CsqConsequence& entry : csq) {
      if (!entry.reference.empty() || entry.transcript.empty() || without_version(entry.transcript) != id) continue;
      take_terms(entry);
      if (!entry.protein.empty()) protein_fields.push_back(entry.protein);
    }
    bool fallback = false;  // csq wrote its gene-level intron / non_coding entry for this transcript
    if (!named.contains(id) && spans(transcript)) {
      for (const CsqConsequence& entry : csq) {
        if (!entry.reference.empty() || !entry.transcript.empty() || entry.gene != details.gene) continue;
        if (fallback_fits(entry, coding)) {
          take_terms(entry);
          fallback = true;
        }
      }
    }
    if (!fallback) {  // csq's fallback terms are compared only where csq wrote them
      our_terms.erase("intron_variant");
      our_terms.erase("non_coding_transcript_variant");
    }
    for (std::set<std::string>* terms : {&our_terms, &csq_terms}) {  // csq writes only the stronger splice term
      if (terms->contains("splice_acceptor_variant") || terms->contains("splice_donor_variant")) {
        terms->erase("splice_region_variant");
      }
    }
    if (our_terms.empty() && csq_terms.empty() && protein_fields.empty() && unknown_terms.empty()) continue;

    CallComparison call;
    call.gene = details.gene;
    call.transcript_id = id;
    call.canonical = details.canonical;
    call.csq_reported = !csq_terms.empty() || !protein_fields.empty() || !unknown_terms.empty();

    std::string mapped;
    std::string mapping_error;
    if (!protein_fields.empty()) {
      try {
        mapped = csq_protein_to_hgvs(protein_fields.front(), csq_terms, details.protein);
      } catch (const std::exception& error) {
        mapping_error = error.what();
      }
    }
    const std::string our_protein = mine != nullptr ? mine->hgvs_p_short : std::string();
    const bool csq_coding = std::any_of(csq_terms.begin(), csq_terms.end(), is_coding_change);

    std::set<std::string> only_ours;
    std::set<std::string> only_csq;
    std::set_difference(our_terms.begin(), our_terms.end(), csq_terms.begin(), csq_terms.end(),
                        std::inserter(only_ours, only_ours.end()));
    std::set_difference(csq_terms.begin(), csq_terms.end(), our_terms.begin(), our_terms.end(),
                        std::inserter(only_csq, only_csq.end()));

    if (!unknown_terms.empty()) {
      call.disagreement_class = "csq term without a mapping: " + join(unknown_terms, "&", "");
    } else if (!mapping_error.empty()) {
      call.disagreement_class = kind + "; csq amino-acid change unreadable";
    } else if (!only_ours.empty() || !only_csq.empty()) {
      call.disagreement_class =
          kind + "; ours only: " + join(only_ours, "&", "none") + "; csq only: " + join(only_csq, "&", "none");
    } else if (!mapped.empty()) {
      call.protein_compared = true;
      if (!same_protein_change(our_protein, mapped)) {
        call.disagreement_class = kind + "; " + join(csq_terms, "&", "none") + "; protein " + protein_form(mapped) +
                                  (our_protein.empty() ? ": ours none" : ": ours " + protein_form(our_protein));
      }
    } else if (csq_coding) {
      call.protein_not_compared = true;
    } else if (!our_protein.empty()) {
      call.disagreement_class = kind + "; " + join(csq_terms, "&", "none") + "; protein only in ours";
    }
    call.agrees = call.disagreement_class.empty();

    std::string protein_text;
    for (const std::string& field : protein_fields) protein_text += " " + abbreviate_residues(field);
    call.example = allele + " " + call.gene + " " + id + ": ours " +
                   join(mine != nullptr ? std::set<std::string>(mine->consequences.begin(), mine->consequences.end())
                                        : std::set<std::string>(),
                        "&", "none") +
                   (our_protein.empty() ? "" : " " + our_protein) + " | csq " + join(csq_terms, "&", "none") +
                   protein_text + (mapped.empty() ? "" : " (" + mapped + ")");
    result.calls.push_back(std::move(call));
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// Tally and the committed file.

void DisagreementTally::add(const CallComparison& call) {
  if (call.agrees) return;
  DisagreementClass& entry = classes_[call.disagreement_class];
  if (entry.count == 0) {
    entry.name = call.disagreement_class;
    entry.example = call.example;
  } else if (entry.more_examples.size() < 8) {
    entry.more_examples.push_back(call.example);
  }
  ++entry.count;
  calls_.push_back(call.disagreement_class + "\t" + call.example);
}

std::string DisagreementTally::calls() const {
  std::string out;
  for (const std::string& line : calls_) out += line + "\n";
  return out;
}

std::size_t DisagreementTally::total() const {
  std::size_t total = 0;
  for (const auto& [name, entry] : classes_) total += entry.count;
  return total;
}

std::string DisagreementTally::table(std::size_t examples) const {
  std::vector<const DisagreementClass*> sorted;
  for (const auto& [name, entry] : classes_) sorted.push_back(&entry);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const DisagreementClass* a, const DisagreementClass* b) { return a->count > b->count; });
  std::ostringstream out;
  out << "disagreement classes: " << classes_.size() << ", calls: " << total() << "\n";
  for (const DisagreementClass* entry : sorted) {
    out << "  " << entry->count << "\t" << entry->name << "\n      e.g. " << entry->example << "\n";
    for (std::size_t i = 0; i + 1 < examples && i < entry->more_examples.size(); ++i) {
      out << "           " << entry->more_examples[i] << "\n";
    }
  }
  return out.str();
}

std::string DisagreementTally::to_tsv(const std::vector<DisagreementClass>& known) const {
  std::ostringstream out;
  out << "class\tcount\texample\treason\n";
  for (const auto& [name, entry] : classes_) {
    std::string reason = "TODO: explain";
    for (const DisagreementClass& accepted : known) {
      if (accepted.name == name) reason = accepted.reason;
    }
    out << name << "\t" << entry.count << "\t" << entry.example << "\t" << reason << "\n";
  }
  return out.str();
}

std::vector<DisagreementClass> read_disagreement_file(const std::filesystem::path& path) {
  std::vector<DisagreementClass> classes;
  const std::string text = read_file(path);
  std::size_t number = 0;
  for (std::string_view line : split(text, '\n')) {
    ++number;
    if (line.empty() || line.front() == '#' || line.substr(0, 6) == "class\t") continue;
    const std::vector<std::string_view> columns = split(line, '\t');
    if (columns.size() != 4) {
      throw std::runtime_error(path.string() + ":" + std::to_string(number) +
                               ": expected 4 tab-separated columns (class, count, example, reason)");
    }
    DisagreementClass entry;
    entry.name = std::string(columns[0]);
    try {
      entry.count = std::stoull(std::string(columns[1]));
    } catch (const std::exception&) {
      throw std::runtime_error(path.string() + ":" + std::to_string(number) + ": count is not a number");
    }
    entry.example = std::string(columns[2]);
    entry.reason = std::string(columns[3]);
    if (entry.reason.empty()) {
      throw std::runtime_error(path.string() + ":" + std::to_string(number) + ": a class needs its reason");
    }
    classes.push_back(std::move(entry));
  }
  return classes;
}

std::vector<std::string> disagreement_problems(const std::vector<DisagreementClass>& allowed,
                                               const DisagreementTally& observed) {
  std::vector<std::string> problems;
  for (const auto& [name, entry] : observed.classes()) {
    const auto listed = std::find_if(allowed.begin(), allowed.end(),
                                     [&name](const DisagreementClass& a) { return a.name == name; });
    if (listed == allowed.end()) {
      problems.push_back("new disagreement class (" + std::to_string(entry.count) + " calls): " + name +
                         "\n    e.g. " + entry.example);
    } else if (entry.count > listed->count) {
      problems.push_back("class now has " + std::to_string(entry.count) + " calls, " +
                         std::to_string(listed->count) + " accepted: " + name + "\n    e.g. " + entry.example);
    }
  }
  return problems;
}

std::filesystem::path export_disagreements(const std::string& name, const DisagreementTally& tally,
                                           const std::vector<DisagreementClass>& known) {
  const char* folder = std::getenv("RAREMATCH_CSQ_DISAGREEMENTS_OUT");
  if (folder == nullptr || *folder == '\0') return {};
  write_text_file(std::filesystem::path(folder) / (name + ".calls.txt"), tally.calls());
  return write_text_file(std::filesystem::path(folder) / name, tally.to_tsv(known));
}

bool bcftools_available() {
  static const bool available = run_command("bcftools --version").exit_code == 0;
  return available;
}

}  // namespace rarematch::testing
