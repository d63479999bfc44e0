#pragma once
// Typed settings, collated once from the command line (pipeline/cli/options.cc). Nothing past the CLI sees
// option strings.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rarematch::pipeline {

/// How much is logged to stderr.
enum class Verbosity { kQuiet, kNormal, kVerbose };

/// Where the patients' data comes from.
struct InputSettings {
  std::string samplesheet;                  ///< samplesheet CSV; empty when not given
  std::vector<std::string> vcfs;            ///< --vcf files: every tumour column is a patient
  std::vector<std::string> normal_columns;  ///< --normal: sample column names that are normals
  std::vector<std::string> clinical_files;  ///< cBioPortal patient/sample files
};

/// Reference data.
struct ReferenceSettings {
  std::string bundle;    ///< reference bundle (rarematch reference build); replaces gff3 + fasta
  std::string gff3;      ///< gene model, GFF3 or GTF; with fasta, when no bundle is given
  std::string fasta;     ///< genome sequence; required with gff3
  std::string oncotree;  ///< OncoTree JSON; required when clinical codes or diagnosis criteria are used
  std::string hgnc;      ///< HGNC symbol list (optional): checks catalogue gene symbols
};

/// Where variant annotations come from.
enum class AnnotationSource {
  kBuiltin,  ///< rarematch annotates against the reference (normalising first)
  kVep,      ///< VEP's INFO/CSQ as written in the VCF
  kSnpEff,   ///< SnpEff's INFO/ANN
  kBcsq,     ///< bcftools csq's INFO/BCSQ
  kAuto,     ///< what each VCF's header declares (VEP, then SnpEff, then BCSQ), else builtin
};

/// Which transcripts the builtin annotator uses.
enum class TranscriptChoice { kCanonical, kAll, kListed };

/// How variants are read and annotated.
struct AnnotationSettings {
  AnnotationSource source = AnnotationSource::kBuiltin;
  TranscriptChoice transcripts = TranscriptChoice::kCanonical;
  std::vector<std::string> transcript_ids;  ///< for kListed, read from the --transcripts file
  bool ignore_contig_lengths = false;  ///< accept ##contig lengths that differ from the reference (excerpts)
  bool skip_unknown_contigs = false;   ///< count records on contigs the reference lacks instead of failing
  bool skip_ref_mismatch = false;      ///< count records whose REF disagrees with the reference instead of failing
};

/// Execution.
struct ExecutionSettings {
  int threads = 1;          ///< total thread budget, shared by oneTBB and HTSlib (>= 1)
  bool keep_going = false;  ///< skip failing samples (reported; exit 3) instead of stopping
  Verbosity verbosity = Verbosity::kNormal;
  std::string command_line; ///< as invoked, recorded in summary.json
};

/// Matching.
struct MatchSettings {
  std::string catalogue;        ///< catalogue file (.textproto/.txtpb/.json/.pb)
  bool include_closed = false;  ///< also match closed, suspended and not-yet-open arms
  std::uint32_t min_depth = 0;  ///< minimum read depth of a qualifying call (0: none)
  double min_vaf = 0.0;         ///< minimum VAF of a qualifying call, 0..1 (0: none)
};

/// `rarematch annotate`.
struct AnnotateSettings {
  InputSettings inputs;
  ReferenceSettings reference;
  AnnotationSettings annotation;
  ExecutionSettings execution;
  std::string output_dir;
};

/// `rarematch match`.
struct MatchCommandSettings {
  std::string profiles;  ///< profiles.pb written by annotate
  MatchSettings match;
  ReferenceSettings reference;
  ExecutionSettings execution;
  std::string output_dir;
};

/// `rarematch run` = annotate + match.
struct RunSettings {
  AnnotateSettings annotate;
  MatchSettings match;
};

}  // namespace rarematch::pipeline
