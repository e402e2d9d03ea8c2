// Reporters: each format parses back in its own terms and carries the same facts.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "vetter/model/time.h"
#include "vetter/report/report.h"

using namespace vetter;

namespace {

struct Fixture {
  rules::RuleInfo vpn, farm;
  std::vector<rules::Hit> hits;
  score::Result result;
  report::RunInfo run;

  Fixture() {
    vpn.id = "r-vpn";
    vpn.title = "Sign-in through an anonymizing VPN, \"quoted\", with, commas";
    vpn.level = "medium";
    vpn.points = 35;
    vpn.tags = {"attack.t1090"};
    farm.id = "r-farm";
    farm.title = "One residential IP, three accounts";
    farm.level = "high";
    farm.points = 60;
    farm.family = "shared-network";
    const auto t = *model::parse_iso8601("2026-10-05T14:00:00Z");
    rules::Hit h1;
    h1.rule = &vpn;
    h1.accounts = {"<script>alert(1)</script>@corp.example"};
    h1.first_us = h1.last_us = t;
    h1.evidence.push_back(
        {{"samples/okta.jsonl", 42}, t, h1.accounts[0], "source.ip=142.214.202.11"});
    rules::Hit h2;
    h2.rule = &farm;
    h2.accounts = {"<script>alert(1)</script>@corp.example", "=cmd|' /C calc'!A0"};
    h2.first_us = t;
    h2.last_us = t + 3'600'000'000LL;
    h2.group_key = "source.ip=192.0.2.77";
    h2.window_us = 7 * 86400 * 1'000'000LL;
    h2.evidence.push_back({{"samples/okta.jsonl", 43}, t, h2.accounts[0], ""});
    h2.evidence.push_back({{"samples/okta.jsonl", 97}, h2.last_us, h2.accounts[1], ""});
    hits = {h1, h2};
    result = score::score_accounts(hits, {.threshold = 50}, [](std::string_view) { return true; });
    run.version = "test";
    run.events = 100;
    run.rules_loaded = 2;
    run.unknown_accounts = {"contractor@corp.example"};
    run.inputs.push_back({"okta", "samples/okta.jsonl", 1000, 100, 1, 99});
  }
};

// A strict RFC 4180 reader, independent of the writer.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string cell;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        cell += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().push_back(cell);
      cell.clear();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      rows.back().push_back(cell);
      cell.clear();
      rows.emplace_back();
      ++i;
    } else {
      cell += c;
    }
  }
  REQUIRE_FALSE(quoted);
  if (rows.back().empty()) rows.pop_back();
  return rows;
}

}  // namespace

TEST_CASE("format names round-trip") {
  for (auto f : report::all_formats())
    CHECK(report::parse_format(report::to_string(f)) == f);
  CHECK(report::parse_format("markdown") == report::Format::kMarkdown);
  CHECK_FALSE(report::parse_format("xml"));
}

TEST_CASE("CSV: one row per contribution, RFC 4180 quoting, formulas defused") {
  Fixture fx;
  std::ostringstream out;
  report::write_csv(out, fx.result, fx.run);
  auto rows = parse_csv(out.str());
  REQUIRE(rows.size() == 4);  // header + 2 contributions for the first account + 1 for the second
  for (const auto& row : rows)
    CHECK(row.size() == rows[0].size());
  CHECK(rows[0][1] == "account");
  CHECK(rows[1][1] == "<script>alert(1)</script>@corp.example");
  CHECK(rows[1][7] == "One residential IP, three accounts");
  CHECK(rows[1][9] == "shared-network");  // family, then whether it counted
  CHECK(rows[1][10] == "true");
  CHECK(rows[1][15] == "source.ip=192.0.2.77");
  CHECK(rows[2][7] == "Sign-in through an anonymizing VPN, \"quoted\", with, commas");
  CHECK(rows[2][16] == "samples/okta.jsonl:42");
  CHECK(rows[3][1] == "'=cmd|' /C calc'!A0");
  CHECK(rows[1][3] == "true");
}

