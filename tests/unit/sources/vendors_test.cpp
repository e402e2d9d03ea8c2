// Every shipped vendor definition against its sample in samples/formats (written from the
// vendor's documented format; see /work/shared/reference/log_formats.md).
#include <unistd.h>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>

#include "sources_test_support.h"
#include "vetter/model/field.h"
#include "vetter/model/time.h"
#include "vetter/sources/source.h"

using namespace vetter;
using namespace vetter::sources::testing;

namespace {

struct Mapped {
  std::string path;
  std::vector<model::Event> events;
  std::vector<std::uint64_t> skipped_lines;
  model::CollectingDiagnostics diags;
  ingest::ReadStats stats;
};

const sources::Catalog& catalog() {
  static const sources::Catalog c = load_shipped();
  return c;
}

void map(Mapped& m, std::string_view source, const std::string& sample) {
  const sources::Source* s = catalog().find(source);
  REQUIRE(s != nullptr);
  m.path = "samples/formats/" + sample;
  REQUIRE(ingest::read_records(
      m.path, s->format(),
      [&](ingest::Record&& r) {
        model::Event e;
        const sources::MapCounts counts =
            s->map_each(r, e, m.diags, [&](model::Event& ev) { m.events.push_back(ev); });
        if (counts.skipped > 0) m.skipped_lines.push_back(r.origin.line);
      },
      m.diags, m.stats));
}

std::string f(const model::Event& e, std::string_view name) {
  const model::Value& v = e.get(model::Fields::id(name));
  return model::is_absent(v) ? "<absent>" : model::to_text(v);
}

std::string when(const model::Event& e) {
  return model::format_iso8601(e.time_us);
}

}  // namespace

TEST_CASE("entra: diagnostic export and Graph responses") {
  Mapped m;
  map(m, "entra", "entra.json");
  CHECK(m.diags.items().empty());
  REQUIRE(m.events.size() == 2);
  const model::Event& kmsi = m.events[0];
  CHECK(when(kmsi) == "2019-10-18T09:45:48.072989Z");
  CHECK(kmsi.origin.line == 2);
  CHECK(f(kmsi, "user.email") == "test@elastic.co");
  CHECK(f(kmsi, "source.ip") == "81.2.69.144");
  CHECK(f(kmsi, "event.outcome") == "failure");  // 50140 is an interrupt, not a sign-in
  CHECK(f(kmsi, "vendor.geo.country") == "FR");
  CHECK(f(kmsi, "host.id") == "<absent>");  // "" in the record
  const model::Event& jane = m.events[1];
  CHECK(f(jane, "event.outcome") == "success");
  CHECK(f(jane, "user.original") == "Jane.Doe@corp.example");
  CHECK(f(jane, "host.name") == "LAPTOP-JD01");
  CHECK(f(jane, "vendor.geo.city") == "Changchun");

  Mapped g;
  map(g, "entra", "entra-graph.json");
  CHECK(g.diags.items().empty());
  REQUIRE(g.events.size() == 1);
  CHECK(when(g.events[0]) == "2026-10-02T14:20:00Z");
  CHECK(f(g.events[0], "source.ip") == "2001:db8::7");
  CHECK(f(g.events[0], "user.id") == "d7cc485d-2c1b-422c-98fd-5ce52859a4a3");
  CHECK(f(g.events[0], "event.outcome") == "success");
  CHECK(f(g.events[0], "vendor.geo.country") == "US");
}

TEST_CASE("gworkspace: events as an array or an object") {
  Mapped m;
  map(m, "gworkspace", "gworkspace.json");
  CHECK(m.diags.items().empty());
  REQUIRE(m.events.size() == 3);
  CHECK(f(m.events[0], "event.action") == "login_verification");
  CHECK(f(m.events[0], "event.outcome") == "unknown");
  CHECK(f(m.events[1], "user.email") == "jane.doe@corp.example");
  CHECK(f(m.events[1], "source.ip") == "67.43.156.13");
  CHECK(f(m.events[1], "vendor.geo.country") == "BT");
  CHECK(f(m.events[1], "event.outcome") == "success");
  CHECK(f(m.events[2], "event.action") == "login_failure");  // the flattened form
  CHECK(f(m.events[2], "event.outcome") == "failure");
  CHECK(when(m.events[2]) == "2026-10-01T08:05:00Z");
}

