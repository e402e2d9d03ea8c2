// The scan driver end to end on tiny inputs: exit codes, bad-input budget, unknown accounts.
#include <catch2/catch.hpp>

#include <set>

#include "temp_dir.h"
#include "vetter/app/scan.h"

using namespace vetter;

namespace {

app::Config base_config() {
  auto c = app::default_config(VETTER_SOURCE_DIR);
  return c;
}

std::string okta_line(const std::string& time, const std::string& user, const std::string& ip) {
  return R"({"published":")" + time +
         R"(","eventType":"user.session.start","actor":{"alternateId":")" + user +
         R"("},"client":{"ipAddress":")" + ip + R"("},"outcome":{"result":"SUCCESS"}})" + "\n";
}

}  // namespace

TEST_CASE("a clean scan exits 0 and names accounts missing from HR") {
  TempDir dir;
  auto c = base_config();
  c.inputs = {app::parse_input_spec(
      "okta:" +
      dir.write("o.jsonl", okta_line("2026-10-01T10:00:00Z", "X@Corp.Example", "203.0.113.5")))};
  model::CollectingDiagnostics diags;
  app::ScanOutput out;
  CHECK(app::scan(c, diags, out) == app::kExitClean);
  CHECK(out.run.events == 1);
  CHECK(out.run.unknown_accounts == std::vector<std::string>{"x@corp.example"});
}

TEST_CASE("too much bad input is exit 3; a little is tolerated") {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 10; ++i)
    text += okta_line("2026-10-01T10:00:00Z", "a@corp.example", "203.0.113.5");
  text += "{not json\n";
  auto c = base_config();
  c.inputs = {app::parse_input_spec("okta:" + dir.write("o.jsonl", text))};
  {
    model::CollectingDiagnostics diags;
    app::ScanOutput out;
    c.max_error_rate = 0.5;
    CHECK(app::scan(c, diags, out) == app::kExitClean);
    CHECK(out.run.inputs.at(0).bad == 1);
    CHECK(out.run.bad_examples.size() == 1);
  }
  {
    model::CollectingDiagnostics diags;
    app::ScanOutput out;
    c.max_error_rate = 1;
    c.max_errors = 0;
    CHECK(app::scan(c, diags, out) == app::kExitBadInput);
    CHECK(diags.has_code("E-INPUT-BUDGET"));
  }
}

TEST_CASE("a missing input file is exit 3; an unknown source is exit 2") {
  auto c = base_config();
  {
    c.inputs = {app::parse_input_spec("okta:/nonexistent/okta.jsonl")};
    model::CollectingDiagnostics diags;
    app::ScanOutput out;
    CHECK(app::scan(c, diags, out) == app::kExitBadInput);
  }
  {
    c.inputs = {app::parse_input_spec("oktaa:/tmp/x.jsonl")};
    model::CollectingDiagnostics diags;
    app::ScanOutput out;
    CHECK(app::scan(c, diags, out) == app::kExitUsage);
    CHECK(diags.has_code("E-INPUT-SOURCE"));
  }
}

