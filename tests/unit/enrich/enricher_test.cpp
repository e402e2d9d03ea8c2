// The Enricher end to end over the test databases and lists, plus the HR copy and distance.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "vetter/enrich/enricher.h"
#include "vetter/model/field.h"
#include "vetter/model/time.h"

using namespace vetter;
using enrich::Enricher;
using model::Event;
using model::Fields;
using model::Value;

namespace {

const std::string kGeoipDir = std::string(VETTER_SOURCE_DIR) + "/geoip";

std::unique_ptr<enrich::GeoIp> open_geoip(bool with_anonymous) {
  enrich::GeoIpConfig c;
  c.city = kGeoipDir + "/test-City.mmdb";
  c.asn = kGeoipDir + "/test-ASN.mmdb";
  if (with_anonymous) c.anonymous_ip = kGeoipDir + "/test-Anonymous-IP.mmdb";
  c.connection_type = kGeoipDir + "/test-Connection-Type.mmdb";
  model::CollectingDiagnostics diags;
  auto geo = enrich::GeoIp::open(c, diags);
  REQUIRE(geo);
  return geo;
}

enrich::IpLists shipped_lists() {
  const std::string dir = std::string(VETTER_SOURCE_DIR) + "/rules/lists/";
  model::CollectingDiagnostics diags;
  enrich::IpLists lists;
  REQUIRE(lists.load("kp_ranges", dir + "kp_ranges.txt", diags));
  REQUIRE(lists.load("vpn_exits", dir + "vpn_exits.txt", diags));
  return lists;
}

Event event_from(const char* ip) {
  Event e;
  e.set(Fields::id("source.ip"), std::string(ip));
  return e;
}

const Value& field(const Event& e, const char* name) {
  return e.get(Fields::id(name));
}

template <typename T>
T as(const Event& e, const char* name) {
  const auto* v = std::get_if<T>(&field(e, name));
  REQUIRE(v);
  return *v;
}

bool absent(const Event& e, const char* name) {
  return model::is_absent(field(e, name));
}

std::int64_t at(const char* iso) {
  auto us = model::parse_iso8601(iso);
  REQUIRE(us);
  return *us;
}

}  // namespace

TEST_CASE("a North Korean address gets geo, AS, anonymizer and list fields") {
  auto geo = open_geoip(true);
  auto lists = shipped_lists();
  Enricher enricher(geo.get(), &lists, nullptr);
  Event e = event_from("175.45.176.77");
  enricher.enrich(e);
  CHECK(as<std::string>(e, "source.geo.country_iso_code") == "KP");
  CHECK(as<std::string>(e, "source.geo.country_name") == "North Korea");
  CHECK(as<std::string>(e, "source.geo.city_name") == "Pyongyang");
  CHECK(absent(e, "source.geo.region_iso_code"));
  CHECK(as<double>(e, "source.geo.location.lat") == Approx(39.03));
  CHECK(as<double>(e, "source.geo.location.lon") == Approx(125.75));
  CHECK(as<std::int64_t>(e, "source.geo.accuracy_radius") == 100);
  CHECK(as<std::string>(e, "source.geo.timezone") == "Asia/Pyongyang");
  CHECK(as<std::int64_t>(e, "source.as.number") == 131279);
  CHECK(as<std::string>(e, "source.as.organization.name") == "Ryugyong-dong");
  CHECK(absent(e, "source.connection_type"));
  for (const char* flag :
       {"source.anonymous.any", "source.anonymous.vpn", "source.anonymous.hosting",
        "source.anonymous.proxy", "source.anonymous.tor", "source.anonymous.residential_proxy"}) {
    CAPTURE(flag);
    CHECK(as<bool>(e, flag) == false);
  }
  CHECK(as<std::vector<std::string>>(e, "source.lists") == std::vector<std::string>{"kp_ranges"});
}

