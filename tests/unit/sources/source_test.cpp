// Source definitions: loading (and refusing) YAML, mapping records to events, HR overrides.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "sources_test_support.h"
#include "vetter/model/field.h"
#include "vetter/model/ip.h"
#include "vetter/model/keys.h"
#include "vetter/model/time.h"
#include "vetter/sources/source.h"

using namespace vetter;
using namespace vetter::sources::testing;
using model::Fields;

namespace {

const model::Value& field(const model::Event& e, std::string_view name) {
  return e.get(Fields::id(name));
}

std::string text(const model::Event& e, std::string_view name) {
  return std::string(e.str(Fields::id(name)));
}

ingest::Record record(nlohmann::json data, std::string_view file = "in.log",
                      std::uint64_t line = 7) {
  return ingest::Record{std::move(data), model::Origin{file, line}};
}

const sources::Catalog& shipped() {
  static const sources::Catalog catalog = load_shipped();
  return catalog;
}

std::vector<model::Event> map_file(const sources::Source& source, const std::string& path,
                                   model::CollectingDiagnostics& diags) {
  std::vector<model::Event> events;
  ingest::ReadStats stats;
  ingest::read_records(
      path, source.format(),
      [&](ingest::Record&& r) {
        model::Event e;
        if (source.map(r, e, diags)) events.push_back(std::move(e));
      },
      diags, stats);
  return events;
}

// The first load error's code for a syslog definition with `body` added ("" when none); the
// definition must not load.
std::string first_syslog_load_error(TempDir& tmp, const std::string& body) {
  sources::Catalog catalog;
  model::CollectingDiagnostics diags;
  CHECK_FALSE(catalog.load_file(tmp.write("bad.yaml",
                                          "name: b\nformat: syslog\ncategory: c\n"
                                          "timestamp: ts\nfields: {host.name: h}\n" +
                                              body),
                                diags));
  return diags.items().empty() ? std::string() : diags.items()[0].code;
}

}  // namespace

TEST_CASE("every shipped definition loads") {
  const auto names = shipped().names();
  for (const char* expected : {"hr-csv", "okta", "okta-json"}) {
    CHECK(std::find(names.begin(), names.end(), expected) != names.end());
  }
  REQUIRE(shipped().find("okta") != nullptr);
  CHECK(shipped().find("okta")->format() == ingest::Format::kJsonLines);
  CHECK(shipped().find("okta-json")->format() == ingest::Format::kJson);
  CHECK(shipped().find("hr-csv")->category() == "hr");
  CHECK(shipped().find("nope") == nullptr);
}