TEST_CASE("events later than the reorder window are named once, with what to do") {
  TempDir dir;
  const std::string rules = dir.write("late.yml", R"(title: a failure
id: 6a9f0f62-0000-4000-8000-000000000001
name: fails
logsource: {category: authentication}
detection:
  sel: {event.outcome: failure}
  condition: sel
---
title: failures per user
id: 6a9f0f62-0000-4000-8000-000000000002
correlation:
  type: event_count
  rules: [fails]
  group-by: [user.name]
  timespan: 10m
  condition: {gte: 2}
level: high
)");
  auto failed = [](std::string line) {
    line.replace(line.find("SUCCESS"), 7, "FAILURE");
    return line;
  };
  std::string text;
  for (const char* t : {"2026-10-01T10:00:00Z", "2026-10-01T13:00:00Z", "2026-10-01T13:01:00Z"})
    text += failed(okta_line(t, "bob@corp.example", "198.51.100.7"));
  auto c = base_config();
  c.rule_paths = {rules};
  c.reorder_allowance_us = 60LL * 1'000'000;
  SECTION("in order: no warning") {
    c.inputs = {app::parse_input_spec("okta:" + dir.write("a.jsonl", text))};
    model::CollectingDiagnostics diags;
    app::ScanOutput out;
    app::scan(c, diags, out);
    CHECK_FALSE(diags.has_code("W-RULES-LATE"));
  }
  SECTION("one event three hours late: counted and named") {
    text += failed(okta_line("2026-10-01T10:01:00Z", "bob@corp.example", "198.51.100.7"));
    c.inputs = {app::parse_input_spec("okta:" + dir.write("b.jsonl", text))};
    model::CollectingDiagnostics diags;
    app::ScanOutput out;
    app::scan(c, diags, out);
    CHECK(diags.has_code("W-RULES-LATE"));
  }
}

TEST_CASE("Okta's jane.doe@corp.example and the VPN's CORP\\jane.doe are one account through HR") {
  const std::string formats = std::string(VETTER_SOURCE_DIR) + "/samples/formats/";
  auto c = base_config();
  c.hmac_key_file = std::string(VETTER_SOURCE_DIR) + "/samples/hmac.key";
  c.review_threshold = 0;
  c.inputs = {app::parse_input_spec("hr-csv:" + formats + "hr.csv"),
              app::parse_input_spec("okta:" + formats + "okta.jsonl"),
              app::parse_input_spec("asa:" + formats + "asa.log")};
  model::CollectingDiagnostics diags;
  app::ScanOutput out;
  app::scan(c, diags, out);
  // The samples: Okta says "Jane.Doe@corp.example"; ASA says "CORP\jane.doe" and
  // "Username = jane.doe"; HR knows work_email Jane.Doe@corp.example and network_id jane.doe.
  // Every sample sign-in of hers comes from a test-GeoIP address in CN, which the shipped pack's
  // country rule flags, so her evidence lines name the files her events came from.
  std::set<std::string> files;
  for (const auto& account : out.scores.accounts) {
    if (account.account != "jane.doe@corp.example") continue;
    for (const auto& contribution : account.contributions)
      for (const rules::Hit* hit : contribution.hits)
        for (const auto& evidence : hit->evidence) {
          CHECK(evidence.account == "jane.doe@corp.example");
          files.insert(
              std::string(evidence.origin.file.substr(evidence.origin.file.rfind('/') + 1)));
        }
  }
  CHECK(files == std::set<std::string>{"asa.log", "okta.jsonl"});
  for (const auto& unknown : out.run.unknown_accounts) {
    CHECK(unknown.find("jane") == std::string::npos);
  }
}

TEST_CASE("an unknown time zone is reported where it was given") {
  const std::string asa = std::string(VETTER_SOURCE_DIR) + "/samples/formats/asa.log";
  auto where_of = [](const model::CollectingDiagnostics& diags) {
    for (const auto& d : diags.items())
      if (d.code == "E-SOURCE-TIMEZONE") return d.where;
    return std::string("(none)");
  };
  auto c = base_config();
  app::Input input = app::parse_input_spec("asa:" + asa);
  input.where = "conf.yaml:3:5";
  input.timezone = "Mars/Base";
  c.inputs = {input};
  {
    model::CollectingDiagnostics diags;
    app::ScanOutput out;
    CHECK(app::scan(c, diags, out) == app::kExitUsage);
    CHECK(where_of(diags).rfind("conf.yaml:3:5", 0) == 0);
  }
  c.source_timezones["asa"] = "Mars/Olympus";
  {
    model::CollectingDiagnostics diags;
    app::ScanOutput out;
    CHECK(app::scan(c, diags, out) == app::kExitUsage);
    CHECK(where_of(diags).rfind("--timezone asa=Mars/Olympus", 0) == 0);
  }
}
