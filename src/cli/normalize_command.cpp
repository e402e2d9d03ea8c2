// `vetter normalize SOURCE:PATH...`: the normalized events as JSON Lines, to check a mapping.
#include <spdlog/spdlog.h>

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "vetter/app/config.h"
#include "vetter/app/scan.h"
#include "vetter/ingest/reader.h"
#include "vetter/model/time.h"
#include "vetter/sources/source.h"

namespace vetter::cli {
namespace {

struct NormalizeFlags {
  std::string config;
  std::vector<std::string> inputs;
  std::vector<std::string> sources;
  bool with_origin = false;
  std::string hmac_key_file;
  std::vector<std::string> timezones;  // SOURCE=ZONE
};

nlohmann::ordered_json to_json(const model::Event& e, bool with_origin) {
  nlohmann::ordered_json j;
  j["@timestamp"] = model::format_iso8601(e.time_us);
  e.for_each([&](model::FieldId id, const model::Value& v) {
    j[std::string(model::Fields::info(id).name)] = value_json(v);
  });
  if (with_origin) {
    j["log.file.path"] = std::string(e.origin.file);
    j["log.file.line"] = e.origin.line;
  }
  return j;
}

int run_normalize(const NormalizeFlags& f) {
  LogDiagnostics diags;
  model::CountingDiagnostics counted(diags);
  app::Config config = app::default_config(find_root());
  if (!f.config.empty()) {
    // The config's inputs with their columns:, time zones and key: the mapping a scan would use.
    auto loaded = app::load_config(f.config, std::move(config), counted);
    if (!loaded) return app::kExitUsage;
    config = std::move(*loaded);
  }
  config.source_dirs.insert(config.source_dirs.end(), f.sources.begin(), f.sources.end());
  if (!f.hmac_key_file.empty()) config.hmac_key_file = f.hmac_key_file;
  for (const auto& spec : f.inputs)
    config.inputs.push_back(app::parse_input_spec(spec));
  if (config.inputs.empty()) {
    spdlog::error("no inputs: give SOURCE:PATH arguments or --config with an `inputs:` list");
    return app::kExitUsage;
  }
  if (!app::parse_time_zones(f.timezones, config.source_timezones, counted)) return app::kExitUsage;
  sources::Catalog catalog;
  app::load_catalog(config, catalog, counted);
  if (counted.errors() > 0) return app::kExitUsage;

  std::uint64_t events = 0, bad = 0, skipped = 0;
  bool unreadable = false;
  for (const auto& input : config.inputs) {
    // As a scan plans it: a bare path is detected from its head, columns: and the time zone are
    // applied, and named columns are checked against a CSV header.
    auto planned = app::plan_input(config, catalog, input, counted);
    if (!planned) {
      if (counted.errors() > 0) return app::kExitUsage;
      continue;  // a path that matches no file (warned)
    }
    const sources::Source* source = planned->source.get();
    for (const auto& path : planned->paths) {
      ingest::ReadStats stats;
      unreadable |= !ingest::read_records(
          path, source->format(),
          [&](ingest::Record&& record) {
            model::Event e;
            // One record may yield several events (osquery batches: `rows:`).
            const sources::MapCounts counts =
                source->map_each(record, e, diags, [&](model::Event& event) {
                  ++events;
                  std::cout << to_json(event, f.with_origin).dump() << '\n';
                });
            skipped += counts.skipped;
            bad += counts.bad;
          },
          diags, stats);
      bad += stats.bad;
    }
  }
  spdlog::info("{} events, {} bad records, {} skipped by the source definition", events, bad,
               skipped);
  if (unreadable || bad > 0) return app::kExitBadInput;
  return 0;
}

}  // namespace

std::vector<Command> add_normalize_command(CLI::App& cli) {
  auto flags = std::make_shared<NormalizeFlags>();
  auto* cmd = cli.add_subcommand("normalize",
                                 "Print the normalized events of inputs as JSON Lines (before "
                                 "identity resolution and enrichment): "
                                 "the way to check a source definition");
  cmd->add_option("inputs", flags->inputs,
                  "Inputs as SOURCE:PATH (PATH may be a glob, a directory or -), added to the "
                  "config's");
  cmd->add_option("-c,--config", flags->config,
                  "Read the config's inputs as a scan would: its columns:, time zones, HMAC key "
                  "and source directories applied (the way to check a mapping)");
  cmd->add_option("--sources", flags->sources,
                  "Directory of source definitions, added to the shipped ones (repeatable)")
      ->allow_extra_args(false);  // one per flag, so positional inputs after it stay inputs
  cmd->add_option("--hmac-key-file", flags->hmac_key_file,
                  "Key for identity-document and bank-number hashes (default: $VETTER_HMAC_KEY)");
  cmd->add_option("--timezone", flags->timezones,
                  "SOURCE=ZONE: read SOURCE's timestamps that carry no offset as wall-clock time "
                  "in the IANA zone ZONE, e.g. asa=Europe/Berlin (repeatable; default: the "
                  "definition's `timezone:`, else UTC)")
      ->allow_extra_args(false);
  cmd->add_flag("--origin", flags->with_origin,
                "Add log.file.path and log.file.line to every event");
  cmd->footer(
      "Exit codes: 0 every record became an event or was skipped on purpose; 2 unknown source or "
      "bad "
      "definition; 3 an input could not be read or had bad records (each reported with "
      "file:line).");
  return {{cmd, [flags] { return run_normalize(*flags); }}};
}

}  // namespace vetter::cli
