// Auto-detection of a bare path from the definitions' `detect:` (Catalog::detect).
#include <catch2/catch.hpp>

#include "sources_test_support.h"

using namespace vetter;
using namespace vetter::sources::testing;

namespace {

const sources::Catalog& shipped() {
  static const sources::Catalog catalog = load_shipped();
  return catalog;
}

// The detected name, or "" with the report's code and message in `why`.
std::string detect(const sources::Catalog& catalog, const std::string& path,
                   std::string* why = nullptr) {
  model::CollectingDiagnostics diags;
  const sources::Source* found = catalog.detect(path, diags);
  if (found != nullptr) {
    CHECK(diags.items().empty());
    return found->name();
  }
  REQUIRE(diags.items().size() == 1);
  if (why != nullptr) *why = diags.items()[0].code + " " + diags.items()[0].message;
  return {};
}

}  // namespace

TEST_CASE("detect: every sample detects to its source") {
  const std::pair<const char*, const char*> cases[] = {
      {"samples/formats/asa.log", "asa"},
      {"samples/formats/cloudtrail.json", "cloudtrail"},
      {"samples/formats/entra.json", "entra"},
      {"samples/formats/entra-graph.json", "entra"},
      {"samples/formats/fortigate.log", "fortigate"},
      {"samples/formats/globalprotect.log", "globalprotect"},
      {"samples/formats/gworkspace.json", "gworkspace"},
      {"samples/formats/hr.csv", "hr-csv"},  // with a byte order mark
      {"samples/formats/okta.jsonl", "okta"},
      {"samples/formats/openvpn.log", "openvpn"},
      {"samples/formats/osquery.jsonl", "osquery"},
      {"samples/formats/osquery-batch.jsonl", "osquery"},
      {"samples/formats/osquery-snapshot.jsonl", "osquery"},
      {"samples/okta.jsonl", "okta"},
      {"samples/osquery.jsonl", "osquery"},
      {"samples/asa.log", "asa"},
      {"samples/hr.csv", "hr-csv"},
  };
  for (const auto& [path, name] : cases) {
    INFO(path);
    std::string why;
    const std::string found = detect(shipped(), path, &why);
    INFO(why);
    CHECK(found == name);
  }
}

TEST_CASE("detect: compressed, BOM and blank-line heads") {
  TempDir tmp;
  const std::string okta = slurp("samples/formats/okta.jsonl");
  CHECK(detect(shipped(), tmp.write("a.gz", gzip(okta))) == "okta");
  CHECK(detect(shipped(), tmp.write("a.zst", zstd(okta))) == "okta");
  CHECK(detect(shipped(), tmp.write("a.log", "\xEF\xBB\xBF\n\r\n  " + okta)) == "okta");
  // The same events as the API returns them, a JSON array, are okta-json's.
  CHECK(detect(shipped(), tmp.write("api.json", "[\n" + okta.substr(0, okta.find('\n')) + "\n]")) ==
        "okta-json");
  // A compressed ASA log, the gzip truncated after its head: still detected (the read reports
  // the truncation, not detection).
  const std::string asa = gzip(slurp("samples/asa.log"));
  CHECK(detect(shipped(), tmp.write("asa.gz", asa.substr(0, asa.size() / 2))) == "asa");
}

