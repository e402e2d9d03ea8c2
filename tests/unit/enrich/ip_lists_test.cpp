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
}
