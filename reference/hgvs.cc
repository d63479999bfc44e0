// HGVS spelling and protein-level normalisation.
//
// Algorithm (protein changes, describe_indel).
//   The caller translates the reference protein and the changed reading frame from the same residue. Their shared
//   start (k residues) is skipped; the first residue that differs decides:
//     alt residue is a stop                        -> nonsense (p.Tyr4Ter), whatever the frame
//     reference residue is the stop                -> extension (p.Ter110GlnextTer17): the stop codon was changed
//     frameshift                                   -> p.Arg97ProfsTer23: the first changed residue, its replacement
//                                                     and where the new frame stops (the new residue counts as 1)
//   In frame, the alt translation should end (stop) where the reference one does, moved by the length change:
//     earlier                                      -> a stop within the new residues: their names end with Ter and
//                                                     the rest of the protein is not compared
//     later or never (the reference stop is gone)  -> described as a frameshift, as HGVS asks for deletion-insertions
//                                                     that start before and include the stop codon
//     same place                                   -> the shared end is trimmed too; what is left is a deletion, an
//                                                     insertion, one residue for one (missense) or a delins.
//   Deletions and insertions are then shifted toward the C terminus while the residue leaving the change equals the
//   one entering it (3' rule), never into the stop; an insertion equal to the residues just before it is a dup.

#include "reference/hgvs.h"

#include <algorithm>
#include <iterator>