TEST_CASE("cloudtrail: console sign-ins only; root has no userName") {
  Mapped m;
  map(m, "cloudtrail", "cloudtrail.json");
  CHECK(m.diags.items().empty());
  REQUIRE(m.events.size() == 2);
  CHECK(m.skipped_lines == std::vector<std::uint64_t>{3});  // the S3 GetObject
  CHECK(f(m.events[0], "user.original") == "anaya");
  CHECK(f(m.events[0], "event.outcome") == "success");
  CHECK(f(m.events[0], "source.ip") == "192.0.2.0");
  CHECK(f(m.events[1], "user.original") == "arn:aws:iam::111122223333:root");
  CHECK(f(m.events[1], "event.outcome") == "failure");
  CHECK(f(m.events[1], "event.action") == "ConsoleLogin");

  const sources::Source& ct = *catalog().find("cloudtrail");
  model::Event hidden;
  model::CollectingDiagnostics diags;
  ingest::Record r{
      {{"eventSource", "signin.amazonaws.com"},
       {"eventTime", "2026-10-01T08:00:00Z"},
       {"userIdentity", {{"type", "IAMUser"}, {"userName", "HIDDEN_DUE_TO_SECURITY_REASONS"}}},
       {"responseElements", {{"ConsoleLogin", "Failure"}}}},
      {"ct.json", 1}};
  REQUIRE(ct.map(r, hidden, diags));
  CHECK(f(hidden, "user.original") == "<absent>");
  CHECK(f(hidden, "event.outcome") == "failure");
}

TEST_CASE("asa: the six AnyConnect messages; other ids are skipped") {
  Mapped m;
  map(m, "asa", "asa.log");
  CHECK(m.diags.items().empty());
  CHECK(m.skipped_lines == std::vector<std::uint64_t>{5});
  REQUIRE(m.events.size() == 6);
  const auto& e = m.events;
  CHECK(when(e[0]) == "2022-06-22T13:29:11Z");
  CHECK(f(e[0], "event.action") == "session-start");
  CHECK(f(e[0], "user.original") == "user-1");
  CHECK(f(e[0], "source.ip") == "81.2.69.144");
  CHECK(f(e[1], "source.nat.ip") == "10.250.8.37");
  CHECK(f(e[1], "user.original") == "dana.levi");
  CHECK(f(e[2], "user.original") == "CORP\\jane.doe");
  CHECK(f(e[2], "user_agent.original") == "Cisco AnyConnect VPN Agent for Windows 4.10.07061");
  CHECK(f(e[3], "host.name") == "LAPTOP-JD01");
  CHECK(f(e[3], "event.action") == "device-attribute");
  CHECK(f(e[4], "event.action") == "session-end");
  CHECK(f(e[4], "event.duration_s") == "3468");  // 0h:57m:48s
  CHECK(when(e[4]) == "2026-10-01T09:00:00Z");   // no <PRI> on that line
  CHECK(f(e[5], "event.outcome") == "failure");
  CHECK(f(e[5], "user.original") == "raj.patel");
  CHECK(f(e[5], "source.ip") == "89.160.20.112");
  CHECK(f(e[0], "event.category") == "vpn");
}

