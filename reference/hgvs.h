#pragma once
// HGVS names of sequence changes (https://hgvs-nomenclature.org): nucleotide positions and changes of a transcript
// (c. for coding, n. for non-coding transcripts) and protein changes (p.) in the long (p.Leu858Arg) and short
// (p.L858R) forms. The Annotator decides what changed; the functions here only normalise at the protein level
// (3' rule, dup before ins) and spell the result. Pure functions of their arguments, so safe from any thread.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rarematch::reference::hgvs {

/// Three-letter amino acid code of a one-letter code: "Leu" for 'L', "Ter" for '*', "Xaa" for anything else.
std::string_view three_letter(char amino_acid);

// ---------------------------------------------------------------------------------------------------------------
// Nucleotides.

/// Where a position lies relative to the numbering anchor.
enum class Region {
  kMain,        ///< c.: within the CDS (c.1 is the A of the start codon); n.: within the transcript (n.1 = first base)
  kFivePrime,   ///< before c.1 (c.-N: 5' UTR and upstream) or before the transcript's first base (n.-N)
  kThreePrime,  ///< after the last CDS base (c.*N: 3' UTR and downstream) or the transcript's last base (n.*N)
};

/// One nucleotide position in HGVS numbering: "2573", "-20", "*150", "1111+47", "826-2", "-85+1".
struct NucleotidePosition {
  Region region = Region::kMain;
  std::uint64_t number = 1;  ///< >= 1; counted from the anchor as the region says (no c.0 exists)
  std::int64_t offset = 0;   ///< intronic offset: +N after the preceding exon's last base, -N before the next exon
};

/// The position as HGVS writes it, without prefix: "2573", "-20", "*150", "1111+47", "826-2".
std::string format_position(const NucleotidePosition& position);

/// Kinds of nucleotide change, as HGVS prioritises them (a copy of the bases just 5' of an insertion is a dup).
enum class NucleotideChangeType {
  kSubstitution,  ///< one base: c.2573T>G
  kDeletion,      ///< c.2236_2250del, c.2155del
  kDuplication,   ///< c.10_12dup, c.2155dup
  kInsertion,     ///< c.100_101insAG (first and last are the two flanking positions)
  kDelins,        ///< c.100_102delinsTT, c.100delinsTT (also several substituted bases: c.10_11delinsAT)
};

/// A nucleotide change in transcript orientation, already shifted 3' as the caller's rules require.
struct NucleotideChange {
  NucleotideChangeType type = NucleotideChangeType::kSubstitution;
  NucleotidePosition first;  ///< first changed base (5'); for an insertion, the base before it
  NucleotidePosition last;   ///< last changed base (3'); for an insertion, the base after it; = first for one base
  std::string ref;           ///< reference base of a substitution (transcript orientation); unused otherwise
  std::string alt;           ///< new base (substitution), inserted bases (insertion) or new bases (delins)
};

/// "c.2573T>G", "c.2236_2250del", "n.100_101insAG"...: `prefix` is 'c' or 'n'. A change whose first and last
/// positions are equal is written with one position ("c.2155dup").
std::string format_nucleotide_change(char prefix, const NucleotideChange& change);

// ---------------------------------------------------------------------------------------------------------------
// Proteins.

/// Kinds of protein change (HGVS protein recommendations).
enum class ProteinChangeType {
  kNone,         ///< not named (a residue could not be translated)
  kUnchanged,    ///< p.Leu858= (or p.Leu858_Arg859= for several residues; p.Ter1211= for a retained stop)
  kMissense,     ///< p.Leu858Arg
  kNonsense,     ///< p.Arg658Ter: the first changed residue becomes a stop (substitution, indel or frameshift)
  kStartLost,    ///< p.Met1?: the start codon is changed, the outcome cannot be predicted
  kDeletion,     ///< p.Glu746_Ala750del, p.Lys745del
  kDuplication,  ///< p.Ala767_Val769dup, p.Ala767dup
  kInsertion,    ///< p.Ala767_Val768insSerValAsp (start, end: the two flanking residues)
  kDelins,       ///< p.Leu747_Pro753delinsSer, p.Leu747delinsSerAla
  kFrameshift,   ///< p.Ser68ArgfsTer12, p.Ser68ArgfsTer? (no stop in the known sequence)
  kExtension,    ///< p.Ter1211GlnextTer5, p.Ter1211GlnextTer? (the stop codon changed to a residue)
};

