// Issue 3's bad-input list against every shipped source: broken JSON, a wrong CSV column count,
// an impossible or unparseable timestamp (Okta's own doc example says 2017-09-31), invalid UTF-8,
// a 10 MB line, a truncated .gz and a truncated .zst. Each bad record is reported with file:line,
// counted and skipped; the sample's good records still become the same events; nothing crashes.
#include <catch2/catch.hpp>

#include <sstream>

#include "sources_test_support.h"

using namespace vetter;
using namespace vetter::sources::testing;

namespace {

const sources::Catalog& catalog() {
  static const sources::Catalog c = load_shipped();
  return c;
}

struct Run {
  std::uint64_t events = 0;
  std::uint64_t bad = 0;             // reader and mapper
  std::vector<std::string> reports;  // "CODE@file:line"

  bool has(const std::string& code, const std::string& where) const {
    for (const std::string& r : reports) {
      if (r == code + "@" + where) return true;
    }
    return false;
  }
  bool has_code(const std::string& code) const {
    for (const std::string& r : reports) {
      if (r.rfind(code + "@", 0) == 0) return true;
    }
    return false;
  }
};

Run run(const sources::Source& s, const std::string& path) {
  Run r;
  model::CollectingDiagnostics diags;
  ingest::ReadStats stats;
  ingest::read_records(
      path, s.format(),
      [&](ingest::Record&& rec) {
        model::Event e;
        const sources::MapCounts c = s.map_each(rec, e, diags, [&](model::Event&) { ++r.events; });
        r.bad += c.bad;
      },
      diags, stats);
  r.bad += stats.bad;
  r.reports = codes(diags);
  return r;
}

std::size_t lines_of(const std::string& text) {
  std::size_t n = 0;
  for (char c : text)
    n += c == '\n';
  return n + (!text.empty() && text.back() != '\n' ? 1 : 0);
}

struct Case {
  const char* source;
  const char* sample;
  std::string impossible_time;  // one record (a line, or for `json` a whole document)
};

const std::string kBigValue(10 << 20, 'x');

}  // namespace

