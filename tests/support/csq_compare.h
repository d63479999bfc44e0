#pragma once
// Test-only: compares rarematch's annotations with bcftools csq's, one (allele, canonical transcript) call at a
// time, through the notation mapping of csq_notation.h, and keeps the tally of disagreement classes that the
// comparison tests check against a committed file (tests/data/csq/*-disagreements.tsv).
//
// A call is one allele and one canonical transcript (Gene::canonical_transcript()) on which at least one side,
// after the mapping, reports a consequence. Both sides agree when their SO term sets are equal and, where csq
// gives an amino-acid change, our short HGVS protein change names the same change (same_protein_change).
// Per-transcript rules (tests/data/csq/README.md, "Reading csq per transcript"):
//   - csq's terms for a transcript are the union of its entries naming it (csq writes coding and splice
//     consequences of one transcript as separate entries);
//   - csq's fallback terms `intron` (coding transcripts) and `non_coding` (non-coding transcripts) name no
//     transcript and are written only when the allele hits no CDS, UTR or splice site of any transcript (and not
//     always then: an allele csq trims out of a splice region gets no entry at all). A gene-level entry applies
//     to the gene's canonical transcript when that transcript spans the allele; our intron_variant and
//     non_coding_transcript_variant are compared only where csq wrote such an entry for the gene;
//   - on a non-coding transcript, our non_coding_transcript_exon_variant and intron_variant both read as csq's
//     non_coding (SO non_coding_transcript_variant);
//   - on an entry with a splice term and no amino-acid change, csq's `synonymous` flags a splice site or region
//     whose sequence reads the same after the change (csq.c splice_csq_*): it is dropped;
//   - splice_region_variant is not compared where the same side reports splice_acceptor_variant or
//     splice_donor_variant (csq drops the region term from such an entry);
//   - is_uncompared_term() terms are dropped from both sides.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "reference/annotator.h"
#include "reference/gene_model.h"
#include "reference/sequence_source.h"
#include "tests/support/csq_notation.h"
#include "tests/support/test_support.h"

namespace rarematch::testing {

/// One VCF data line, as text (no decoding beyond splitting the columns).
struct VcfTextRecord {
  std::string contig;
  std::uint64_t position = 0;  ///< 1-based POS
  std::string id;
  std::string ref;
  std::vector<std::string> alts;  ///< ALT split at ','
  std::string info;               ///< column 8 as written
  std::size_t line = 0;           ///< 1-based line number in the text
};

/// The data lines of a plain-text VCF. Throws std::runtime_error naming the line when one has fewer than 8
/// columns or a POS that is not a number.
std::vector<VcfTextRecord> parse_vcf_text(std::string_view text);

/// The value of INFO key `key` in `info` ("" when absent; "1" for a flag that is present).
std::string info_value(std::string_view info, std::string_view key);

/// The allele a record was made from by `bcftools norm --old-rec-tag ORIGINAL` (INFO/ORIGINAL =
/// "CHROM|POS|REF|ALT[,ALT...][|ALT index]"), as "POS REF ALT" with the one ALT it holds; for a record norm left
/// unchanged (no ORIGINAL), its own POS, REF and first ALT.
std::string original_allele(const VcfTextRecord& record);

/// Runs a shell command line and returns its stdout; throws std::runtime_error with the command and its stderr
/// when it exits non-zero.
std::string run_checked(const std::string& command);

/// The kind of an allele after trimming shared leading then trailing bases: "SNV", "MNV" (equal lengths > 1),
/// "insertion", "deletion", "delins" (both sides left, different lengths), "none" (REF = ALT) or "symbolic" (any
/// character other than A, C, G, T, N).
std::string allele_kind(std::string_view ref, std::string_view alt);

/// The outcome of one call.
struct CallComparison {
  std::string gene;
  std::string transcript_id;
  bool canonical = false;               ///< the transcript is its gene's canonical one in our model
  bool agrees = true;
  bool protein_compared = false;        ///< csq gave an amino-acid change and it was compared
  bool protein_not_compared = false;    ///< csq reported a coding term but no amino-acid change (a splice overlap)
  bool csq_reported = false;            ///< csq's side of the call is not empty
  std::string disagreement_class;       ///< empty when the call agrees
  std::string example;                  ///< one line: the allele, both sides' terms and protein changes
};

/// Counts over a run.
struct ComparisonCounts {
  std::size_t calls = 0;
  std::size_t agreeing = 0;
  std::size_t csq_calls = 0;  ///< calls where csq reports something (depends on csq and the scope only)
  std::size_t proteins_compared = 0;
  std::size_t proteins_not_compared = 0;

