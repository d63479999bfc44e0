#pragma once
// The commands: each takes its typed settings, does the work through the libraries and returns the exit code.
// They throw rarematch::Error for failures; main() prints and maps them to exit codes.

#include "pipeline/cli/options.h"

namespace rarematch::cli {

/// Exit code of a run in which some samples failed under --keep-going.
inline constexpr int kExitSomeSamplesFailed = 3;

int run_command(const pipeline::RunSettings& settings);
int annotate_command(const pipeline::AnnotateSettings& settings);
int match_command(const pipeline::MatchCommandSettings& settings);
int catalogue_validate_command(const CatalogueValidateSettings& settings);
int catalogue_convert_command(const CatalogueConvertSettings& settings);
int reference_build_command(const ReferenceBuildSettings& settings);

}  // namespace rarematch::cli