TEST_CASE("bad input: every shipped source reports, counts and skips each kind of bad record") {
  const std::vector<Case> cases = {
      {"okta", "okta.jsonl",
       R"({"published":"2017-09-31T22:14:15.000Z","eventType":"user.session.start","actor":{"alternateId":"x@corp.example"}})"},
      {"okta-json", "okta.jsonl",
       R"({"published":"2017-09-31T22:14:15.000Z","eventType":"user.session.start"})"},
      {"osquery", "osquery.jsonl",
       R"({"name":"usb","unixTime":"2017-09-31","columns":{"vendor":"x"},"action":"added"})"},
      {"osquery", "osquery-batch.jsonl",
       R"({"name":"usb","unixTime":"2017-09-31","diffResults":{"added":[{"vendor":"x"}],"removed":[]}})"},
      {"osquery", "osquery-snapshot.jsonl",
       R"({"name":"usb","unixTime":"2017-09-31","snapshot":[{"vendor":"x"}],"action":"snapshot"})"},
      {"entra", "entra.json",
       R"({"records":[{"time":"2017-09-31T09:45:48Z","category":"SignInLogs","properties":{"userPrincipalName":"x@corp.example"}}]})"},
      {"entra", "entra-graph.json",
       R"({"value":[{"createdDateTime":"2017-09-31T09:45:48Z","userPrincipalName":"x@corp.example"}]})"},
      {"gworkspace", "gworkspace.json",
       R"({"items":[{"id":{"time":"2017-09-31T05:59:58.481Z","applicationName":"login"},"actor":{"email":"x@corp.example"},"events":[{"name":"login_success"}]}]})"},
      {"cloudtrail", "cloudtrail.json",
       R"({"Records":[{"eventTime":"2017-09-31T18:34:07Z","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","userIdentity":{"userName":"x"}}]})"},
      {"asa", "asa.log",
       "<166>Sep 31 2026 08:02:11 asa-vpn-01 : %ASA-6-113039: Group <G> User <u1> IP "
       "<11.1.9.52> AnyConnect parent session started."},
      {"globalprotect", "globalprotect.log",
       "<14>Oct  1 08:02:11 pa-fw01 1,2026/09/31 08:02:11,013201001234,GLOBALPROTECT,0,2561,"
       "2026/09/31 08:02:10,vsys1,gateway-auth,login,LDAP,SSL,CORP\\jane.doe,CN,LAPTOP-JD01,"
       "175.16.199.1,,10.30.0.17,,7a2c9f40,C02XK1ABCDEF,6.2.1,Microsoft Windows,\"Windows\",1,,,,"
       "success,,3600,on-demand,0,vpn.corp.example,7234567890123456789,0x0,2026-10-01T08:02:10"
       ".123+00:00,,42,,,"},
      {"openvpn", "openvpn.log",
       "2026-09-31T08:02:11.000000+00:00 vpn01 ovpn-myserver[4818]: 175.16.199.1:55738 "
       "[jane.doe] Peer Connection Initiated with [AF_INET]175.16.199.1:55738"},
      {"fortigate", "fortigate.log",
       "<189>date=2026-09-31 time=08:02:11 devname=\"fgt-hq\" type=\"event\" subtype=\"vpn\" "
       "eventtime=2017-09-31 action=\"tunnel-up\" remip=175.16.199.1 user=\"jane.doe\""},
      {"hr-csv", "hr.csv",
       "E1999,Jo Bad,jo.bad@corp.example,jbad,active,2017-09-31,US,TX,Austin,America/Chicago,"
       "\"1 Main St\",\"1 Main St\",+15125550199,"},
  };
  TempDir tmp;
  int n = 0;
  for (const Case& c : cases) {
    INFO(c.source << " on " << c.sample);
    const sources::Source* s = catalog().find(c.source);
    REQUIRE(s != nullptr);
    const std::string sample_path = std::string("samples/formats/") + c.sample;
    std::string sample = slurp(sample_path);
    const ingest::Format format = s->format();
    if (std::string(c.source) == "okta-json") {
      // The API's array, built from the JSON Lines sample.
      std::string array = "[";
      std::istringstream in(sample);
      for (std::string line; std::getline(in, line);)
        array += (array.size() > 1 ? ",\n" : "\n") + line;
      sample = array + "\n]\n";
    }
    const Run clean = run(*s, tmp.write(std::to_string(++n) + "-clean", sample));
    REQUIRE(clean.events > 0);
    CHECK(clean.bad == 0);
    const bool lines = format != ingest::Format::kJson;
    const std::size_t after = lines_of(sample) + 1;  // the line an appended record lands on
    const auto file = [&](const std::string& bytes) {
      return tmp.write(std::to_string(++n) + (lines ? ".log" : ".json"), bytes);
    };

    // An impossible (or, for epochs, unparseable) timestamp.
    {
      const std::string path =
          lines ? file(sample + c.impossible_time + "\n") : file(c.impossible_time);
      const Run r = run(*s, path);
      CHECK(r.bad == 1);
      CHECK(r.has("E-INPUT-TIME", path + ":" + std::to_string(lines ? after : 1)));
      if (lines) CHECK(r.events == clean.events);
    }
    // Invalid UTF-8 (and, in the line formats, the good lines around it still map).
    {
      const std::string bad_utf8 = "{\"published\":\"\xff\xfe\",\"unixTime\":\"\xc3\x28\"}";
      const std::string path =
          lines ? file(sample + bad_utf8 + "\n" + sample.substr(sample.find('\n') + 1))
                : file("[" + bad_utf8 + "]");
      const Run r = run(*s, path);
      CHECK(r.bad >= 1);
      CHECK(r.has_code("E-INPUT-UTF8"));
      if (lines) CHECK(r.has("E-INPUT-UTF8", path + ":" + std::to_string(after)));
      if (lines && format != ingest::Format::kCsv) CHECK(r.events >= clean.events);
    }
    // A 10 MB line: one bad record, never buffered whole; reading goes on after it.
    {
      const std::string big = format == ingest::Format::kSyslog
                                  ? "<14>" + kBigValue
                                  : "{\"published\":\"" + kBigValue + "\"}";
      const std::string path =
          lines ? file(sample + big + "\n" + c.impossible_time + "\n") : file("[" + big + "]");
      const Run r = run(*s, path);
      CHECK(r.has_code("E-INPUT-LINE"));
      if (lines) {
        CHECK(r.has("E-INPUT-LINE", path + ":" + std::to_string(after)));
        CHECK(r.has("E-INPUT-TIME", path + ":" + std::to_string(after + 1)));
        CHECK(r.bad == 2);
        CHECK(r.events == clean.events);
      }
    }
    // Broken JSON (JSON formats) or a wrong column count (CSV).
    if (format == ingest::Format::kJsonLines) {
      const std::string path = file(sample + "{\"published\": \"2026-10-01T00:00:00Z\",\n");
      const Run r = run(*s, path);
      CHECK(r.has("E-INPUT-JSON", path + ":" + std::to_string(after)));
      CHECK(r.bad == 1);
      CHECK(r.events == clean.events);
    } else if (format == ingest::Format::kJson) {
      const std::string path = file(sample.substr(0, sample.size() / 2));
      const Run r = run(*s, path);
      CHECK(r.has_code("E-INPUT-JSON"));
      CHECK(r.bad >= 1);
      CHECK(r.events < clean.events);
    } else if (format == ingest::Format::kCsv) {
      const std::string path = file(sample + "E2000,too,few\n");
      const Run r = run(*s, path);
      CHECK(r.has("E-INPUT-CSV", path + ":" + std::to_string(after)));
      CHECK(r.bad == 1);
      CHECK(r.events == clean.events);
    }
    // Truncated .gz and .zst: what came before the cut maps, the cut is one bad record.
    {
      std::string padded = sample;
      if (lines) {
        // Enough records that the cut lands after the first ones.
        std::string body =
            sample.substr(format == ingest::Format::kCsv ? sample.find('\n') + 1 : 0);
        for (int i = 0; i < 600; ++i)
          padded += body;
      }
      const std::string gz = gzip(padded);
      const Run g = run(*s, file(gz.substr(0, gz.size() * 2 / 3)));
      CHECK(g.has_code("E-INPUT-GZIP"));
      CHECK(g.bad >= 1);
      const std::string z = zstd(padded);
      // zstd emits whole blocks (128 KiB of input), so the cut goes into the last one.
      const Run t = run(*s, file(z.substr(0, z.size() - 8)));
      CHECK(t.has_code("E-INPUT-ZSTD"));
      CHECK(t.bad >= 1);
      if (lines) {
        CHECK(g.events > 0);
        CHECK(t.events > 0);
      }
    }
  }
}
