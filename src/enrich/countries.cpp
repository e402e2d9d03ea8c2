// The ISO 3166-1 table with common aliases, and the lookup that folds spellings onto it.
#include "countries.h"

#include <algorithm>
#include <unordered_map>
#include <utility>

#include "fold.h"

namespace vetter::enrich {
namespace {

// ISO 3166-1 codes with English short names (the ISO list's long "of the" forms are aliases).
constexpr Country kCountries[] = {
    {"AF", "AFG", "Afghanistan"},
    {"AX", "ALA", "Åland Islands"},
    {"AL", "ALB", "Albania"},
    {"DZ", "DZA", "Algeria"},
    {"AS", "ASM", "American Samoa"},
    {"AD", "AND", "Andorra"},
    {"AO", "AGO", "Angola"},
    {"AI", "AIA", "Anguilla"},
    {"AQ", "ATA", "Antarctica"},
    {"AG", "ATG", "Antigua and Barbuda"},
    {"AR", "ARG", "Argentina"},
    {"AM", "ARM", "Armenia"},
    {"AW", "ABW", "Aruba"},
    {"AU", "AUS", "Australia"},
    {"AT", "AUT", "Austria"},
    {"AZ", "AZE", "Azerbaijan"},
    {"BS", "BHS", "Bahamas"},
    {"BH", "BHR", "Bahrain"},
    {"BD", "BGD", "Bangladesh"},
    {"BB", "BRB", "Barbados"},
    {"BY", "BLR", "Belarus"},
    {"BE", "BEL", "Belgium"},
    {"BZ", "BLZ", "Belize"},
    {"BJ", "BEN", "Benin"},
    {"BM", "BMU", "Bermuda"},
    {"BT", "BTN", "Bhutan"},
    {"BO", "BOL", "Bolivia"},
    {"BQ", "BES", "Bonaire, Sint Eustatius and Saba"},
    {"BA", "BIH", "Bosnia and Herzegovina"},
    {"BW", "BWA", "Botswana"},
    {"BV", "BVT", "Bouvet Island"},
    {"BR", "BRA", "Brazil"},
    {"IO", "IOT", "British Indian Ocean Territory"},
    {"BN", "BRN", "Brunei Darussalam"},
    {"BG", "BGR", "Bulgaria"},
    {"BF", "BFA", "Burkina Faso"},
    {"BI", "BDI", "Burundi"},
    {"CV", "CPV", "Cabo Verde"},
    {"KH", "KHM", "Cambodia"},
    {"CM", "CMR", "Cameroon"},
    {"CA", "CAN", "Canada"},
    {"KY", "CYM", "Cayman Islands"},
    {"CF", "CAF", "Central African Republic"},
    {"TD", "TCD", "Chad"},
    {"CL", "CHL", "Chile"},
    {"CN", "CHN", "China"},
    {"CX", "CXR", "Christmas Island"},
    {"CC", "CCK", "Cocos (Keeling) Islands"},
    {"CO", "COL", "Colombia"},
    {"KM", "COM", "Comoros"},
    {"CG", "COG", "Congo"},
    {"CD", "COD", "Congo, Democratic Republic of the"},
    {"CK", "COK", "Cook Islands"},
    {"CR", "CRI", "Costa Rica"},
    {"CI", "CIV", "Côte d'Ivoire"},
    {"HR", "HRV", "Croatia"},
    {"CU", "CUB", "Cuba"},
    {"CW", "CUW", "Curaçao"},
    {"CY", "CYP", "Cyprus"},
    {"CZ", "CZE", "Czechia"},
    {"DK", "DNK", "Denmark"},
    {"DJ", "DJI", "Djibouti"},
    {"DM", "DMA", "Dominica"},
    {"DO", "DOM", "Dominican Republic"},
    {"EC", "ECU", "Ecuador"},
    {"EG", "EGY", "Egypt"},
    {"SV", "SLV", "El Salvador"},
    {"GQ", "GNQ", "Equatorial Guinea"},
    {"ER", "ERI", "Eritrea"},
    {"EE", "EST", "Estonia"},
    {"SZ", "SWZ", "Eswatini"},
    {"ET", "ETH", "Ethiopia"},
    {"FK", "FLK", "Falkland Islands (Malvinas)"},
    {"FO", "FRO", "Faroe Islands"},
    {"FJ", "FJI", "Fiji"},
    {"FI", "FIN", "Finland"},
    {"FR", "FRA", "France"},
    {"GF", "GUF", "French Guiana"},
    {"PF", "PYF", "French Polynesia"},
    {"TF", "ATF", "French Southern Territories"},
    {"GA", "GAB", "Gabon"},
    {"GM", "GMB", "Gambia"},
    {"GE", "GEO", "Georgia"},
    {"DE", "DEU", "Germany"},
    {"GH", "GHA", "Ghana"},
    {"GI", "GIB", "Gibraltar"},
    {"GR", "GRC", "Greece"},
    {"GL", "GRL", "Greenland"},
    {"GD", "GRD", "Grenada"},
    {"GP", "GLP", "Guadeloupe"},
    {"GU", "GUM", "Guam"},
    {"GT", "GTM", "Guatemala"},
    {"GG", "GGY", "Guernsey"},
    {"GN", "GIN", "Guinea"},
    {"GW", "GNB", "Guinea-Bissau"},
    {"GY", "GUY", "Guyana"},
    {"HT", "HTI", "Haiti"},
    {"HM", "HMD", "Heard Island and McDonald Islands"},
    {"VA", "VAT", "Holy See"},
    {"HN", "HND", "Honduras"},
    {"HK", "HKG", "Hong Kong"},
    {"HU", "HUN", "Hungary"},
    {"IS", "ISL", "Iceland"},
    {"IN", "IND", "India"},
    {"ID", "IDN", "Indonesia"},
    {"IR", "IRN", "Iran"},
    {"IQ", "IRQ", "Iraq"},
    {"IE", "IRL", "Ireland"},
    {"IM", "IMN", "Isle of Man"},
    {"IL", "ISR", "Israel"},
    {"IT", "ITA", "Italy"},
    {"JM", "JAM", "Jamaica"},
    {"JP", "JPN", "Japan"},
    {"JE", "JEY", "Jersey"},
    {"JO", "JOR", "Jordan"},
    {"KZ", "KAZ", "Kazakhstan"},
    {"KE", "KEN", "Kenya"},
    {"KI", "KIR", "Kiribati"},
    {"KP", "PRK", "North Korea"},
    {"KR", "KOR", "South Korea"},
    {"KW", "KWT", "Kuwait"},
    {"KG", "KGZ", "Kyrgyzstan"},
    {"LA", "LAO", "Laos"},
    {"LV", "LVA", "Latvia"},
    {"LB", "LBN", "Lebanon"},
    {"LS", "LSO", "Lesotho"},
    {"LR", "LBR", "Liberia"},
    {"LY", "LBY", "Libya"},
    {"LI", "LIE", "Liechtenstein"},
    {"LT", "LTU", "Lithuania"},
    {"LU", "LUX", "Luxembourg"},
    {"MO", "MAC", "Macao"},
    {"MG", "MDG", "Madagascar"},
    {"MW", "MWI", "Malawi"},
    {"MY", "MYS", "Malaysia"},
    {"MV", "MDV", "Maldives"},
    {"ML", "MLI", "Mali"},
    {"MT", "MLT", "Malta"},
    {"MH", "MHL", "Marshall Islands"},
    {"MQ", "MTQ", "Martinique"},
    {"MR", "MRT", "Mauritania"},
    {"MU", "MUS", "Mauritius"},
    {"YT", "MYT", "Mayotte"},
    {"MX", "MEX", "Mexico"},
    {"FM", "FSM", "Micronesia"},
    {"MD", "MDA", "Moldova"},
    {"MC", "MCO", "Monaco"},
    {"MN", "MNG", "Mongolia"},
    {"ME", "MNE", "Montenegro"},
    {"MS", "MSR", "Montserrat"},
    {"MA", "MAR", "Morocco"},
    {"MZ", "MOZ", "Mozambique"},
    {"MM", "MMR", "Myanmar"},
    {"NA", "NAM", "Namibia"},
    {"NR", "NRU", "Nauru"},
    {"NP", "NPL", "Nepal"},
    {"NL", "NLD", "Netherlands"},
    {"NC", "NCL", "New Caledonia"},
    {"NZ", "NZL", "New Zealand"},
    {"NI", "NIC", "Nicaragua"},
    {"NE", "NER", "Niger"},
    {"NG", "NGA", "Nigeria"},
    {"NU", "NIU", "Niue"},
    {"NF", "NFK", "Norfolk Island"},
    {"MK", "MKD", "North Macedonia"},
    {"MP", "MNP", "Northern Mariana Islands"},
    {"NO", "NOR", "Norway"},
    {"OM", "OMN", "Oman"},
    {"PK", "PAK", "Pakistan"},
    {"PW", "PLW", "Palau"},
    {"PS", "PSE", "Palestine"},
    {"PA", "PAN", "Panama"},
    {"PG", "PNG", "Papua New Guinea"},
    {"PY", "PRY", "Paraguay"},
    {"PE", "PER", "Peru"},
    {"PH", "PHL", "Philippines"},
    {"PN", "PCN", "Pitcairn"},
    {"PL", "POL", "Poland"},
    {"PT", "PRT", "Portugal"},
    {"PR", "PRI", "Puerto Rico"},
    {"QA", "QAT", "Qatar"},
    {"RE", "REU", "Réunion"},
    {"RO", "ROU", "Romania"},
    {"RU", "RUS", "Russia"},
    {"RW", "RWA", "Rwanda"},
    {"BL", "BLM", "Saint Barthélemy"},
    {"SH", "SHN", "Saint Helena, Ascension and Tristan da Cunha"},
    {"KN", "KNA", "Saint Kitts and Nevis"},
    {"LC", "LCA", "Saint Lucia"},
    {"MF", "MAF", "Saint Martin (French part)"},
    {"PM", "SPM", "Saint Pierre and Miquelon"},
    {"VC", "VCT", "Saint Vincent and the Grenadines"},
    {"WS", "WSM", "Samoa"},
    {"SM", "SMR", "San Marino"},
    {"ST", "STP", "Sao Tome and Principe"},
    {"SA", "SAU", "Saudi Arabia"},
    {"SN", "SEN", "Senegal"},
    {"RS", "SRB", "Serbia"},
    {"SC", "SYC", "Seychelles"},
    {"SL", "SLE", "Sierra Leone"},
    {"SG", "SGP", "Singapore"},
    {"SX", "SXM", "Sint Maarten (Dutch part)"},
    {"SK", "SVK", "Slovakia"},
    {"SI", "SVN", "Slovenia"},
    {"SB", "SLB", "Solomon Islands"},
    {"SO", "SOM", "Somalia"},
    {"ZA", "ZAF", "South Africa"},
    {"GS", "SGS", "South Georgia and the South Sandwich Islands"},
    {"SS", "SSD", "South Sudan"},
    {"ES", "ESP", "Spain"},
    {"LK", "LKA", "Sri Lanka"},
    {"SD", "SDN", "Sudan"},
    {"SR", "SUR", "Suriname"},
    {"SJ", "SJM", "Svalbard and Jan Mayen"},
    {"SE", "SWE", "Sweden"},
    {"CH", "CHE", "Switzerland"},
    {"SY", "SYR", "Syria"},
    {"TW", "TWN", "Taiwan"},
    {"TJ", "TJK", "Tajikistan"},
    {"TZ", "TZA", "Tanzania"},
    {"TH", "THA", "Thailand"},
    {"TL", "TLS", "Timor-Leste"},
    {"TG", "TGO", "Togo"},
    {"TK", "TKL", "Tokelau"},
    {"TO", "TON", "Tonga"},
    {"TT", "TTO", "Trinidad and Tobago"},
    {"TN", "TUN", "Tunisia"},
    {"TR", "TUR", "Türkiye"},
    {"TM", "TKM", "Turkmenistan"},
    {"TC", "TCA", "Turks and Caicos Islands"},
    {"TV", "TUV", "Tuvalu"},
    {"UG", "UGA", "Uganda"},
    {"UA", "UKR", "Ukraine"},
    {"AE", "ARE", "United Arab Emirates"},
    {"GB", "GBR", "United Kingdom"},
    {"US", "USA", "United States"},
    {"UM", "UMI", "United States Minor Outlying Islands"},
    {"UY", "URY", "Uruguay"},
    {"UZ", "UZB", "Uzbekistan"},
    {"VU", "VUT", "Vanuatu"},
    {"VE", "VEN", "Venezuela"},
    {"VN", "VNM", "Vietnam"},
    {"VG", "VGB", "Virgin Islands (British)"},
    {"VI", "VIR", "Virgin Islands (U.S.)"},
    {"WF", "WLF", "Wallis and Futuna"},
    {"EH", "ESH", "Western Sahara"},
    {"YE", "YEM", "Yemen"},
    {"ZM", "ZMB", "Zambia"},
    {"ZW", "ZWE", "Zimbabwe"},
};

// Spellings seen in HR exports, IdP geo (Okta, Entra), firewall logs (FortiGate) and the ISO
// list's formal forms. Folded before use, so case, accents and punctuation do not matter here.
constexpr std::pair<std::string_view, std::string_view> kAliases[] = {
    {"United States of America", "US"},
    {"U.S.", "US"},
    {"U.S.A.", "US"},
    {"America", "US"},
    {"UK", "GB"},
    {"U.K.", "GB"},
    {"Great Britain", "GB"},
    {"Britain", "GB"},
    {"England", "GB"},
    {"Scotland", "GB"},
    {"Wales", "GB"},
    {"Northern Ireland", "GB"},
    {"United Kingdom of Great Britain and Northern Ireland", "GB"},
    {"Korea, Democratic People's Republic of", "KP"},
    {"Democratic People's Republic of Korea", "KP"},
    {"DPRK", "KP"},
    {"D.P.R.K.", "KP"},
    {"DPR Korea", "KP"},
    {"Korea DPR", "KP"},
    {"Korea, North", "KP"},
    {"N. Korea", "KP"},
    {"Korea (the Democratic People's Republic of)", "KP"},
    {"Korea, Republic of", "KR"},
    {"Republic of Korea", "KR"},
    {"Korea, South", "KR"},
    {"Korea (the Republic of)", "KR"},
    {"ROK", "KR"},
    {"Russian Federation", "RU"},
    {"Russian Federation (the)", "RU"},
    {"Lao People's Democratic Republic", "LA"},
    {"Lao PDR", "LA"},
    {"Lao", "LA"},
    {"Viet Nam", "VN"},
    {"UAE", "AE"},
    {"U.A.E.", "AE"},
    {"Emirates", "AE"},
    {"Iran, Islamic Republic of", "IR"},
    {"Islamic Republic of Iran", "IR"},
    {"Syrian Arab Republic", "SY"},
    {"Moldova, Republic of", "MD"},
    {"Republic of Moldova", "MD"},
    {"Bolivia, Plurinational State of", "BO"},
    {"Venezuela, Bolivarian Republic of", "VE"},
    {"Tanzania, United Republic of", "TZ"},
    {"United Republic of Tanzania", "TZ"},
    {"Taiwan, Province of China", "TW"},
    {"Republic of China", "TW"},
    {"People's Republic of China", "CN"},
    {"PRC", "CN"},
    {"Mainland China", "CN"},
    {"Micronesia, Federated States of", "FM"},
    {"Federated States of Micronesia", "FM"},
    {"Democratic Republic of the Congo", "CD"},
    {"DR Congo", "CD"},
    {"DRC", "CD"},
    {"Congo-Kinshasa", "CD"},
    {"Congo (Kinshasa)", "CD"},
    {"Congo (the Democratic Republic of the)", "CD"},
    {"Republic of the Congo", "CG"},
    {"Congo-Brazzaville", "CG"},
    {"Congo (Brazzaville)", "CG"},
    {"Czech Republic", "CZ"},
    {"Ivory Coast", "CI"},
    {"Cape Verde", "CV"},
    {"Swaziland", "SZ"},
    {"Macedonia", "MK"},
    {"Republic of North Macedonia", "MK"},
    {"The former Yugoslav Republic of Macedonia", "MK"},
    {"Burma", "MM"},
    {"Turkey", "TR"},
    {"Brunei", "BN"},
    {"Vatican", "VA"},
    {"Vatican City", "VA"},
    {"Vatican City State", "VA"},
    {"Holy See (Vatican City State)", "VA"},
    {"Hong Kong SAR", "HK"},
    {"Hong Kong SAR China", "HK"},
    {"Macau", "MO"},
    {"Macao SAR", "MO"},
    {"Macao SAR China", "MO"},
    {"Palestine, State of", "PS"},
    {"State of Palestine", "PS"},
    {"Palestinian Territory", "PS"},
    {"Palestinian Territories", "PS"},
    {"East Timor", "TL"},
    {"Falkland Islands", "FK"},
    {"Saint Martin", "MF"},
    {"Sint Maarten", "SX"},
    {"St Kitts and Nevis", "KN"},
    {"St Lucia", "LC"},
    {"St Vincent and the Grenadines", "VC"},
    {"St Pierre and Miquelon", "PM"},
    {"St Barthelemy", "BL"},
    {"Saint Helena", "SH"},
    {"St Helena", "SH"},
    {"British Virgin Islands", "VG"},
    {"Virgin Islands, British", "VG"},
    {"U.S. Virgin Islands", "VI"},
    {"Virgin Islands, U.S.", "VI"},
    {"United States Virgin Islands", "VI"},
    {"Bosnia", "BA"},
    {"Bosnia-Herzegovina", "BA"},
    {"Kyrgyz Republic", "KG"},
    {"Slovak Republic", "SK"},
    {"Sao Tome", "ST"},
    {"Pitcairn Islands", "PN"},
    {"Cocos Islands", "CC"},
    {"Keeling Islands", "CC"},
    {"Svalbard", "SJ"},
    {"Wallis and Futuna Islands", "WF"},
    {"Caribbean Netherlands", "BQ"},
    {"Bonaire", "BQ"},
    {"Heard and McDonald Islands", "HM"},
    {"Reunion Island", "RE"},
    {"Holland", "NL"},
    {"Kosovo", "XK"},
    {"Republic of Kosovo", "XK"},
};

constexpr std::string_view kKosovo = "XK";

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

struct Index {
  std::unordered_map<std::string, std::string_view> by_name;  // folded name -> alpha-2
  std::unordered_map<std::string, std::string_view> by_code;  // "KP", "PRK" -> alpha-2

