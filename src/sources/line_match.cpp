// Matching one syslog line: whole-line patterns (one RE2::Set pass), or a header (regex or
// hand-matched segments) and the bodies its key picks (regex or template); capture slots.
#include <functional>

#include "mapping.h"

#include <algorithm>
#include <charconv>

namespace vetter::sources {

int Mapping::match_pattern(std::string_view text, re2::StringPiece* sub) const {
  if (pattern_set) {
    // Reused per thread: a match must not allocate in steady state.
    thread_local std::vector<int> hits;
    hits.clear();
    re2::RE2::Set::ErrorInfo info{};
    const bool any = pattern_set->Match(text, &hits, &info);
    if (info.kind == re2::RE2::Set::kNoError) {
      if (!any) return -1;
      const int first = *std::min_element(hits.begin(), hits.end());
      const Pattern& pattern = patterns[static_cast<std::size_t>(first)];
      if (pattern.re->Match(text, 0, text.size(), re2::RE2::UNANCHORED, sub,
                            pattern.re->NumberOfCapturingGroups() + 1)) {
        return first;
      }
    }
    // The set's DFA ran out of memory (or disagreed): try the patterns one by one.
  }
  for (std::size_t i = 0; i < patterns.size(); ++i) {
    const Pattern& pattern = patterns[i];
    const int n = pattern.re->NumberOfCapturingGroups() + 1;
    if (pattern.re->Match(text, 0, text.size(), re2::RE2::UNANCHORED, sub, n))
      return static_cast<int>(i);
  }
  return -1;
}

bool match_template(const Template& t, std::string_view text, std::size_t pos, Captures& out) {
  const std::size_t base = out.count;
  const std::string& first = t.literals.front();
  if (text.size() - pos < first.size() || text.compare(pos, first.size(), first) != 0) return false;
  pos += first.size();
  for (std::size_t i = 0; i < t.holes.size(); ++i) {
    const std::string& next = t.literals[i + 1];
    const std::size_t end = next.empty() ? text.size() : text.find(next, pos);
    bool refused = end == std::string_view::npos || end == pos;
    if (!refused && t.excluded[i].any) {
      for (std::size_t k = pos; k < end && !refused; ++k)
        refused = t.excluded[i].has(static_cast<unsigned char>(text[k]));
    }
    if (refused) {
      out.count = base;
      return false;
    }
    if (!t.holes[i].empty() && out.count < kMaxCaptures) {
      out.slots[out.count] = t.slots[i];
      out.items[out.count++] = {t.holes[i], text.substr(pos, end - pos)};
    }
    pos = end + next.size();
  }
  return true;
}

namespace {

// ISO 8601 (RFC 3339) or classic syslog time, as RE2 matches this regex anchored at a position
// (leftmost-first: greedy parts take all they can, the optional offset only when whole).
constexpr std::string_view kSyslogTimeRegex =
    R"(\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-]\d\d:?\d\d)?|[A-Z][a-z]{2} +\d{1,2}(?: \d{4})? \d\d:\d\d:\d\d)";

// The length kSyslogTimeRegex matches at `p`, or npos.
std::size_t match_syslog_time(std::string_view t, std::size_t p) {
  const std::size_t n = t.size();
  const auto at = [&](std::size_t i) { return i < n ? t[i] : '\0'; };
  const auto digits = [&](std::size_t i, std::size_t count) {
    for (std::size_t k = i; k < i + count; ++k) {
      if (at(k) < '0' || at(k) > '9') return false;
    }
    return true;
  };
  if (digits(p, 1)) {
    // \d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-]\d\d:?\d\d)?
    if (!digits(p, 4) || at(p + 4) != '-' || !digits(p + 5, 2) || at(p + 7) != '-' ||
        !digits(p + 8, 2) || at(p + 10) != 'T') {
      return std::string_view::npos;
    }
    std::size_t i = p + 11;
    while (digits(i, 1) || at(i) == ':' || at(i) == '.')
      ++i;
    if (i == p + 11) return std::string_view::npos;
    if (at(i) == 'Z') {
      ++i;
    } else if ((at(i) == '+' || at(i) == '-') && digits(i + 1, 2)) {
      if (at(i + 3) == ':' && digits(i + 4, 2))
        i += 6;
      else if (digits(i + 3, 2))
        i += 5;
    }
    return i - p;
  }
  // [A-Z][a-z]{2} +\d{1,2}(?: \d{4})? \d\d:\d\d:\d\d
  if (at(p) < 'A' || at(p) > 'Z' || at(p + 1) < 'a' || at(p + 1) > 'z' || at(p + 2) < 'a' ||
      at(p + 2) > 'z' || at(p + 3) != ' ') {
    return std::string_view::npos;
  }
  std::size_t i = p + 3;
  while (at(i) == ' ')
    ++i;
  if (!digits(i, 1)) return std::string_view::npos;
  i += digits(i + 1, 1) ? 2 : 1;
  const auto clock = [&](std::size_t j) {
    return at(j) == ' ' && digits(j + 1, 2) && at(j + 3) == ':' && digits(j + 4, 2) &&
           at(j + 6) == ':' && digits(j + 7, 2);
  };
  if (at(i) == ' ' && digits(i + 1, 4) && clock(i + 5)) return i + 5 + 9 - p;
  if (clock(i)) return i + 9 - p;
  return std::string_view::npos;
}

// One header segment at `pos`; `length` is what it took.
bool match_segment(const Segment& segment, std::string_view text, std::size_t pos,
                   std::size_t& length) {
  switch (segment.kind) {
    case Segment::Kind::kLiteral:
      length = segment.literal.size();
      return text.size() - pos >= length && text.compare(pos, length, segment.literal) == 0;
    case Segment::Kind::kDigits:
      length = segment.digits;
      if (text.size() - pos < length) return false;
      for (std::size_t i = pos; i < pos + length; ++i) {
        if (text[i] < '0' || text[i] > '9') return false;
      }
      return true;
    case Segment::Kind::kSyslogTime:
      length = match_syslog_time(text, pos);
      return length != std::string_view::npos;
    case Segment::Kind::kRegex:
      break;
  }
  re2::StringPiece piece;
  if (!segment.re->Match(text, pos, text.size(), re2::RE2::ANCHOR_START, &piece, 1)) return false;
  length = piece.size();
  return true;
}

// A regex that is plain text ("': '") or `\d{n}`, for Segment's fast kinds.
void classify_segment(Segment& segment, const std::string& regex) {
  if (regex == kSyslogTimeRegex) {
    segment.kind = Segment::Kind::kSyslogTime;
    return;
  }
  static constexpr std::string_view kSyntax = "\\^$.|?*+()[]{}";
  if (!regex.empty() && regex.find_first_of(kSyntax) == std::string::npos) {
    segment.kind = Segment::Kind::kLiteral;
    segment.literal = regex;
    return;
  }
  if (regex.size() > 4 && regex.compare(0, 3, "\\d{") == 0 && regex.back() == '}') {
    std::size_t n = 0;
    const char* first = regex.data() + 3;
    const char* last = regex.data() + regex.size() - 1;
    const auto [ptr, ec] = std::from_chars(first, last, n);
    if (ec == std::errc() && ptr == last && n > 0 && n <= 64) {
      segment.kind = Segment::Kind::kDigits;
      segment.digits = n;
    }
  }
}

}  // namespace

void Mapping::assign_slots() {
  std::map<std::string, std::int16_t, std::less<>> slot_of;
  const auto slot = [&](const std::string& capture) -> std::int16_t {
    if (capture.empty()) return -1;
    const auto [it, added] =
        slot_of.try_emplace(capture, static_cast<std::int16_t>(slot_of.size()));
    return it->second;
  };
  const auto number = [&](Pattern& pattern) {
    pattern.slots.clear();
    for (const auto& group : pattern.groups)
      pattern.slots.push_back(slot(group.second));
  };
  for (Pattern& pattern : patterns)
    number(pattern);
  if (dispatch) {
    number(dispatch->header);
    for (Segment& segment : dispatch->segments) {
      segment.slot = slot(segment.name);
      segment.is_key = !segment.name.empty() && segment.name == dispatch->key;
      if (segment.re) classify_segment(segment, segment.re->pattern());
    }
    for (auto& [key, bodies] : dispatch->bodies) {
      for (Body& body : bodies) {
        if (body.regex) {
          number(*body.regex);
        } else {
          body.text.slots.clear();
          for (const std::string& hole : body.text.holes)
            body.text.slots.push_back(slot(hole));
        }
      }
    }
  }
  prefixes.clear();
  std::map<std::string, int, std::less<>> prefix_of;  // segments joined by '\0'
  std::function<void(Path&)> mark = [&](Path& path) {
    for (Path& hole : path.holes)
      mark(hole);
    const auto it = slot_of.find(path.text);
    path.slot = it == slot_of.end() ? -1 : it->second;
    int parent = -1;
    std::string key;
    for (std::size_t i = 0; i + 1 < path.segments.size(); ++i) {
      key += path.segments[i];
      key += '\0';
      const auto [at, added] = prefix_of.try_emplace(key, static_cast<int>(prefixes.size()));
      if (added) prefixes.push_back({parent, path.segments[i]});
      parent = at->second;
    }
    path.prefix = parent;
  };
  for (FieldRule& rule : fields) {
    for (Path& path : rule.from)
      mark(path);
  }
  for (Path& path : time.from)
    mark(path);
  if (time.offset_from) mark(*time.offset_from);
  for (Filter& filter : filters)
    mark(filter.path);
}

bool Mapping::match_line(std::string_view text, Captures& out) const {
  // Reused per thread: a match must not allocate in steady state.
  thread_local std::vector<re2::StringPiece> sub;
  out.count = 0;
  const auto take = [&](const Pattern& pattern) {
    for (std::size_t g = 0; g < pattern.groups.size(); ++g) {
      const auto& [group, key] = pattern.groups[g];
      const re2::StringPiece& piece = sub[static_cast<std::size_t>(group)];
      if (piece.data() != nullptr && out.count < kMaxCaptures) {
        out.slots[out.count] = pattern.slots[g];
        out.items[out.count++] = {key, std::string_view(piece.data(), piece.size())};
      }
    }
  };
  const auto run = [&](const Pattern& pattern, std::size_t from) {
    const int n = pattern.re->NumberOfCapturingGroups() + 1;
    if (sub.size() < static_cast<std::size_t>(n)) sub.resize(static_cast<std::size_t>(n));
    return pattern.re->Match(text, from, text.size(), re2::RE2::ANCHOR_START, sub.data(), n);
  };
  if (dispatch) {
    std::size_t end = 0;
    std::string_view key;
    if (dispatch->segments.empty()) {
      if (!run(dispatch->header, 0)) return false;
      end = sub[0].size();  // anchored at 0
      const re2::StringPiece k = sub[static_cast<std::size_t>(dispatch->key_group)];
      key = std::string_view(k.data(), k.size());
      take(dispatch->header);
    } else {
      for (const Segment& segment : dispatch->segments) {
        std::size_t length = 0;
        if (!match_segment(segment, text, end, length)) {
          out.count = 0;
          return false;
        }
        const std::string_view value = text.substr(end, length);
        if (!segment.name.empty() && out.count < kMaxCaptures) {
          out.slots[out.count] = segment.slot;
          out.items[out.count++] = {segment.name, value};
          if (segment.is_key) key = value;
        }
        end += length;
      }
    }
    const auto bodies = dispatch->bodies.find(key);
    if (bodies == dispatch->bodies.end()) {
      out.count = 0;
      return false;
    }
    const std::size_t header_count = out.count;
    for (const Body& body : bodies->second) {
      if (!body.regex) {
        if (match_template(body.text, text, end, out)) return true;
        continue;
      }
      if (run(*body.regex, end)) {
        take(*body.regex);
        return true;
      }
    }
    out.count = header_count;
    return false;
  }
  if (sub.size() < static_cast<std::size_t>(max_groups) + 1)
    sub.resize(static_cast<std::size_t>(max_groups) + 1);
  const int index = match_pattern(text, sub.data());
  if (index < 0) return false;
  take(patterns[static_cast<std::size_t>(index)]);
  return true;
}

}  // namespace vetter::sources
