// The config file: paths relative to it, every mistake with file:line:col, flags-friendly specs.
#include <catch2/catch.hpp>

#include "temp_dir.h"
#include "vetter/app/config.h"

using namespace vetter;

TEST_CASE("a config resolves paths against its own directory") {
  TempDir dir;
  const auto path = dir.write("conf/vetter.yaml", R"(
sources: [../defs]
inputs:
  - {source: hr-csv, path: hr.csv, columns: {hr.country: "Country of residence"}}
  - okta:logs/okta.jsonl
  - /abs/file.jsonl
geoip: {dir: ../geoip}
lists:
  ip: {corp: lists/corp.txt}
rules: [../rules/dprk]
review_threshold: 40
reorder_window: 2h
limits: {max_errors: 5, max_error_rate: 0.5}
)");
  model::CollectingDiagnostics diags;
  auto c = app::load_config(path, {}, diags);
  REQUIRE(c);
  CHECK(diags.items().empty());
  const auto base = (dir.path / "conf").string();
  CHECK(c->source_dirs == std::vector<std::string>{(dir.path / "defs").string()});
  REQUIRE(c->inputs.size() == 3);
  CHECK(c->inputs[0].source == "hr-csv");
  CHECK(c->inputs[0].path == base + "/hr.csv");
  CHECK(c->inputs[0].columns.at("hr.country") == "Country of residence");
  CHECK(c->inputs[0].where == path + ":4:5");
  CHECK(c->inputs[1].source == "okta");
  CHECK(c->inputs[1].path == base + "/logs/okta.jsonl");
  CHECK(c->inputs[2].source.empty());
  CHECK(c->inputs[2].path == "/abs/file.jsonl");
  CHECK(c->geoip.dir == (dir.path / "geoip").string());
  CHECK(c->ip_lists.at("corp") == base + "/lists/corp.txt");
  CHECK(c->review_threshold == 40);
  CHECK(c->reorder_allowance_us == 2LL * 3600 * 1'000'000);
  CHECK(c->max_errors == 5);
  CHECK(c->max_error_rate == 0.5);
}

TEST_CASE("config mistakes are all reported with file:line:col") {
  TempDir dir;
  const auto path = dir.write("vetter.yaml", R"(inputs:
  - {source: okta, pth: x.jsonl}
geoip: {folder: /x}
review_threshold: 140
reorder_window: soon
colour: blue
)");
  model::CollectingDiagnostics diags;
  auto c = app::load_config(path, {}, diags);
  CHECK_FALSE(c);
  std::vector<std::string> where;
  for (const auto& d : diags.items()) {
    CHECK(d.code == "E-CONFIG");
    where.push_back(d.where);
  }
  // Unknown keys first, then each section in reading order, then the range checks.
  CHECK(where == std::vector<std::string>{path + ":6:1", path + ":5:17", path + ":2:20",
                                          path + ":2:5", path + ":3:9", path + ":4:19"});
}

TEST_CASE("YAML syntax errors and missing files are one clear error") {
  TempDir dir;
  model::CollectingDiagnostics diags;
  CHECK_FALSE(app::load_config(dir.write("bad.yaml", "inputs: [okta:x\n"), {}, diags));
  REQUIRE(diags.items().size() == 1);
  CHECK(diags.items()[0].message.rfind("YAML syntax", 0) == 0);
  model::CollectingDiagnostics missing;
  CHECK_FALSE(app::load_config((dir.path / "nope.yaml").string(), {}, missing));
  CHECK(missing.items()[0].message.find("--config") != std::string::npos);
}

TEST_CASE("input specs") {
  CHECK(app::parse_input_spec("okta:/var/log/okta.jsonl").source == "okta");
  CHECK(app::parse_input_spec("okta:/var/log/okta.jsonl").path == "/var/log/okta.jsonl");
  CHECK(app::parse_input_spec("hr-csv:-").path == "-");
  CHECK(app::parse_input_spec("/var/log/a:b.jsonl").source.empty());
  CHECK(app::parse_input_spec("/var/log/a:b.jsonl").path == "/var/log/a:b.jsonl");
  CHECK(app::parse_input_spec("plain.jsonl").source.empty());
}

TEST_CASE("--timezone SOURCE=ZONE reaches named and auto-detected inputs and beats the config") {
  app::Config c;
  model::CollectingDiagnostics diags;
  REQUIRE(app::parse_time_zones({"asa=Europe/Berlin", "openvpn=UTC"}, c.source_timezones, diags));
  app::Input named = app::parse_input_spec("asa:/logs/asa.log");
  app::Input bare = app::parse_input_spec("/logs/fw.log");  // detected as asa later
  app::Input zoned = named;
  zoned.timezone = "America/New_York";  // the config's own `timezone:` for this input
  CHECK(app::input_time_zone(c, named, "asa") == "Europe/Berlin");
  CHECK(app::input_time_zone(c, bare, "asa") == "Europe/Berlin");
  CHECK(app::input_time_zone(c, zoned, "asa") == "Europe/Berlin");
  CHECK(app::input_time_zone(c, zoned, "globalprotect") == "America/New_York");
  CHECK(app::input_time_zone(c, bare, "globalprotect").empty());

  for (const char* bad : {"asa", "=UTC", "asa="}) {
    model::CollectingDiagnostics d;
    std::map<std::string, std::string> zones;
    CHECK_FALSE(app::parse_time_zones({bad}, zones, d));
    CHECK(d.has_code("E-CONFIG"));
  }
}

TEST_CASE("sources, rules and lists in a config add to the base's; default_rules drops the pack") {
  TempDir dir;
  app::Config base;
  base.source_dirs = {(dir.path / "shipped").string()};
  base.shipped_rule_paths = {(dir.path / "pack").string()};
  base.ip_lists = {{"kp_ranges", "kp.txt"}, {"corporate_egress", "shipped-egress.txt"}};
  const auto path = dir.write("vetter.yaml", R"(sources: [shipped, mine]
rules: [pack, tuning.yml]
lists:
  ip: {corporate_egress: egress.txt}
)");
  model::CollectingDiagnostics diags;
  auto c = app::load_config(path, base, diags);
  REQUIRE(c);
  CHECK(c->source_dirs ==
        std::vector<std::string>{(dir.path / "shipped").string(), (dir.path / "mine").string()});
  CHECK(app::effective_rule_paths(*c) ==
        std::vector<std::string>{(dir.path / "pack").string(), (dir.path / "tuning.yml").string()});
  CHECK(c->ip_lists.at("kp_ranges") == "kp.txt");
  CHECK(c->ip_lists.at("corporate_egress") == (dir.path / "egress.txt").string());

  const auto off =
      dir.write("off.yaml", "default_rules: false\nrules: [tuning.yml]\nstrict: yes\n");
  auto d = app::load_config(off, base, diags);
  REQUIRE(d);
  CHECK(app::effective_rule_paths(*d) ==
        std::vector<std::string>{(dir.path / "tuning.yml").string()});
  CHECK(d->strict);
  CHECK(diags.items().empty());
}