TEST_CASE("asa: year-less headers, syslog-server prefixes, no angle brackets") {
  const sources::Source& asa = *catalog().find("asa");
  model::CollectingDiagnostics diags;
  auto map_line = [&](std::string line) {
    model::Event e;
    ingest::Record r{{{"message", std::move(line)}}, {"x.log", 1}};
    REQUIRE(asa.map_record(r, e, diags) == sources::MapResult::kEvent);
    return e;
  };
  model::Event a = map_line(
      "Oct  1 08:02:11 10.1.1.1 : %ASA-6-113039: Group GP User jane.doe@corp.example IP "
      "198.51.100.7 AnyConnect parent session started.");
  CHECK(when(a).substr(4) == "-10-01T08:02:11Z");
  CHECK(f(a, "user.original") == "jane.doe@corp.example");
  CHECK(f(a, "source.ip") == "198.51.100.7");
  model::Event b = map_line(
      "2026-10-01T08:02:11Z asa-vpn-01 Oct 01 2026 08:02:11 asa-vpn-01 : %FTD-6-722051: Group "
      "<GP> User <bob> IP <2001:db8::9> IPv4 Address <10.0.0.9> IPv6 address <::> assigned to "
      "session");
  CHECK(when(b) == "2026-10-01T08:02:11Z");
  CHECK(f(b, "source.ip") == "2001:db8::9");
  model::Event c = map_line(
      "Oct 01 2026 09:00:00: %ASA-4-113019: Group = G, Username = bob, IP = 198.51.100.7, "
      "Session disconnected. Session Type: SSL, Duration: 1d 2h:03m:04s, Bytes xmt: 1, Bytes "
      "rcv: 2, Reason: Idle Timeout");
  CHECK(f(c, "event.duration_s") == std::to_string(86400 + 2 * 3600 + 3 * 60 + 4));
  model::Event masked = map_line(
      "Oct 01 2026 09:10:00 asa : %ASA-6-113005: AAA user authentication Rejected : reason = "
      "AAA failure : server = 10.1.1.10 : user = ***** : user IP = 89.160.20.112");
  CHECK(f(masked, "user.original") == "<absent>");
  CHECK(f(masked, "source.ip") == "89.160.20.112");
  CHECK(f(masked, "event.outcome") == "failure");
  // DAP attributes from an IPv6 peer: the address itself holds colons before the ": Session".
  model::Event v6 = map_line(
      "Oct 01 2026 15:04:34 asa-vpn-01 : %ASA-7-734003: DAP: User alice.hill, Addr "
      "2001:db8:100::28: "
      "Session Attribute endpoint.anyconnect.hostname = \"LT-E1200\"");
  CHECK(f(v6, "source.ip") == "2001:db8:100::28");
  CHECK(f(v6, "host.name") == "LT-E1200");
  CHECK(diags.items().empty());
}

TEST_CASE("globalprotect: PAN-OS CSV inside syslog") {
  Mapped m;
  map(m, "globalprotect", "globalprotect.log");
  CHECK(m.diags.items().empty());
  REQUIRE(m.events.size() == 3);
  const auto& e = m.events;
  CHECK(when(e[0]) == "2021-03-02T11:01:02Z");
  CHECK(f(e[0], "user.original") == "domain\\musterman");
  CHECK(f(e[0], "source.ip") == "175.16.199.1");
  CHECK(f(e[0], "source.nat.ip") == "10.20.30.40");
  CHECK(f(e[0], "vendor.geo.country") == "DE");
  CHECK(f(e[0], "host.name") == "Rechner123");
  CHECK(f(e[0], "host.os") == "OS 10 Enterprise, 64-bit");  // quoted comma kept
  CHECK(f(e[0], "user_agent.original") == "5.1.1");
  CHECK(f(e[0], "event.action") == "gateway-setup-ipsec");
  CHECK(f(e[1], "event.duration_s") == "3600");
  CHECK(f(e[1], "host.serial") == "C02XK1ABCDEF");
  CHECK(f(e[2], "event.outcome") == "failure");
  CHECK(f(e[2], "source.nat.ip") == "<absent>");
}

TEST_CASE("openvpn: connect, address, auth failure, disconnect") {
  Mapped m;
  map(m, "openvpn", "openvpn.log");
  CHECK(m.diags.items().empty());
  CHECK(m.skipped_lines == std::vector<std::uint64_t>{3});
  REQUIRE(m.events.size() == 4);
  const auto& e = m.events;
  CHECK(f(e[0], "event.action") == "session-start");
  CHECK(f(e[0], "user.original") == "jane.doe");
  CHECK(f(e[0], "source.ip") == "175.16.199.1");
  CHECK(f(e[0], "source.port") == "55738");
  CHECK(f(e[1], "source.nat.ip") == "10.8.0.6");
  CHECK(when(e[1]) == "2026-10-01T08:02:11.200000Z");
  CHECK(f(e[2], "event.outcome") == "failure");
  CHECK(f(e[2], "user.original") == "<absent>");
  CHECK(f(e[3], "event.action") == "session-end");
}

