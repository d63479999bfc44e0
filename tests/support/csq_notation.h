#pragma once
// Test-only: bcftools csq's notation (INFO/BCSQ) read and mapped to ours (Sequence Ontology terms, HGVS protein
// changes in the short form), so rarematch's annotations can be compared with csq's. The mapping is documented in
// tests/data/csq/README.md; every rule there is implemented here and nowhere else.
//
// BCSQ, as csq writes it: comma-separated consequences, each
//   Consequence|gene|transcript|biotype|strand|amino_acid_change|dna_change
// where Consequence is csq's terms joined by '&' (a leading '*' flags a stop upstream in the haplotype), trailing
// fields absent when empty, transcript empty for the gene-level `intron` and `non_coding` entries, and "@POS" in
// place of a consequence printed at another record of the same haplotype (haplotype mode only).
// amino_acid_change: "{first residue}{reference residues}[>{first residue}{alternate residues}]": the residues of
// the codons the REF allele spans, the anchor base of an indel included, and, for a frameshift, translated on to
// the first stop (or the end of the CDS); the '>' part is absent for synonymous changes.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "reference/gene_model.h"
#include "reference/sequence_source.h"

namespace rarematch::testing {

/// One comma-separated item of a BCSQ value.
struct CsqConsequence {
  std::vector<std::string> terms;  ///< csq's own terms as written ("missense", "splice_region", ...)
  bool upstream_stop = false;      ///< the value began with '*' (a stop gained upstream in the haplotype)
  std::string reference;           ///< "@POS" entries: the position given, as text; empty otherwise
  std::string gene;
  std::string transcript;          ///< as written ("ENST00000341065"); empty for gene-level entries
  std::string biotype;
  std::string strand;              ///< "+", "-" or empty
  std::string protein;             ///< amino_acid_change, e.g. "745KELREA>745K"; empty when absent
  std::string dna;                 ///< dna_change, e.g. "55174771AGGAATTAAGAGAAGC>A"; empty when absent
};

/// Splits a BCSQ value ("." or empty gives no items). Throws std::runtime_error naming the value when an item
/// has no consequence field.
std::vector<CsqConsequence> parse_bcsq(std::string_view value);

/// The Sequence Ontology term for one of csq's terms ("missense" -> "missense_variant", "non_coding" ->
/// "non_coding_transcript_variant", "NMD_transcript" -> "NMD_transcript_variant", ...); nullopt for a term the
/// mapping does not know (the caller reports it).
std::optional<std::string> so_term_for_csq(std::string_view csq_term);

/// The SO terms of our Annotation::consequences that csq has no counterpart for and that are therefore never
/// compared: upstream_gene_variant, downstream_gene_variant (csq does not report flanks) and
/// NMD_transcript_variant (a biotype flag in csq, not a consequence).
bool is_uncompared_term(std::string_view so_term);

/// Translates a coding sequence (upper-case bases, 5'->3') with the standard code: one letter per complete codon,
/// '*' for stop, 'X' for a codon holding a base other than ACGT. A trailing incomplete codon is dropped.
std::string translate_coding_sequence(std::string_view bases);

/// The protein of a coding transcript: its CDS segments read from `genome`, spliced 5'->3' (reverse-complemented
/// on the minus strand), translated. Empty for a non-coding transcript.
std::string reference_protein(const reference::Transcript& transcript, const reference::SequenceSource& genome);

/// Maps csq's amino_acid_change field to the HGVS protein change in the short form (without parentheses), given
/// the SO terms of the same transcript (after so_term_for_csq) and the reference protein (for the 3' rule and
/// dup detection; may be empty, then nothing is shifted). Rules, applied in order (see README.md):
///   start_lost                       -> p.M1?
///   no '>' part (synonymous)         -> p.{ref}{pos}= (a range for several residues)
///   alternate "?"                    -> "" (csq's translation failed at a splice-site overlap: nothing to compare)
///   frameshift_variant               -> the first residue where the two translations differ: p.{ref}{pos}{alt}fs*{n}
///                                       (n counts that residue as 1; '?' when csq's translation reaches no stop);
///                                       p.{ref}{pos}* when that residue becomes a stop, p.*{pos}{alt}ext when
///                                       it is the reference stop
///   otherwise, common leading then trailing residues of the two strings trimmed:
///     nothing left                   -> p.{ref}{pos}= (synonymous, stop retained); a range for several residues
///     one residue each               -> p.{ref}{pos}{alt} (missense, nonsense with '*'); p.*{pos}{alt}ext when
///                                       ref is the stop (csq gives no extension length)
///     alternate starts with a stop   -> p.{ref}{pos}* (p.*{pos}= when inserted just before the stop)
///     deletion                       -> p.{ref}{pos}del / p.{ref}{pos}_{ref}{pos}del, shifted 3'
///     insertion                      -> shifted 3', then dup of the preceding residues if equal, else
///                                       p.{ref}{pos}_{ref}{pos+1}ins{alt}
///     other                          -> p.{ref}{pos}[_{ref}{pos}]delins{alt} (alternate cut after a stop)
/// Throws std::runtime_error naming the field when it does not parse.
std::string csq_protein_to_hgvs(std::string_view field, const std::set<std::string>& so_terms,
                                std::string_view protein);

/// True when our short HGVS protein change `ours` ("p.L858R", "(p.L858R)" accepted) names the same change as
/// `mapped` (from csq_protein_to_hgvs): equal strings; for "ext" (stop lost) equal up to and including "ext"
/// (a '?' residue before "ext", which csq writes when the new residue lies in the 3' UTR, matches any residue);
/// for frameshifts the same reference residue and position, and the alternate residue and stop count where both
/// give them (csq's '?' matches any count, as csq does not translate past the CDS).
bool same_protein_change(std::string_view ours, std::string_view mapped);

/// Rewrites a GENCODE GFF3 (`ID=ENSG…`, `gene_type=`, `transcript_type=`, `UTR`) the way bcftools csq 1.16
/// needs it: gene IDs become `gene:ID`, transcript IDs `transcript:ID` and Parent references follow; version
/// suffixes (".15") are dropped from these IDs; genes get `Name=` from `gene_name` and `biotype=` from
/// `gene_type`; transcripts `biotype=` from `transcript_type`; each `UTR` line becomes `five_prime_UTR` or
/// `three_prime_UTR` by its side of its transcript's CDS (strand-aware); start_codon/stop_codon lines are
/// dropped (csq derives them from the CDS). Other lines are kept as they are. Throws std::runtime_error when a
/// UTR line's transcript has no CDS.
std::string rewrite_gencode_gff3_for_csq(std::string_view gff3);

}  // namespace rarematch::testing