TEST_CASE("okta: the sample maps to normalized events") {
  const sources::Source& okta = *shipped().find("okta");
  model::CollectingDiagnostics diags;
  const std::string path = "samples/formats/okta.jsonl";
  auto events = map_file(okta, path, diags);
  CHECK(diags.items().empty());
  REQUIRE(events.size() == 2);
  const model::Event& e = events[0];
  CHECK(e.time_us == *model::parse_iso8601("2026-10-01T08:02:11Z"));
  CHECK(e.origin.line == 1);
  CHECK(e.origin.file == path);
  CHECK(text(e, "event.source") == "okta");
  CHECK(text(e, "event.category") == "authentication");
  CHECK(text(e, "event.action") == "user.session.start");
  CHECK(text(e, "event.outcome") == "success");
  CHECK(text(e, "user.original") == "Jane.Doe@corp.example");
  CHECK(text(e, "user.email") == "jane.doe@corp.example");
  CHECK(text(e, "user.id") == "00u1qw1mqitPHM8AJ0g7");
  CHECK(text(e, "source.ip") == "175.16.199.1");
  CHECK(text(e, "vendor.geo.city") == "Dublin");
  CHECK(text(e, "vendor.geo.country") == "United States");
  CHECK(std::get<double>(field(e, "vendor.geo.location.lat")) == Approx(37.7201));
  CHECK(text(e, "host.name") == "MacBookPro16,1");
  CHECK(model::is_absent(field(e, "user.name")));  // identity's job, not the mapper's
  CHECK(text(events[1], "event.outcome") == "failure");
  CHECK(events[1].time_us % 1'000'000 == 123'000);
}

TEST_CASE("okta: the doc example's 2017-09-31 is a bad record reported with file:line") {
  const sources::Source& okta = *shipped().find("okta");
  model::CollectingDiagnostics diags;
  model::Event e;
  auto r = record({{"published", "2017-09-31T22:23:07.777Z"},
                   {"actor", {{"alternateId", "admin@example.com"}}}},
                  "okta.jsonl", 4);
  CHECK_FALSE(okta.map(r, e, diags));
  CHECK(codes(diags) == std::vector<std::string>{"E-INPUT-TIME@okta.jsonl:4"});
  model::CollectingDiagnostics none;
  CHECK_FALSE(okta.map(record({{"eventType", "x"}}, "okta.jsonl", 5), e, none));
  CHECK(codes(none) == std::vector<std::string>{"E-INPUT-TIME@okta.jsonl:5"});
}

TEST_CASE("okta: unknown outcomes map to the default, bad IPs warn once per source") {
  const sources::Source& okta = *shipped().find("okta");
  model::CollectingDiagnostics diags;
  for (int i = 0; i < 3; ++i) {
    model::Event e;
    REQUIRE(okta.map(record({{"published", "2026-10-01T10:00:00Z"},
                             {"client", {{"ipAddress", "not-an-ip"}}},
                             {"outcome", {{"result", "CHALLENGE"}}}}),
                     e, diags));
    CHECK(model::is_absent(field(e, "source.ip")));
    CHECK(text(e, "event.outcome") == "unknown");
  }
  CHECK(codes(diags) == std::vector<std::string>{"W-INPUT-VALUE@in.log:7"});
  model::Event v6;
  REQUIRE(okta.map(
      record({{"published", "2026-10-01T10:00:00Z"}, {"client", {{"ipAddress", "2001:DB8::1"}}}}),
      v6, diags));
  CHECK(text(v6, "source.ip") == "2001:db8::1");
  CHECK(text(v6, "event.outcome") == "unknown");  // absent outcome takes the default too
}

TEST_CASE("okta-json reads the API's array") {
  TempDir tmp;
  const std::string path = tmp.write(
      "okta.json",
      "[\n{\"published\":\"2026-10-01T08:00:00Z\",\"actor\":{\"alternateId\":\"a@x.example\"}},\n"
      "{\"published\":\"2026-10-01T09:00:00Z\",\"actor\":{\"alternateId\":\"b@x.example\"}}\n]\n");
  model::CollectingDiagnostics diags;
  auto events = map_file(*shipped().find("okta-json"), path, diags);
  CHECK(diags.items().empty());
  REQUIRE(events.size() == 2);
  CHECK(text(events[1], "user.email") == "b@x.example");
  CHECK(events[1].origin.line == 3);
  CHECK(text(events[1], "event.source") == "okta-json");
}

TEST_CASE("hr-csv: the sample rows become HR events") {
  const sources::Source& hr = *shipped().find("hr-csv");
  model::CollectingDiagnostics diags;
  auto events = map_file(hr, "samples/formats/hr.csv", diags);
  CHECK(diags.items().empty());
  REQUIRE(events.size() == 3);
  const model::Event& jane = events[0];
  CHECK(jane.time_us == *model::parse_iso8601("2025-03-17T00:00:00Z"));
  CHECK(text(jane, "event.category") == "hr");
  CHECK(text(jane, "event.action") == "hr_record");
  CHECK(text(jane, "hr.employee_id") == "E1001");
  CHECK(text(jane, "user.email") == "jane.doe@corp.example");
  CHECK(text(jane, "user.original") == "Jane.Doe@corp.example");
  CHECK(std::get<std::vector<std::string>>(field(jane, "user.aliases")) ==
        std::vector<std::string>{"Jane.Doe@corp.example", "jane.doe", "E1001"});
  CHECK(text(jane, "hr.timezone") == "America/Chicago");
  // Comparison keys (model/keys.h), not the raw cells.
  CHECK(text(jane, "hr.address_key") == "123 main st unit 4 austin tx");
  CHECK(text(jane, "hr.ship_to_key") == "123 main st unit 4 austin tx");
  CHECK(text(jane, "hr.phone") == "+15125550100");
  CHECK(text(events[1], "hr.ship_to_key") == "456 oak ave fargo nd");
  CHECK(text(events[2], "hr.ship_to_key") == "456 oak ave fargo nd");  // Raj's ship-to
  CHECK(text(events[2], "hr.address_key") == "77 pine st unit 2 seattle wa");
  CHECK(text(jane, "hr.personal_email") == "jane.doe.home@example.com");
  CHECK(text(jane, "hr.hire_date") == "2025-03-17");
  // An empty cell is absent, never "" that would match another worker's empty cell.
  CHECK(model::is_absent(field(events[1], "hr.personal_email")));
  // No hire date: time 0, not a bad record.
  CHECK(events[2].time_us == 0);
  CHECK(text(events[2], "hr.status") == "candidate");
  CHECK(events[2].origin.line == 4);
}

TEST_CASE("hr-csv: an impossible hire date is a bad record") {
  const sources::Source& hr = *shipped().find("hr-csv");
  model::CollectingDiagnostics diags;
  model::Event e;
  CHECK_FALSE(
      hr.map(record({{"employee_id", "E9"}, {"hire_date", "2026-02-30"}}, "hr.csv", 3), e, diags));
  CHECK(codes(diags) == std::vector<std::string>{"E-INPUT-TIME@hr.csv:3"});
}

TEST_CASE("with_overrides: the company's own HR column names") {
  model::CollectingDiagnostics diags;
  auto hr = shipped().with_overrides("hr-csv",
                                     {{"user.email", "Work E-mail"},
                                      {"hr.country", "Country of residence"},
                                      {"@timestamp", "Start"}},
                                     diags);
  REQUIRE(hr);
  CHECK(diags.items().empty());
  CHECK(hr->name() == "hr-csv");
  model::Event e;
  REQUIRE(hr->map(record({{"employee_id", "E7"},
                          {"Work E-mail", "Sam.Roe@corp.example"},
                          {"network_id", "sroe"},
                          {"Country of residence", "CA"},
                          {"country", "US"},
                          {"Start", "2024-05-01"}}),
                  e, diags));
  CHECK(text(e, "user.email") == "sam.roe@corp.example");
  CHECK(text(e, "user.original") == "Sam.Roe@corp.example");  // followed the renamed column
  CHECK(std::get<std::vector<std::string>>(field(e, "user.aliases")) ==
        std::vector<std::string>{"Sam.Roe@corp.example", "sroe", "E7"});
  CHECK(text(e, "hr.country") == "CA");
  CHECK(e.time_us == *model::parse_iso8601("2024-05-01T00:00:00Z"));
  // The shipped definition itself is unchanged.
  model::Event plain;
  REQUIRE(shipped().find("hr-csv")->map(record({{"country", "US"}, {"Country of residence", "CA"}}),
                                        plain, diags));
  CHECK(text(plain, "hr.country") == "US");

  model::CollectingDiagnostics bad;
  CHECK(shipped().with_overrides("hr-csv", {{"hr.contry", "Country"}}, bad) == nullptr);
  CHECK(bad.has_code("E-SOURCE-FIELD"));
  CHECK(bad.items().front().message.find("did you mean 'hr.country'?") != std::string::npos);
  CHECK(shipped().with_overrides("nope", {}, bad) == nullptr);
  CHECK(bad.has_code("E-SOURCE-UNKNOWN"));
}

TEST_CASE("columns: a key names one of the definition's own columns, and every field follows") {
  // A Workday-style export: hr-csv's columns under the company's own names, the home address
  // in three columns.
  model::CollectingDiagnostics diags;
  auto hr = shipped().with_overrides(
      "hr-csv",
      {{"employee_id", "Employee_ID"},
       {"work_email", "Work_Email"},
       {"network_id", "Network_ID"},
       {"home_address", "{Home_Address_Line_1}, {Home_City}, {Home_State}"},
       {"ship_to_address", "Equipment_Ship_To"},
       {"timezone", "Time_Zone"}},
      diags);
  REQUIRE(hr);
  CHECK(diags.items().empty());
  model::Event e;
  REQUIRE(hr->map(record({{"Employee_ID", "E7"},
                          {"Work_Email", "Sam.Roe@corp.example"},
                          {"Network_ID", "sroe"},
                          {"network_id", "not-this-one"},
                          {"Home_Address_Line_1", "12 Sunset Blvd."},
                          {"Home_City", "Austin"},
                          {"Home_State", "TX"},
                          {"Equipment_Ship_To", "12 sunset boulevard, austin, tx"},
                          {"Time_Zone", "GMT-06:00 Central Time (Chicago)"}}),
                  e, diags));
  CHECK(text(e, "hr.employee_id") == "E7");
  CHECK(text(e, "user.email") == "sam.roe@corp.example");
  // The alias list follows each renamed column: VPN user names (Network_ID) resolve.
  CHECK(std::get<std::vector<std::string>>(field(e, "user.aliases")) ==
        std::vector<std::string>{"Sam.Roe@corp.example", "sroe", "E7"});
  // One address key from three columns, equal to the one-string spelling's.
  CHECK(text(e, "hr.address_key") == "12 sunset blvd austin tx");
  CHECK(text(e, "hr.address_key") == text(e, "hr.ship_to_key"));
  CHECK(text(e, "hr.timezone") == "America/Chicago");

  SECTION("a template with every column empty leaves the field absent") {
    model::Event empty;
    REQUIRE(hr->map(record({{"Employee_ID", "E8"}, {"Home_City", ""}}), empty, diags));
    CHECK(model::is_absent(field(empty, "hr.address_key")));
  }
  SECTION("the definition's columns and the fields reading them") {
    const auto columns = shipped().find("hr-csv")->columns();
    CHECK(std::find(columns.begin(), columns.end(), "network_id") != columns.end());
    CHECK(shipped().find("hr-csv")->fields_reading("work_email") ==
          std::vector<std::string>{"user.email", "user.original", "user.aliases"});
    CHECK(hr->fields_reading("Home_City") == std::vector<std::string>{"hr.address_key"});
  }
  SECTION("a key that is neither a column nor a field: did-you-mean, at the config's place") {
    model::CollectingDiagnostics bad;
    const std::map<std::string, std::string> at = {{"netwrk_id", "vetter.yaml:9:9"}};
    CHECK(shipped().with_overrides("hr-csv", {{"netwrk_id", "Network_ID"}}, bad, {}, &at) ==
          nullptr);
    REQUIRE(bad.items().size() == 1);
    CHECK(bad.items()[0].code == "E-SOURCE-COLUMN");
    CHECK(bad.items()[0].where == "vetter.yaml:9:9");
    CHECK(bad.items()[0].message.find("did you mean 'network_id'?") != std::string::npos);
  }
  SECTION("a malformed template") {
    model::CollectingDiagnostics bad;
    CHECK(shipped().with_overrides("hr-csv", {{"home_address", "{Line_1, {City}"}}, bad) ==
          nullptr);
    CHECK(bad.has_code("E-SOURCE-COLUMN"));
  }
}

TEST_CASE("a source definition's field can be a template of columns") {
  TempDir tmp;
  sources::Catalog catalog;
  model::CollectingDiagnostics diags;
  REQUIRE(
      catalog.load_file(
          tmp.write("def.yaml",
                    "name: x\nformat: jsonl\ncategory: hr\ntimestamp: {from: t, optional: true}\n"
                    "fields:\n"
                    "  hr.address_key: {template: '{street}, {city} {{x}}', normalize: address}\n"
                    "  user.aliases: [{template: '{dom}\\{user}'}]\n"),
          diags) == false);  // a list item is a path, not a template: reported
  model::CollectingDiagnostics ok_diags;
  REQUIRE(catalog.load_file(
      tmp.write("def2.yaml",
                "name: y\nformat: jsonl\ncategory: hr\ntimestamp: {from: t, optional: true}\n"
                "fields:\n"
                "  hr.address_key: {template: '{street}, {city}', normalize: address}\n"
                "  hr.city: {template: '{city} ({state})'}\n"),
      ok_diags));
  model::Event e;
  REQUIRE(catalog.find("y")->map(record({{"street", "1 Main St"}, {"city", "Oslo"}}), e, diags));
  CHECK(text(e, "hr.address_key") == "1 main st oslo");
  CHECK(text(e, "hr.city") == "Oslo ()");
  model::CollectingDiagnostics bad;
  CHECK_FALSE(catalog.load_file(tmp.write("def3.yaml",
                                          "name: z\nformat: jsonl\ncategory: hr\ntimestamp: t\n"
                                          "fields:\n  hr.city: {template: 'no holes'}\n"),
                                bad));
  CHECK(bad.has_code("E-SOURCE-VALUE"));
}

TEST_CASE("normalize: timezone reads HR tools' zone labels") {
  using sources::iana_zone_for;
  CHECK(iana_zone_for("America/Chicago") == "America/Chicago");
  CHECK(iana_zone_for("GMT-06:00 Central Time (Chicago)") == "America/Chicago");
  CHECK(iana_zone_for("(GMT-05:00) Eastern Time (New York)") == "America/New_York");
  CHECK(iana_zone_for("GMT-08:00 Pacific Time (Los Angeles)") == "America/Los_Angeles");
  CHECK(iana_zone_for("GMT+09:00 Korea Standard Time (Pyongyang)") == "Asia/Pyongyang");
  CHECK(iana_zone_for("GMT+01:00 Central European Time (Berlin)") == "Europe/Berlin");
  CHECK(iana_zone_for("Mountain Time") == "America/Denver");
  CHECK(iana_zone_for("GMT-03:00 Somewhere (Nowhere Town)") == "Etc/GMT+3");
  CHECK(iana_zone_for("GMT+05:30 India Standard Time (Mumbai)") == "Asia/Kolkata");
  CHECK(iana_zone_for("Central-ish").empty());
  CHECK(iana_zone_for("").empty());
}

TEST_CASE("load errors carry file:line:col and a stable code") {
  TempDir tmp;
  auto load = [&](const std::string& yaml, model::CollectingDiagnostics& diags) {
    sources::Catalog c;
    bool ok = c.load_file(tmp.write("def.yaml", yaml), diags);
    CHECK(ok == (c.find("x") != nullptr));
    return ok;
  };
  const std::string file = (tmp.dir / "def.yaml").string();
  const std::string head = "name: x\nformat: jsonl\ncategory: vpn\ntimestamp: t\n";

  SECTION("unknown target field") {
    model::CollectingDiagnostics d;
    CHECK_FALSE(load(head + "fields:\n  user.email: a\n  user.emial: b\n", d));
    CHECK(codes(d) == std::vector<std::string>{"E-SOURCE-FIELD@" + file + ":7:3"});
  }
  SECTION("unknown keys, options and formats") {
    model::CollectingDiagnostics d;
    CHECK_FALSE(
        load("name: x\nformat: xml\ncategory: vpn\ntimestamp: t\nfeilds: {}\nfields:\n"
             "  user.email: {form: a}\n",
             d));
    CHECK(codes(d) == std::vector<std::string>{
                          "E-SOURCE-KEY@" + file + ":5:1", "E-SOURCE-VALUE@" + file + ":2:9",
                          "E-SOURCE-KEY@" + file + ":7:16", "E-SOURCE-VALUE@" + file + ":7:15"});
  }
  SECTION("missing required keys") {
    model::CollectingDiagnostics d;
    CHECK_FALSE(load("name: x\nfields: {}\n", d));
    CHECK(d.count(model::Severity::kError) == 3);  // format, category, timestamp
  }
  SECTION("a regex RE2 refuses, and one without named groups") {
    model::CollectingDiagnostics d;
    CHECK_FALSE(load(head + "pattern:\n  - 'User <(?P<u>[^>]+)'\n  - '(unclosed'\n  - 'x(y)'\n"
                            "fields: {user.original: u}\n",
                     d));
    CHECK(codes(d) == std::vector<std::string>{"E-SOURCE-PATTERN@" + file + ":7:5",
                                               "E-SOURCE-PATTERN@" + file + ":8:5"});
  }
  SECTION("bad timestamp formats and constants") {
    model::CollectingDiagnostics d;
    CHECK_FALSE(
        load("name: x\nformat: jsonl\ncategory: vpn\ntimestamp: {from: t, format: '%Q'}\n"
             "fields:\n  source.port: {constant: abc}\n  '@timestamp': t\n",
             d));
    CHECK(codes(d) == std::vector<std::string>{"E-SOURCE-TIME@" + file + ":4:30",
                                               "E-SOURCE-VALUE@" + file + ":6:27",
                                               "E-SOURCE-FIELD@" + file + ":7:3"});
  }
  SECTION("YAML syntax") {
    model::CollectingDiagnostics d;
    CHECK_FALSE(load("name: x\nfields: [\n", d));
    REQUIRE(d.items().size() == 1);
    CHECK(d.items()[0].code == "E-SOURCE-YAML");
    CHECK(d.items()[0].where.rfind(file + ":", 0) == 0);
  }
  SECTION("odd documents: empty, a scalar, a sequence as a key") {
    for (const std::string& text :
         {std::string(""), std::string("hello\n"), head + "fields:\n  ? [a, b]\n  : c\n"}) {
      model::CollectingDiagnostics d;
      CHECK_FALSE(load(text, d));
      REQUIRE(d.items().size() == 1);
      CHECK(d.items()[0].code == "E-SOURCE-YAML");
    }
  }
  SECTION("a user's directory overrides a shipped definition of the same name") {
    sources::Catalog c;
    model::CollectingDiagnostics d;
    REQUIRE(c.load_dir("rules/sources", d));
    tmp.write("okta.yaml",
              "name: okta\nformat: csv\ncategory: authentication\ntimestamp: t\nfields: {}\n");
    REQUIRE(c.load_dir(tmp.dir.string(), d));
    CHECK(c.find("okta")->format() == ingest::Format::kCsv);
    CHECK(codes(d) ==
          std::vector<std::string>{"I-SOURCE-REPLACED@" + (tmp.dir / "okta.yaml").string()});
    CHECK(d.count(model::Severity::kError) == 0);
  }
}

TEST_CASE("syslog definitions: RE2 named groups, maps, time patterns, skips") {
  TempDir tmp;
  const std::string def = tmp.write("vpn.yaml", R"(
name: testvpn
format: syslog
category: vpn
pattern:
  - '^(?P<ts>\w{3} +\d+(?: \d{4})? \d\d:\d\d:\d\d) \S+ : %ASA-\d-(?P<msgid>113039): Group <(?P<group>[^>]*)> User <(?P<user>[^>]*)> IP <(?P<ip>[^>]*)>'
  - '^(?P<ts>\w{3} +\d+(?: \d{4})? \d\d:\d\d:\d\d) \S+ : %ASA-\d-(?P<msgid>113005): .*user = (?P<user>\S+)'
timestamp: {from: ts, format: ['%b %d %Y %H:%M:%S', '%b %e %H:%M:%S']}
fields:
  user.original: user
  source.ip: ip
  event.action: {from: msgid, map: {'113039': session-start, '113005': auth-failure}}
  event.outcome: {from: msgid, map: {'113005': failure}, default: success}
  user.aliases: {from: [user, group], lower: true}
  source.port: {constant: 443}
)");
  sources::Catalog catalog;
  model::CollectingDiagnostics diags;
  REQUIRE(catalog.load_file(def, diags));
  const sources::Source& vpn = *catalog.find("testvpn");
  CHECK(vpn.format() == ingest::Format::kSyslog);

  model::Event e;
  auto r = record({{"pri", 166},
                   {"message",
                    "Oct 01 2026 08:02:11 asa-vpn-01 : %ASA-6-113039: Group <GP-Corp> "
                    "User <CORP\\Jane.Doe> IP <203.0.113.24> AnyConnect parent session "
                    "started."}});
  REQUIRE(vpn.map_record(r, e, diags) == sources::MapResult::kEvent);
  CHECK(e.time_us == *model::parse_iso8601("2026-10-01T08:02:11Z"));
  CHECK(text(e, "user.original") == "CORP\\Jane.Doe");
  CHECK(text(e, "source.ip") == "203.0.113.24");
  CHECK(text(e, "event.action") == "session-start");
  CHECK(text(e, "event.outcome") == "success");
  CHECK(text(e, "event.category") == "vpn");
  CHECK(std::get<std::int64_t>(field(e, "source.port")) == 443);
  CHECK(std::get<std::vector<std::string>>(field(e, "user.aliases")) ==
        std::vector<std::string>{"corp\\jane.doe", "gp-corp"});

  SECTION("a year-less timestamp lands within the last year") {
    model::Event f;
    auto y = record({{"message",
                      "Jan  2 03:04:05 asa : %ASA-6-113005: AAA user authentication "
                      "Rejected : reason = x : server = 10.0.0.1 : user = bob"}});
    REQUIRE(vpn.map_record(y, f, diags) == sources::MapResult::kEvent);
    const std::int64_t now = std::chrono::duration_cast<std::chrono::microseconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count();
    CHECK(f.time_us <= now + 86'400'000'000LL);
    CHECK(f.time_us > now - 367LL * 86'400'000'000LL);
    CHECK(model::format_iso8601(f.time_us).substr(4) == "-01-02T03:04:05Z");
    CHECK(text(f, "event.outcome") == "failure");
    CHECK(text(f, "user.original") == "bob");
  }
  SECTION("lines no pattern matches are skipped without a report") {
    model::Event f;
    model::CollectingDiagnostics quiet;
    CHECK(vpn.map_record(record({{"message", "Oct 01 2026 08:02:11 asa : %ASA-6-302013: Built"}}),
                         f, quiet) == sources::MapResult::kSkipped);
    CHECK(quiet.items().empty());
  }
  CHECK(diags.items().empty());
}

TEST_CASE("epoch timestamps, filters and type conversion") {
  TempDir tmp;
  const std::string def = tmp.write("e.yaml", R"(
name: epochs
format: jsonl
category: session
timestamp: {from: [ms, ns], format: [epoch_ms, epoch_ns]}
unmatched: error
filter: {kind: [login, logout]}
fields:
  event.duration_s: dur
  user.in_hr: flag
  source.geo.location.lat: lat
  source.lists: {from: lists, split: ';'}
)");
  sources::Catalog catalog;
  model::CollectingDiagnostics diags;
  REQUIRE(catalog.load_file(def, diags));
  const sources::Source& s = *catalog.find("epochs");
  model::Event e;
  REQUIRE(s.map_record(record({{"kind", "login"},
                               {"ms", 1759305731123LL},
                               {"dur", "3600"},
                               {"flag", "yes"},
                               {"lat", "51.5"},
                               {"lists", "a; b;;c"}}),
                       e, diags) == sources::MapResult::kEvent);
  CHECK(e.time_us == 1759305731123000LL);
  CHECK(std::get<std::int64_t>(field(e, "event.duration_s")) == 3600);
  CHECK(std::get<bool>(field(e, "user.in_hr")) == true);
  CHECK(std::get<double>(field(e, "source.geo.location.lat")) == 51.5);
  CHECK(std::get<std::vector<std::string>>(field(e, "source.lists")) ==
        std::vector<std::string>{"a", "b", "c"});

  model::Event ns;
  REQUIRE(s.map_record(record({{"kind", "logout"}, {"ns", "1587230627698970007"}, {"dur", "x"}}),
                       ns, diags) == sources::MapResult::kEvent);
  CHECK(ns.time_us == 1587230627698970LL);
  CHECK(model::is_absent(field(ns, "event.duration_s")));
  CHECK(diags.has_code("W-INPUT-VALUE"));

  model::Event skipped;
  CHECK(s.map_record(record({{"kind", "other"}, {"ms", 1}}), skipped, diags) ==
        sources::MapResult::kSkipped);
}

TEST_CASE("strftime-like timestamp patterns: fractions, zones, month names") {
  TempDir tmp;
  const std::string def = tmp.write("p.yaml", R"(
name: patterns
format: jsonl
category: session
timestamp: {from: t, format: ['%Y/%m/%d %H:%M:%S.%f %z', '%d %b %Y %H:%M:%S', '%Y-%m-%d']}
fields: {user.original: u}
)");
  sources::Catalog catalog;
  model::CollectingDiagnostics diags;
  REQUIRE(catalog.load_file(def, diags));
  const sources::Source& s = *catalog.find("patterns");
  auto time_of = [&](std::string t) -> std::string {
    model::Event e;
    if (!s.map(record({{"t", t}}), e, diags)) return "bad";
    return model::format_iso8601(e.time_us);
  };
  CHECK(time_of("2026/10/01 10:02:11.25 +02:00") == "2026-10-01T08:02:11.250000Z");
  CHECK(time_of("2026/10/01 03:02:11.000001 -0500") == "2026-10-01T08:02:11.000001Z");
  CHECK(time_of("2026/10/01 08:02:11.5 Z") == "2026-10-01T08:02:11.500000Z");
  CHECK(time_of("01 October 2026 08:02:11") == "2026-10-01T08:02:11Z");  // full month name
  CHECK(time_of("1 oct 2026 08:02:11") == "2026-10-01T08:02:11Z");
  CHECK(time_of("2026-10-01") == "2026-10-01T00:00:00Z");  // a pattern without a time
  CHECK(time_of("31 Sep 2026 08:02:11") == "bad");         // impossible date
  CHECK(time_of("01 Oct 2026 24:00:00") == "bad");
  CHECK(time_of("2026/10/01 08:02:11.5 +0200 trailing") == "bad");
  CHECK(time_of("") == "bad");
  CHECK(diags.count(model::Severity::kError) == 4);
}

TEST_CASE("a record that is not an object is a bad record, not a crash") {
  const sources::Source& asa_like = *shipped().find("okta");
  model::CollectingDiagnostics diags;
  model::Event e;
  CHECK(asa_like.map_record(record(nlohmann::json::array({1, 2})), e, diags) ==
        sources::MapResult::kBad);
  CHECK(codes(diags) == std::vector<std::string>{"E-INPUT-JSON@in.log:7"});
}

TEST_CASE("normalize: phone, e-mail and address keys; bad values warn once") {
  TempDir tmp;
  const std::string def = tmp.write("n.yaml", R"(
name: norm
format: csv
category: hr
timestamp: {from: t, optional: true}
fields:
  hr.phone: {from: phone, normalize: phone, calling_code: '44'}
  hr.personal_email: {from: mail, normalize: email}
  hr.address_key: {from: addr, normalize: address}
)");
  sources::Catalog catalog;
  model::CollectingDiagnostics diags;
  REQUIRE(catalog.load_file(def, diags));
  const sources::Source& s = *catalog.find("norm");
  model::Event e;
  REQUIRE(s.map(record({{"phone", "020 7946 0018"},
                        {"mail", " Jane.Doe@Example.COM "},
                        {"addr", "10 Downing Street"}}),
                e, diags));
  CHECK(text(e, "hr.phone") == "+442079460018");
  CHECK(text(e, "hr.personal_email") == "jane.doe@example.com");
  CHECK(text(e, "hr.address_key") == "10 downing st");
  for (int i = 0; i < 2; ++i) {
    model::Event bad;
    REQUIRE(s.map(record({{"phone", "CALL-ME-NOW"}, {"mail", "not an address"}, {"addr", "--"}}),
                  bad, diags));
    CHECK(model::is_absent(field(bad, "hr.phone")));
    CHECK(model::is_absent(field(bad, "hr.personal_email")));
    CHECK(model::is_absent(field(bad, "hr.address_key")));
  }
  CHECK(codes(diags) ==
        std::vector<std::string>{"W-INPUT-VALUE@in.log:7", "W-INPUT-VALUE@in.log:7"});

  model::CollectingDiagnostics load;
  sources::Catalog other;
  CHECK_FALSE(other.load_file(
      tmp.write(
          "bad.yaml",
          "name: b\nformat: csv\ncategory: hr\ntimestamp: t\nfields:\n"
          "  hr.phone: {from: p, normalize: fax}\n  source.port: {from: p, normalize: phone}\n"
          "  hr.city: {from: c, calling_code: '+44'}\n"),
      load));
  CHECK(load.count(model::Severity::kError) == 3);
}

TEST_CASE("a missing definitions directory is an error") {
  sources::Catalog c;
  model::CollectingDiagnostics d;
  CHECK_FALSE(c.load_dir("/nonexistent/vetter/sources", d));
  CHECK(codes(d) == std::vector<std::string>{"E-SOURCE-DIR@/nonexistent/vetter/sources"});
  CHECK_FALSE(c.load_file("/nonexistent/vetter/x.yaml", d));
  CHECK(d.has_code("E-SOURCE-OPEN"));
  CHECK(c.names().empty());
}

TEST_CASE("normalize document: keyed hashes only; without a key, one error and no raw value") {
  TempDir tmp;
  const std::string def = tmp.write("d.yaml", R"(
name: docs
format: csv
category: hr
timestamp: {from: t, optional: true}
fields:
  hr.document_key: {from: passport, normalize: document}
  hr.bank_key: {from: iban, normalize: document}
)");
  {
    sources::Catalog catalog;
    catalog.set_hmac_key("operator-secret");
    model::CollectingDiagnostics diags;
    REQUIRE(catalog.load_file(def, diags));
    const sources::Source& s = *catalog.find("docs");
    model::Event a, b, c, empty;
    REQUIRE(s.map(record({{"passport", "M1234-5678"}, {"iban", "GB29 NWBK 6016 1331 9268 19"}}), a,
                  diags));
    REQUIRE(s.map(record({{"passport", "m 1234 5678"}}), b, diags));
    REQUIRE(s.map(record({{"passport", "M1234-5679"}}), c, diags));
    REQUIRE(s.map(record({{"passport", " - "}}), empty, diags));
    CHECK(text(a, "hr.document_key") == text(b, "hr.document_key"));  // two spellings, one key
    CHECK(text(a, "hr.document_key") != text(c, "hr.document_key"));  // a near miss stays apart
    CHECK(text(a, "hr.document_key").size() == 64);
    CHECK(text(a, "hr.document_key").find("1234") == std::string::npos);
    CHECK(text(a, "hr.bank_key") ==
          model::document_hash("operator-secret", "GB29NWBK60161331926819"));
    CHECK(model::is_absent(field(empty, "hr.document_key")));  // an empty cell is no shared hash
    CHECK(diags.items().empty());

    sources::Catalog other_key;
    other_key.set_hmac_key("another-secret");
    REQUIRE(other_key.load_file(def, diags));
    model::Event d;
    REQUIRE(other_key.find("docs")->map(record({{"passport", "M1234-5678"}}), d, diags));
    CHECK(text(d, "hr.document_key") != text(a, "hr.document_key"));
  }
  {
    sources::Catalog catalog;  // no key
    model::CollectingDiagnostics diags;
    REQUIRE(catalog.load_file(def, diags));
    const sources::Source& s = *catalog.find("docs");
    for (int i = 0; i < 3; ++i) {
      model::Event e;
      REQUIRE(s.map(record({{"passport", "M1234-5678"}}), e, diags));
      CHECK(model::is_absent(field(e, "hr.document_key")));
    }
    CHECK(codes(diags) == std::vector<std::string>{"E-CONFIG-HMAC@in.log:7"});
    for (const auto& d : diags.items())
      CHECK(d.message.find("1234") == std::string::npos);
  }
}

TEST_CASE("rows: one record, many events; capped, bad rows reported with file:line and row") {
  TempDir tmp;
  const std::string def = tmp.write("rows.yaml", R"(
name: rowed
format: jsonl
category: inventory
timestamp: {from: [row.t, t]}
rows:
  - {from: batch.up, set: {dir: up}}
  - {from: batch.down, set: {dir: down}}
max_rows: 3
filter: {keep: ['yes']}
fields:
  event.action: dir
  app.name: row.name
  host.name: host
)");
  sources::Catalog catalog;
  model::CollectingDiagnostics diags;
  REQUIRE(catalog.load_file(def, diags));
  const sources::Source& s = *catalog.find("rowed");
  CHECK(s.has_rows());
  const std::string in = tmp.write(
      "in.jsonl",
      "{\"t\":\"2026-10-01T00:00:00Z\",\"host\":\"h\",\"keep\":\"yes\",\"batch\":{\"up\":[{"
      "\"name\":"
      "\"a\"},{\"name\":\"b\",\"t\":\"2026-10-02T00:00:00Z\"}],\"down\":[{\"name\":\"c\"}]}}\n"
      "{\"host\":\"h\",\"keep\":\"yes\",\"batch\":{\"up\":[{\"name\":\"a\"},{\"name\":\"b\",\"t\":"
      "\"2026-09-31T00:00:00Z\"},{\"t\":\"2026-10-01T00:00:00Z\",\"keep\":\"no\"}]}}\n"
      "{\"t\":\"2026-10-01T00:00:00Z\",\"keep\":\"yes\",\"batch\":{\"up\":[{},{},{}],\"down\":[{}]}"
      "}\n"
      "{\"t\":\"2026-10-01T00:00:00Z\",\"keep\":\"yes\",\"batch\":{\"up\":7}}\n"
      "{\"t\":\"2026-10-01T00:00:00Z\",\"keep\":\"yes\",\"name\":\"whole\"}\n"
      "{\"t\":\"2026-10-01T00:00:00Z\",\"keep\":\"no\",\"batch\":{\"up\":[{},{}]}}\n");
  std::vector<model::Event> events;
  std::vector<std::string> counts;
  ingest::ReadStats stats;
  ingest::read_records(
      in, s.format(),
      [&](ingest::Record&& r) {
        model::Event e;
        const sources::MapCounts c =
            s.map_each(r, e, diags, [&](model::Event& ev) { events.push_back(ev); });
        counts.push_back(std::to_string(c.events) + "/" + std::to_string(c.skipped) + "/" +
                         std::to_string(c.bad));
      },
      diags, stats);
  // Line 2: row 0 has no time, row 1 an impossible one, row 2 is fine. Line 3: the fourth row
  // passes the cap of 3. Line 4: not an array. Line 5: no rows at all, so the record maps as
  // itself. Line 6: the filter (on an outer key) skips each row.
  CHECK(counts == std::vector<std::string>{"3/0/0", "1/0/2", "3/0/1", "0/0/1", "1/0/0", "0/2/0"});
  REQUIRE(events.size() == 8);
  CHECK(text(events[0], "app.name") == "a");
  CHECK(text(events[0], "event.action") == "up");
  CHECK(text(events[0], "host.name") == "h");
  CHECK(model::format_iso8601(events[0].time_us) == "2026-10-01T00:00:00Z");
  CHECK(model::format_iso8601(events[1].time_us) == "2026-10-02T00:00:00Z");  // the row's own
  CHECK(text(events[2], "event.action") == "down");
  CHECK(text(events[2], "app.name") == "c");
  CHECK(events[3].origin.line == 2);
  CHECK(text(events[3], "app.name").empty());
  CHECK(text(events[7], "app.name").empty());  // `row.name` needs a row
  CHECK(events[7].origin.line == 5);
  CHECK(codes(diags) ==
        std::vector<std::string>{"E-INPUT-TIME@" + in + ":2", "E-INPUT-TIME@" + in + ":2",
                                 "E-INPUT-ROWS@" + in + ":3", "E-INPUT-ROWS@" + in + ":4"});
  REQUIRE(diags.items().size() == 4);
  CHECK(diags.items()[0].message == "rowed, batch.up[0]: the record has no timestamp (row.t)");
  CHECK(diags.items()[1].message.rfind("rowed, batch.up[1]: '2026-09-31T00:00:00Z'", 0) == 0);
  CHECK(diags.items()[2].code == "E-INPUT-ROWS");
  CHECK(diags.items()[2].message.find("more than 3 rows") != std::string::npos);
  CHECK(diags.items()[3].message.find("batch.up is not an array") != std::string::npos);

  // The one-event call keeps the first event of a record.
  model::Event first;
  CHECK(s.map_record(record({{"t", "2026-10-01T00:00:00Z"},
                             {"keep", "yes"},
                             {"batch", {{"down", {{{"name", "z"}}, {{"name", "y"}}}}}}}),
                     first, diags) == sources::MapResult::kEvent);
  CHECK(text(first, "app.name") == "z");
}

TEST_CASE("rows: load errors") {
  TempDir tmp;
  const auto load = [&](const std::string& body) {
    sources::Catalog catalog;
    model::CollectingDiagnostics diags;
    const std::string path = tmp.write(
        "r.yaml", "name: r\ncategory: c\ntimestamp: t\n" + body + "fields: {app.name: row.name}\n");
    CHECK_FALSE(catalog.load_file(path, diags));
    return codes(diags);
  };
  const std::string file = (tmp.dir / "r.yaml").string();
  CHECK(load("format: syslog\nrows: snapshot\n") ==
        std::vector<std::string>{"E-SOURCE-VALUE@" + file + ":5:7"});
  CHECK(load("format: jsonl\nrows: [{as: columns}]\n") ==
        std::vector<std::string>{"E-SOURCE-VALUE@" + file + ":5:8"});
  CHECK(load("format: jsonl\nrows: [{from: a, as: x.y}]\n") ==
        std::vector<std::string>{"E-SOURCE-VALUE@" + file + ":5:22"});
  CHECK(load("format: jsonl\nrows: [{from: a, each: x}]\n") ==
        std::vector<std::string>{"E-SOURCE-KEY@" + file + ":5:18"});
  CHECK(load("format: jsonl\nrows: a\nmax_rows: 0\n") ==
        std::vector<std::string>{"E-SOURCE-VALUE@" + file + ":6:11"});
}

TEST_CASE("timezone: zone-less vendor times in an IANA zone; DST gap and overlap") {
  TempDir tmp;
  const std::string def = tmp.write("tz.yaml", R"(
name: local
format: jsonl
category: vpn
timezone: America/New_York
timestamp: {from: t, format: [iso8601, '%Y/%m/%d %H:%M:%S', '%b %d %H:%M:%S']}
fields:
  user.original: u
)");
  sources::Catalog catalog;
  model::CollectingDiagnostics diags;
  REQUIRE(catalog.load_file(def, diags));
  const auto utc_of = [&](const sources::Source& s, const std::string& t) {
    model::Event e;
    if (s.map_record(record({{"t", t}}), e, diags) != sources::MapResult::kEvent)
      return std::string("bad");
    return model::format_iso8601(e.time_us);
  };
  const sources::Source& ny = *catalog.find("local");
  CHECK(utc_of(ny, "2026/10/01 08:02:11") == "2026-10-01T12:02:11Z");  // EDT, UTC-4
  CHECK(utc_of(ny, "2026/01/15 08:02:11") == "2026-01-15T13:02:11Z");  // EST, UTC-5
  CHECK(utc_of(ny, "2026-10-01T08:02:11.5") == "2026-10-01T12:02:11.500000Z");
  // A time that says its own offset keeps it.
  CHECK(utc_of(ny, "2026-10-01T08:02:11Z") == "2026-10-01T08:02:11Z");
  CHECK(utc_of(ny, "2026-10-01T08:02:11+02:00") == "2026-10-01T06:02:11Z");
  // Spring forward, 2026-03-08 02:00 EST -> 03:00 EDT: 02:30 never happens and is read with the
  // offset before the gap (as 03:30 EDT); the minutes either side are exact.
  CHECK(utc_of(ny, "2026/03/08 01:59:59") == "2026-03-08T06:59:59Z");
  CHECK(utc_of(ny, "2026/03/08 02:30:00") == "2026-03-08T07:30:00Z");
  CHECK(utc_of(ny, "2026/03/08 03:00:00") == "2026-03-08T07:00:00Z");
  // Fall back, 2026-11-01 02:00 EDT -> 01:00 EST: 01:30 happens twice; the earlier (EDT) is taken.
  CHECK(utc_of(ny, "2026/11/01 00:59:59") == "2026-11-01T04:59:59Z");
  CHECK(utc_of(ny, "2026/11/01 01:30:00") == "2026-11-01T05:30:00Z");
  CHECK(utc_of(ny, "2026/11/01 02:00:00") == "2026-11-01T07:00:00Z");
  CHECK(utc_of(ny, "2026/02/30 01:00:00") == "bad");

  // An input's override replaces the definition's zone; UTC turns it off.
  auto berlin = catalog.with_overrides("local", {}, diags, "Europe/Berlin");
  REQUIRE(berlin != nullptr);
  CHECK(utc_of(*berlin, "2026/10/01 08:02:11") == "2026-10-01T06:02:11Z");  // CEST, UTC+2
  CHECK(utc_of(*berlin, "2026/03/29 02:30:00") == "2026-03-29T01:30:00Z");  // gap: as 03:30 CEST
  CHECK(utc_of(*berlin, "2026/10/25 02:30:00") == "2026-10-25T00:30:00Z");  // overlap: CEST
  auto utc = catalog.with_overrides("local", {}, diags, "UTC");
  REQUIRE(utc != nullptr);
  CHECK(utc_of(*utc, "2026/10/01 08:02:11") == "2026-10-01T08:02:11Z");
  // Southern hemisphere: Sydney falls back on 2026-04-05 03:00 AEDT -> 02:00 AEST.
  auto sydney = catalog.with_overrides("local", {}, diags, "Australia/Sydney");
  REQUIRE(sydney != nullptr);
  CHECK(utc_of(*sydney, "2026/04/05 02:30:00") == "2026-04-04T15:30:00Z");   // earlier: AEDT +11
  CHECK(codes(diags) == std::vector<std::string>{"E-INPUT-TIME@in.log:7"});  // Feb 30

  // Year-less syslog times get the zone too.
  model::Event e;
  REQUIRE(ny.map_record(record({{"t", "Jul 04 12:00:00"}}), e, diags) ==
          sources::MapResult::kEvent);
  CHECK(model::format_iso8601(e.time_us).substr(4) == "-07-04T16:00:00Z");

  model::CollectingDiagnostics bad;
  CHECK(catalog.with_overrides("local", {}, bad, "Mars/Olympus_Mons") == nullptr);
  CHECK(codes(bad) == std::vector<std::string>{"E-SOURCE-TIMEZONE@local"});
  CHECK(catalog.with_overrides("local", {}, bad, "../../etc/passwd") == nullptr);
  CHECK(bad.items().size() == 2);
}

TEST_CASE("timezone: an unknown zone in a definition fails the load with file:line:col") {
  TempDir tmp;
  const std::string def =
      tmp.write("tz.yaml",
                "name: z\nformat: jsonl\ncategory: c\ntimezone: Europe/Atlantis\ntimestamp: t\n"
                "fields: {user.original: u}\n");
  sources::Catalog catalog;
  model::CollectingDiagnostics diags;
  CHECK_FALSE(catalog.load_file(def, diags));
  CHECK(codes(diags) == std::vector<std::string>{"E-SOURCE-TIMEZONE@" + def + ":4:11"});
  REQUIRE(!diags.items().empty());
  CHECK(diags.items()[0].message.find("Europe/Atlantis") != std::string::npos);
}

TEST_CASE("sd: RFC 5424 structured data, the RFC's own examples and escapes") {
  TempDir tmp;
  const std::string def = tmp.write("sd.yaml", R"(
name: rfc5424
format: syslog
category: session
pattern: '^1 (?P<ts>\S+) (?P<host>\S+) '
timestamp: {from: ts}
sd: message
fields:
  user.original: sd.exampleSDID@32473.iut
  event.action: sd.exampleSDID@32473.eventSource
  app.name: [sd.examplePriority@32473.class, sd.meta@1.note]
  host.name: host
)");
  sources::Catalog catalog;
  model::CollectingDiagnostics diags;
  REQUIRE(catalog.load_file(def, diags));
  const std::string bom = "\xef\xbb\xbf";
  // RFC 5424 section 6.5, examples 1, 2, 3 and 4; then escapes (6.3.3), and elements the RFC
  // calls invalid (6.3.5: a space between elements, a space after '[').
  const std::string log = tmp.write(
      "in.log",
      "<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - " + bom +
          "'su root' failed for lonvick on /dev/pts/8\n"
          "<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It's time to make "
          "the do-nuts.\n"
          "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 "
          "[exampleSDID@32473 iut=\"3\" eventSource=\"Application\" eventID=\"1011\"] " +
          bom +
          "An application event log entry...\n"
          "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 "
          "[exampleSDID@32473 iut=\"3\" eventSource=\"Application\" eventID=\"1011\"]"
          "[examplePriority@32473 class=\"high\"]\n"
          "<165>1 2003-10-11T22:14:15.003Z h app - - [meta@1 note=\"say \\\"hi\\\" \\\\ [x\\] "
          "\\n\"] text\n"
          "<165>1 2003-10-11T22:14:15.003Z h app - - [exampleSDID@32473 iut=\"3\"] "
          "[examplePriority@32473 class=\"high\"]\n"
          "<165>1 2003-10-11T22:14:15.003Z h app - - [ exampleSDID@32473 iut=\"3\"]\n"
          "<165>1 2003-10-11T22:14:15.003Z h app - - [exampleSDID@32473 iut=\"3\" "
          "eventSource=\"App\n");
  std::vector<model::Event> events;
  ingest::ReadStats stats;
  ingest::read_records(
      log, ingest::Format::kSyslog,
      [&](ingest::Record&& r) {
        model::Event e;
        if (catalog.find("rfc5424")->map(r, e, diags)) events.push_back(std::move(e));
      },
      diags, stats);
  // The last two lines hold malformed elements: bad records, reported with file:line.
  REQUIRE(diags.items().size() == 2);
  CHECK(diags.items()[0].code == "E-INPUT-SD");
  CHECK(diags.items()[0].where == log + ":7");
  CHECK(diags.items()[0].message ==
        "rfc5424: malformed RFC 5424 structured data in message: '[' must be followed by an "
        "SD-ID of 1 to 32 characters (the element at byte 37: '[ exampleSDID@32473 iut=\"3\"]'); "
        "the line is skipped");
  CHECK(diags.items()[1].where == log + ":8");
  CHECK(diags.items()[1].message.find("a parameter value has no closing '\"'") !=
        std::string::npos);
  REQUIRE(events.size() == 6);
  CHECK(text(events[0], "host.name") == "mymachine.example.com");
  CHECK(text(events[0], "user.original").empty());  // NILVALUE: no structured data
  CHECK(model::format_iso8601(events[1].time_us) == "2003-08-24T12:14:15.000003Z");
  CHECK(text(events[1], "app.name").empty());
  CHECK(text(events[2], "user.original") == "3");
  CHECK(text(events[2], "event.action") == "Application");
  CHECK(text(events[2], "app.name").empty());
  CHECK(text(events[3], "user.original") == "3");
  CHECK(text(events[3], "app.name") == "high");
  CHECK(text(events[4], "app.name") == "say \"hi\" \\ [x] \\n");
  // A space after an element ends the structured data: "[examplePriority...]" is the MSG.
  CHECK(text(events[5], "user.original") == "3");
  CHECK(text(events[5], "app.name").empty());

  // More malformed elements, each a bad record (and never a thinner event).
  for (const char* sd : {"[id@1 a=\"1\"", "[id@1 a=1]", "[id@1 a=\"x]y\"]", "[id@1 =\"1\"]",
                         "[id@1 a=\"1\"][", "[id@1 a=\"1\"x]"}) {
    INFO(sd);
    model::CollectingDiagnostics bad;
    model::Event e;
    const ingest::Record r{{{"message", std::string("1 2003-10-11T22:14:15Z h app - - ") + sd}},
                           {"x.log", 3}};
    CHECK(catalog.find("rfc5424")->map_record(r, e, bad) == sources::MapResult::kBad);
    CHECK(codes(bad) == std::vector<std::string>{"E-INPUT-SD@x.log:3"});
  }
}

TEST_CASE("header and bodies: one header match, the key picks the body patterns") {
  TempDir tmp;
  const std::string def = tmp.write("hb.yaml", R"(
name: hb
format: syslog
category: vpn
header: {pattern: '^(?P<ts>\S+) (?P<host>\S+) %X-(?P<id>\d+): ', key: id}
bodies:
  '1': 'login (?P<user>\w+)'
  '2': ['attr host=(?P<hostname>\S+)', 'attr os=(?P<os>\S+)']
timestamp: ts
fields:
  user.original: user
  host.name: [hostname, host]
  host.os: os
  event.action: id
)");
  sources::Catalog catalog;
  model::CollectingDiagnostics diags;
  REQUIRE(catalog.load_file(def, diags));
  const sources::Source& s = *catalog.find("hb");
  const auto map = [&](const std::string& line, model::Event& e) {
    return s.map_record(record({{"message", line}}), e, diags);
  };
  model::Event a, b, c, d, e;
  REQUIRE(map("2026-10-01T08:00:00Z fw1 %X-1: login jane", a) == sources::MapResult::kEvent);
  CHECK(text(a, "user.original") == "jane");
  CHECK(text(a, "host.name") == "fw1");
  CHECK(text(a, "event.action") == "1");
  REQUIRE(map("2026-10-01T08:00:00Z fw1 %X-2: attr os=linux", b) == sources::MapResult::kEvent);
  CHECK(text(b, "host.os") == "linux");  // the second body of the list
  CHECK(text(b, "host.name") == "fw1");
  CHECK(map("2026-10-01T08:00:00Z fw1 %X-3: login jane", c) == sources::MapResult::kSkipped);
  CHECK(map("2026-10-01T08:00:00Z fw1 %X-1: logout jane", d) == sources::MapResult::kSkipped);
  CHECK(map("junk 2026-10-01T08:00:00Z fw1 %X-1: login jane", e) == sources::MapResult::kSkipped);
  CHECK(diags.items().empty());

  const auto load = [&](const std::string& body) { return first_syslog_load_error(tmp, body); };
  CHECK(load("header: {pattern: '^(?P<ts>\\S+) ', key: id}\nbodies: {'1': x}\n") ==
        "E-SOURCE-PATTERN");
  CHECK(load("header: {pattern: '^(?P<id>\\S+) ', key: id}\n") == "E-SOURCE-KEY");
  CHECK(load("pattern: '(?P<ts>x)'\nheader: {pattern: '^(?P<id>\\S+) ', key: id}\n"
             "bodies: {'1': x}\n") == "E-SOURCE-KEY");
  CHECK(load("header: {pattern: '^(?P<id>\\S+) ', key: id}\nbodies: {'1': '(?P<u>'}\n") ==
        "E-SOURCE-PATTERN");
}

TEST_CASE("header segments and template bodies: the same captures without RE2 captures") {
  TempDir tmp;
  const std::string def = tmp.write("seg.yaml", R"(
name: seg
format: syslog
category: vpn
header:
  segments: [{ts: '\S+'}, ' ', {host: '\S+'}, ' %X-', {id: '\d+'}, ': ']
  key: id
bodies:
  '1':
    - template: 'login <{user}> from <{ip}>'
    - 'login (?P<user>\w+) from (?P<ip>\S+)'
  '2': {template: 'attr {_}={os}'}
timestamp: ts
fields:
  user.original: user
  source.ip: ip
  host.name: host
  host.os: os
)");
  sources::Catalog catalog;
  model::CollectingDiagnostics diags;
  REQUIRE(catalog.load_file(def, diags));
  const sources::Source& s = *catalog.find("seg");
  const auto map = [&](const std::string& line, model::Event& e) {
    return s.map_record(record({{"message", line}}), e, diags);
  };
  model::Event a, b, c, d;
  REQUIRE(map("2026-10-01T08:00:00Z fw1 %X-1: login <jane> from <198.51.100.7> extra", a) ==
          sources::MapResult::kEvent);
  CHECK(text(a, "user.original") == "jane");
  CHECK(text(a, "source.ip") == "198.51.100.7");
  CHECK(text(a, "host.name") == "fw1");
  // The template does not fit (no brackets): the regex after it does.
  REQUIRE(map("2026-10-01T08:00:00Z fw1 %X-1: login bob from 198.51.100.8", b) ==
          sources::MapResult::kEvent);
  CHECK(text(b, "user.original") == "bob");
  CHECK(text(b, "source.ip") == "198.51.100.8");
  REQUIRE(map("2026-10-01T08:00:00Z fw1 %X-2: attr platform=win", c) == sources::MapResult::kEvent);
  CHECK(text(c, "host.os") == "win");  // the last hole takes the rest of the line
  CHECK(map("2026-10-01T08:00:00Z fw1 %X-2 attr platform=win", d) == sources::MapResult::kSkipped);
  CHECK(diags.items().empty());

  const auto load = [&](const std::string& body) { return first_syslog_load_error(tmp, body); };
  const std::string seg = "header: {segments: [{id: '\\d+'}, ' '], key: id}\n";
  CHECK(load(seg + "bodies: {'1': {template: 'a {x}{y} b'}}\n") == "E-SOURCE-VALUE");
  CHECK(load(seg + "bodies: {'1': {template: 'a {x b'}}\n") == "E-SOURCE-VALUE");
  CHECK(load(seg + "bodies: {'1': {template: 'a } b'}}\n") == "E-SOURCE-VALUE");
  CHECK(load(seg + "bodies: {'1': {templat: 'a'}}\n") == "E-SOURCE-VALUE");
  CHECK(load("header: {segments: [{ts: '\\S+'}], key: id}\nbodies: {'1': x}\n") ==
        "E-SOURCE-PATTERN");
  CHECK(load("header: {segments: ['('], key: id}\nbodies: {'1': x}\n") == "E-SOURCE-PATTERN");
}

TEST_CASE("ip fields: the dotted-quad fast path keeps exactly what parse and print would") {
  TempDir tmp;
  sources::Catalog catalog;
  model::CollectingDiagnostics diags;
  REQUIRE(catalog.load_file(tmp.write("ip.yaml", R"(
name: ipt
format: jsonl
category: authentication
timestamp: t
fields: {source.ip: ip}
)"),
                            diags));
  const sources::Source& s = *catalog.find("ipt");
  for (const char* ip :
       {"192.0.2.1", "0.0.0.0",         "255.255.255.255", "10.0.0.10",      "1.2.3.4",
        "256.1.1.1", "01.2.3.4",        "1.2.3.04",        "1.2.3",          "1.2.3.4.5",
        "1.2.3.4 ",  " 1.2.3.4",        "1..2.3",          "1.2.3.4444",     "1.2.3.",
        ".1.2.3",    "001.2.3.4",       "1.2.3.400",       "::ffff:1.2.3.4", "2001:DB8::1",
        "1.2.3.a",   "999.999.999.999", "12.34.56.78"}) {
    INFO(ip);
    model::Event e;
    model::CollectingDiagnostics warn;
    REQUIRE(s.map(record({{"t", "2026-10-01T00:00:00Z"}, {"ip", ip}}), e, warn));
    const auto parsed = model::IpAddress::parse(ip);
    CHECK(text(e, "source.ip") == (parsed ? parsed->to_string() : std::string()));
  }
}

TEST_CASE("no shipped definition reads a key named like a field, so no columns: key is ambiguous") {
  // columns: reads a key as the definition's column when it reads one of that name, else as a
  // field (README "Inputs"); a shipped definition reading a key spelled like a field would make
  // that field's override silently rename a column instead.
  for (const auto& name : shipped().names()) {
    for (const auto& column : shipped().find(name)->columns()) {
      INFO(name << " reads '" << column << "'");
      CHECK_FALSE(model::Fields::find(column).has_value());
    }
  }
}