TEST_CASE("fortigate: key=value pairs, vpn subtype only, epoch unit by magnitude") {
  Mapped m;
  map(m, "fortigate", "fortigate.log");
  CHECK(m.diags.items().empty());
  CHECK(m.skipped_lines == std::vector<std::uint64_t>{3});  // subtype=system
  REQUIRE(m.events.size() == 2);
  CHECK(when(m.events[0]) == "2020-04-18T17:23:47.698970Z");  // nanoseconds
  CHECK(f(m.events[0], "user.original") == "someuser");
  CHECK(f(m.events[0], "source.ip") == "67.43.156.13");
  CHECK(f(m.events[0], "source.nat.ip") == "10.10.10.10");
  CHECK(f(m.events[0], "event.outcome") == "success");
  CHECK(when(m.events[1]) == "2026-10-01T08:02:11Z");  // seconds
  CHECK(f(m.events[1], "event.outcome") == "failure");
  CHECK(f(m.events[1], "vendor.geo.country") == "China");

  const sources::Source& fgt = *catalog().find("fortigate");
  model::Event pre;
  model::CollectingDiagnostics diags;
  ingest::Record r{{{"message",
                     "date=2026-10-01 time=08:00:00 type=\"event\" subtype=\"vpn\" "
                     "eventtime=1790841600 action=\"ssl-new-con\" remip=175.16.199.1 "
                     "user=\"N/A\""}},
                   {"f.log", 1}};
  REQUIRE(fgt.map(r, pre, diags));
  CHECK(f(pre, "user.original") == "<absent>");
  CHECK(f(pre, "source.ip") == "175.16.199.1");

  // No eventtime (older FortiOS): date= and time= in the device's zone, UTC unless overridden.
  ingest::Record old{{{"message",
                       "date=2026-10-01 time=08:00:00 type=\"event\" subtype=\"vpn\" "
                       "action=\"tunnel-up\" remip=175.16.199.1 user=\"jane\""}},
                     {"f.log", 2}};
  model::Event utc;
  REQUIRE(fgt.map(old, utc, diags));
  CHECK(when(utc) == "2026-10-01T08:00:00Z");
  auto berlin = catalog().with_overrides("fortigate", {}, diags, "Europe/Berlin");
  REQUIRE(berlin != nullptr);
  model::Event local;
  REQUIRE(berlin->map(old, local, diags));
  CHECK(when(local) == "2026-10-01T06:00:00Z");
  model::Event epoch;  // eventtime is UTC whatever the zone
  REQUIRE(berlin->map(r, epoch, diags));
  CHECK(when(epoch) == "2026-10-01T08:00:00Z");
  CHECK(diags.items().empty());

  // No eventtime but tz="-0500": the record's own offset wins over the zone (and UTC).
  for (const auto& [tz, expected] : std::vector<std::pair<std::string, std::string>>{
           {"tz=\"-0500\"", "2026-10-01T13:00:00Z"},
           {"tz=+0530", "2026-10-01T02:30:00Z"},
           {"tz=\"+00:00\"", "2026-10-01T08:00:00Z"}}) {
    INFO(tz);
    ingest::Record zoned{{{"message",
                           "date=2026-10-01 time=08:00:00 type=\"event\" "
                           "subtype=\"vpn\" " +
                               tz + " action=\"tunnel-up\" user=\"jane\""}},
                         {"f.log", 4}};
    model::Event a, b;
    REQUIRE(fgt.map(zoned, a, diags));
    CHECK(when(a) == expected);
    REQUIRE(berlin->map(zoned, b, diags));
    CHECK(when(b) == expected);
  }
  CHECK(diags.items().empty());
  // With eventtime, tz changes nothing (the sample's first line has tz="-0500").
  CHECK(when(m.events[0]) == "2020-04-18T17:23:47.698970Z");
  // A tz that is no offset is a bad record, not a silent UTC.
  ingest::Record garbled{{{"message",
                           "date=2026-10-01 time=08:00:00 type=\"event\" "
                           "subtype=\"vpn\" tz=\"EST\" user=\"jane\""}},
                         {"f.log", 5}};
  model::Event g;
  CHECK(fgt.map_record(garbled, g, diags) == sources::MapResult::kBad);
  REQUIRE(diags.items().size() == 1);
  CHECK(diags.items()[0].code == "E-INPUT-TIME");
  CHECK(diags.items()[0].where == "f.log:5");
  CHECK(diags.items()[0].message ==
        "fortigate: 'EST' in tz is not a UTC offset (+hhmm, -hh:mm, Z)");
}