/// A protein change, normalised (3' rule applied), ready to be spelled.
struct ProteinChange {
  ProteinChangeType type = ProteinChangeType::kNone;
  std::uint64_t start = 0;  ///< first residue named (1-based)
  std::uint64_t end = 0;    ///< last residue named (1-based, inclusive; = start for one residue)
  char start_residue = 0;   ///< reference residue at `start` (one-letter, '*' for Ter)
  char end_residue = 0;     ///< reference residue at `end`
  /// New residues: the one replacing `start` (missense, frameshift, extension), the inserted ones (insertion) or
  /// the replacing ones (delins); one-letter, '*' for Ter. Empty for the other types.
  std::string alt;
  /// Frameshift and extension: the new stop's position counting the first new residue as 1 (p.Ser68ArgfsTer12 has
  /// 12: Arg68 and 10 more residues, then the stop); nullopt when no stop is reached in the known sequence.
  std::optional<std::uint64_t> new_stop;
};

/// p. name of `change`, long form ("p.Leu858Arg", "p.Ser68ArgfsTer12") or short form ("p.L858R", "p.S68Rfs*12");
/// empty for kNone.
std::string format_protein_change(const ProteinChange& change, bool short_form);

/// Names a same-length change of codons (substitution of one or several bases). `ref` holds the reference residues
/// of the changed codons, the first being residue `first` (1-based); `alt` the residues after the change, as many.
/// `readthrough`: when the change touches the stop codon (the last residue of the protein), the translation of the
/// reading frame after it until its first stop (included) or the end of the known sequence; else ignored.
/// The first changed residue decides: a stop -> kNonsense; the reference stop -> kExtension; else the changed
/// residues up to the first new stop are a kMissense (one) or kDelins (several, ending with Ter when a stop is
/// gained). kUnchanged when no residue changes; kNone when a residue is 'X' (untranslatable codon).
/// Start codons are the caller's business (kStartLost).
ProteinChange describe_substitution(std::string_view ref, std::string_view alt, std::uint64_t first,
                                    std::string_view readthrough);

/// What describe_indel needs about an insertion, deletion or delins of coding sequence.
struct IndelContext {
  /// The reference protein from residue `offset + 1` to its end, its last residue '*' when the CDS ends with a
  /// stop codon. Starts at least as many residues before the change as the change inserts, so a duplication
  /// of the residues just before it can be recognised.
  std::string_view ref;
  /// Translation of the changed sequence in the same frame, from the same residue, until its first stop
  /// (included) or the end of the known sequence (3' UTR included).
  std::string_view alt;
  std::uint64_t offset = 0;  ///< residues before ref[0]
  /// First and last reference residues (1-based) whose codons the change alters: the codons a deletion or delins
  /// covers, the codon an insertion splits; for an insertion between two codons, touched_first is the residue
  /// after it and touched_last the one before (an empty range). touched_first > offset.
  std::uint64_t touched_first = 0;
  std::uint64_t touched_last = 0;
  /// Length change in residues for an in-frame change (alt bases - ref bases) / 3; ignored for a frameshift.
  std::int64_t residue_delta = 0;
  bool frameshift = false;  ///< the length change is not a multiple of 3
};

/// Names an indel at the protein level, as HGVS does:
///  - the first residue that differs decides: a new stop -> kNonsense; the reference stop -> kExtension;
///  - frameshift -> kFrameshift with the new residue and the distance to the new stop;
///  - in frame: the shared start and end are trimmed; a deletion or insertion is shifted to its most C-terminal
///    equivalent position (3' rule) and an insertion repeating the residues just before it is a kDuplication;
///    one residue for one is kMissense, else kDelins; a new stop within the inserted residues ends them (Ter) and
///    leaves the rest untranslated; an in-frame change that starts before and removes the stop codon is named as a
///    frameshift (HGVS: deletion-insertions including the stop codon are described as frameshifts);
///  - kUnchanged when the translations agree (the first touched residue is named).
ProteinChange describe_indel(const IndelContext& context);

}  // namespace rarematch::reference::hgvs