TEST_CASE("CSV: formulas hidden behind control characters, tabs, CRs or a ';' are defused") {
  using namespace std::string_literals;
  // OWASP's CSV-injection cases (issue #17): what each account name must come out as.
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"=1+1", "'=1+1"},
      {"+2+2", "'+2+2"},
      {"-3+3", "'-3+3"},
      {"@SUM(4)", "'@SUM(4)"},
      {"\t=5+5", "'\t=5+5"},
      {"\r=6+6", "'\r=6+6"},
      {"\n=7+7", "'\n=7+7"},
      {"\0=8+8"s, "'=8+8"},   // NUL dropped, then defused
      {"\x1b=9+9", "'=9+9"},  // ESC
      {"\x01\x02@SUM(10)", "'@SUM(10)"},
      {"\x7f+11", "'+11"},         // DEL
      {"  =12+12", "'  =12+12"},   // spaces a spreadsheet may trim
      {"\x1bplain13", "plain13"},  // a leading control character alone is just dropped
      {"x;=14+14", "x;'=14+14"},   // ';' starts a cell where it is the list separator
      {"x; \"@SUM(15)", "x;' \"@SUM(15)"},
      {"x;\x1b-16", "x;'\x1b-16"},
      {"a;b=17", "a;b=17"},  // no formula after the ';': unchanged
      {"user18@corp.example", "user18@corp.example"},
      {"-", "'-"},
  };
  std::vector<rules::Hit> hits;
  rules::RuleInfo rule;
  rule.id = "r";
  rule.title = "t";
  rule.level = "high";
  rule.points = 60;
  for (const auto& [account, expected] : cases) {
    rules::Hit h;
    h.rule = &rule;
    h.accounts = {account};
    h.evidence.push_back({{"samples/okta.jsonl", 1}, 0, account, ""});
    hits.push_back(h);
  }
  auto result =
      score::score_accounts(hits, {.threshold = 50}, [](std::string_view) { return true; });
  std::ostringstream out;
  report::write_csv(out, result, report::RunInfo{});
  auto rows = parse_csv(out.str());
  REQUIRE(rows.size() == cases.size() + 1);
  std::set<std::string> written;
  for (std::size_t i = 1; i < rows.size(); ++i)
    written.insert(rows[i][1]);
  for (const auto& [account, expected] : cases) {
    INFO("account " << nlohmann::json(account).dump());
    CHECK(written.count(expected) == 1);
  }
}

TEST_CASE("OCSF: every line is a Detection Finding with the required fields") {
  Fixture fx;
  std::ostringstream out;
  report::write_ocsf(out, fx.result, fx.run);
  std::istringstream lines(out.str());
  std::string line;
  int n = 0;
  while (std::getline(lines, line)) {
    auto f = nlohmann::json::parse(line);
    ++n;
    CHECK(f["class_uid"] == 2004);
    CHECK(f["category_uid"] == 2);
    CHECK(f["activity_id"] == 1);
    CHECK(f["type_uid"] == 200401);
    CHECK(f["time"].is_number_integer());
    CHECK(f["severity_id"].get<int>() >= 1);
    CHECK(f["metadata"]["version"].is_string());
    CHECK(f["metadata"]["product"]["name"] == "vetter");
    CHECK(f["finding_info"]["uid"].is_string());
    CHECK(f["finding_info"]["analytic"]["uid"].is_string());
  }
  CHECK(n == 3);
}

