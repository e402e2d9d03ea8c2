// GeoIp against the checked-in test databases: lookups, discovery by database_type, open errors.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "vetter/enrich/geoip.h"

using namespace vetter;
using enrich::GeoIp;
using enrich::GeoIpConfig;
using enrich::GeoRecord;

namespace {

namespace fs = std::filesystem;

const std::string kGeoipDir = std::string(VETTER_SOURCE_DIR) + "/geoip";

GeoIpConfig all_test_dbs() {
  GeoIpConfig c;
  c.city = kGeoipDir + "/test-City.mmdb";
  c.asn = kGeoipDir + "/test-ASN.mmdb";
  c.anonymous_ip = kGeoipDir + "/test-Anonymous-IP.mmdb";
  c.connection_type = kGeoipDir + "/test-Connection-Type.mmdb";
  return c;
}

GeoRecord look(const GeoIp& geo, const char* ip) {
  auto parsed = model::IpAddress::parse(ip);
  REQUIRE(parsed);
  return geo.lookup(*parsed);
}

// A fresh directory under the system temp dir, removed at scope exit.
struct TempDir {
  fs::path path;
  explicit TempDir(const std::string& tag) {
    path = fs::temp_directory_path() / ("vetter-enrich-" + tag + "-" + std::to_string(::getpid()));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

}  // namespace

TEST_CASE("IPv4 lookup fills every part of the record") {
  model::CollectingDiagnostics diags;
  auto geo = GeoIp::open(all_test_dbs(), diags);
  REQUIRE(geo);
  CHECK(diags.items().empty());

  const GeoRecord r = look(*geo, "175.16.199.7");
  CHECK(r.country_iso_code == "CN");
  CHECK(r.country_name == "China");
  CHECK(r.region_iso_code == "22");
  CHECK(r.city_name == "Changchun");
  REQUIRE(r.lat);
  CHECK(*r.lat == Approx(43.88));
  CHECK(*r.lon == Approx(125.32));
  CHECK(r.accuracy_radius == 100);
  CHECK(r.timezone == "Asia/Harbin");
  CHECK(r.as_number == 4837);
  CHECK(r.as_organization == "CHINA UNICOM China169 Backbone");
  CHECK(r.connection_type == "Cable/DSL");
  // The Anonymous-IP database is open but has nothing for this address: known, all false.
  CHECK(r.anonymous_known);
  CHECK_FALSE(r.any);
  CHECK_FALSE(r.vpn);

  const GeoRecord office = look(*geo, "198.51.100.20");
  CHECK(office.city_name == "New York");
  CHECK(office.region_iso_code == "NY");
  CHECK(office.as_organization == "Example Corp");
  CHECK(office.connection_type == "Corporate");

  const GeoRecord kp = look(*geo, "175.45.179.1");
  CHECK(kp.country_iso_code == "KP");
  CHECK(kp.timezone == "Asia/Pyongyang");
  CHECK_FALSE(kp.region_iso_code);
  CHECK_FALSE(kp.connection_type);
  CHECK(look(*geo, "175.45.180.1").country_iso_code != "KP");  // just past the /22

  // An IPv4-mapped IPv6 spelling finds the same record (the tree aliases ::ffff:0:0/96).
  CHECK(look(*geo, "::ffff:81.2.69.160").city_name == "London");
}

TEST_CASE("IPv6 lookup") {
  model::CollectingDiagnostics diags;
  auto geo = GeoIp::open(all_test_dbs(), diags);
  REQUIRE(geo);
  const GeoRecord r = look(*geo, "2001:db8:100:7::1");
  CHECK(r.country_iso_code == "US");
  CHECK(r.city_name == "Seattle");
  CHECK(r.region_iso_code == "WA");
  CHECK(r.accuracy_radius == 20);
  CHECK(r.as_number == 64512);
  CHECK(r.connection_type == "Cable/DSL");
  CHECK_FALSE(look(*geo, "2001:db8:101::1").country_iso_code);
}

TEST_CASE("a country-only record accurate to 1000 km") {
  model::CollectingDiagnostics diags;
  auto geo = GeoIp::open(all_test_dbs(), diags);
  REQUIRE(geo);
  const GeoRecord r = look(*geo, "149.101.100.5");
  CHECK(r.country_iso_code == "US");
  CHECK_FALSE(r.city_name);
  CHECK_FALSE(r.region_iso_code);
  CHECK(r.accuracy_radius == 1000);
  REQUIRE(r.lat);
  CHECK(*r.lat == Approx(37.75));
  CHECK(r.as_organization == "CELLCO-PART");
  CHECK(r.connection_type == "Cellular");
  CHECK_FALSE(look(*geo, "149.101.100.16").country_iso_code);  // outside the /28
}

TEST_CASE("an address in no database finds nothing") {
  model::CollectingDiagnostics diags;
  auto geo = GeoIp::open(all_test_dbs(), diags);
  REQUIRE(geo);
  for (const char* ip : {"10.1.2.3", "8.8.8.8", "::1"}) {
    const GeoRecord r = look(*geo, ip);
    CHECK_FALSE(r.country_iso_code);
    CHECK_FALSE(r.lat);
    CHECK_FALSE(r.as_number);
    CHECK_FALSE(r.connection_type);
    CHECK(r.anonymous_known);
    CHECK_FALSE(r.any);
  }
}

TEST_CASE("anonymizer flags: present, false, and unknown without the database") {
  model::CollectingDiagnostics diags;
  auto geo = GeoIp::open(all_test_dbs(), diags);
  REQUIRE(geo);
  const GeoRecord vpn = look(*geo, "142.214.202.2");
  CHECK(vpn.anonymous_known);
  CHECK(vpn.any);
  CHECK(vpn.vpn);
  CHECK(vpn.hosting);
  CHECK_FALSE(vpn.tor);
  CHECK_FALSE(vpn.proxy);
  CHECK_FALSE(vpn.residential_proxy);
  const GeoRecord tor = look(*geo, "185.220.101.33");
  CHECK(tor.tor);
  CHECK(tor.any);
  CHECK_FALSE(tor.vpn);
  CHECK(tor.country_iso_code == "DE");

  GeoIpConfig city_only;
  city_only.city = kGeoipDir + "/test-City.mmdb";
  auto geo2 = GeoIp::open(city_only, diags);
  REQUIRE(geo2);
  const GeoRecord unknown = look(*geo2, "142.214.202.2");
  CHECK_FALSE(unknown.anonymous_known);
  CHECK_FALSE(unknown.vpn);
  CHECK(unknown.city_name == "Los Angeles");
  CHECK_FALSE(unknown.as_number);
}

TEST_CASE("a DB-IP-style City file without accuracy_radius") {
  model::CollectingDiagnostics diags;
  GeoIpConfig config;
  config.dir = kGeoipDir + "/dbip";  // found by its database_type, DBIP-City-Lite
  auto geo = GeoIp::open(config, diags);
  REQUIRE(geo);
  CHECK(diags.items().empty());
  REQUIRE(geo->describe().size() == 1);
  const GeoRecord r = look(*geo, "81.2.69.160");
  CHECK(r.country_iso_code == "GB");
  CHECK(r.city_name == "London");
  REQUIRE(r.lat);
  CHECK(*r.lat == Approx(51.51));
  CHECK(r.timezone == "Europe/London");
  CHECK_FALSE(r.accuracy_radius);  // absent, not 0 km
  CHECK_FALSE(r.region_iso_code);  // DB-IP subdivisions carry names only
  CHECK_FALSE(r.anonymous_known);
  CHECK(look(*geo, "2001:db8:100::1").city_name == "Seattle");
}

TEST_CASE("nothing configured gives an empty GeoIp") {
  model::CollectingDiagnostics diags;
  auto geo = GeoIp::open({}, diags);
  REQUIRE(geo);
  CHECK(geo->describe().empty());
  CHECK_FALSE(look(*geo, "81.2.69.160").country_iso_code);
  CHECK(diags.items().empty());
}

TEST_CASE("a directory is searched by database_type, not by file name") {
  TempDir dir("discover");
  const std::pair<const char*, const char*> copies[] = {
      {"test-City.mmdb", "zz-location.mmdb"},
      {"test-ASN.mmdb", "a.mmdb"},
      {"test-Anonymous-IP.mmdb", "City-but-not-really.mmdb"},
      {"test-Connection-Type.mmdb", "conn.mmdb"},
  };
  for (const auto& [from, to] : copies)
    fs::copy_file(kGeoipDir + "/" + from, dir.path / to);
  std::ofstream(dir.path / "notes.txt") << "not a database\n";

  model::CollectingDiagnostics diags;
  GeoIpConfig config;
  config.dir = dir.path.string();
  auto geo = GeoIp::open(config, diags);
  REQUIRE(geo);
  CHECK(diags.items().empty());
  const auto lines = geo->describe();
  REQUIRE(lines.size() == 4);
  CHECK(lines[0] == "GeoIP2-City " + (dir.path / "zz-location.mmdb").string());
  CHECK(lines[1] == "GeoLite2-ASN " + (dir.path / "a.mmdb").string());
  CHECK(lines[2] == "GeoIP2-Anonymous-IP " + (dir.path / "City-but-not-really.mmdb").string());
  CHECK(lines[3] == "GeoIP2-Connection-Type " + (dir.path / "conn.mmdb").string());

  const GeoRecord r = look(*geo, "142.214.202.9");
  CHECK(r.city_name == "Los Angeles");
  CHECK(r.as_number == 64510);
  CHECK(r.vpn);

  SECTION("explicit paths win over the directory") {
    fs::copy_file(kGeoipDir + "/test-City.mmdb", dir.path / "second-city.mmdb");
    model::CollectingDiagnostics d2;
    GeoIpConfig c2 = config;
    c2.city = kGeoipDir + "/test-City.mmdb";
    auto g2 = GeoIp::open(c2, d2);
    REQUIRE(g2);
    CHECK(g2->describe()[0] == "GeoIP2-City " + kGeoipDir + "/test-City.mmdb");
    CHECK(d2.items().empty());  // the explicit choice is not a conflict

    SECTION("two databases of one role in a directory: first by name wins, with a warning") {
      model::CollectingDiagnostics d3;
      auto g3 = GeoIp::open(config, d3);
      REQUIRE(g3);
      CHECK(g3->describe()[0] == "GeoIP2-City " + (dir.path / "second-city.mmdb").string());
      CHECK(d3.has_code("W-GEOIP-DUPLICATE"));
    }
  }
}

TEST_CASE("scanning the shipped geoip/ finds the four test databases and nothing else") {
  // The demo scans geoip/; its fixtures (testdata/corrupt-City.mmdb, dbip/) sit in subdirectories,
  // which a scan does not enter, so it must be silent.
  model::CollectingDiagnostics diags;
  GeoIpConfig config;
  config.dir = kGeoipDir;
  auto geo = GeoIp::open(config, diags);
  REQUIRE(geo);
  CHECK(diags.items().empty());
  const auto open = geo->describe();
  REQUIRE(open.size() == 4);
  CHECK(open[0] == "GeoIP2-City " + kGeoipDir + "/test-City.mmdb");
  CHECK(look(*geo, "203.0.113.5").city_name == "Austin");
  // The DB-IP file one level down is not picked up as a second City database.
  CHECK_FALSE(diags.has_code("W-GEOIP-DUPLICATE"));
}

TEST_CASE("a broken file found by a directory scan is skipped with a warning") {
  TempDir dir("broken");
  fs::copy_file(kGeoipDir + "/testdata/corrupt-City.mmdb", dir.path / "a-corrupt.mmdb");
  fs::copy_file(kGeoipDir + "/test-City.mmdb", dir.path / "b-city.mmdb");
  model::CollectingDiagnostics diags;
  GeoIpConfig config;
  config.dir = dir.path.string();
  auto geo = GeoIp::open(config, diags);
  REQUIRE(geo);
  CHECK(geo->describe().size() == 1);
  REQUIRE(diags.items().size() == 1);
  CHECK(diags.items()[0].code == "W-GEOIP-SKIP");
  CHECK(diags.items()[0].severity == model::Severity::kWarning);
  CHECK(diags.items()[0].where == (dir.path / "a-corrupt.mmdb").string());
  CHECK(look(*geo, "203.0.113.5").city_name == "Austin");
}

TEST_CASE("a directory scan does not descend into subdirectories") {
  TempDir dir("nested");
  fs::create_directories(dir.path / "sub");
  fs::copy_file(kGeoipDir + "/test-ASN.mmdb", dir.path / "asn.mmdb");
  fs::copy_file(kGeoipDir + "/test-City.mmdb", dir.path / "sub" / "city.mmdb");
  model::CollectingDiagnostics diags;
  GeoIpConfig config;
  config.dir = dir.path.string();
  auto geo = GeoIp::open(config, diags);
  REQUIRE(geo);
  REQUIRE(geo->describe().size() == 1);
  CHECK(geo->describe()[0] == "GeoLite2-ASN " + (dir.path / "asn.mmdb").string());
  CHECK(diags.items().empty());
}

TEST_CASE("an empty GeoIP directory is a warning") {
  TempDir dir("empty");
  model::CollectingDiagnostics diags;
  GeoIpConfig config;
  config.dir = dir.path.string();
  auto geo = GeoIp::open(config, diags);
  REQUIRE(geo);
  CHECK(diags.count(model::Severity::kWarning) == 1);
  CHECK(diags.has_code("W-GEOIP-DIR"));
}

TEST_CASE("a corrupt or missing database is E-GEOIP-OPEN and no GeoIp") {
  model::CollectingDiagnostics diags;
  GeoIpConfig config;
  config.city = kGeoipDir + "/testdata/corrupt-City.mmdb";
  CHECK_FALSE(GeoIp::open(config, diags));
  REQUIRE(diags.items().size() == 1);
  const model::Diagnostic d = diags.items()[0];
  CHECK(d.severity == model::Severity::kError);
  CHECK(d.code == "E-GEOIP-OPEN");
  CHECK(d.where == config.city);
  CHECK_THAT(d.message, Catch::Contains("invalid metadata"));

  model::CollectingDiagnostics missing;
  config.city = kGeoipDir + "/no-such.mmdb";
  CHECK_FALSE(GeoIp::open(config, missing));
  REQUIRE(missing.items().size() == 1);
  CHECK(missing.items()[0].code == "E-GEOIP-OPEN");
  CHECK_THAT(missing.items()[0].message, Catch::Contains("No such file"));

  model::CollectingDiagnostics no_dir;
  GeoIpConfig bad_dir;
  bad_dir.dir = kGeoipDir + "/no-such-dir";
  CHECK_FALSE(GeoIp::open(bad_dir, no_dir));
  CHECK(no_dir.has_code("E-GEOIP-OPEN"));
}

TEST_CASE("a database of the wrong type at an explicit path is a warning") {
  model::CollectingDiagnostics diags;
  GeoIpConfig config;
  config.city = kGeoipDir + "/test-ASN.mmdb";
  auto geo = GeoIp::open(config, diags);
  REQUIRE(geo);
  CHECK(diags.has_code("W-GEOIP-TYPE"));
  CHECK_FALSE(look(*geo, "81.2.69.160").country_iso_code);
}