  void add(const CallComparison& call);
  double agreement() const { return calls == 0 ? 1.0 : static_cast<double>(agreeing) / static_cast<double>(calls); }
  /// "2028 of 2029 calls agree (99.95%); ..." for messages.
  std::string summary() const;
};

/// What compare() found for one allele.
struct AlleleComparison {
  std::vector<CallComparison> calls;
  std::size_t uncompared_entries = 0;  ///< csq entries naming a transcript outside the comparer's scope
};

/// Which transcripts a CsqComparer compares.
enum class CompareScope {
  kCanonical,  ///< each gene's canonical transcript (Gene::canonical_transcript())
  kAll,        ///< every transcript of the gene model
};

/// Compares our annotations of alleles with csq's, transcript by transcript. Holds the transcripts in scope and
/// the proteins of the coding ones (read from `genome` once).
class CsqComparer {
 public:
  CsqComparer(const reference::GeneModel& model, const reference::SequenceSource& genome,
              CompareScope scope = CompareScope::kCanonical);

  /// Compares the allele REF>ALT at 1-based `position` of `contig` (as VCF writes it): `ours` is
  /// Annotator::annotate() of that allele (annotations of transcripts outside the scope are ignored), `csq` the
  /// parsed BCSQ of a record holding only that allele. One CallComparison per call, in the order: our
  /// transcripts, then csq's, then transcripts given by csq's gene-level entries.
  AlleleComparison compare(std::string_view contig, std::uint64_t position, std::string_view ref,
                           std::string_view alt, const std::vector<reference::Annotation>& ours,
                           const std::vector<CsqConsequence>& csq) const;

 private:
  struct InScope {
    std::string gene;
    const reference::Transcript* transcript = nullptr;
    bool canonical = false;
    std::string protein;
  };
  std::unordered_map<std::string, InScope> by_transcript_;              // transcript id -> its details
  std::unordered_map<std::string, std::vector<std::string>> by_gene_;  // gene name -> its transcripts in scope
};

/// One class of disagreement: its name, how many calls fell in it, a worked example and why it is accepted.
struct DisagreementClass {
  std::string name;
  std::size_t count = 0;
  std::string example;
  std::string reason;
  std::vector<std::string> more_examples;  ///< further examples seen in a run (not in the file)
};

/// The disagreements of a run, by class; each class keeps its first example.
class DisagreementTally {
 public:
  /// Adds a call that disagrees (calls that agree are ignored).
  void add(const CallComparison& call);

  const std::map<std::string, DisagreementClass>& classes() const { return classes_; }
  std::size_t total() const;

  /// A readable table: count, class and up to `examples` examples per class, largest class first.
  std::string table(std::size_t examples = 2) const;

  /// Every disagreeing call, one line each ("class<TAB>example"), in the order added.
  std::string calls() const;

  /// The committed file's format for what was observed, with the reasons of `known` carried over by class name
  /// and "TODO: explain" for new classes.
  std::string to_tsv(const std::vector<DisagreementClass>& known) const;

 private:
  std::map<std::string, DisagreementClass> classes_;
  std::vector<std::string> calls_;
};

/// Reads a disagreement file: tab-separated `class count example reason`, '#' comment lines, a header line
/// starting "class". Throws std::runtime_error naming file and line for a malformed line.
std::vector<DisagreementClass> read_disagreement_file(const std::filesystem::path& path);

/// What is wrong with `observed` against the accepted `allowed` classes: one message per class that is not
/// listed, or whose count exceeds the listed count. Empty when all is well.
std::vector<std::string> disagreement_problems(const std::vector<DisagreementClass>& allowed,
                                               const DisagreementTally& observed);

/// Writes `tally.to_tsv(known)` to `$RAREMATCH_CSQ_DISAGREEMENTS_OUT/<name>` and every disagreeing call to
/// `<name>.calls.txt` beside it, when that environment variable names a folder, so a maintainer can review and
/// commit the observed classes; returns the path of the TSV written, or empty.
std::filesystem::path export_disagreements(const std::string& name, const DisagreementTally& tally,
                                           const std::vector<DisagreementClass>& known);

/// True when `bcftools` runs from PATH.
bool bcftools_available();

}  // namespace rarematch::testing

/// Skips the current test when bcftools is not on PATH; fails instead when running in CI.
#define RAREMATCH_REQUIRE_BCFTOOLS()                                                        \
  do {                                                                                      \
    if (!::rarematch::testing::bcftools_available()) {                                      \
      if (::rarematch::testing::running_in_ci()) {                                          \
        FAIL() << "bcftools not found on PATH in CI";                                       \
      }                                                                                     \
      GTEST_SKIP() << "bcftools not found on PATH, skipping the comparison with bcftools csq"; \
    }                                                                                       \
  } while (false)
