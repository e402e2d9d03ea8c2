// The scan driver end to end on tiny inputs: exit codes, bad-input budget, unknown accounts.
#include <catch2/catch.hpp>

#include <optional>
#include <set>

#include "scan_context.h"
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
  c.default_rules = false;
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

namespace {

// A scan of `config_text` (written as vetter.yaml in `dir`); its exit code and diagnostics.
int scan_config(TempDir& dir, const std::string& config_text, model::CollectingDiagnostics& diags,
                app::ScanOutput& out) {
  const std::string path = dir.write("vetter.yaml", config_text);
  auto c = app::load_config(path, base_config(), diags);
  if (!c) return app::kExitUsage;
  return app::scan(*c, diags, out);
}

// A copy: CollectingDiagnostics::items() returns its list by value, so a pointer into it would
// dangle (ASan caught that here).
std::optional<model::Diagnostic> find_code(const model::CollectingDiagnostics& diags,
                                           const std::string& code) {
  for (const auto& d : diags.items()) {
    if (d.code == code) return d;
  }
  return std::nullopt;
}

const char* const kWorkdayHeader =
    "Employee_ID,Work_Email,Network_ID,Home_Address_Line_1,Home_City,Home_State,Time_Zone\n";

}  // namespace

TEST_CASE("a misspelt column in columns: is an error at the config's line, with a did-you-mean") {
  TempDir dir;
  dir.write("workers.csv", std::string(kWorkdayHeader) +
                               "E1,jo@corp.example,jo,1 Main St,Austin,TX,America/Chicago\n");
  model::CollectingDiagnostics diags;
  app::ScanOutput out;
  const int code = scan_config(dir, R"(inputs:
  - source: hr-csv
    path: workers.csv
    columns:
      employee_id: Employee_ID
      network_id: Netwrk_ID
      home_address: '{Home_Address_Line_1}, {Home_Cty}, {Home_State}'
)",
                               diags, out);
  CHECK(code == app::kExitUsage);
  const std::string config = (dir.path / "vetter.yaml").string();
  std::vector<std::string> where;
  for (const auto& d : diags.items()) {
    if (d.code == "E-INPUT-COLUMN") where.push_back(d.where);
  }
  CHECK(where == std::vector<std::string>{config + ":7:21", config + ":6:19"});
  const auto d = find_code(diags, "E-INPUT-COLUMN");
  REQUIRE(d);
  CHECK(d->message.find("did you mean 'Home_City'?") != std::string::npos);
}

TEST_CASE("a Workday-style export mapped by columns: alone resolves VPN names through Network_ID") {
  TempDir dir;
  dir.write("workers.csv", std::string(kWorkdayHeader) +
                               "E1,jo@corp.example,jdoe7,1 Main St,Austin,TX,"
                               "GMT-06:00 Central Time (Chicago)\n");
  // The VPN knows the worker only by the network id.
  dir.write("okta.jsonl", okta_line("2026-10-01T10:00:00Z", "jdoe7", "203.0.113.5"));
  model::CollectingDiagnostics diags;
  app::ScanOutput out;
  scan_config(dir, R"(inputs:
  - source: hr-csv
    path: workers.csv
    columns:
      employee_id: Employee_ID
      work_email: Work_Email
      network_id: Network_ID
      home_address: '{Home_Address_Line_1}, {Home_City}, {Home_State}'
      timezone: Time_Zone
  - okta:okta.jsonl
)",
              diags, out);
  CHECK(out.run.hr_workers == 1);
  CHECK(out.run.unknown_accounts.empty());
  CHECK_FALSE(find_code(diags, "W-INPUT-NOTHING"));
}

TEST_CASE("inputs that yield nothing are warned about; strict makes them exit 3") {
  TempDir dir;
  // Okta sign-ins read as ASA syslog: every line is skipped by the definition.
  dir.write("okta.jsonl", okta_line("2026-10-01T10:00:00Z", "jo@corp.example", "203.0.113.5"));
  dir.write("empty.log", "");
  const std::string inputs =
      "inputs:\n  - {source: asa, path: okta.jsonl}\n"
      "  - {source: asa, path: empty.log}\n";
  SECTION("warned, exit 0") {
    model::CollectingDiagnostics diags;
    app::ScanOutput out;
    CHECK(scan_config(dir, inputs, diags, out) == app::kExitClean);
    std::vector<std::string> messages;
    for (const auto& d : diags.items()) {
      if (d.code == "W-INPUT-NOTHING") messages.push_back(d.message);
    }
    REQUIRE(messages.size() == 2);
    CHECK(messages[0].find("1 records, 1 skipped") != std::string::npos);
    CHECK(messages[0].find("looks like 'okta'") != std::string::npos);
    CHECK(messages[1].find("no records") != std::string::npos);
  }
  SECTION("strict: exit 3") {
    model::CollectingDiagnostics diags;
    app::ScanOutput out;
    CHECK(scan_config(dir, inputs + "strict: true\n", diags, out) == app::kExitBadInput);
    CHECK(find_code(diags, "E-INPUT-NOTHING"));
  }
  SECTION("an HR export none of whose rows names a worker") {
    dir.write("people.csv", "Person,Mail\nE1,jo@corp.example\n");
    model::CollectingDiagnostics diags;
    app::ScanOutput out;
    scan_config(dir, "inputs: [hr-csv:people.csv]\n", diags, out);
    const auto d = find_code(diags, "W-INPUT-NOTHING");
    REQUIRE(d);
    CHECK(d->message.find("employee_id") != std::string::npos);
    CHECK(d->message.find("its header has: Person, Mail") != std::string::npos);
  }
}

