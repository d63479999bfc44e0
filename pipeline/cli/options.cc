#include "pipeline/cli/options.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <boost/program_options.hpp>

#include "pipeline/outputs.h"
#include "reference/error.h"

namespace rarematch::cli {

namespace po = boost::program_options;
using pipeline::AnnotateSettings;
using pipeline::ExecutionSettings;
using pipeline::InputSettings;
using pipeline::MatchCommandSettings;
using pipeline::MatchSettings;
using pipeline::ReferenceSettings;
using pipeline::RunSettings;
using pipeline::Verbosity;

namespace {

constexpr const char* kExitCodes =
    "Exit codes:\n"
    "  0  success\n"
    "  1  bad input (a file or value is wrong; the message names file, line and field)\n"
    "  2  bad usage (unknown option, missing required option)\n"
    "  3  some samples failed and were skipped (--keep-going); results written for the rest\n"
    "  4  internal error (please report it)\n";

constexpr const char* kRanking =
    "Ranking (per patient, compared in order):\n"
    "  1. ELIGIBLE before POTENTIAL\n"
    "  2. specificity of the best TRUE genomic criterion: exact protein change or named fusion > residue >\n"
    "     exon > class in gene, fusion with any partner, copy number > any mutation in gene > wildtype >\n"
    "     biomarker (TMB, MSI) > clinical only\n"
    "  3. open arm first (unknown slots count as open)\n"
    "  4. fewer UNKNOWN criteria\n"
    "  5. later phase (I/II counts as II)\n"
    "  6. trial id, then arm id\n";

constexpr const char* kTopUsage =
    "rarematch - match cancer patients to clinical trial arms from their tumour sequencing\n"
    "\n"
    "Usage: rarematch <command> [options]\n"
    "\n"
    "Commands:\n"
    "  run                 annotate variant files and match the patients against a trial catalogue\n"
    "  annotate            annotate variant files into patient profiles (profiles.pb)\n"
    "  match               match saved profiles against a trial catalogue\n"
    "  catalogue validate  check trial catalogues and list every problem\n"
    "  catalogue convert   convert a catalogue between text format, JSON and binary\n"
    "  reference build     write a reference bundle from a GFF3/GTF and a FASTA\n"
    "\n"
    "Run 'rarematch <command> --help' for a command's options; 'rarematch --version' for versions.\n";

/// The option values as Boost writes them, before collation.
struct RawOptions {
  InputSettings inputs;
  ReferenceSettings reference;
  MatchSettings match;
  std::string output;
  std::string profiles;
  std::string annotation = "builtin";
  std::string transcripts = "canonical";
  pipeline::AnnotationSettings annotation_flags;
  int threads = 1;
  bool keep_going = false;
  bool quiet = false;
  bool verbose = false;
};

po::options_description input_options(RawOptions& raw) {
  po::options_description group("Inputs");
  group.add_options()
      ("samplesheet", po::value(&raw.inputs.samplesheet)->value_name("CSV"),
       "samplesheet with columns patient,sample,vcf[,tumor_sample,assay] (header names them; paths relative to "
       "the samplesheet). assay WES or WGS declares genome-wide coverage; otherwise absence of a call is not "
       "evidence of absence")
      ("vcf", po::value(&raw.inputs.vcfs)->value_name("FILE")->composing(),
       "VCF/BCF whose tumour sample columns are each a patient (repeatable); normal columns (##normal_sample=, a "
       "column named NORMAL, or --normal) are left out")
      ("normal", po::value(&raw.inputs.normal_columns)->value_name("NAME")->composing(),
       "sample column name that is a normal, for --vcf (repeatable)")
      ("clinical", po::value(&raw.inputs.clinical_files)->value_name("FILE")->composing(),
       "cBioPortal clinical patient or sample file (repeatable): PATIENT_ID, SAMPLE_ID, ONCOTREE_CODE, AGE, SEX, "
       "ECOG, PRIOR_THERAPIES, PRIOR_LINES, MSI_STATUS, TMB; NA means unknown");
  return group;
}

po::options_description reference_options(RawOptions& raw, bool with_genome) {
  po::options_description group("Reference");
  if (with_genome) {
    group.add_options()
        ("reference", po::value(&raw.reference.bundle)->value_name("BUNDLE"),
         "reference bundle written by 'rarematch reference build' (instead of --gff3 and --fasta)")
        ("gff3", po::value(&raw.reference.gff3)->value_name("FILE"),
         "gene model: Ensembl or GENCODE GFF3, or GTF (.gtf), plain or gzip; with --fasta unless --reference")
        ("fasta", po::value(&raw.reference.fasta)->value_name("FILE"),
         "genome FASTA (plain, or bgzip with .fai/.gzi); required with --gff3");
  }
  group.add_options()
      ("oncotree", po::value(&raw.reference.oncotree)->value_name("FILE"),
       "OncoTree JSON tree (tumorTypes/tree); required when the catalogue has diagnosis criteria")
      ("hgnc", po::value(&raw.reference.hgnc)->value_name("FILE"),
       "HGNC table; when given, catalogue gene symbols must be approved symbols");
  return group;
}

/// Transcript ids of a --transcripts FILE: one a line, blank lines and '#' comments ignored.
std::vector<std::string> read_transcript_list(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    throw_usage("--transcripts", "'" + path + "' is neither canonical, all, nor a readable file",
                "give canonical, all, or a file of transcript ids, one a line");
  }
  std::vector<std::string> ids;
  for (std::string line; std::getline(in, line);) {
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#') continue;
    const auto last = line.find_last_not_of(" \t\r");
    ids.push_back(line.substr(first, last - first + 1));
  }
  if (ids.empty()) throw_bad_input(path, std::nullopt, "transcript list", "no transcript ids", "one id a line");
  return ids;
}

po::options_description annotation_options(RawOptions& raw) {
  po::options_description group("Annotation");
  auto& flags = raw.annotation_flags;
  group.add_options()
      ("annotation", po::value(&raw.annotation)->value_name("SOURCE")->default_value("builtin"),
       "builtin (normalise and annotate against the reference), vep (INFO/CSQ), snpeff (INFO/ANN), bcsq "
       "(INFO/BCSQ of bcftools csq), or auto (what each VCF header declares, else builtin)")
      ("transcripts", po::value(&raw.transcripts)->value_name("WHICH")->default_value("canonical"),
       "canonical (Ensembl_canonical / MANE_Select tag, else the longest coding transcript), all, or a FILE of "
       "transcript ids (one a line; genes without a listed transcript use their canonical one); the most severe "
       "consequence per gene enters the profile")
      ("ignore-contig-lengths", po::bool_switch(&flags.ignore_contig_lengths),
       "accept VCF ##contig lengths that differ from the reference (for excerpt references); by default such a "
       "VCF is refused as another genome build")
      ("skip-unknown-contigs", po::bool_switch(&flags.skip_unknown_contigs),
       "count records on contigs the reference lacks (summary.json) instead of stopping")
      ("skip-ref-mismatch", po::bool_switch(&flags.skip_ref_mismatch),
       "count records whose REF disagrees with the reference instead of stopping");
  return group;
}

pipeline::AnnotationSettings collate_annotation(const RawOptions& raw, const std::string& command) {
  pipeline::AnnotationSettings settings = raw.annotation_flags;
  using pipeline::AnnotationSource;
  static const std::vector<std::pair<std::string, AnnotationSource>> kSources = {
      {"builtin", AnnotationSource::kBuiltin}, {"vep", AnnotationSource::kVep}, {"snpeff", AnnotationSource::kSnpEff},
      {"bcsq", AnnotationSource::kBcsq},       {"auto", AnnotationSource::kAuto}};
  const auto source = std::find_if(kSources.begin(), kSources.end(),
                                   [&](const auto& entry) { return entry.first == raw.annotation; });
  if (source == kSources.end()) {
    throw_usage(command, "--annotation '" + raw.annotation + "' is not a source",
                "use builtin, vep, snpeff, bcsq or auto");
  }
  settings.source = source->second;
  if (raw.transcripts == "canonical") {
    settings.transcripts = pipeline::TranscriptChoice::kCanonical;
  } else if (raw.transcripts == "all") {
    settings.transcripts = pipeline::TranscriptChoice::kAll;
  } else {
    settings.transcripts = pipeline::TranscriptChoice::kListed;
    settings.transcript_ids = read_transcript_list(raw.transcripts);
  }
  return settings;
}

po::options_description match_options(RawOptions& raw) {
  po::options_description group("Matching");
  group.add_options()
      ("catalogue", po::value(&raw.match.catalogue)->value_name("FILE"),
       "trial catalogue: .textproto/.txtpb (text format), .json or .pb (required)")
      ("include-closed", po::bool_switch(&raw.match.include_closed),
       "also match closed, suspended and not-yet-open trials and arms")
      ("min-depth", po::value(&raw.match.min_depth)->value_name("N")->default_value(0),
       "minimum read depth for a call to satisfy a criterion; shallower matching calls make it UNKNOWN")
      ("min-vaf", po::value(&raw.match.min_vaf)->value_name("F")->default_value(0.0),
       "minimum variant allele fraction (0..1) for a call to satisfy a criterion");
  return group;
}

po::options_description output_options(RawOptions& raw) {
  po::options_description group("Output");
  group.add_options()("output,o", po::value(&raw.output)->value_name("DIR"),
                      "result folder (created 0700; files written 0600, each complete or absent) (required)");
  return group;
}

po::options_description execution_options(RawOptions& raw) {
  po::options_description group("Execution");
  group.add_options()
      ("threads,t", po::value(&raw.threads)->value_name("N")->default_value(1),
       "threads in all (oneTBB and HTSlib share them); results are identical for any N")
      ("keep-going", po::bool_switch(&raw.keep_going),
       "skip samples whose files fail, report them in summary.json and exit 3")
      ("quiet,q", po::bool_switch(&raw.quiet), "only warnings and errors on stderr")
      ("verbose,v", po::bool_switch(&raw.verbose), "more detail on stderr");
  return group;
}

std::string help_text(const std::string& usage, const std::string& about, const po::options_description& options,
                      const std::string& extra) {
  std::ostringstream out;
  out << "Usage: " << usage << "\n\n" << about << "\n\n" << options << "\n";
  if (!extra.empty()) out << extra << "\n";
  out << kExitCodes;
  return out.str();
}

/// Parses `args` (after the command words) against `options`; returns false when --help was asked.
bool parse(const std::vector<std::string>& args, const po::options_description& options,
           const po::positional_options_description& positional, const std::string& command) {
  po::variables_map values;
  try {
    po::store(po::command_line_parser(args).options(options).positional(positional).run(), values);
    if (values.count("help")) return false;
    po::notify(values);
  } catch (const po::error& error) {
    throw_usage(command, error.what(), "see 'rarematch " + command + " --help'");
  }
  return true;
}

void require(const std::string& value, const std::string& option, const std::string& command) {
  if (value.empty()) {
    throw_usage(command, "missing required option --" + option,
                "see 'rarematch " + command + " --help'");
  }
}

ExecutionSettings collate_execution(const RawOptions& raw, const std::string& command,
                                    const std::string& command_line) {
  if (raw.threads < 1) {
    throw_usage(command, "--threads must be 1 or more", "e.g. --threads 2");
  }
  if (raw.quiet && raw.verbose) {
    throw_usage(command, "--quiet and --verbose contradict each other", "give one of them");
  }
  ExecutionSettings execution;
  execution.threads = raw.threads;
  execution.keep_going = raw.keep_going;
  execution.verbosity = raw.quiet ? Verbosity::kQuiet : (raw.verbose ? Verbosity::kVerbose : Verbosity::kNormal);
  execution.command_line = command_line;
  return execution;
}

void check_match(const MatchSettings& match, const std::string& command) {
  require(match.catalogue, "catalogue", command);
  if (match.min_vaf < 0.0 || match.min_vaf > 1.0) {
    throw_usage(command, "--min-vaf must be between 0 and 1", "e.g. --min-vaf 0.05 for 5%");
  }
}

void check_inputs(const RawOptions& raw, const std::string& command) {
  if (raw.inputs.samplesheet.empty() && raw.inputs.vcfs.empty()) {
    throw_usage(command, "no variant input", "give --samplesheet CSV or --vcf FILE");
  }
  if (!raw.reference.bundle.empty()) {
    if (!raw.reference.gff3.empty() || !raw.reference.fasta.empty()) {
      throw_usage(command, "--reference replaces --gff3 and --fasta", "give either the bundle or both files");
    }
    return;
  }
  const bool preannotated = raw.annotation != "builtin";  // auto needs a reference only for files without one
  if (preannotated && raw.reference.gff3.empty() && raw.reference.fasta.empty()) return;
  require(raw.reference.gff3, "gff3", command);
  require(raw.reference.fasta, "fasta", command);
}

Command parse_annotate_or_run(const std::vector<std::string>& args, bool run, const std::string& command_line) {
  const std::string command = run ? "run" : "annotate";
  RawOptions raw;
  po::options_description options;
  options.add_options()("help,h", "show this help");
  options.add(input_options(raw)).add(reference_options(raw, true)).add(annotation_options(raw));
  if (run) options.add(match_options(raw));
  options.add(output_options(raw)).add(execution_options(raw));
  const std::string usage =
      run ? "rarematch run (--samplesheet CSV | --vcf FILE...) (--gff3 FILE --fasta FILE | --reference BUNDLE)\n"
            "                     --catalogue FILE -o DIR"
          : "rarematch annotate (--samplesheet CSV | --vcf FILE...) (--gff3 FILE --fasta FILE | --reference BUNDLE)\n"
            "                          -o DIR";
  const std::string about =
      run ? "Annotates the patients' variant files, matches every patient against the trial catalogue and writes\n"
            "candidates.tsv, candidates.json, summary.json, profiles.pb and catalogue.pb into DIR."
          : "Reads and annotates the patients' variant files and writes their profiles (DIR/profiles.pb, to be\n"
            "matched with 'rarematch match') and DIR/summary.json.";
  if (!parse(args, options, {}, command)) return PrintAndExit{help_text(usage, about, options, run ? kRanking : "")};
  check_inputs(raw, command);
  require(raw.output, "output", command);
  AnnotateSettings annotate{raw.inputs, raw.reference, collate_annotation(raw, command),
                            collate_execution(raw, command, command_line), raw.output};
  if (!run) return annotate;
  check_match(raw.match, command);
  return RunSettings{annotate, raw.match};
}

Command parse_match(const std::vector<std::string>& args, const std::string& command_line) {
  RawOptions raw;
  po::options_description options;
  options.add_options()("help,h", "show this help");
  po::options_description profiles("Inputs");
  profiles.add_options()("profiles", po::value(&raw.profiles)->value_name("FILE"),
                         "profiles.pb written by 'rarematch annotate' (required)");
  options.add(profiles).add(reference_options(raw, false)).add(match_options(raw)).add(output_options(raw));
  options.add(execution_options(raw));
  if (!parse(args, options, {}, "match")) {
    return PrintAndExit{help_text("rarematch match --profiles FILE --catalogue FILE -o DIR",
                                  "Matches saved patient profiles against a trial catalogue (no variant file is "
                                  "read again) and writes\ncandidates.tsv, candidates.json, summary.json, "
                                  "profiles.pb and catalogue.pb into DIR.",
                                  options, kRanking)};
  }
  require(raw.profiles, "profiles", "match");
  check_match(raw.match, "match");
  require(raw.output, "output", "match");
  return MatchCommandSettings{raw.profiles, raw.match, raw.reference,
                              collate_execution(raw, "match", command_line), raw.output};
}

Command parse_catalogue(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    return PrintAndExit{
        "Usage: rarematch catalogue <validate|convert> [options]\n\n"
        "  validate FILE...      check catalogues; every problem is listed with file, line, trial and criterion\n"
        "  convert IN -o OUT     convert between .textproto/.txtpb, .json and .pb (chosen by extension)\n\n" +
        std::string(kExitCodes)};
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  RawOptions raw;
  po::options_description options;
  options.add_options()("help,h", "show this help");
  if (args[0] == "validate") {
    CatalogueValidateSettings settings;
    po::options_description files("Catalogues");
    files.add_options()("catalogue-file", po::value(&settings.catalogues)->composing(), "catalogue to check");
    options.add(reference_options(raw, false)).add_options()("quiet,q", po::bool_switch(&raw.quiet),
                                                             "print problems only");
    po::options_description all;
    all.add(options).add(files);
    po::positional_options_description positional;
    positional.add("catalogue-file", -1);
    if (!parse(rest, all, positional, "catalogue validate")) {
      return PrintAndExit{help_text("rarematch catalogue validate FILE... [--oncotree FILE] [--hgnc FILE]",
                                    "Checks trial catalogues: ids, tree structure (empty all/any, at_least k > n), "
                                    "ranges, protein changes,\nand, when given the references, OncoTree codes and "
                                    "HGNC gene symbols. Lists every problem and exits 1 if any.",
                                    options, "")};
    }
    if (settings.catalogues.empty()) {
      throw_usage("catalogue validate", "no catalogue given", "rarematch catalogue validate FILE...");
    }
    settings.reference = raw.reference;
    settings.verbosity = raw.quiet ? Verbosity::kQuiet : Verbosity::kNormal;
    return settings;
  }
  if (args[0] == "convert") {
    CatalogueConvertSettings settings;
    po::options_description files("Catalogues");
    files.add_options()("input", po::value(&settings.input), "catalogue to read");
    options.add(output_options(raw));
    po::options_description all;
    all.add(options).add(files);
    po::positional_options_description positional;
    positional.add("input", 1);
    if (!parse(rest, all, positional, "catalogue convert")) {
      return PrintAndExit{help_text("rarematch catalogue convert IN -o OUT",
                                    "Converts a catalogue between protobuf text format (.textproto/.txtpb/.pbtxt), "
                                    "proto3 JSON (.json)\nand binary (.pb/.bin), chosen by the file extensions. The "
                                    "catalogue is validated first.",
                                    options, "")};
    }
    require(settings.input, "input (positional IN)", "catalogue convert");
    require(raw.output, "output", "catalogue convert");
    settings.output = raw.output;
    return settings;
  }
  throw_usage("catalogue", "unknown subcommand '" + args[0] + "'", "use 'validate' or 'convert'");
}

Command parse_reference(const std::vector<std::string>& args) {
  if (args.empty() || args[0] != "build") {
    if (!args.empty() && args[0] != "--help" && args[0] != "-h") {
      throw_usage("reference", "unknown subcommand '" + args[0] + "'", "use 'rarematch reference build'");
    }
    return PrintAndExit{"Usage: rarematch reference build --gff3 FILE --fasta FILE -o BUNDLE\n\n"
                        "  build    write a reference bundle (gene model + sequence around transcripts)\n\n" +
                        std::string(kExitCodes)};
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  ReferenceBuildSettings settings;
  po::options_description options;
  options.add_options()
      ("help,h", "show this help")
      ("gff3", po::value(&settings.gene_model)->value_name("FILE"), "gene model, GFF3 or GTF (required)")
      ("gtf", po::value(&settings.gene_model)->value_name("FILE"), "same as --gff3, for a GTF")
      ("fasta", po::value(&settings.fasta)->value_name("FILE"), "genome FASTA (plain or bgzip) (required)")
      ("genome-build", po::value(&settings.genome_build)->value_name("NAME"),
       "assembly name, e.g. GRCh38 (default: from the files' headers or chromosome 1's length)")
      ("windows-only", po::bool_switch(&settings.windows_only),
       "store only exons and their flanks: a small bundle for whole annotations, but variants away from exons "
       "cannot be normalised against it")
      ("output,o", po::value(&settings.output)->value_name("BUNDLE"), "bundle file to write, e.g. ref.rmref (required)");
  if (!parse(rest, options, {}, "reference build")) {
    return PrintAndExit{help_text("rarematch reference build --gff3 FILE --fasta FILE -o BUNDLE",
                                  "Writes a reference bundle: the transcripts of the gene model and the reference "
                                  "sequence around them, in one binary\nprotobuf file that 'annotate' and 'run' load "
                                  "with --reference much faster than GFF3 + FASTA.",
                                  options, "")};
  }
  require(settings.gene_model, "gff3", "reference build");
  require(settings.fasta, "fasta", "reference build");
  require(settings.output, "output", "reference build");
  return settings;
}

}  // namespace

Command parse_command_line(int argc, const char* const argv[]) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string command_line = "rarematch";
  for (const auto& arg : args) command_line += " " + arg;
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    return PrintAndExit{std::string(kTopUsage) + "\n" + kExitCodes};
  }
  if (args[0] == "--version") return PrintAndExit{pipeline::version_text() + "\n"};
  const std::string command = args[0];
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (command == "run") return parse_annotate_or_run(rest, true, command_line);
  if (command == "annotate") return parse_annotate_or_run(rest, false, command_line);
  if (command == "match") return parse_match(rest, command_line);
  if (command == "catalogue") return parse_catalogue(rest);
  if (command == "reference") return parse_reference(rest);
  throw_usage("command line", "unknown command '" + command + "'", "see 'rarematch --help' for the commands");
}

}  // namespace rarematch::cli