TEST_CASE("an anonymizing VPN exit sets its flags and list") {
  auto geo = open_geoip(true);
  auto lists = shipped_lists();
  Enricher enricher(geo.get(), &lists, nullptr);
  Event e = event_from("142.214.202.2");
  enricher.enrich(e);
  CHECK(as<bool>(e, "source.anonymous.any"));
  CHECK(as<bool>(e, "source.anonymous.vpn"));
  CHECK(as<bool>(e, "source.anonymous.hosting"));
  CHECK_FALSE(as<bool>(e, "source.anonymous.tor"));
  CHECK(as<std::vector<std::string>>(e, "source.lists") == std::vector<std::string>{"vpn_exits"});

  // The same address again comes from the cache with the same answer.
  Event again = event_from("142.214.202.2");
  enricher.enrich(again);
  CHECK(again.same_fields(e));
}

TEST_CASE("AS-number lists set source.lists from the address's ASN record") {
  auto geo = open_geoip(true);
  const std::string dir = std::string(VETTER_SOURCE_DIR) + "/rules/lists/";
  model::CollectingDiagnostics diags;
  enrich::IpLists lists;
  REQUIRE(lists.load("kp_ranges", dir + "kp_ranges.txt", diags));
  REQUIRE(lists.load("mobile_carriers", dir + "mobile_carriers.txt", diags));
  REQUIRE(lists.load("hosting", dir + "hosting.txt", diags));
  lists.add("office", *model::Cidr::parse("10.0.0.0/8"));
  REQUIRE(diags.items().empty());
  Enricher enricher(geo.get(), &lists, nullptr);
  using Names = std::vector<std::string>;

  // T-Mobile CGNAT (AS21928) and Verizon Wireless (AS6167) in the test databases.
  Event tmobile = event_from("100.64.9.9");
  enricher.enrich(tmobile);
  CHECK(as<std::int64_t>(tmobile, "source.as.number") == 21928);
  CHECK(as<Names>(tmobile, "source.lists") == Names{"mobile_carriers"});
  Event verizon = event_from("149.101.100.3");
  enricher.enrich(verizon);
  CHECK(as<Names>(verizon, "source.lists") == Names{"mobile_carriers"});
  // The cached answer for the same address is the same (the ASN comes from the address).
  Event again = event_from("100.64.9.9");
  enricher.enrich(again);
  CHECK(again.same_fields(tmobile));

  // Look-alikes: home broadband (Comcast AS7922) and an unlisted hosting AS are in no list.
  Event comcast = event_from("203.0.113.5");
  enricher.enrich(comcast);
  CHECK(as<std::int64_t>(comcast, "source.as.number") == 7922);
  CHECK(absent(comcast, "source.lists"));
  Event unlisted_host = event_from("142.214.202.9");  // AS64510, documentation range
  enricher.enrich(unlisted_host);
  CHECK(absent(unlisted_host, "source.lists"));
  // North Korea is listed by its networks, not its AS.
  Event kp = event_from("175.45.176.77");
  enricher.enrich(kp);
  CHECK(as<Names>(kp, "source.lists") == Names{"kp_ranges"});

  // An address with no ASN record matches by network only.
  Event office = event_from("10.1.2.3");
  enricher.enrich(office);
  CHECK(absent(office, "source.as.number"));
  CHECK(as<Names>(office, "source.lists") == Names{"office"});
  Event nowhere = event_from("8.8.8.8");
  enricher.enrich(nowhere);
  CHECK(absent(nowhere, "source.as.number"));
  CHECK(absent(nowhere, "source.lists"));

  // Without an ASN database, AS entries match nothing.
  enrich::GeoIpConfig city_only;
  city_only.city = kGeoipDir + "/test-City.mmdb";
  auto city = enrich::GeoIp::open(city_only, diags);
  REQUIRE(city);
  Enricher no_asn(city.get(), &lists, nullptr);
  Event cgnat = event_from("100.64.9.9");
  no_asn.enrich(cgnat);
  CHECK(absent(cgnat, "source.as.number"));
  CHECK(absent(cgnat, "source.lists"));
}