TEST_CASE("rules, sources and lists in a config add to the shipped ones") {
  TempDir dir;
  dir.write("okta.jsonl", okta_line("2026-10-01T10:00:00Z", "jo@corp.example", "203.0.113.5"));
  dir.write("mine/extra.yml", R"(title: My tuning rule
id: 7d0c4a52-8a1e-4a3b-9a55-3c1b8f0b2d11
logsource: {category: authentication}
detection:
  sel: {user.name: nobody@corp.example}
  condition: sel
level: low
)");
  model::CollectingDiagnostics shipped_diags;
  auto shipped = app::load_rules(base_config(), shipped_diags);
  REQUIRE(shipped.size() > 10);
  SECTION("added") {
    model::CollectingDiagnostics diags;
    app::ScanOutput out;
    scan_config(dir,
                "inputs: [okta:okta.jsonl]\nrules: [mine]\nsources: [" +
                    std::string(VETTER_SOURCE_DIR) + "/rules/sources]\n",
                diags, out);
    CHECK(out.run.rules_loaded == shipped.size() + 1);
  }
  SECTION("the shipped pack dropped on purpose, and no rule at all is exit 2") {
    model::CollectingDiagnostics diags;
    app::ScanOutput out;
    CHECK(scan_config(dir, "inputs: [okta:okta.jsonl]\ndefault_rules: false\nrules: [mine]\n",
                      diags, out) != app::kExitUsage);
    CHECK(out.run.rules_loaded == 1);
    model::CollectingDiagnostics none;
    app::ScanOutput none_out;
    CHECK(scan_config(dir, "inputs: [okta:okta.jsonl]\ndefault_rules: false\n", none, none_out) ==
          app::kExitUsage);
    CHECK(find_code(none, "E-RULES-NONE"));
  }
}

TEST_CASE("HR time zones and countries vetter cannot read are counted once, with examples") {
  TempDir dir;
  dir.write("hr.csv",
            "employee_id,work_email,timezone,country\n"
            "E1,a@corp.example,GMT-06:00 Central Time (Chicago),United States of America\n"
            "E2,b@corp.example,Mars Time,Atlantis\n"
            "E3,c@corp.example,Mars Time,US\n");
  model::CollectingDiagnostics diags;
  app::ScanOutput out;
  scan_config(dir, "inputs: [hr-csv:hr.csv]\n", diags, out);
  std::vector<std::string> messages;
  for (const auto& d : diags.items()) {
    if (d.code == "W-HR-UNREAD") messages.push_back(d.message);
  }
  REQUIRE(messages.size() == 2);
  CHECK(messages[0].find("2 of 3 HR rows have a time zone vetter cannot read: 'Mars Time' (2)") ==
        0);
  CHECK(messages[1].find("1 of 3 HR rows have a country vetter cannot read: 'Atlantis' (1)") == 0);
}

TEST_CASE("the scan's passes run one by one over one context give scan()'s result") {
  const std::string formats = std::string(VETTER_SOURCE_DIR) + "/samples/formats/";
  auto c = base_config();
  c.hmac_key_file = std::string(VETTER_SOURCE_DIR) + "/samples/hmac.key";
  c.review_threshold = 0;
  c.inputs = {app::parse_input_spec("hr-csv:" + formats + "hr.csv"),
              app::parse_input_spec("okta:" + formats + "okta.jsonl"),
              app::parse_input_spec("asa:" + formats + "asa.log")};
  model::CollectingDiagnostics whole_diags;
  app::ScanOutput whole;
  const int whole_code = app::scan(c, whole_diags, whole);

  model::CollectingDiagnostics diags;
  app::ScanOutput out;
  app::ScanContext ctx(c, diags, out);
  REQUIRE(app::load_setup(ctx));
  CHECK(ctx.planned.size() == 3);
  CHECK(out.rules->size() == whole.rules->size());
  app::open_streams(ctx);
  CHECK(ctx.hr_streams.size() == 1);
  CHECK(ctx.log_streams.size() == 2);
  REQUIRE(app::read_hr(ctx));
  CHECK(ctx.directory.size() == whole.run.hr_workers);
  CHECK(out.run.events == 0);  // nothing went through the rules yet
  app::stream_logs(ctx, {});
  CHECK(out.run.events == whole.run.events);
  CHECK(out.run.unknown_accounts == whole.run.unknown_accounts);
  app::score_accounts(ctx);
  CHECK(app::exit_code(ctx) == whole_code);
  REQUIRE(out.scores.accounts.size() == whole.scores.accounts.size());
  for (std::size_t i = 0; i < out.scores.accounts.size(); ++i) {
    CHECK(out.scores.accounts[i].account == whole.scores.accounts[i].account);
    CHECK(out.scores.accounts[i].score == whole.scores.accounts[i].score);
  }
  CHECK(out.run.inputs.size() == whole.run.inputs.size());
}

TEST_CASE("setup is the first pass: a scan with no rule stops there, before any input is read") {
  TempDir dir;
  auto c = base_config();
  c.default_rules = false;
  c.rule_paths.clear();
  c.inputs = {app::parse_input_spec(
      "okta:" +
      dir.write("o.jsonl", okta_line("2026-10-01T10:00:00Z", "x@corp.example", "1.2.3.4")))};
  model::CollectingDiagnostics diags;
  app::ScanOutput out;
  app::ScanContext ctx(c, diags, out);
  CHECK_FALSE(app::load_setup(ctx));
  CHECK(diags.items().back().code == "E-RULES-NONE");
  CHECK(ctx.log_streams.empty());
  CHECK(out.run.events == 0);
}