TEST_CASE("detect: look-alikes and empty files are refused with what to do") {
  TempDir tmp;
  std::string why;
  CHECK(detect(shipped(), tmp.write("empty.log", ""), &why).empty());
  CHECK(why.rfind("E-INPUT-SOURCE is empty", 0) == 0);
  CHECK(detect(shipped(), tmp.write("blank.log", "\n  \n\r\n"), &why).empty());
  CHECK(why.find("is empty") != std::string::npos);
  CHECK(detect(shipped(), tmp.write("empty.gz", gzip("")), &why).empty());
  CHECK(why.find("is empty") != std::string::npos);

  // Duo's JSON Lines: a user and an IP, none of Okta's keys.
  CHECK(detect(
            shipped(),
            tmp.write("duo.jsonl", R"({"timestamp":1790841731,"user":{"name":"jane"},"event_type":)"
                                   R"("authentication","access_device":{"ip":"203.0.113.24"}})"
                                   "\n"),
            &why)
            .empty());
  CHECK(why.find("matches no source definition") != std::string::npos);
  CHECK(why.find("known sources: asa, cloudtrail, entra,") != std::string::npos);
  CHECK(why.find("SOURCE:PATH") != std::string::npos);
  // ASA text inside a SIEM's JSON export is not ASA syslog.
  CHECK(
      detect(shipped(),
             tmp.write("asa.json", R"({"message":"%ASA-6-113039: Group <G> User <u> IP <1.2.3.4>"})"
                                   "\n"),
             &why)
          .empty());
  // A Graph user list has userPrincipalName but is no sign-in log.
  CHECK(
      detect(shipped(),
             tmp.write("users.json",
                       R"({"value":[{"userPrincipalName":"a@b.example","createdDateTime":"x"}]})"),
             &why)
          .empty());
  // Google Workspace Drive audit: the Reports API, another application.
  CHECK(detect(shipped(),
               tmp.write("drive.json", R"({"kind":"admin#reports#activities","items":[{"id":)"
                                       R"({"applicationName":"drive"}}]})"),
               &why)
            .empty());
  // Generic syslog from another daemon.
  CHECK(detect(shipped(),
               tmp.write("sshd.log",
                         "Oct  1 08:02:11 host sshd[42]: Accepted publickey for jane "
                         "from 203.0.113.24 port 5122 ssh2\n"),
               &why)
            .empty());
  // An HR export with its own column names needs hr-csv:PATH (and overrides) anyway.
  CHECK(
      detect(shipped(), tmp.write("hr.csv", "Employee ID,Email\nE1,a@b.example\n"), &why).empty());

  // A missing file is E-INPUT-OPEN; stdin cannot be peeked at.
  model::CollectingDiagnostics diags;
  CHECK(shipped().detect((tmp.dir / "nope.log").string(), diags) == nullptr);
  CHECK(diags.has_code("E-INPUT-OPEN"));
  CHECK(detect(shipped(), "-", &why).empty());
  CHECK(why.find("SOURCE:-") != std::string::npos);
}

TEST_CASE("detect: several fitting definitions are ambiguous; no detect: is never picked") {
  TempDir tmp;
  sources::Catalog catalog;
  model::CollectingDiagnostics diags;
  REQUIRE(catalog.load_dir("rules/sources", diags));
  const std::string base = R"(format: jsonl
category: authentication
timestamp: published
fields: {user.original: actor.alternateId}
)";
  REQUIRE(catalog.load_file(tmp.write("a.yaml", "name: other\n" + base), diags));
  std::string why;
  CHECK(detect(catalog, "samples/formats/okta.jsonl", &why) == "okta");  // `other` has no detect
  REQUIRE(catalog.load_file(
      tmp.write("b.yaml", "name: okta-copy\ndetect: {contains: '\"eventType\"'}\n" + base), diags));
  CHECK(detect(catalog, "samples/formats/okta.jsonl", &why).empty());
  CHECK(why.find("is ambiguous") != std::string::npos);
  CHECK(why.find("okta (") != std::string::npos);
  CHECK(why.find("okta-copy (") != std::string::npos);
  CHECK(why.find("SOURCE:PATH") != std::string::npos);
  CHECK(catalog.detect_candidates(R"({"eventType":"x"})").size() == 1);  // okta needs more keys
}

TEST_CASE("detect: bad `detect:` keys fail the load with file:line:col") {
  TempDir tmp;
  const std::string base = R"(name: x
format: syslog
category: vpn
pattern: '(?P<ts>\S+)'
timestamp: ts
fields: {user.original: ts}
)";
  auto load = [&](const std::string& detect_yaml) {
    sources::Catalog catalog;
    model::CollectingDiagnostics diags;
    const std::string file = tmp.write("x.yaml", base + detect_yaml);
    CHECK_FALSE(catalog.load_file(file, diags));
    REQUIRE(diags.items().size() == 1);
    return diags.items()[0].code + "@" + diags.items()[0].where.substr(file.size());
  };
  CHECK(load("detect: {regex: '(unclosed'}\n") == "E-SOURCE-PATTERN@:7:17");
  CHECK(load("detect: {regexp: x}\n") == "E-SOURCE-KEY@:7:10");
  CHECK(load("detect: {contains: ['']}\n") == "E-SOURCE-VALUE@:7:21");
  CHECK(load("detect: {}\n") == "E-SOURCE-VALUE@:7:9");
  CHECK(load("detect: 'x'\n") == "E-SOURCE-VALUE@:7:9");
  // A list of regexes: every one must be found.
  sources::Catalog catalog;
  model::CollectingDiagnostics diags;
  REQUIRE(catalog.load_file(tmp.write("y.yaml", base + "detect: {regex: ['^<\\d+>', 'vpnd: ']}\n"),
                            diags));
  CHECK(catalog.detect_candidates("<13>Oct 1 host vpnd: x").size() == 1);
  CHECK(catalog.detect_candidates("Oct 1 host vpnd: x").empty());
  CHECK(catalog.detect_candidates("<13>Oct 1 host sshd: x").empty());
}