TEST_CASE("without an Anonymous-IP database the flags stay absent") {
  auto geo = open_geoip(false);
  Enricher enricher(geo.get(), nullptr, nullptr);
  Event e = event_from("142.214.202.2");
  enricher.enrich(e);
  CHECK(as<std::string>(e, "source.geo.city_name") == "Los Angeles");
  CHECK(absent(e, "source.anonymous.any"));
  CHECK(absent(e, "source.anonymous.vpn"));
  CHECK(absent(e, "source.lists"));
}

TEST_CASE("private, missing and unparseable addresses leave geo absent") {
  auto geo = open_geoip(true);
  auto lists = shipped_lists();
  Enricher enricher(geo.get(), &lists, nullptr);
  for (const char* ip : {"10.1.2.3", "jane.doe", "1.2.3.4:443", ""}) {
    CAPTURE(ip);
    Event e = event_from(ip);
    enricher.enrich(e);
    CHECK(absent(e, "source.geo.country_iso_code"));
    CHECK(absent(e, "source.as.number"));
    CHECK(absent(e, "source.lists"));
  }
  Event private_ip = event_from("10.1.2.3");
  enricher.enrich(private_ip);
  CHECK(as<bool>(private_ip, "source.anonymous.any") == false);  // the DB answered "no"
  Event no_ip;
  enricher.enrich(no_ip);
  CHECK(absent(no_ip, "source.anonymous.any"));
}

TEST_CASE("IPv6 events are enriched") {
  auto geo = open_geoip(true);
  Enricher enricher(geo.get(), nullptr, nullptr);
  Event e = event_from("2001:db8:100::42");
  enricher.enrich(e);
  CHECK(as<std::string>(e, "source.geo.city_name") == "Seattle");
  CHECK(as<std::string>(e, "source.connection_type") == "Cable/DSL");
}

TEST_CASE("the HR profile is copied and drives local time and distance") {
  Event profile;
  profile.set(Fields::id("hr.employee_id"), std::string("E1001"));
  profile.set(Fields::id("hr.country"), std::string("US"));
  profile.set(Fields::id("hr.city"), std::string("New York"));
  profile.set(Fields::id("hr.timezone"), std::string("America/New_York"));
  profile.set(Fields::id("hr.home.lat"), 40.71);
  profile.set(Fields::id("hr.home.lon"), -74.01);
  profile.set(Fields::id("user.name"), std::string("not-copied"));

  Event e = event_from("81.2.69.160");
  e.set(Fields::id("hr.status"), std::string("active"));  // the event's own value survives
  enrich::copy_profile(profile, e);
  CHECK(as<std::string>(e, "hr.employee_id") == "E1001");
  CHECK(as<std::string>(e, "hr.status") == "active");
  CHECK(as<double>(e, "hr.home.lat") == Approx(40.71));
  CHECK(absent(e, "user.name"));
  // The directory's compact copy of the record gives the same fields.
  Event from_compact = event_from("81.2.69.160");
  from_compact.set(Fields::id("hr.status"), std::string("active"));
  enrich::copy_profile(identity::Profile(profile), from_compact);
  // ... plus the hr.home_key the directory derives (no address key: country|region|city).
  CHECK(as<std::string>(from_compact, "hr.home_key") == "us||new york");
  Event with_key = e;
  with_key.set(Fields::id("hr.home_key"), std::string("us||new york"));
  with_key.set(Fields::id("hr.person_key"), std::string("id:E1001"));  // no name: the employee id
  with_key.set(Fields::id("hr.locality_key"), std::string("us||new york"));
  CHECK(from_compact.same_fields(with_key));

  e.time_us = at("2026-03-09T13:15:00Z");  // Monday, 09:15 EDT
  auto geo = open_geoip(true);
  Enricher enricher(geo.get(), nullptr, nullptr);
  enricher.enrich(e);
  CHECK(as<std::int64_t>(e, "event.local_hour") == 9);
  CHECK(as<std::int64_t>(e, "event.local_weekday") == 1);
  // London (51.51, -0.13) to New York (40.71, -74.01).
  CHECK(as<double>(e, "source.distance_from_home_km") == Approx(5570).epsilon(0.005));
}

