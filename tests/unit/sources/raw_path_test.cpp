// The hot path (read_lines + RecordParser + map_raw) against the record path (read_records +
// map_record): the same events, skips, bad counts and reports for every shipped line-format
// definition and for hostile lines. Likewise CSV rows mapped from their cells against the
// {header: value} tree they stand for.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "sources_test_support.h"
#include "vetter/model/field.h"
#include "vetter/sources/source.h"

using namespace vetter;
using namespace vetter::sources::testing;

namespace {

struct Outcome {
  std::vector<model::Event> events;
  std::vector<std::string> results;  // per line: "event", "skip", "bad"
  std::vector<std::string> reports;  // "code@where: message"
  std::uint64_t bad = 0;
};

const sources::Catalog& catalog() {
  static const sources::Catalog c = load_shipped();
  return c;
}

std::vector<std::string> texts(const model::CollectingDiagnostics& diags) {
  std::vector<std::string> out;
  for (const model::Diagnostic& d : diags.items())
    out.push_back(d.code + "@" + d.where + ": " + d.message);
  return out;
}

// "event x2, skip x0, bad x1": what one record became (several events with `rows:`).
std::string name(const sources::MapCounts& c) {
  return "event x" + std::to_string(c.events) + ", skip x" + std::to_string(c.skipped) + ", bad x" +
         std::to_string(c.bad);
}

// The record path; `as_tree`: as it was before CSV rows came as cells, each row's
// {header: value} tree.
Outcome by_records(const sources::Source& s, const std::string& path, bool as_tree = false) {
  Outcome o;
  model::CollectingDiagnostics diags;
  ingest::ReadStats stats;
  ingest::read_records(
      path, s.format(),
      [&](ingest::Record&& r) {
        if (as_tree) {
          REQUIRE(r.csv != nullptr);
          r = ingest::Record{ingest::to_json(r), r.origin};
        }
        model::Event e;
        const sources::MapCounts res =
            s.map_each(r, e, diags, [&](model::Event& ev) { o.events.push_back(ev); });
        o.results.push_back(name(res));
      },
      diags, stats);
  o.bad = stats.bad;
  o.reports = texts(diags);
  return o;
}

Outcome by_lines(const sources::Source& s, const std::string& path) {
  Outcome o;
  model::CollectingDiagnostics diags;
  ingest::ReadStats stats;
  ingest::RecordParser parser;
  ingest::read_lines(
      path, s.format(),
      [&](std::string_view text, std::uint64_t line) {
        ingest::RawRecord raw;
        if (!parser.parse(s.format(), text, model::Origin{path, line}, diags, raw)) {
          ++o.bad;
          return;
        }
        model::Event e;
        const sources::MapCounts res =
            s.map_each_raw(raw, e, diags, [&](model::Event& ev) { o.events.push_back(ev); });
        o.results.push_back(name(res));
      },
      diags, stats);
  o.bad += stats.bad;
  o.reports = texts(diags);
  return o;
}

void same_events(const Outcome& a, const Outcome& b) {
  CHECK(a.results == b.results);
  CHECK(a.reports == b.reports);
  CHECK(a.bad == b.bad);
  REQUIRE(a.events.size() == b.events.size());
  for (std::size_t i = 0; i < a.events.size(); ++i) {
    INFO("event " << i);
    CHECK(a.events[i].time_us == b.events[i].time_us);
    CHECK(a.events[i].origin.line == b.events[i].origin.line);
    for (model::FieldId f = 0; f < model::Fields::count(); ++f) {
      INFO(model::Fields::info(f).name);
      CHECK(model::to_text(a.events[i].get(f)) == model::to_text(b.events[i].get(f)));
      CHECK(a.events[i].get(f).index() == b.events[i].get(f).index());
    }
  }
}

// `source` from `catalog` on `path`, read from the cells and from the tree; each run gets its own
// copy of the definition (warn-once flags reset on copy).
Outcome same_csv(const sources::Catalog& catalog, const std::string& source,
                 const std::string& path, const sources::FieldOverrides& overrides = {}) {
  INFO(source << " on " << path);
  model::CollectingDiagnostics load;
  auto s1 = catalog.with_overrides(source, overrides, load);
  auto s2 = catalog.with_overrides(source, overrides, load);
  REQUIRE(s1 != nullptr);
  REQUIRE(s2 != nullptr);
  const Outcome a = by_records(*s1, path);
  same_events(a, by_records(*s2, path, /*as_tree=*/true));
  return a;
}

void same(const std::string& source, const std::string& path) {
  INFO(source << " on " << path);
  // Each run gets its own copy of the definition: warn-once flags reset on copy.
  model::CollectingDiagnostics load;
  auto s1 = catalog().with_overrides(source, {}, load);
  auto s2 = catalog().with_overrides(source, {}, load);
  REQUIRE(s1 != nullptr);
  REQUIRE(s2 != nullptr);
  same_events(by_records(*s1, path), by_lines(*s2, path));
}

std::string write(const std::string& name, const std::string& text) {
  std::string path = "/tmp/vetter_raw_path_" + std::to_string(::getpid()) + "_" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

}  // namespace

TEST_CASE("raw path: every shipped line-format sample maps as the record path does") {
  same("okta", "samples/okta.jsonl");
  same("asa", "samples/asa.log");
  same("osquery", "samples/osquery.jsonl");
  same("asa", "samples/formats/asa.log");
  same("okta", "samples/formats/okta.jsonl");
  same("osquery", "samples/formats/osquery.jsonl");
  same("osquery", "samples/formats/osquery-batch.jsonl");
  same("osquery", "samples/formats/osquery-snapshot.jsonl");
  same("openvpn", "samples/formats/openvpn.log");
  same("fortigate", "samples/formats/fortigate.log");
  same("globalprotect", "samples/formats/globalprotect.log");
}

TEST_CASE("raw path: hostile and odd JSON lines are reported and mapped as before") {
  std::string deep(64, '[');
  deep += std::string(64, ']');
  std::string deeper = std::string(65, '[') + std::string(65, ']');
  std::string deep_obj = "{\"published\":\"2026-10-01T00:00:00Z\",\"x\":" + std::string(62, '[') +
                         std::string(62, ']') + "}";
  std::string deeper_obj = "{\"published\":\"2026-10-01T00:00:00Z\",\"x\":" + std::string(63, '[') +
                           std::string(63, ']') + "}";
  const std::string path =
      write("odd.jsonl",
            "{\"published\":\"2026-10-01T00:00:00Z\",\"actor\":{\"alternateId\":\"A@X.example\"}}\n"
            "not json\n"
            "[1,2]\n" +
                deep + "\n" + deeper + "\n" + deep_obj + "\n" + deeper_obj +
                "\n"
                "{\"published\":\"2026-10-01T00:00:00Z\",\"published\":\"2026-10-02T00:00:00Z\"}\n"
                "{\"published\":\"2026-10-01T00:00:00Z\",\"actor\":{\"alternateId\":"
                "123456789012345678901234}}\n"
                "{\"published\":\"2026-10-01T00:00:00Z\",\"actor\":{\"alternateId\":{\"b\":1,\"a\":"
                "[true,null,1.5]}}}\n"
                "{\"published\":\"2026-10-01T00:00:00Z\",\"actor.alternateId\":\"dotted@x."
                "example\",\"actor\":{\"alternateId\":\"n@x.example\"}}\n"
                "{\"published\":\"2026-10-01T00:00:00Z\",\"client\":{\"ipAddress\":\"not an "
                "ip\",\"geographicalContext\":{\"geolocation\":{\"lat\":1e2,\"lon\":-74}}}}\n"
                "{\"published\":\"2026-10-01T00:00:00Z\",\"outcome\":{\"result\":\"DENY\"},"
                "\"eventType\":\"\\u00e9\\ud83d\\ude00\"}\n"
                "{\"published\":\"2026-10-01T00:00:00Z\",\"eventType\":\"\\ud800\"}\n"
                "{\"published\":\"2026-09-31T00:00:00Z\"}\n"
                "{\"published\":null}\n"
                "{\"published\":\"2026-10-01T00:00:00Z\"} trailing\n"
                "\xef\xbb\xbf{\"published\":\"2026-10-01T00:00:00Z\"}\n"
                "{\"published\":\"2026-10-01T00:00:00Z\",\"x\":\"\xff\"}\n");
  same("okta", path);
  std::remove(path.c_str());
}

TEST_CASE("raw path: doubles mapped to a string field print as nlohmann prints them") {
  // eventType is a string field: a number there is kept as its text, which must be the record
  // path's text (nlohmann's shortest round trip) whatever the magnitude or sign.
  std::string lines;
  for (const char* number :
       {"0.1", "1e300", "-0.0", "100.0", "1e-7", "123456789.125", "5e-324",
        "1.7976931348623157e308", "-2.5E-3", "4.35", "1E2", "0.30000000000000004"}) {
    lines += std::string("{\"published\":\"2026-10-01T00:00:00Z\",\"eventType\":") + number +
             ",\"client\":{\"geographicalContext\":{\"geolocation\":{\"lat\":" + number + "}}}}\n";
  }
  const std::string path = write("doubles.jsonl", lines);
  same("okta", path);
  std::remove(path.c_str());
}

TEST_CASE("raw path: shared path prefixes resolve as a walk from the top would") {
  // Okta's fields share client., client.geographicalContext. and actor.; the DOM view looks each
  // shared part up once per record. Duplicate keys (the last wins), parts that are arrays,
  // scalars or null, and a dotted top-level key must give what the record path gives.
  const std::string t = "{\"published\":\"2026-10-01T00:00:00Z\",";
  const std::string path = write(
      "prefixes.jsonl",
      t +
          "\"client\":{\"ipAddress\":\"10.0.0.1\"},\"client\":{\"geographicalContext\":"
          "{\"city\":\"A\",\"geolocation\":{\"lat\":1}},\"ipAddress\":\"10.0.0.2\"}}\n" +
          t +
          "\"client\":{\"geographicalContext\":{\"geolocation\":{\"lat\":1},"
          "\"geolocation\":{\"lon\":2},\"city\":\"B\",\"city\":\"C\"}}}\n" +
          t + "\"client\":[{\"ipAddress\":\"10.0.0.3\"}],\"actor\":\"scalar\"}\n" + t +
          "\"client\":{\"geographicalContext\":null,\"userAgent\":{\"rawUserAgent\":\"UA\"}}}\n" +
          t +
          "\"client.ipAddress\":\"10.0.0.4\",\"client\":{\"ipAddress\":\"10.0.0.5\","
          "\"geographicalContext\":{\"country\":\"X\"}}}\n" +
          t +
          "\"actor\":{\"alternateId\":\"a@x.example\",\"id\":\"1\"},\"actor\":{\"id\":\"2\"}}\n" +
          // A missing middle part: the keys one level up must not be read in its place.
          t +
          "\"client\":{\"country\":\"Z\",\"city\":\"Y\",\"geographicalContext\":{\"lat\":5}}}\n" +
          t + "\"client\":{\"geographicalContext\":{\"lat\":5,\"lon\":6,\"geolocation\":7}}}\n");
  same("okta", path);
  std::remove(path.c_str());
}

TEST_CASE("raw path: syslog lines with and without PRI, unmatched ids and masked users") {
  const std::string path = write(
      "odd.log",
      "<166>Oct 01 2026 14:03:00 asa-vpn-01 : %ASA-6-113039: Group <G> User <u1> IP <11.1.9.52> "
      "AnyConnect parent session started.\n"
      "Oct  1 14:03:00 asa-vpn-01 : %ASA-6-722051: Group <G> User <u1> IP <11.1.9.52> IPv4 Address "
      "<10.0.0.1> assigned to session\n"
      "<999>Oct 01 2026 14:03:00 h : %ASA-6-113039: Group <G> User <u2> IP <11.1.9.53> AnyConnect "
      "parent session started.\n"
      "<166>Oct 01 2026 14:03:00 h : %ASA-6-999999: something else\n"
      "<166>Oct 01 2026 14:03:00 h : %ASA-6-113005: AAA user authentication Rejected : reason = "
      "bad : server = 10.0.0.2 : user = ***** : user IP = 11.1.9.54\n"
      "<166>2026-10-01T14:05:00Z h : %ASA-4-113019: Group = G, Username = u1, IP = 11.1.9.52, "
      "Session disconnected. Session Type: SSL, Duration: 1h:02m:03s, Bytes xmt: 1, Bytes rcv: 2, "
      "Reason: User Requested\n"
      "<166>Feb 30 2026 14:03:00 h : %ASA-6-113039: Group <G> User <u3> IP <11.1.9.55> AnyConnect "
      "parent session started.\n"
      "\n"
      "\xff\n");
  same("asa", path);
  std::remove(path.c_str());
}

TEST_CASE("raw path: osquery rows, odd and hostile, map as the record path does") {
  const std::string path =
      write("rows.jsonl",
            // batch: two added, one removed; a row that is not an object; a row with nested values
            "{\"unixTime\":1790841731,\"hostIdentifier\":\"h1\",\"diffResults\":{\"added\":[{"
            "\"vendor_id\":\"1209\",\"model_id\":\"EDA1\"},{\"name\":\"AnyDesk\"}],\"removed\":[{"
            "\"name\":\"Zoom\"}]}}\n"
            "{\"unixTime\":1790841731,\"diffResults\":{\"added\":[\"scalar\",null,[1,2],{\"name\":{"
            "\"b\":1,\"a\":[true]}}]}}\n"
            // empty arrays: one skip; not an array: bad; no timestamp: every row bad
            "{\"unixTime\":1790841731,\"diffResults\":{\"added\":[],\"removed\":[]}}\n"
            "{\"unixTime\":1790841731,\"snapshot\":{\"name\":\"x\"}}\n"
            "{\"snapshot\":[{\"name\":\"a\"},{\"name\":\"b\"}]}\n"
            // a row's own `action` loses to the row source's; dotted keys inside a row
            "{\"unixTime\":\"1790841731\",\"snapshot\":[{\"action\":\"x\",\"name.x\":\"d\","
            "\"name\":\"n\"}]}\n"
            // event format beside them; broken JSON
            "{\"unixTime\":1790841731,\"columns\":{\"name\":\"e\"},\"action\":\"removed\"}\n"
            "{\"unixTime\":1790841731,\"snapshot\":[{\"name\":\"t\"}\n");
  same("osquery", path);
  std::remove(path.c_str());
}

TEST_CASE("raw path: a row that is not an object is a bad row, reported with its index") {
  // Before, "bad" became an event holding only the record's outer fields (host, time, action).
  const std::string path = write(
      "rows.jsonl",
      R"({"hostIdentifier":"h","unixTime":1790841731,"snapshot":[{"vendor":"a"},"bad",42,null,)"
      R"(["x"],{"vendor":"b"}]})"
      "\n"
      R"({"hostIdentifier":"h","unixTime":1790841731,"diffResults":{"added":["bad"],"removed":[]}})"
      "\n");
  same("osquery", path);
  model::CollectingDiagnostics load;
  auto s = catalog().with_overrides("osquery", {}, load);
  REQUIRE(s != nullptr);
  const Outcome o = by_records(*s, path);
  CHECK(o.results ==
        std::vector<std::string>{"event x2, skip x0, bad x4", "event x0, skip x0, bad x1"});
  REQUIRE(o.events.size() == 2);
  CHECK(model::to_text(o.events[1].get(model::Fields::id("usb.vendor"))) == "b");
  const std::string row = ": osquery, snapshot[1]: the row is not an object of columns";
  REQUIRE(o.reports.size() == 5);
  CHECK(o.reports[0] == "E-INPUT-ROWS@" + path + ":1" + row + "; the row is skipped");
  CHECK(o.reports[3].find(":1: osquery, snapshot[4]: ") != std::string::npos);
  CHECK(o.reports[4].find(":2: osquery, diffResults.added[0]: ") != std::string::npos);
  std::remove(path.c_str());
}

TEST_CASE("CSV cells: hr-csv maps from the cells as from the {header: value} tree") {
  sources::Catalog hr;  // with a key, so that document numbers are hashed
  hr.set_hmac_key("test-key");
  model::CollectingDiagnostics load;
  REQUIRE(hr.load_dir("rules/sources", load));
  REQUIRE(load.items().empty());
  CHECK(same_csv(hr, "hr-csv", "samples/formats/hr.csv").events.size() == 3);
  CHECK_FALSE(same_csv(hr, "hr-csv", "samples/hr.csv").events.empty());

  // A repeated column (the first wins), a dotted column name, odd and bad values, a bad date
  // (E-INPUT-TIME), a row with a column too many (E-INPUT-CSV), an empty hire date (time 0).
  const std::string path = write(
      "hr_odd.csv",
      "employee_id,work_email,work_email,status,hire_date,country.of residence,city,home_address,"
      "phone,personal_email,document_number\n"
      "E1,A@Corp.example,second@corp.example,ACTIVE,2020-01-02,DE,Berlin,\"# 9, Main Street\","
      "+49 30 1234567,Me@Mail.example,ab-12 3\n"
      "E2,b@corp.example,,Terminated,2020-13-01,US,X,1 Road,555,bad@@mail,\n"
      "E3,c@corp.example,,active,,FR,,\"Apt 3\nRue 1\",call me,,  \n"
      "E4,d@corp.example,,active,2021-05-05,US,NYC,\"2 Pkwy., NY 10001-2345\",(555) 010-0100,"
      "x@y.example,X-1,extra\n"
      "E5,,,,,,,,,,\n");
  const Outcome plain = same_csv(hr, "hr-csv", path);
  CHECK(plain.events.size() == 3);
  CHECK(plain.bad == 1);
  // The paths a CSV has no literal column for are absent, as in the tree: "city.name" is not
  // `city`'s "name".
  const Outcome renamed = same_csv(hr, "hr-csv", path,
                                   {{"hr.country", "country.of residence"},
                                    {"hr.city", "city.name"},
                                    {"user.email", "work_email"}});
  REQUIRE(renamed.events.size() == 3);
  CHECK(model::to_text(renamed.events[0].get(model::Fields::id("hr.country"))) == "DE");
  CHECK(model::is_absent(renamed.events[0].get(model::Fields::id("hr.city"))));
  CHECK(model::to_text(renamed.events[0].get(model::Fields::id("user.email"))) == "a@corp.example");
  std::remove(path.c_str());
}

TEST_CASE("CSV cells: a CSV definition with a filter and a kv splitter reads as the tree") {
  // The splitter adds keys to the tree, so such a definition maps through it; the filter is read
  // from the cells otherwise. Both must give what the tree gives.
  TempDir tmp;
  const std::string defs = tmp.write("csvkv.yaml",
                                     "name: csvkv\n"
                                     "format: csv\n"
                                     "category: vpn\n"
                                     "timestamp: {from: when}\n"
                                     "filter: {kind: [login, Login]}\n"
                                     "kv: extra\n"
                                     "fields:\n"
                                     "  user.name: user\n"
                                     "  source.ip: [ip, src]\n");
  const std::string plain_defs = tmp.write("csvplain.yaml",
                                           "name: csvplain\n"
                                           "format: csv\n"
                                           "category: vpn\n"
                                           "timestamp: {from: when}\n"
                                           "filter: {kind: [login, Login]}\n"
                                           "fields:\n"
                                           "  user.name: user\n"
                                           "  source.ip: [ip, src]\n");
  sources::Catalog catalog;
  model::CollectingDiagnostics load;
  REQUIRE(catalog.load_file(defs, load));
  REQUIRE(catalog.load_file(plain_defs, load));
  REQUIRE(load.items().empty());
  const std::string path = tmp.write("vpn.csv",
                                     "when,kind,user,ip,extra\n"
                                     "2026-10-01T00:00:00Z,login,ann,10.0.0.1,src=10.0.0.9 x=1\n"
                                     "2026-10-01T00:00:01Z,logout,bob,10.0.0.2,\n"
                                     "2026-10-01T00:00:02Z,Login,cy,,src=192.0.2.7\n"
                                     "not a time,login,dee,10.0.0.4,\n"
                                     "2026-10-01T00:00:03Z,login,eve,not-an-ip,user=mallory\n");
  const Outcome kv = same_csv(catalog, "csvkv", path);
  CHECK(kv.events.size() == 3);
  CHECK(kv.results[1] == "event x0, skip x1, bad x0");
  const Outcome plain = same_csv(catalog, "csvplain", path);
  REQUIRE(plain.events.size() == 3);
  CHECK(model::is_absent(plain.events[1].get(model::Fields::id("source.ip"))));
  CHECK(model::to_text(kv.events[1].get(model::Fields::id("source.ip"))) == "192.0.2.7");
}