TEST_CASE("HTML: self-contained and escaped") {
  Fixture fx;
  std::ostringstream out;
  report::write_html(out, fx.result, fx.run);
  const auto html = out.str();
  CHECK(html.find("<script>alert") == std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt;@corp.example") != std::string::npos);
  CHECK(html.find("http://") == std::string::npos);
  CHECK(html.find("https://") == std::string::npos);
  CHECK(html.find("<svg") != std::string::npos);
  CHECK(html.find("source.ip=192.0.2.77") != std::string::npos);
  CHECK(html.find("contractor@corp.example") != std::string::npos);
}

TEST_CASE("JSON: versioned schema, evidence with file and line") {
  Fixture fx;
  std::ostringstream out;
  report::write_json(out, fx.result, fx.run);
  auto doc = nlohmann::json::parse(out.str());
  CHECK(doc["schema_version"] == report::kJsonSchemaVersion);
  REQUIRE(doc["accounts"].size() == 2);
  const auto& top = doc["accounts"][0];
  CHECK(top["score"] == Approx(74.0));
  CHECK(top["flagged"] == true);
  CHECK(top["contributions"][0]["hits"][0]["group_key"] == "source.ip=192.0.2.77");
  CHECK(top["contributions"][0]["hits"][0]["window_seconds"] == 7 * 86400);
  CHECK(top["contributions"][1]["hits"][0]["evidence"][0]["line"] == 42);
  CHECK(doc["clusters"][0]["accounts"].size() == 2);
  CHECK(doc["unknown_accounts"][0] == "contractor@corp.example");
}

TEST_CASE("Markdown and table name the flagged account and its evidence") {
  Fixture fx;
  std::ostringstream md, table;
  report::write_markdown(md, fx.result, fx.run);
  report::write_table(table, fx.result, fx.run);
  CHECK(md.str().find("`samples/okta.jsonl:42`") != std::string::npos);
  CHECK(md.str().find("=cmd\\|' /C calc'!A0") != std::string::npos);  // pipes escaped in tables
  CHECK(table.str().find("samples/okta.jsonl:43") != std::string::npos);
  CHECK(table.str().find("1   ! 74.0") != std::string::npos);
}

TEST_CASE("undated HR evidence (a candidate without a hire date) is 'undated', never 1970") {
  rules::RuleInfo doc;
  doc.id = "r-doc";
  doc.title = "One identity document under several workers";
  doc.level = "critical";
  doc.points = 90;
  doc.family = "identity-reuse";
  doc.decisive = true;  // flagged alone, so the table prints its evidence
  const auto hired = *model::parse_iso8601("2026-08-03T00:00:00Z");
  rules::Hit h;
  h.rule = &doc;
  h.accounts = {"C7001", "daniel.kim@corp.example"};
  h.first_us = 0;  // the candidate's row has no date
  h.last_us = hired;
  h.group_key = "hr.document_key=f74c";
  h.evidence.push_back({{"samples/hr.csv", 306}, 0, "C7001", "event.category=hr"});
  h.evidence.push_back({{"samples/hr.csv", 12}, hired, "daniel.kim@corp.example", ""});
  const std::vector<rules::Hit> hits{h};  // the result points into it
  const auto result =
      score::score_accounts(hits, {.threshold = 50}, [](std::string_view) { return true; });
  report::RunInfo run;
  run.version = "test";
  for (auto format : {report::Format::kTable, report::Format::kJson, report::Format::kCsv,
                      report::Format::kMarkdown, report::Format::kHtml, report::Format::kOcsf}) {
    std::ostringstream out;
    report::write(out, format, result, run);
    INFO(out.str());
    CHECK(out.str().find("1970") == std::string::npos);
    // OCSF carries epoch milliseconds, not dates; the others print the dated end of the range.
    if (format != report::Format::kOcsf) CHECK(out.str().find("2026-08-03") != std::string::npos);
  }
  std::ostringstream table;
  report::write(table, report::Format::kTable, result, run);
  CHECK(table.str().find("undated..2026-08-03") != std::string::npos);
  std::ostringstream json;
  report::write(json, report::Format::kJson, result, run);
  const auto j = nlohmann::json::parse(json.str());
  const auto& contribution = j["accounts"][0]["contributions"][0];
  CHECK(contribution["first_seen"].is_null());
  CHECK(contribution["hits"][0]["evidence"][0]["time"].is_null());
  CHECK(contribution["hits"][0]["evidence"][1]["time"] == "2026-08-03T00:00:00Z");
  std::ostringstream ocsf;
  report::write(ocsf, report::Format::kOcsf, result, run);
  const auto finding = nlohmann::json::parse(ocsf.str().substr(0, ocsf.str().find('\n')));
  CHECK_FALSE(finding.contains("start_time"));
  CHECK(finding["end_time"] == 1785715200000LL);
  CHECK(finding["evidences"][0]["data"]["time"].is_null());
}