namespace rarematch::reference::hgvs {

std::string_view three_letter(char amino_acid) {
  switch (amino_acid) {
    case 'A': return "Ala";
    case 'R': return "Arg";
    case 'N': return "Asn";
    case 'D': return "Asp";
    case 'C': return "Cys";
    case 'Q': return "Gln";
    case 'E': return "Glu";
    case 'G': return "Gly";
    case 'H': return "His";
    case 'I': return "Ile";
    case 'L': return "Leu";
    case 'K': return "Lys";
    case 'M': return "Met";
    case 'F': return "Phe";
    case 'P': return "Pro";
    case 'S': return "Ser";
    case 'T': return "Thr";
    case 'W': return "Trp";
    case 'Y': return "Tyr";
    case 'V': return "Val";
    case '*': return "Ter";
    default: return "Xaa";
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Nucleotides.

std::string format_position(const NucleotidePosition& position) {
  std::string out;
  if (position.region == Region::kFivePrime) out += '-';
  if (position.region == Region::kThreePrime) out += '*';
  out += std::to_string(position.number);
  if (position.offset > 0) out += "+" + std::to_string(position.offset);
  if (position.offset < 0) out += "-" + std::to_string(-position.offset);
  return out;
}

namespace {

bool same_position(const NucleotidePosition& a, const NucleotidePosition& b) {
  return a.region == b.region && a.number == b.number && a.offset == b.offset;
}

}  // namespace

std::string format_nucleotide_change(char prefix, const NucleotideChange& change) {
  std::string out{prefix, '.'};
  out += format_position(change.first);
  if (change.type == NucleotideChangeType::kSubstitution) return out + change.ref + ">" + change.alt;
  if (change.type == NucleotideChangeType::kInsertion || !same_position(change.first, change.last)) {
    out += "_" + format_position(change.last);
  }
  switch (change.type) {
    case NucleotideChangeType::kDeletion: return out + "del";
    case NucleotideChangeType::kDuplication: return out + "dup";
    case NucleotideChangeType::kInsertion: return out + "ins" + change.alt;
    default: return out + "delins" + change.alt;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Proteins: spelling.

namespace {

std::string residue(char amino_acid, bool short_form) {
  if (short_form) return std::string(1, amino_acid);
  return std::string(three_letter(amino_acid));
}

std::string residues(std::string_view amino_acids, bool short_form) {
  std::string out;
  for (char amino_acid : amino_acids) out += residue(amino_acid, short_form);
  return out;
}

std::string stop_distance(const ProteinChange& change, bool short_form) {
  return residue('*', short_form) + (change.new_stop ? std::to_string(*change.new_stop) : std::string("?"));
}

}  // namespace

std::string format_protein_change(const ProteinChange& change, bool short_form) {
  const std::string first = "p." + residue(change.start_residue, short_form) + std::to_string(change.start);
  const std::string range = change.end == change.start
                                ? first
                                : first + "_" + residue(change.end_residue, short_form) + std::to_string(change.end);
  switch (change.type) {
    case ProteinChangeType::kNone: return {};
    case ProteinChangeType::kUnchanged: return range + "=";
    case ProteinChangeType::kMissense: return first + residue(change.alt.front(), short_form);
    case ProteinChangeType::kNonsense: return first + residue('*', short_form);
    case ProteinChangeType::kStartLost: return first + "?";
    case ProteinChangeType::kDeletion: return range + "del";
    case ProteinChangeType::kDuplication: return range + "dup";
    case ProteinChangeType::kInsertion: return range + "ins" + residues(change.alt, short_form);
    case ProteinChangeType::kDelins: return range + "delins" + residues(change.alt, short_form);
    case ProteinChangeType::kFrameshift:
      return first + residue(change.alt.front(), short_form) + "fs" + stop_distance(change, short_form);
    case ProteinChangeType::kExtension:
      return first + residue(change.alt.front(), short_form) + "ext" + stop_distance(change, short_form);
  }
  return {};
}

// ---------------------------------------------------------------------------------------------------------------
// Proteins: describing.

namespace {

// A change of reference residues [start, end] (1-based) given the reference residues around them.
ProteinChange make_change(ProteinChangeType type, std::uint64_t start, std::uint64_t end, char start_residue,
                          char end_residue, std::string alt = {}) {
  ProteinChange change;
  change.type = type;
  change.start = start;
  change.end = end;
  change.start_residue = start_residue;
  change.end_residue = end_residue;
  change.alt = std::move(alt);
  return change;
}

// One residue replaced by `alt` residues, named by its position (nonsense, frameshift, extension).
ProteinChange at_residue(ProteinChangeType type, std::uint64_t position, char ref_residue, std::string alt = {}) {
  return make_change(type, position, position, ref_residue, ref_residue, std::move(alt));
}

// Position of the first stop in `alt` from `from`, counting alt[from] as 1; nullopt when there is none.
std::optional<std::uint64_t> stop_after(std::string_view alt, std::size_t from) {
  const std::size_t stop = alt.find('*', from);
  if (stop == std::string_view::npos) return std::nullopt;
  return stop - from + 1;
}

std::size_t shared_start(std::string_view a, std::string_view b) {
  std::size_t k = 0;
  while (k < a.size() && k < b.size() && a[k] == b[k]) ++k;
  return k;
}

bool translatable(std::string_view amino_acids) { return amino_acids.find('X') == std::string_view::npos; }

}  // namespace

ProteinChange describe_substitution(std::string_view ref, std::string_view alt, std::uint64_t first,
                                    std::string_view readthrough) {
  if (ref.empty() || ref.size() != alt.size() || !translatable(ref) || !translatable(alt)) return {};
  const std::size_t k = shared_start(ref, alt);
  if (k == ref.size()) {
    return make_change(ProteinChangeType::kUnchanged, first, first + ref.size() - 1, ref.front(), ref.back());
  }
  const std::uint64_t position = first + k;
  if (alt[k] == '*') return at_residue(ProteinChangeType::kNonsense, position, ref[k]);
  const std::size_t stop = alt.find('*', k);
  const std::size_t ref_stop = ref.find('*', k);
  if (ref_stop != std::string_view::npos && stop == std::string_view::npos) {
    // The stop codon is changed too: an extension, or (HGVS: a change starting before and including the stop
    // codon) a frameshift description; both read on into the 3' UTR.
    const ProteinChangeType type = ref[k] == '*' ? ProteinChangeType::kExtension : ProteinChangeType::kFrameshift;
    ProteinChange change = at_residue(type, position, ref[k], std::string(1, alt[k]));
    change.new_stop = stop_after(std::string(alt.substr(k)) + std::string(readthrough), 0);
    return change;
  }
  // The changed residues, up to and including a new stop (nothing after it is translated).
  std::size_t end = stop == std::string_view::npos ? ref.size() : stop + 1;
  while (end > k + 1 && ref[end - 1] == alt[end - 1]) --end;  // a retained stop is shared, a new one is not
  if (end - k == 1) {
    return make_change(ProteinChangeType::kMissense, position, position, ref[k], ref[k], std::string(1, alt[k]));
  }
  return make_change(ProteinChangeType::kDelins, position, first + end - 1, ref[k], ref[end - 1],
                     std::string(alt.substr(k, end - k)));
}

namespace {

// In-frame insertion of `inserted` before ref[index]: shifted 3', a dup when it repeats the residues before it.
ProteinChange describe_insertion(std::string_view ref, std::uint64_t offset, std::size_t index,
                                 std::string inserted) {
  while (index < ref.size() && ref[index] != '*' && ref[index] == inserted.front()) {
    std::rotate(inserted.begin(), inserted.begin() + 1, inserted.end());
    ++index;
  }
  const std::size_t length = inserted.size();
  if (index >= length && ref.substr(index - length, length) == inserted) {
    return make_change(ProteinChangeType::kDuplication, offset + index - length + 1, offset + index,
                       ref[index - length], ref[index - 1]);
  }
  if (index == 0 || index >= ref.size()) return {};  // no residue on one side within the context given
  return make_change(ProteinChangeType::kInsertion, offset + index, offset + index + 1, ref[index - 1], ref[index],
                     std::move(inserted));
}

// In-frame deletion of ref[first..last]: shifted 3' (never into the stop).
ProteinChange describe_deletion(std::string_view ref, std::uint64_t offset, std::size_t first, std::size_t last) {
  while (last + 1 < ref.size() && ref[last + 1] != '*' && ref[first] == ref[last + 1]) {
    ++first;
    ++last;
  }
  return make_change(ProteinChangeType::kDeletion, offset + first + 1, offset + last + 1, ref[first], ref[last]);
}

}  // namespace

ProteinChange describe_indel(const IndelContext& context) {
  const std::string_view ref = context.ref;
  std::string_view alt = context.alt;
  if (ref.empty() || !translatable(ref) || !translatable(alt)) return {};
  const bool ref_stops = ref.back() == '*';
  if (!ref_stops && !context.frameshift) {
    // No reference stop (incomplete CDS): compare as much alt as the reference spans.
    const std::int64_t span = static_cast<std::int64_t>(ref.size()) + context.residue_delta;
    alt = alt.substr(0, static_cast<std::size_t>(std::clamp<std::int64_t>(span, 0, std::ssize(alt))));
  }
  const std::size_t k = shared_start(ref, alt);
  if (k == ref.size() && k == alt.size()) {
    if (context.touched_first <= context.offset || context.touched_first - context.offset > ref.size()) return {};
    const char touched = ref[context.touched_first - context.offset - 1];
    return at_residue(ProteinChangeType::kUnchanged, context.touched_first, touched);
  }
  const std::uint64_t position = context.offset + k + 1;
  const bool both_go_on = k < ref.size() && k < alt.size();  // else a side ran out of known sequence first
  // A frame that no longer stops where the reference does, from the first changed residue on.
  const auto shifted_frame = [&]() {
    if (!both_go_on) return ProteinChange{};
    if (alt[k] == '*') return at_residue(ProteinChangeType::kNonsense, position, ref[k]);
    const ProteinChangeType type = ref[k] == '*' ? ProteinChangeType::kExtension : ProteinChangeType::kFrameshift;
    ProteinChange change = at_residue(type, position, ref[k], std::string(1, alt[k]));
    change.new_stop = stop_after(alt, k);
    return change;
  };
  if (context.frameshift) return shifted_frame();
  if (ref_stops) {
    const std::int64_t expected_stop = static_cast<std::int64_t>(ref.size()) - 1 + context.residue_delta;
    const std::size_t alt_stop = alt.find('*');
    if (alt_stop == std::string_view::npos || static_cast<std::int64_t>(alt_stop) > expected_stop) {
      return shifted_frame();  // the reference stop is gone: an extension, or (HGVS) a frameshift description
    }
    if (static_cast<std::int64_t>(alt_stop) < expected_stop) {
      // A stop among the new residues: they end with it, the reference residues touched go.
      if (!both_go_on) return {};
      if (alt[k] == '*') return at_residue(ProteinChangeType::kNonsense, position, ref[k]);
      const std::string inserted(alt.substr(k, alt_stop + 1 - k));
      const std::uint64_t touched_end = context.touched_last - context.offset;  // one past the last touched index
      if (touched_end <= k) {
        if (k == 0) return {};
        return make_change(ProteinChangeType::kInsertion, position - 1, position, ref[k - 1], ref[k], inserted);
      }
      return make_change(ProteinChangeType::kDelins, position, context.offset + touched_end, ref[k],
                         ref[touched_end - 1], inserted);
    }
  }
  std::size_t shared_end = 0;
  while (shared_end < ref.size() - k && shared_end < alt.size() - k &&
         ref[ref.size() - 1 - shared_end] == alt[alt.size() - 1 - shared_end]) {
    ++shared_end;
  }
  const std::size_t ref_length = ref.size() - k - shared_end;
  const std::size_t alt_length = alt.size() - k - shared_end;
  if (ref_length == 0 && alt_length == 0) return {};
  if (ref_length == 0) return describe_insertion(ref, context.offset, k, std::string(alt.substr(k, alt_length)));
  if (alt_length == 0) return describe_deletion(ref, context.offset, k, k + ref_length - 1);
  const ProteinChangeType type =
      ref_length == 1 && alt_length == 1 ? ProteinChangeType::kMissense : ProteinChangeType::kDelins;
  return make_change(type, position, position + ref_length - 1, ref[k], ref[k + ref_length - 1],
                     std::string(alt.substr(k, alt_length)));
}

}  // namespace rarematch::reference::hgvs