TEST_CASE("osquery: USB devices and programs") {
  Mapped m;
  map(m, "osquery", "osquery.jsonl");
  CHECK(m.diags.items().empty());
  REQUIRE(m.events.size() == 3);
  const auto& usb = m.events[0];
  CHECK(when(usb) == "2026-10-01T08:02:11Z");
  CHECK(f(usb, "usb.vendor_id") == "1209");
  CHECK(f(usb, "usb.product_id") == "eda1");  // lower-cased
  CHECK(f(usb, "usb.serial") == "<absent>");
  CHECK(f(usb, "host.name") == "LAPTOP-JD01");
  CHECK(f(usb, "user.original") == "jane.doe");
  CHECK(f(usb, "event.category") == "inventory");
  CHECK(f(m.events[1], "app.name") == "AnyDesk");
  CHECK(f(m.events[2], "app.name") == "RustDesk.app");
  CHECK(f(m.events[2], "user.original") == "a.kim");
}

TEST_CASE("osquery: batch format, one event per added and removed row") {
  Mapped m;
  map(m, "osquery", "osquery-batch.jsonl");
  CHECK(m.diags.items().empty());
  CHECK(m.skipped_lines.empty());
  REQUIRE(m.events.size() == 6);
  // Rows in the definition's order: added, then removed; the line's outer keys for every row.
  CHECK(f(m.events[0], "usb.vendor") == "PiKVM");
  CHECK(f(m.events[0], "event.action") == "added");
  CHECK(f(m.events[0], "usb.product_id") == "eda1");
  CHECK(f(m.events[0], "user.original") == "jane.doe");
  CHECK(f(m.events[1], "usb.vendor") == "Logitech, Inc.");
  CHECK(f(m.events[1], "usb.serial") == "<absent>");
  CHECK(f(m.events[2], "event.action") == "removed");
  CHECK(f(m.events[2], "usb.serial") == "4C530001231115117365");
  for (int i = 0; i < 3; ++i) {
    CHECK(when(m.events[i]) == "2026-10-01T08:02:11Z");
    CHECK(m.events[i].origin.line == 1);
    CHECK(f(m.events[i], "host.serial") == "C02XK1ABCDEF");
  }
  CHECK(f(m.events[3], "app.name") == "AnyDesk");
  CHECK(f(m.events[3], "event.action") == "added");
  CHECK(f(m.events[4], "app.name") == "Zoom Workplace (64-bit)");
  CHECK(f(m.events[4], "event.action") == "removed");
  CHECK(when(m.events[4]) == "2026-10-01T08:05:00Z");  // unixTime as a string
  CHECK(m.events[4].origin.line == 2);
  // A row holds no usb keys: they stay absent, they do not fall back to the line.
  CHECK(f(m.events[4], "usb.vendor") == "<absent>");
  CHECK(f(m.events[5], "app.name") == "RustDesk.app");
  CHECK(f(m.events[5], "host.name") == "MBP-AK07");
  CHECK(m.events[5].origin.line == 3);
}

TEST_CASE("osquery: snapshot format, one event per row with action snapshot") {
  Mapped m;
  map(m, "osquery", "osquery-snapshot.jsonl");
  CHECK(m.diags.items().empty());
  REQUIRE(m.events.size() == 5);
  for (const model::Event& e : m.events) {
    CHECK(f(e, "event.action") == "snapshot");
    CHECK(when(e) == "2026-10-02T00:00:00Z");
  }
  CHECK(f(m.events[0], "usb.vendor_id") == "05ac");
  CHECK(f(m.events[1], "usb.vendor") == "PiKVM");
  CHECK(f(m.events[2], "app.name") == "AnyDesk");
  CHECK(f(m.events[3], "app.name") == "Microsoft Teams");
  CHECK(m.events[3].origin.line == 2);
  CHECK(f(m.events[4], "app.name") == "RustDesk.app");
  CHECK(f(m.events[4], "user.original") == "a.kim");
}