TEST_CASE("a log event points at the worker's profile; an HR row gets it copied in") {
  Event hr;
  hr.set(Fields::id("event.category"), std::string("hr"));
  hr.set(Fields::id("user.email"), std::string("jane.doe@corp.example"));
  hr.set(Fields::id("hr.employee_id"), std::string("E1001"));
  hr.set(Fields::id("hr.status"), std::string("terminated"));
  hr.set(Fields::id("hr.timezone"), std::string("America/New_York"));
  identity::Directory directory;
  REQUIRE(directory.add_hr(hr));
  const identity::Profile* profile = directory.profile("jane.doe@corp.example");
  REQUIRE(profile != nullptr);
  CHECK_FALSE(profile->hr().has(Fields::id("user.email")));  // hr.* fields only

  Enricher enricher(nullptr, nullptr, &directory);
  Event e = event_from("81.2.69.160");
  e.set(Fields::id("user.original"), std::string("JANE.DOE@corp.example"));
  e.time_us = at("2026-03-09T13:15:00Z");
  enricher.enrich(e, identity::resolve(e, directory));
  CHECK(e.base() == &profile->hr());
  CHECK_FALSE(e.owns(Fields::id("hr.status")));
  CHECK(as<std::string>(e, "hr.status") == "terminated");
  CHECK(as<std::string>(e, "hr.employee_id") == "E1001");
  CHECK(as<std::int64_t>(e, "event.local_hour") == 9);  // derived from the base's time zone

  // An earlier HR row of the same worker is a record of its own: the latest fields go into it.
  Event hire = hr;
  hire.set(Fields::id("hr.status"), std::string("active"));
  enricher.enrich(hire, identity::resolve(hire, directory));
  CHECK(hire.base() == nullptr);
  CHECK(hire.owns(Fields::id("hr.status")));
  CHECK(as<std::string>(hire, "hr.status") == "terminated");

  // So is any event with an hr.* field of its own (a log source mapped to one), whatever its
  // category: the profile's values win, as a copy always gave.
  Event mapped = event_from("81.2.69.160");
  mapped.set(Fields::id("event.category"), std::string("authentication"));
  mapped.set(Fields::id("user.original"), std::string("jane.doe@corp.example"));
  mapped.set(Fields::id("hr.status"), std::string("active"));
  enricher.enrich(mapped, identity::resolve(mapped, directory));
  CHECK(mapped.base() == nullptr);
  CHECK(as<std::string>(mapped, "hr.status") == "terminated");
  CHECK(as<std::string>(mapped, "hr.employee_id") == "E1001");
}

TEST_CASE("a worker declaring Pyongyang time") {
  Enricher enricher(nullptr, nullptr, nullptr);
  Event e;
  e.set(Fields::id("hr.timezone"), std::string("Asia/Pyongyang"));
  e.time_us = at("2026-01-15T23:30:00Z");
  enricher.enrich(e);
  CHECK(as<std::int64_t>(e, "event.local_hour") == 8);
  CHECK(as<std::int64_t>(e, "event.local_weekday") == 5);  // Friday morning there
  CHECK(absent(e, "source.distance_from_home_km"));        // no coordinates on either side
}

