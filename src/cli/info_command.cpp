// `vetter fields` and `vetter version`.
#include <fmt/format.h>

#include <iostream>

#include "commands.h"
#include "vetter/app/scan.h"
#include "vetter/model/field.h"

namespace vetter::cli {

std::vector<Command> add_info_commands(CLI::App& cli) {
  auto* fields_cmd =
      cli.add_subcommand("fields", "List the normalized event fields rules and sources use");
  auto* version_cmd = cli.add_subcommand("version", "Print the version");
  return {
      {fields_cmd,
       [] {
         for (const auto& f : model::Fields::all()) {
           std::cout << fmt::format("{:<36} {:<9} {}\n", f.name, model::to_string(f.type),
                                    f.description);
         }
         return 0;
       }},
      {version_cmd,
       [] {
         std::cout << "vetter " << app::version() << '\n';
         return 0;
       }},
  };
}

}  // namespace vetter::cli
