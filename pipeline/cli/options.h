#pragma once
// Command-line parsing (Boost.Program_options): options grouped by topic, then collated once into the typed
// settings of pipeline/settings.h. Nothing past this file sees an option string.

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "pipeline/settings.h"

namespace rarematch::cli {

/// `rarematch catalogue validate FILE...`
struct CatalogueValidateSettings {
  std::vector<std::string> catalogues;
  pipeline::ReferenceSettings reference;  ///< oncotree / hgnc, when given, enable those checks
  pipeline::Verbosity verbosity = pipeline::Verbosity::kNormal;
};

/// `rarematch catalogue convert IN -o OUT`
struct CatalogueConvertSettings {
  std::string input;
  std::string output;
};

/// `rarematch reference build --gff3 G --fasta F -o OUT`
struct ReferenceBuildSettings {
  std::string gene_model;    ///< GFF3 or GTF
  std::string fasta;
  std::string output;        ///< the bundle file to write
  std::string genome_build;  ///< e.g. "GRCh38"; empty: taken from the files
  bool windows_only = false; ///< store only the annotator's windows (small; no normalisation away from exons)
};

/// Text to print and exit 0 with (--help, --version).
struct PrintAndExit {
  std::string text;
};

using Command = std::variant<PrintAndExit, pipeline::RunSettings, pipeline::AnnotateSettings,
                             pipeline::MatchCommandSettings, CatalogueValidateSettings, CatalogueConvertSettings,
                             ReferenceBuildSettings>;

/// Parses argv into one command's settings. Throws rarematch::Error (kUsage) for an unknown command or option,
/// a missing required option or a bad value, with the command's --help as the hint.
Command parse_command_line(int argc, const char* const argv[]);

}  // namespace rarematch::cli