TEST_CASE("an unknown hr.timezone leaves local time absent and warns once") {
  model::CollectingDiagnostics diags;
  Enricher enricher(nullptr, nullptr, nullptr, &diags);
  for (int i = 0; i < 3; ++i) {
    Event e;
    e.set(Fields::id("hr.timezone"), std::string("Eastern Standard Time"));
    e.origin = {"hr.csv", static_cast<std::uint64_t>(i + 2)};
    enricher.enrich(e);
    CHECK(absent(e, "event.local_hour"));
    CHECK(absent(e, "event.local_weekday"));
  }
  // Another thread's Enricher (the scan has one per mapping thread) does not warn again.
  Enricher other(nullptr, nullptr, nullptr, &diags);
  Event again;
  again.set(Fields::id("hr.timezone"), std::string("Eastern Standard Time"));
  other.enrich(again);
  CHECK(absent(again, "event.local_hour"));
  REQUIRE(diags.items().size() == 1);
  CHECK(diags.items()[0].code == "W-ENRICH-TZ");
  CHECK(diags.items()[0].where == "hr.csv:2");
  CHECK_THAT(diags.items()[0].message, Catch::Contains("Eastern Standard Time"));
}

TEST_CASE("haversine sanity") {
  CHECK(enrich::haversine_km(51.5074, -0.1278, 40.7128, -74.0060) == Approx(5570).epsilon(0.005));
  CHECK(enrich::haversine_km(10, 20, 10, 20) == 0.0);
  CHECK(enrich::haversine_km(0, 0, 0, 180) == Approx(20015).epsilon(0.001));
  CHECK(enrich::haversine_km(90, 0, -90, 0) == Approx(20015).epsilon(0.001));
}

TEST_CASE("country names become ISO codes; unknown ones stay and warn once per value") {
  model::CollectingDiagnostics diags;
  Enricher enricher(nullptr, nullptr, nullptr, &diags);
  Event e;
  e.set(Fields::id("hr.country"), std::string("Korea, Democratic People's Republic of"));
  e.set(Fields::id("vendor.geo.country"), std::string("United States"));
  enricher.enrich(e);
  CHECK(as<std::string>(e, "hr.country") == "KP");
  CHECK(as<std::string>(e, "vendor.geo.country") == "US");
  CHECK(diags.items().empty());

  Event code;
  code.set(Fields::id("hr.country"), std::string("us"));
  enricher.enrich(code);
  CHECK(as<std::string>(code, "hr.country") == "US");

  for (int i = 0; i < 3; ++i) {
    Event odd;
    odd.set(Fields::id("hr.country"), std::string("Enricher-Test-Atlantis"));
    odd.origin = {"hr.csv", static_cast<std::uint64_t>(i + 7)};
    enricher.enrich(odd);
    CHECK(as<std::string>(odd, "hr.country") == "Enricher-Test-Atlantis");
  }
  // A second Enricher (another thread) does not repeat the warning either.
  Enricher other(nullptr, nullptr, nullptr, &diags);
  Event again;
  again.set(Fields::id("vendor.geo.country"), std::string("Enricher-Test-Atlantis"));
  other.enrich(again);
  REQUIRE(diags.items().size() == 1);
  CHECK(diags.items()[0].code == "W-ENRICH-COUNTRY");
  CHECK(diags.items()[0].where == "hr.csv:7");
  CHECK_THAT(diags.items()[0].message, Catch::Contains("Enricher-Test-Atlantis"));

  // "Korea" alone is ambiguous and must not become either code.
  Event korea;
  korea.set(Fields::id("hr.country"), std::string("Korea"));
  enricher.enrich(korea);
  CHECK(as<std::string>(korea, "hr.country") == "Korea");
}

