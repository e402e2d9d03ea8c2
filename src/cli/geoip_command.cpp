// `vetter geoip lookup`: what enrichment attaches to an event from an address, to check a
// database or a list by hand.
#include <spdlog/spdlog.h>

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "vetter/app/config.h"
#include "vetter/app/scan.h"
#include "vetter/enrich/enricher.h"
#include "vetter/model/field.h"
#include "vetter/model/ip.h"

namespace vetter::cli {
namespace {

struct LookupFlags {
  std::string config;
  std::string geoip_dir;
  std::string city, asn, anonymous_ip, connection_type;
  std::vector<std::string> lists;  // NAME=FILE
  std::vector<std::string> ips;
};

int run_lookup(const LookupFlags& f) {
  LogDiagnostics log;
  model::CountingDiagnostics diags(log);

  // Every argument is checked before any database is opened: a typo costs nothing.
  std::vector<model::IpAddress> ips;
  bool bad_ip = false;
  for (const auto& text : f.ips) {
    if (auto ip = model::IpAddress::parse(text)) {
      ips.push_back(*ip);
    } else {
      spdlog::error("'{}' is not an IPv4 or IPv6 address (no port, host name or zone id)", text);
      bad_ip = true;
    }
  }
  if (bad_ip) return app::kExitUsage;

  // The same databases and lists a scan would use: the shipped defaults, then --config, then flags.
  app::Config config = app::default_config(find_root());
  if (!f.config.empty()) {
    auto loaded = app::load_config(f.config, std::move(config), diags);
    if (!loaded) return app::kExitUsage;
    config = std::move(*loaded);
  }
  if (!f.geoip_dir.empty() || !f.city.empty() || !f.asn.empty() || !f.anonymous_ip.empty() ||
      !f.connection_type.empty()) {
    config.geoip =
        enrich::GeoIpConfig{f.geoip_dir, f.city, f.asn, f.anonymous_ip, f.connection_type};
  }
  if (!f.lists.empty()) {
    config.ip_lists.clear();
    for (const auto& spec : f.lists) {
      const auto eq = spec.find('=');
      if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size()) {
        spdlog::error("--list '{}': expected NAME=FILE", spec);
        return app::kExitUsage;
      }
      config.ip_lists[spec.substr(0, eq)] = spec.substr(eq + 1);
    }
  }

  auto geoip = enrich::GeoIp::open(config.geoip, diags);
  enrich::IpLists lists;
  for (const auto& [name, path] : config.ip_lists)
    lists.load(name, path, diags);
  if (!geoip || diags.errors() > 0) return app::kExitUsage;
  for (const auto& line : geoip->describe())
    spdlog::info("using {}", line);

  enrich::Enricher enricher(geoip.get(), &lists, nullptr, &diags);
  auto out = nlohmann::ordered_json::array();
  const model::FieldId ip_field = model::Fields::id("source.ip");
  for (const auto& ip : ips) {
    model::Event event;
    event.set(ip_field, ip.to_string());
    enricher.enrich_source(event);
    // Every source.* field that came out non-absent, in catalogue order (as `vetter fields`).
    nlohmann::ordered_json fields = nlohmann::ordered_json::object();
    for (std::size_t i = 0; i < model::Fields::count(); ++i) {
      const auto id = static_cast<model::FieldId>(i);
      const auto& info = model::Fields::info(id);
      if (info.name.starts_with("source.") && !model::is_absent(event.get(id))) {
        fields[std::string(info.name)] = value_json(event.get(id));
      }
    }
    out.push_back(std::move(fields));
  }
  std::cout << out.dump(2) << '\n';
  return app::kExitClean;
}

}  // namespace

std::vector<Command> add_geoip_commands(CLI::App& cli) {
  auto* geoip_cmd = cli.add_subcommand("geoip", "Check GeoIP databases and IP lists");
  geoip_cmd->require_subcommand(1);
  auto flags = std::make_shared<LookupFlags>();
  auto* lookup = geoip_cmd->add_subcommand(
      "lookup",
      "Print, as JSON, the source.* fields enrichment would attach to an event from each IP");
  lookup->add_option("ips", flags->ips, "IPv4 or IPv6 addresses")->required();
  lookup->add_option("--config", flags->config,
                     "Take GeoIP databases and IP lists from this vetter.yaml");
  lookup->add_option(
      "--geoip-dir", flags->geoip_dir,
      "Directory of .mmdb files, found by database_type (default: the shipped geoip/)");
  lookup->add_option("--city", flags->city, "City (or Country) database");
  lookup->add_option("--asn", flags->asn, "ASN (or ISP) database");
  lookup->add_option("--anonymous-ip", flags->anonymous_ip, "Anonymous-IP database");
  lookup->add_option("--connection-type", flags->connection_type, "Connection-Type database");
  // One value per --list, so `--list a=f 10.0.0.1` leaves the address to the positionals.
  lookup
      ->add_option(
          "--list", flags->lists,
          "NAME=FILE list of IPs, CIDRs and AS numbers (AS21928), repeatable (default: the "
          "shipped rules/lists)")
      ->allow_extra_args(false);
  lookup->footer(
      "Output: a JSON array with one object per address, keyed by field name as in `vetter "
      "fields`.\n"
      "Database flags replace the default directory; explicit files win over --geoip-dir.\n"
      "Exit codes: 0 printed; 2 a bad address, list or database (a corrupt or missing file named\n"
      "explicitly, an unreadable directory).");
  return {{lookup, [flags] { return run_lookup(*flags); }}};
}

}  // namespace vetter::cli
