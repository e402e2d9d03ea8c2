// The splitters: key=value pairs (FortiGate), positional CSV columns (PAN-OS) and RFC 5424
// structured data, each turning one text of a record into more keys (split_into).
#include "mapping.h"

#include <algorithm>

namespace vetter::sources {

namespace {

// RFC 5424 section 6.3: STRUCTURED-DATA = NILVALUE / 1*SD-ELEMENT, SD-ELEMENT = "[" SD-ID
// *(SP SD-PARAM) "]", SD-PARAM = PARAM-NAME "=" %d34 PARAM-VALUE %d34, where PARAM-VALUE escapes
// '"', '\' and ']' with a backslash (a backslash before anything else is itself). `text` is a
// whole message after <PRI> ("1 TIMESTAMP HOST APP PROCID MSGID SD MSG"), or starts at the SD.
// A malformed element (a '[' that does not start a valid SD-ELEMENT) stops the parsing and is
// returned as a description with its byte offset in `text`; empty when the data was well-formed
// (or absent: NILVALUE, or too few header fields for RFC 5424). A ' ' after an element ends the
// structured data: what follows is MSG, even when it starts with '['.
template <typename Put>
std::string split_structured_data(std::string_view text, Put&& put) {
  std::size_t i = 0;
  const std::size_t n = text.size();
  if (n > 0 && text[0] != '[' && text[0] != '-') {
    // Skip VERSION TIMESTAMP HOSTNAME APP-NAME PROCID MSGID: six fields, one space after each.
    for (int field = 0; field < 6; ++field) {
      const std::size_t space = text.find(' ', i);
      if (space == std::string_view::npos) return {};
      i = space + 1;
    }
  }
  const auto name_char = [](char c) {
    return c > 32 && c < 127 && c != '=' && c != ']' && c != '"';  // SD-NAME: PRINTUSASCII
  };
  std::size_t element = i;
  const auto fault = [&](const char* what) {
    return std::string(what) + " (the element at byte " + std::to_string(element) + ": '" +
           std::string(text.substr(element, std::min<std::size_t>(n - element, 40))) + "')";
  };
  while (i < n && text[i] == '[') {
    element = i;
    std::size_t start = ++i;
    while (i < n && name_char(text[i]))
      ++i;
    if (i == start || i - start > 32 || i >= n)
      return fault("'[' must be followed by an SD-ID of 1 to 32 characters");
    const std::string prefix = "sd." + std::string(text.substr(start, i - start)) + ".";
    for (;;) {
      if (i < n && text[i] == ']') {
        ++i;
        break;
      }
      if (i >= n) return fault("the element has no closing ']'");
      if (text[i] != ' ') return fault("expected ' name=\"value\"' or ']'");
      start = ++i;
      while (i < n && name_char(text[i]))
        ++i;
      if (i == start || i - start > 32 || i + 1 >= n || text[i] != '=' || text[i + 1] != '"')
        return fault("a parameter must be name=\"value\" with a name of 1 to 32 characters");
      std::string key = prefix + std::string(text.substr(start, i - start));
      i += 2;
      std::string value;
      for (;; ++i) {
        if (i >= n) return fault("a parameter value has no closing '\"'");
        const char c = text[i];
        if (c == '"') break;
        if (c == '\\' && i + 1 < n &&
            (text[i + 1] == '"' || text[i + 1] == '\\' || text[i + 1] == ']')) {
          value.push_back(text[++i]);
          continue;
        }
        if (c == ']') return fault("a ']' inside a parameter value must be escaped as '\\]'");
        value.push_back(c);
      }
      ++i;  // the closing quote
      put(std::move(key), std::move(value));
    }
  }
  return {};
}

}  // namespace

std::string split_into(const Splitter& splitter, std::string_view text, nlohmann::json& data) {
  auto put = [&](std::string key, std::string value) {
    if (!key.empty() && !data.contains(key)) data[std::move(key)] = std::move(value);
  };
  if (splitter.kind == Splitter::Kind::kStructuredData) return split_structured_data(text, put);
  std::size_t i = 0;
  const std::size_t n = text.size();
  if (splitter.kind == Splitter::Kind::kKeyValue) {
    while (i < n) {
      while (i < n && text[i] == ' ')
        ++i;
      std::size_t key_start = i;
      while (i < n && text[i] != '=' && text[i] != ' ')
        ++i;
      if (i >= n || text[i] != '=') continue;  // a bare word: not a pair
      std::string key(text.substr(key_start, i - key_start));
      ++i;
      std::string value;
      if (i < n && text[i] == '"') {
        ++i;
        while (i < n && text[i] != '"') {
          if (text[i] == '\\' && i + 1 < n) ++i;
          value.push_back(text[i++]);
        }
        ++i;
      } else {
        std::size_t v = i;
        while (i < n && text[i] != ' ')
          ++i;
        value.assign(text.substr(v, i - v));
      }
      put(std::move(key), std::move(value));
    }
    return {};
  }
  // CSV: RFC 4180 quoting on one line.
  std::size_t column = 0;
  while (column < splitter.columns.size()) {
    std::string value;
    if (i < n && text[i] == '"') {
      ++i;
      while (i < n) {
        if (text[i] == '"') {
          if (i + 1 < n && text[i + 1] == '"') {
            value.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        value.push_back(text[i++]);
      }
      while (i < n && text[i] != ',')
        ++i;
    } else {
      std::size_t start = i;
      while (i < n && text[i] != ',')
        ++i;
      value.assign(text.substr(start, i - start));
    }
    put(splitter.columns[column++], std::move(value));
    if (i >= n) break;
    ++i;  // the comma
  }
  return {};
}

}  // namespace vetter::sources
