// IP lists: parsing, bad lines, IPv4 and IPv6 matches, the shipped lists.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "vetter/enrich/ip_lists.h"

using namespace vetter;
using enrich::IpLists;

namespace {

std::vector<std::string> match(const IpLists& lists, const char* ip) {
  auto parsed = model::IpAddress::parse(ip);
  REQUIRE(parsed);
  return lists.match(*parsed);
}

std::string write_temp(const std::string& name, const std::string& text) {
  auto path = std::filesystem::temp_directory_path() /
              ("vetter-list-" + std::to_string(::getpid()) + "-" + name);
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

using Names = std::vector<std::string>;

}  // namespace

TEST_CASE("lists match IPv4 and IPv6 addresses and networks") {
  const std::string path = write_temp("mixed.txt",
                                      "# a comment\n"
                                      "\n"
                                      "  10.0.0.0/8   # inline comment\n"
                                      "192.0.2.7\n"
                                      "2001:db8:abcd::/48\n"
                                      "2001:db8::1\r\n"
                                      "not-an-ip\n"
                                      "10.0.0.0/33\n");
  model::CollectingDiagnostics diags;
  IpLists lists;
  CHECK(lists.empty());
  REQUIRE(lists.load("mixed", path, diags));
  CHECK_FALSE(lists.empty());

  CHECK(match(lists, "10.200.1.1") == Names{"mixed"});
  CHECK(match(lists, "192.0.2.7") == Names{"mixed"});
  CHECK(match(lists, "192.0.2.8").empty());
  CHECK(match(lists, "2001:db8:abcd:1::5") == Names{"mixed"});
  CHECK(match(lists, "2001:db8::1") == Names{"mixed"});
  CHECK(match(lists, "2001:db8::2").empty());
  CHECK(match(lists, "11.0.0.1").empty());
  // An IPv4 list entry never matches an IPv6 address that merely shares bits.
  CHECK(match(lists, "::10.0.0.1").empty());

  // Two bad lines, each reported with file:line and skipped.
  const auto items = diags.items();
  REQUIRE(items.size() == 2);
  CHECK(items[0].code == "W-LIST-LINE");
  CHECK(items[0].severity == model::Severity::kWarning);
  CHECK(items[0].where == path + ":7");
  CHECK_THAT(items[0].message, Catch::Contains("not-an-ip"));
  CHECK(items[1].where == path + ":8");
  std::filesystem::remove(path);
}

TEST_CASE("match names every list holding the address, in load order") {
  model::CollectingDiagnostics diags;
  IpLists lists;
  const std::string a = write_temp("a.txt", "203.0.113.0/24\n");
  const std::string b = write_temp("b.txt", "203.0.113.9\n198.51.100.0/24\n");
  REQUIRE(lists.load("residential", a, diags));
  REQUIRE(lists.load("watch", b, diags));
  CHECK(match(lists, "203.0.113.9") == Names{"residential", "watch"});
  CHECK(match(lists, "203.0.113.10") == Names{"residential"});
  CHECK(match(lists, "198.51.100.1") == Names{"watch"});

  lists.add("residential", *model::Cidr::parse("100.64.0.0/10"));
  CHECK(match(lists, "100.127.0.1") == Names{"residential"});
  CHECK(diags.items().empty());
  std::filesystem::remove(a);
  std::filesystem::remove(b);
}

TEST_CASE("AS lines match the address's autonomous system, any case, with comments") {
  const std::string path = write_temp("asn.txt",
                                      "# carriers\n"
                                      "AS21928   # T-Mobile USA, Inc.\n"
                                      "as6167\n"
                                      "  As22394  # inline comment\r\n"
                                      "AS\n"
                                      "AS0\n"
                                      "AS 20057\n"
                                      "AS20057x\n"
                                      "AS4294967296\n"
                                      "ASN20057\n"
                                      "AS4294967295\n"
                                      "192.0.2.0/24\n");
  model::CollectingDiagnostics diags;
  IpLists lists;
  REQUIRE(lists.load("mobile", path, diags));
  CHECK(lists.has_asns());
  const auto ip = [](const char* text) { return *model::IpAddress::parse(text); };
  CHECK(lists.match(ip("203.0.113.1"), 21928) == Names{"mobile"});
  CHECK(lists.match(ip("203.0.113.1"), 6167) == Names{"mobile"});
  CHECK(lists.match(ip("203.0.113.1"), 22394) == Names{"mobile"});
  CHECK(lists.match(ip("203.0.113.1"), 4294967295) == Names{"mobile"});
  // No ASN record for the address, or another AS: only its networks can match.
  CHECK(lists.match(ip("203.0.113.1"), std::nullopt).empty());
  CHECK(lists.match(ip("203.0.113.1"), 20057).empty());  // only on bad lines
  CHECK(lists.match(ip("203.0.113.1"), 7922).empty());
  CHECK(match(lists, "192.0.2.9") == Names{"mobile"});
  // A list holding both the network and the AS is named once.
  CHECK(lists.match(ip("192.0.2.9"), 21928) == Names{"mobile"});

  // Every bad AS line reported with file:line and skipped.
  std::vector<std::string> where;
  for (const auto& d : diags.items()) {
    CHECK(d.code == "W-LIST-LINE");
    where.push_back(d.where);
  }
  CHECK(where ==
        Names{path + ":5", path + ":6", path + ":7", path + ":8", path + ":9", path + ":10"});
  CHECK_THAT(diags.items()[0].message, Catch::Contains("not an AS number"));
  // "AS 20057" is not an AS line (the space) nor an address.
  CHECK_THAT(diags.items()[2].message, Catch::Contains("'AS 20057'"));
  std::filesystem::remove(path);
}

TEST_CASE("AS and network lists answer in load order") {
  IpLists lists;
  lists.add("hosting", *model::Cidr::parse("198.51.100.0/24"));
  lists.add_asn("mobile", 21928);
  lists.add_asn("hosting", 14061);
  const auto ip = [](const char* text) { return *model::IpAddress::parse(text); };
  CHECK(lists.match(ip("198.51.100.7"), 21928) == Names{"hosting", "mobile"});
  CHECK(lists.match(ip("203.0.113.7"), 14061) == Names{"hosting"});
  CHECK(lists.match(ip("203.0.113.7"), 21928) == Names{"mobile"});
  CHECK(IpLists::parse_asn("aS9009") == 9009);
  CHECK_FALSE(IpLists::parse_asn("9009"));
  CHECK_FALSE(IpLists::parse_asn("AS-9009"));
  CHECK_FALSE(IpLists::parse_asn("AS99999999999"));
}

TEST_CASE("an unreadable list is an error and load returns false") {
  model::CollectingDiagnostics diags;
  IpLists lists;
  CHECK_FALSE(lists.load("gone", "/nonexistent/list.txt", diags));
  CHECK(diags.has_code("E-LIST-OPEN"));
  CHECK(lists.empty());
}

TEST_CASE("very long lines and floods of bad lines are capped") {
  std::string text(5000, '1');
  text += "\n";
  for (int i = 0; i < 50; ++i)
    text += "junk\n";
  text += "81.2.69.0/24\n";
  const std::string path = write_temp("flood.txt", text);
  model::CollectingDiagnostics diags;
  IpLists lists;
  REQUIRE(lists.load("flood", path, diags));
  CHECK(match(lists, "81.2.69.160") == Names{"flood"});
  // 20 line warnings plus one summary, not 51.
  CHECK(diags.items().size() == 21);
  CHECK_THAT(diags.items().back().message, Catch::Contains("51 bad lines"));
  std::filesystem::remove(path);
}

TEST_CASE("the shipped lists load cleanly") {
  const std::string dir = std::string(VETTER_SOURCE_DIR) + "/rules/lists/";
  model::CollectingDiagnostics diags;
  IpLists lists;
  REQUIRE(lists.load("kp_ranges", dir + "kp_ranges.txt", diags));
  REQUIRE(lists.load("corporate_egress", dir + "corporate_egress.txt", diags));
  REQUIRE(lists.load("vpn_exits", dir + "vpn_exits.txt", diags));
  CHECK(diags.items().empty());
  CHECK(match(lists, "175.45.176.1") == Names{"kp_ranges"});
  CHECK(match(lists, "77.94.35.200") == Names{"kp_ranges"});
  CHECK(match(lists, "142.214.202.2") == Names{"vpn_exits"});
  CHECK(match(lists, "142.214.202.3").empty());
  CHECK(match(lists, "198.51.100.1").empty());  // corporate_egress ships empty
  CHECK_FALSE(lists.has_asns());
}

TEST_CASE("the shipped AS lists load cleanly and do not overlap") {
  const std::string dir = std::string(VETTER_SOURCE_DIR) + "/rules/lists/";
  model::CollectingDiagnostics diags;
  IpLists lists;
  REQUIRE(lists.load("mobile_carriers", dir + "mobile_carriers.txt", diags));
  REQUIRE(lists.load("hosting", dir + "hosting.txt", diags));
  CHECK(diags.items().empty());
  const auto any = *model::IpAddress::parse("203.0.113.1");
  for (std::int64_t asn : {21928, 6167, 22394, 20057, 55836}) {
    CAPTURE(asn);
    CHECK(lists.match(any, asn) == Names{"mobile_carriers"});
  }
  for (std::int64_t asn : {9009, 14061, 16509, 14618, 396982, 8075, 16276, 24940, 63949, 20473,
                           60068, 60781, 16265, 51167}) {
    CAPTURE(asn);
    CHECK(lists.match(any, asn) == Names{"hosting"});
  }
  // Residential broadband stays off both (Comcast, AT&T's wireline AS).
  CHECK(lists.match(any, 7922).empty());
  CHECK(lists.match(any, 7018).empty());
  // No AS is both a mobile carrier and a host: one answer per address.
  std::ifstream in(dir + "mobile_carriers.txt");
  std::string line;
  while (std::getline(in, line)) {
    const std::string text = line.substr(0, line.find('#'));
    const auto first = text.find_first_not_of(' ');
    if (first == std::string::npos) continue;
    const auto asn = IpLists::parse_asn(text.substr(first, text.find(' ', first) - first));
    REQUIRE(asn);
    CHECK(lists.match(any, *asn) == Names{"mobile_carriers"});
  }
}