  Index() {
    for (const Country& c : kCountries) {
      by_code.emplace(std::string(c.alpha2), c.alpha2);
      by_code.emplace(std::string(c.alpha3), c.alpha2);
      by_name.emplace(fold_name(c.name), c.alpha2);
    }
    by_code.emplace(std::string(kKosovo), kKosovo);
    by_code.emplace("XKX", kKosovo);
    for (const auto& [alias, code] : kAliases)
      by_name.emplace(fold_name(alias), code);
  }

  std::optional<std::string> name(const std::string& folded) const {
    std::string_view key = folded;
    if (key.starts_with("the ")) key.remove_prefix(4);
    if (auto it = by_name.find(std::string(key)); it != by_name.end())
      return std::string(it->second);
    return std::nullopt;
  }
};

const Index& index() {
  static const Index kIndex;
  return kIndex;
}

std::string_view trim(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n\v\f";
  const auto first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(kSpace) - first + 1);
}

}  // namespace

std::span<const Country> countries() {
  return kCountries;
}

std::optional<std::string> country_iso_code(std::string_view name_or_code) {
  const std::string_view text = trim(name_or_code);
  if (text.empty()) return std::nullopt;
  const Index& idx = index();
  const bool letters = std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  });
  if (letters && (text.size() == 2 || text.size() == 3)) {
    if (auto it = idx.by_code.find(upper(text)); it != idx.by_code.end())
      return std::string(it->second);
  }
  if (auto found = idx.name(fold_name(text))) return found;
  // "Gambia, The", "Korea, Democratic People's Republic of": try the qualifier first.
  if (auto comma = text.rfind(','); comma != std::string_view::npos) {
    const std::string swapped =
        std::string(text.substr(comma + 1)) + " " + std::string(text.substr(0, comma));
    if (auto found = idx.name(fold_name(swapped))) return found;
  }
  return std::nullopt;
}

}  // namespace vetter::enrich