TEST_CASE("asa: header segments and template bodies agree with the whole-line regexes") {
  sources::Catalog reference;
  model::CollectingDiagnostics load;
  REQUIRE(reference.load_file("tests/unit/sources/asa_regex.yaml", load));
  const sources::Source& regex = *reference.find("asa_regex");
  const sources::Source& asa = *catalog().find("asa");
  std::vector<std::string> lines;  // messages without their <PRI>, as the reader gives them
  for (const char* path : {"samples/asa.log", "samples/formats/asa.log"}) {
    model::CollectingDiagnostics read;
    ingest::ReadStats stats;
    ingest::read_records(
        path, ingest::Format::kSyslog,
        [&](ingest::Record&& r) { lines.push_back(r.data["message"].get<std::string>()); }, read,
        stats);
  }
  REQUIRE(lines.size() > 1000);
  // Odd lines: no brackets, mixed brackets, unquoted DAP values, missing parts, cut short,
  // another id, an empty hole, brackets inside values.
  const std::string h = "Oct 01 2026 08:02:11 asa-vpn-01 : ";
  for (const std::string body :
       {"%ASA-6-113039: Group GP User jane IP 198.51.100.7 AnyConnect parent session started.",
        "%ASA-6-113039: Group <GP> User jane IP <198.51.100.7> AnyConnect parent session "
        "started.",
        "%ASA-6-113039: Group <> User <jane> IP <198.51.100.7> AnyConnect parent session",
        "%ASA-6-113039: Group <GP> User <ja<ne> IP <198.51.100.7> AnyConnect parent session "
        "started.",
        "%ASA-6-113039: Group <GP> User <jane> IP <198.51.100.7 x> AnyConnect parent session "
        "started.",
        "%ASA-6-722051: Group <GP> User <jane> IP <198.51.100.7> IPv4 Address <10.0.0.9>",
        "%ASA-6-722051: Group GP User jane IP 198.51.100.7 IPv4 Address 10.0.0.9 IPv6 address "
        ":: assigned to session",
        "%ASA-6-722055: Group <GP> User <jane> IP <198.51.100.7> Client Type: ",
        "%ASA-7-734003: DAP: User jane, Addr 198.51.100.7: Session Attribute "
        "endpoint.anyconnect.hostname = LT-1",
        "%ASA-7-734003: DAP: User jane, Addr 198.51.100.7: Session Attribute "
        "endpoint.anyconnect.platform = \"win\"",
        "%ASA-7-734003: DAP: User jane, Addr 2001:db8::1: Session Attribute "
        "endpoint.anyconnect.deviceuniqueid = \"ABC\" trailing",
        "%ASA-7-734003: DAP: User jane, Addr 198.51.100.7: Session Attribute "
        "endpoint.anyconnect.other = \"x\"",
        "%ASA-4-113019: Group = G, Username = bob, IP = 198.51.100.7, Session disconnected. "
        "Session Type: SSL, Duration: 0h:05m:32s, Bytes xmt: 1, Bytes rcv: 2, Reason: ",
        "%ASA-6-113005: AAA user authentication Rejected : reason = AAA failure : server = "
        "10.1.1.10 : user = bob",
        "%ASA-6-113005: AAA user authentication Rejected : reason = x : server = 10.1.1.10 : "
        "user = bob : user IP = 89.160.20.112",
        "%ASA-6-113039: Group <GP> User <jane>", "%ASA-6-113039:",
        "%ASA-6-11303: Group <GP> User <jane> IP <1.2.3.4> AnyConnect parent session started.",
        "%ASA-6-302013: Built inbound TCP connection"}) {
    lines.push_back(h + body);
  }
  model::CollectingDiagnostics diags;
  std::size_t events = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    INFO(lines[i]);
    ingest::Record r{{{"message", lines[i]}}, {"x.log", i + 1}};
    model::Event a, b;
    const sources::MapResult ra = regex.map_record(r, a, diags);
    const sources::MapResult rb = asa.map_record(r, b, diags);
    REQUIRE(ra == rb);
    if (ra != sources::MapResult::kEvent) continue;
    ++events;
    CHECK(a.time_us == b.time_us);
    for (model::FieldId f = 0; f < model::Fields::count(); ++f) {
      if (model::Fields::info(f).name == "event.source") continue;
      INFO(model::Fields::info(f).name);
      CHECK(model::to_text(a.get(f)) == model::to_text(b.get(f)));
    }
  }
  CHECK(events > 1000);
}

