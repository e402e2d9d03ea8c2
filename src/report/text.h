// Small text helpers shared by the reporters.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "vetter/model/time.h"

namespace vetter::report {

inline std::string fixed(double v, int decimals) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

// HR rows without a date (a candidate has no hire date yet) carry time 0: reports call it
// "undated" (JSON: null) instead of printing 1970-01-01.
inline constexpr std::string_view kUndated = "undated";
inline bool dated(std::int64_t us) {
  return us != 0;
}
inline std::string iso(std::int64_t us) {
  return dated(us) ? model::format_iso8601(us) : std::string(kUndated);
}
inline std::string day(std::int64_t us) {
  return dated(us) ? model::format_iso8601(us).substr(0, 10) : std::string(kUndated);
}

// "file:line", or just the file when the format has no lines.
inline std::string where(std::string_view file, std::uint64_t line) {
  std::string out(file);
  if (line > 0) {
    out += ':';
    out += std::to_string(line);
  }
  return out;
}

inline std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// Markdown table cells: pipes and newlines would break the row.
inline std::string md_cell(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '|')
      out += "\\|";
    else if (c == '\n' || c == '\r')
      out += ' ';
    else
      out += c;
  }
  return out;
}

}  // namespace vetter::report
