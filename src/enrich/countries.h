// Country names and codes -> ISO 3166-1 alpha-2, for hr.country and vendor geo (Okta, FortiGate
// and HR exports give names; GeoIP gives codes).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace vetter::enrich {

struct Country {
  std::string_view alpha2;  // "KP"
  std::string_view alpha3;  // "PRK"
  std::string_view name;    // English short name, "North Korea"
};

// The ISO 3166-1 countries (249), ordered by English name.
std::span<const Country> countries();

// The alpha-2 code for a code or name, or nullopt when it is not one we know.
//  - an alpha-2 ("kp", "KP") or alpha-3 ("PRK") code, any case; "XK" (Kosovo, used by GeoIP
//    vendors though not ISO) is accepted too;
//  - an English short name or a common alias, matched after fold_name() (case, accents,
//    apostrophes, punctuation, "&"): "Korea, Democratic People's Republic of", "North Korea",
//    "DPRK", "Russian Federation", "Viet Nam", "UAE", "UK", "Great Britain", "USA", ...; a leading
//    "the" is ignored, and "Name, Qualifier" is also tried as "Qualifier Name"
//    ("Gambia, The", "Congo, Democratic Republic of the").
// A bare "Korea" is deliberately unknown: guessing between KP and KR would hide exactly what this
// tool looks for. Thread-safe.
std::optional<std::string> country_iso_code(std::string_view name_or_code);

}  // namespace vetter::enrich