TEST_CASE("asa: the hand-matched header timestamp segment takes what RE2 takes") {
  // asa.yaml's `ts` segment is matched by hand (Segment::Kind::kSyslogTime); the same regex as a
  // plain pattern runs in RE2. Both capture ts and the rest of the line, which must agree.
  const std::string ts =
      R"(\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-]\d\d:?\d\d)?|[A-Z][a-z]{2} +\d{1,2}(?: \d{4})? \d\d:\d\d:\d\d)";
  const std::string dir =
      (std::filesystem::temp_directory_path() / ("vetter-ts-" + std::to_string(::getpid())))
          .string();
  std::filesystem::create_directories(dir);
  const std::string common =
      "format: syslog\ncategory: vpn\ntimestamp: {from: none, optional: true}\n"
      "fields: {app.name: ts, host.name: rest}\n";
  std::ofstream(dir + "/a.yaml") << "name: by_hand\n"
                                 << common << "header: {segments: [{ts: '" << ts
                                 << "'}, {k: 'x?'}], key: k}\nbodies: {'': '(?P<rest>.*)'}\n";
  std::ofstream(dir + "/b.yaml") << "name: by_re2\n"
                                 << common << "pattern: '^(?P<ts>" << ts << ")(?P<rest>.*)'\n";
  sources::Catalog c;
  model::CollectingDiagnostics diags;
  REQUIRE(c.load_dir(dir, diags));
  std::filesystem::remove_all(dir);
  const sources::Source& by_hand = *c.find("by_hand");
  const sources::Source& by_re2 = *c.find("by_re2");
  for (const char* line : {"2026-10-01T08:02:11Z rest",
                           "2026-10-01T08:02:11.123+02:00 r",
                           "2026-10-01T08:02:11+0200",
                           "2026-10-01T08:02:11+02:0",
                           "2026-10-01T08:02:11+02",
                           "2026-10-01T08:02:11-05:00:00",
                           "2026-10-01T",
                           "2026-10-01Tx",
                           "2026-10-01T::..Z",
                           "2026-1-01T08:02:11Z",
                           "2026-10-01 08:02",
                           "Oct  1 08:02:11 h",
                           "Oct 01 2026 08:02:11 h",
                           "Oct 1 2026 08:02:11",
                           "Oct 12 08:02:11",
                           "Oct 123 08:02:11",
                           "Oct 1 202 08:02:11",
                           "Oct 01 2026 8:02:11",
                           "Oct01 08:02:11",
                           "OCT 01 08:02:11",
                           "oct 01 08:02:11",
                           "Oct 01 08:02:1",
                           "Oct 01 08:02:11:12",
                           "Oct 01 2026 08:02:11Z",
                           "Oct 01 20260 08:02:11",
                           "",
                           "1",
                           "O",
                           "Oc",
                           "Oct",
                           "Oct ",
                           "Oct  1 2026  08:02:11"}) {
    INFO(line);
    const ingest::Record r{{{"message", line}}, {"t.log", 1}};
    model::Event a, b;
    const sources::MapResult ra = by_hand.map_record(r, a, diags);
    const sources::MapResult rb = by_re2.map_record(r, b, diags);
    CHECK(ra == rb);
    CHECK(a.str(model::Fields::id("app.name")) == b.str(model::Fields::id("app.name")));
    CHECK(a.str(model::Fields::id("host.name")) == b.str(model::Fields::id("host.name")));
  }
  CHECK(diags.items().empty());
}

TEST_CASE("hr-csv: role columns map to hr.job_title, hr.department, hr.worker_type, hr.manager") {
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("vetter-hr-roles-" + std::to_string(::getpid()) + ".csv"))
                               .string();
  std::ofstream(path) << "employee_id,work_email,country,city,job_title,department,worker_type,"
                         "manager\n"
                         "E1,a@corp.example,US,Austin,Senior Systems Administrator,IT Operations,"
                         "Contractor,boss@corp.example\n"
                         "E2,b@corp.example,US,Austin,,,,\n";
  const sources::Source* s = catalog().find("hr-csv");
  REQUIRE(s != nullptr);
  std::vector<model::Event> events;
  model::CollectingDiagnostics diags;
  ingest::ReadStats stats;
  REQUIRE(ingest::read_records(
      path, s->format(),
      [&](ingest::Record&& r) {
        model::Event e;
        s->map_each(r, e, diags, [&](model::Event& ev) { events.push_back(ev); });
      },
      diags, stats));
  std::filesystem::remove(path);
  INFO(model::format(diags.items().empty() ? model::Diagnostic{} : diags.items().front()));
  CHECK(diags.items().empty());
  REQUIRE(events.size() == 2);
  CHECK(f(events[0], "hr.job_title") == "Senior Systems Administrator");
  CHECK(f(events[0], "hr.department") == "IT Operations");
  CHECK(f(events[0], "hr.worker_type") == "contractor");
  CHECK(f(events[0], "hr.manager") == "boss@corp.example");
  // Empty cells (and exports without the columns, such as the demo's) leave them absent.
  for (const char* field : {"hr.job_title", "hr.department", "hr.worker_type", "hr.manager"}) {
    CAPTURE(field);
    CHECK(f(events[1], field) == "<absent>");
  }
}
