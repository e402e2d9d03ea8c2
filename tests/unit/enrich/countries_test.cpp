// Country names and codes to ISO 3166-1 alpha-2, and the name folding behind it.
#include <catch2/catch.hpp>

#include <set>

#include "countries.h"
#include "fold.h"

using vetter::enrich::countries;
using vetter::enrich::country_iso_code;
using vetter::enrich::fold_name;

TEST_CASE("fold_name drops case, accents, apostrophes and punctuation") {
  CHECK(fold_name("Côte d’Ivoire") == "cote divoire");
  CHECK(fold_name("COTE D'IVOIRE") == "cote divoire");
  CHECK(fold_name("  Korea,  Democratic People's   Republic of ") ==
        "korea democratic peoples republic of");
  CHECK(fold_name("Bosnia & Herzegovina") == "bosnia and herzegovina");
  CHECK(fold_name("Straße") == "strasse");
  CHECK(fold_name("Łódź") == "lodz");
  CHECK(fold_name("Ærøskøbing") == "aeroskobing");
  CHECK(fold_name("Cafe\xCC\x81") == "cafe");  // decomposed é
  CHECK(fold_name("Timor-Leste") == "timor leste");
  CHECK(fold_name("Москва") == "Москва");  // other scripts are kept
  CHECK(fold_name("a\xFF"
                  "b") == "ab");  // a stray byte is dropped
  CHECK(fold_name("").empty());
  CHECK(fold_name(" ,;- ").empty());
}

TEST_CASE("the table has every ISO country once") {
  std::set<std::string_view> alpha2, alpha3;
  for (const auto& c : countries()) {
    CHECK(c.alpha2.size() == 2);
    CHECK(c.alpha3.size() == 3);
    alpha2.insert(c.alpha2);
    alpha3.insert(c.alpha3);
    // Every short name finds its own code.
    CHECK(country_iso_code(c.name) == std::string(c.alpha2));
    CHECK(country_iso_code(c.alpha3) == std::string(c.alpha2));
  }
  CHECK(countries().size() == 249);
  CHECK(alpha2.size() == 249);
  CHECK(alpha3.size() == 249);
}

TEST_CASE("codes in any case") {
  CHECK(country_iso_code("KP") == "KP");
  CHECK(country_iso_code("kp") == "KP");
  CHECK(country_iso_code(" us ") == "US");
  CHECK(country_iso_code("PRK") == "KP");
  CHECK(country_iso_code("usa") == "US");
  CHECK(country_iso_code("XK") == "XK");
  CHECK_FALSE(country_iso_code("ZZ"));
  CHECK_FALSE(country_iso_code("QQQ"));
}

TEST_CASE("names and aliases that vendors and HR exports use") {
  CHECK(country_iso_code("United States") == "US");
  CHECK(country_iso_code("United States of America") == "US");
  CHECK(country_iso_code("U.S.A.") == "US");
  CHECK(country_iso_code("UK") == "GB");
  CHECK(country_iso_code("Great Britain") == "GB");
  CHECK(country_iso_code("united kingdom") == "GB");
  CHECK(country_iso_code("Korea, Democratic People's Republic of") == "KP");
  CHECK(country_iso_code("KOREA, DEMOCRATIC PEOPLES REPUBLIC OF") == "KP");
  CHECK(country_iso_code("Democratic People’s Republic of Korea") == "KP");
  CHECK(country_iso_code("North Korea") == "KP");
  CHECK(country_iso_code("DPRK") == "KP");
  CHECK(country_iso_code("Korea, Republic of") == "KR");
  CHECK(country_iso_code("South Korea") == "KR");
  CHECK(country_iso_code("Russia") == "RU");
  CHECK(country_iso_code("Russian Federation") == "RU");
  CHECK(country_iso_code("Laos") == "LA");
  CHECK(country_iso_code("Lao People's Democratic Republic") == "LA");
  CHECK(country_iso_code("Viet Nam") == "VN");
  CHECK(country_iso_code("Vietnam") == "VN");
  CHECK(country_iso_code("UAE") == "AE");
  CHECK(country_iso_code("United Arab Emirates") == "AE");
  CHECK(country_iso_code("Cote d'Ivoire") == "CI");
  CHECK(country_iso_code("Türkiye") == "TR");
  CHECK(country_iso_code("Turkey") == "TR");
  CHECK(country_iso_code("Curacao") == "CW");
  CHECK(country_iso_code("The Netherlands") == "NL");
  CHECK(country_iso_code("Gambia, The") == "GM");
  CHECK(country_iso_code("Congo, Democratic Republic of the") == "CD");
  CHECK(country_iso_code("Congo") == "CG");
  CHECK(country_iso_code("Iran, Islamic Republic of") == "IR");
  CHECK(country_iso_code("Taiwan, Province of China") == "TW");
  CHECK(country_iso_code("China") == "CN");
}

TEST_CASE("near-misses and ambiguous names stay unknown") {
  CHECK_FALSE(country_iso_code("Korea"));  // KP or KR: never guess
  CHECK_FALSE(country_iso_code("Korea, "));
  CHECK_FALSE(country_iso_code("Remote"));
  CHECK_FALSE(country_iso_code("Georgia (US)"));
  CHECK_FALSE(country_iso_code("Virginia"));
  CHECK_FALSE(country_iso_code("Unknown"));
  CHECK_FALSE(country_iso_code(""));
  CHECK_FALSE(country_iso_code("   "));
  CHECK(country_iso_code("Niger") == "NE");
  CHECK(country_iso_code("Nigeria") == "NG");
  CHECK(country_iso_code("Dominica") == "DM");
  CHECK(country_iso_code("Dominican Republic") == "DO");
  CHECK(country_iso_code("Sudan") == "SD");
  CHECK(country_iso_code("South Sudan") == "SS");
  CHECK(country_iso_code("Guinea") == "GN");
  CHECK(country_iso_code("Equatorial Guinea") == "GQ");
  CHECK(country_iso_code("Papua New Guinea") == "PG");
}
