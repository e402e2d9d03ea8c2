// `normalize: timezone`: HR exports' time-zone labels -> IANA zone names. Workday prints
// "GMT-06:00 Central Time (Chicago)" or "(GMT-06:00) Central Time (Chicago)"; other HR tools
// print "Central Time", "US/Central" or the IANA name itself.
#include <array>
#include <cctype>
#include <string>
#include <string_view>

#include "mapping.h"
#include "vetter/model/text.h"
#include "vetter/model/time_zone.h"

namespace vetter::sources {
namespace {

bool known(const std::string& name) {
  return !name.empty() && model::find_time_zone(name) != nullptr;
}

// "New York" -> "America/New_York", trying the areas where a city's zone is named.
std::string zone_of_city(std::string_view city) {
  std::string key;
  for (char c : model::trim(city))
    key += c == ' ' ? '_' : c;
  if (key.empty() || key.find('/') != std::string::npos || key.find('.') != std::string::npos)
    return {};
  static constexpr std::array<std::string_view, 9> kAreas = {
      "America/", "Europe/",   "Asia/",   "Australia/",        "Africa/",
      "Pacific/", "Atlantic/", "Indian/", "America/Argentina/"};
  for (std::string_view area : kAreas) {
    std::string name = std::string(area) + key;
    if (known(name)) return name;
  }
  return {};
}

// Names HR tools give for zones without a city, and cities whose zone has another city's name.
struct Alias {
  std::string_view label;
  std::string_view zone;
};
constexpr Alias kAliases[] = {
    {"eastern time", "America/New_York"},
    {"central time", "America/Chicago"},
    {"mountain time", "America/Denver"},
    {"pacific time", "America/Los_Angeles"},
    {"arizona", "America/Phoenix"},
    {"alaska", "America/Anchorage"},
    {"alaska time", "America/Anchorage"},
    {"hawaii", "Pacific/Honolulu"},
    {"hawaii time", "Pacific/Honolulu"},
    {"atlantic time", "America/Halifax"},
    {"newfoundland", "America/St_Johns"},
    {"greenwich mean time", "Etc/UTC"},
    {"coordinated universal time", "Etc/UTC"},
    {"utc", "Etc/UTC"},
    {"gmt", "Etc/UTC"},
    {"washington dc", "America/New_York"},
    {"washington, dc", "America/New_York"},
    {"san francisco", "America/Los_Angeles"},
    {"seattle", "America/Los_Angeles"},
    {"boston", "America/New_York"},
    {"atlanta", "America/New_York"},
    {"miami", "America/New_York"},
    {"dallas", "America/Chicago"},
    {"houston", "America/Chicago"},
    {"austin", "America/Chicago"},
    {"minneapolis", "America/Chicago"},
    {"salt lake city", "America/Denver"},
    {"san diego", "America/Los_Angeles"},
    {"portland", "America/Los_Angeles"},
    {"mumbai", "Asia/Kolkata"},
    {"new delhi", "Asia/Kolkata"},
    {"bangalore", "Asia/Kolkata"},
    {"beijing", "Asia/Shanghai"},
    {"hanoi", "Asia/Bangkok"},
    {"pyongyang", "Asia/Pyongyang"},
    {"kyiv", "Europe/Kyiv"},
};

std::string lower(std::string_view text) {
  std::string out;
  for (char c : model::trim(text))
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string alias(std::string_view text) {
  const std::string key = lower(text);
  for (const Alias& a : kAliases) {
    if (a.label == key) return std::string(a.zone);
  }
  return {};
}

// "GMT-06:00" / "UTC+05:30" at the start of `text` -> seconds east of UTC; advances `text`.
bool leading_offset(std::string_view& text, int& seconds) {
  std::string_view t = model::trim(text);
  if (!t.empty() && t.front() == '(') t.remove_prefix(1);
  if (!(t.starts_with("GMT") || t.starts_with("UTC"))) return false;
  t.remove_prefix(3);
  if (t.empty() || (t.front() != '+' && t.front() != '-')) {
    // "GMT" alone, or "(GMT) Greenwich Mean Time"
    seconds = 0;
  } else {
    const int sign = t.front() == '-' ? -1 : 1;
    t.remove_prefix(1);
    int hours = 0, minutes = 0;
    std::size_t i = 0;
    while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i])))
      hours = hours * 10 + (t[i++] - '0');
    if (i == 0 || hours > 14) return false;
    if (i < t.size() && t[i] == ':') {
      ++i;
      std::size_t start = i;
      while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i])))
        minutes = minutes * 10 + (t[i++] - '0');
      if (i != start + 2) return false;
    }
    seconds = sign * (hours * 3600 + minutes * 60);
    t.remove_prefix(i);
  }
  if (!t.empty() && t.front() == ')') t.remove_prefix(1);
  text = t;
  return true;
}

}  // namespace

std::string iana_zone_for(std::string_view label) {
  const std::string_view text = model::trim(label);
  if (text.empty()) return {};
  const std::string whole(text);
  if (known(whole)) return whole;
  if (std::string a = alias(text); !a.empty()) return a;
  std::string_view rest = text;
  int offset = 0;
  const bool has_offset = leading_offset(rest, offset);
  rest = model::trim(rest);
  // "(Chicago)" at the end: the city names the zone.
  if (!rest.empty() && rest.back() == ')') {
    const std::size_t open = rest.rfind('(');
    if (open != std::string_view::npos) {
      const std::string_view city = rest.substr(open + 1, rest.size() - open - 2);
      if (std::string a = alias(city); !a.empty()) return a;
      if (std::string z = zone_of_city(city); !z.empty()) return z;
      rest = model::trim(rest.substr(0, open));
    }
  }
  if (!rest.empty()) {
    if (std::string a = alias(rest); !a.empty()) return a;
    if (std::string z = zone_of_city(rest); !z.empty()) return z;
  }
  // Only the offset is left: a fixed zone (no daylight saving), whole hours only. Etc/GMT+6 is
  // six hours *behind* UTC (POSIX signs).
  if (has_offset && offset % 3600 == 0) {
    const int hours = offset / 3600;
    if (hours == 0) return "Etc/UTC";
    const std::string name =
        "Etc/GMT" + std::string(hours > 0 ? "-" : "+") + std::to_string(hours > 0 ? hours : -hours);
    if (known(name)) return name;
  }
  return {};
}

}  // namespace vetter::sources