TEST_CASE("a home given as city/region/country gets coordinates from the gazetteer") {
  enrich::Gazetteer gazetteer;
  gazetteer.add({"Austin", "TX", "US", 30.27, -97.74, 931830});
  gazetteer.add({"Austin", "MN", "US", 43.67, -92.97, 24563});
  gazetteer.add({"Denver", "CO", "US", 39.74, -104.98, 682545});
  auto geo = open_geoip(false);
  Enricher enricher(geo.get(), nullptr, nullptr);
  enricher.set_gazetteer(&gazetteer);

  Event e = event_from("192.0.2.10");  // Denver in the test City database
  e.set(Fields::id("hr.city"), std::string("Austin"));
  e.set(Fields::id("hr.region"), std::string("Texas"));
  e.set(Fields::id("hr.country"), std::string("United States"));
  enricher.enrich(e);
  CHECK(as<std::string>(e, "hr.country") == "US");
  CHECK(as<double>(e, "hr.home.lat") == Approx(30.27));
  CHECK(as<double>(e, "hr.home.lon") == Approx(-97.74));
  // Austin to Denver is about 1,240 km; Austin, MN to Denver would be about 1,100 km.
  CHECK(as<double>(e, "source.distance_from_home_km") == Approx(1241).epsilon(0.01));

  // Declared coordinates win over the gazetteer.
  Event declared = event_from("192.0.2.10");
  declared.set(Fields::id("hr.city"), std::string("Austin"));
  declared.set(Fields::id("hr.country"), std::string("US"));
  declared.set(Fields::id("hr.home.lat"), 39.74);
  declared.set(Fields::id("hr.home.lon"), -104.98);
  enricher.enrich(declared);
  CHECK(as<double>(declared, "source.distance_from_home_km") < 1.0);

  // A city the gazetteer does not know leaves home and distance absent.
  Event unknown = event_from("192.0.2.10");
  unknown.set(Fields::id("hr.city"), std::string("Atlantis"));
  unknown.set(Fields::id("hr.country"), std::string("US"));
  enricher.enrich(unknown);
  CHECK(absent(unknown, "hr.home.lat"));
  CHECK(absent(unknown, "source.distance_from_home_km"));

  // Without a gazetteer nothing is guessed.
  Enricher plain(geo.get(), nullptr, nullptr);
  Event no_gazetteer = event_from("192.0.2.10");
  no_gazetteer.set(Fields::id("hr.city"), std::string("Austin"));
  no_gazetteer.set(Fields::id("hr.country"), std::string("US"));
  plain.enrich(no_gazetteer);
  CHECK(absent(no_gazetteer, "hr.home.lat"));
}

TEST_CASE("enrich_source sets only what the address gives") {
  auto geo = open_geoip(true);
  auto lists = shipped_lists();
  Enricher enricher(geo.get(), &lists, nullptr);
  Event e = event_from("175.45.176.9");
  e.set(Fields::id("hr.timezone"), std::string("Asia/Pyongyang"));
  enricher.enrich_source(e);
  CHECK(as<std::string>(e, "source.geo.country_iso_code") == "KP");
  CHECK(as<std::vector<std::string>>(e, "source.lists") == std::vector<std::string>{"kp_ranges"});
  CHECK(absent(e, "event.local_hour"));  // derived fields are enrich()'s job
}

TEST_CASE("a cached answer is the same as the first one, for found, unfound and bad addresses") {
  auto geo = open_geoip(true);
  auto lists = shipped_lists();
  Enricher enricher(geo.get(), &lists, nullptr);
  for (const char* ip : {"175.45.176.9", "10.9.8.7", "not-an-ip", "2001:db8:100::5", "11.0.0.1"}) {
    INFO(ip);
    Event first = event_from(ip);
    enricher.enrich(first);
    Event second = event_from(ip);
    enricher.enrich(second);
    CHECK(first.same_fields(second));
  }
  // Unfound but parseable: the Anonymous-IP database's "no" is kept; unparseable: nothing at all.
  Event unfound = event_from("10.9.8.7");
  enricher.enrich(unfound);
  CHECK(as<bool>(unfound, "source.anonymous.any") == false);
  CHECK(absent(unfound, "source.geo.country_iso_code"));
  Event bad = event_from("not-an-ip");
  enricher.enrich(bad);
  CHECK(absent(bad, "source.anonymous.any"));
  // The two kinds of "nothing" do not leak into an address that has data.
  Event kp = event_from("175.45.176.10");
  enricher.enrich(kp);
  CHECK(as<std::string>(kp, "source.geo.country_iso_code") == "KP");
}
