// rarematch: the command-line entry point. The only place that prints errors and chooses exit codes
// (0 success, 1 bad input, 2 bad usage, 3 some samples failed, 4 internal error).

#include <exception>
#include <iostream>
#include <new>

#include "pipeline/cli/commands.h"
#include "pipeline/cli/options.h"
#include "reference/error.h"

namespace {

template <typename... Handlers>
struct Overloaded : Handlers... {
  using Handlers::operator()...;
};
template <typename... Handlers>
Overloaded(Handlers...) -> Overloaded<Handlers...>;

int dispatch(const rarematch::cli::Command& command) {
  using namespace rarematch;
  return std::visit(Overloaded{
                        [](const cli::PrintAndExit& print) {
                          std::cout << print.text;
                          return 0;
                        },
                        [](const pipeline::RunSettings& s) { return cli::run_command(s); },
                        [](const pipeline::AnnotateSettings& s) { return cli::annotate_command(s); },
                        [](const pipeline::MatchCommandSettings& s) { return cli::match_command(s); },
                        [](const cli::CatalogueValidateSettings& s) { return cli::catalogue_validate_command(s); },
                        [](const cli::CatalogueConvertSettings& s) { return cli::catalogue_convert_command(s); },
                        [](const cli::ReferenceBuildSettings& s) { return cli::reference_build_command(s); },
                    },
                    command);
}

}  // namespace

int main(int argc, char* argv[]) {
  try {
    return dispatch(rarematch::cli::parse_command_line(argc, argv));
  } catch (const rarematch::Error& error) {
    std::cerr << "rarematch: " << error.message() << '\n';
    if (!error.hint().empty()) std::cerr << "  hint: " << error.hint() << '\n';
    return static_cast<int>(error.kind());
  } catch (const std::bad_alloc&) {
    std::cerr << "rarematch: out of memory\n  hint: use fewer --threads or split the cohort into several runs\n";
    return static_cast<int>(rarematch::ErrorKind::kInternal);
  } catch (const std::exception& error) {
    std::cerr << "rarematch: internal error: " << error.what() << "\n  hint: please report this with the command line\n";
    return static_cast<int>(rarematch::ErrorKind::kInternal);
  }
}
