// The line formats: JSON Lines and syslog.
#include <cctype>

#include "input.h"

namespace vetter::ingest::detail {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
    s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
    s.remove_suffix(1);
  return s;
}

// nlohmann's parser has no depth cap, so the nesting is measured before parsing: a hostile line of
// 100,000 '[' is rejected here instead of building (and recursively destroying) a deep tree.
bool depth_within(std::string_view text, int max_depth) {
  int depth = 0;
  bool in_string = false;
  bool escape = false;
  for (char c : text) {
    if (in_string) {
      if (escape) {
        escape = false;
      } else if (c == '\\') {
        escape = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return false;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return true;
}

// Shared by every line format: skips blank lines, rejects over-long and non-UTF-8 lines.
template <typename OnLine>
void for_each_line(ByteStream& stream, Context& ctx, OnLine on_line) {
  LineReader reader(stream, ctx);
  std::string line;
  bool too_long = false;
  while (reader.next(line, too_long) == ReadStatus::kData) {
    const std::uint64_t at = reader.line_number();
    if (too_long) {
      ctx.bad("E-INPUT-LINE", at,
              "line longer than " + std::to_string(ctx.limits.max_line_bytes) + " bytes; skipped");
      continue;
    }
    if (at == 1) strip_bom(line);
    std::string_view text = trim(line);
    if (text.empty()) continue;
    if (!valid_utf8(text)) {
      ctx.bad("E-INPUT-UTF8", at, "line is not valid UTF-8; skipped");
      continue;
    }
    on_line(text, at);
  }
}

}  // namespace

bool parse_json_record(std::string_view text, std::uint64_t at, Context& ctx, nlohmann::json& out) {
  if (!depth_within(text, ctx.limits.max_depth)) {
    ctx.bad("E-INPUT-DEPTH", at,
            "JSON nested deeper than " + std::to_string(ctx.limits.max_depth) + " levels; skipped");
    return false;
  }
  try {
    out = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    ctx.bad("E-INPUT-JSON", at, std::string("malformed JSON: ") + e.what());
    return false;
  }
  if (!out.is_object()) {
    ctx.bad("E-INPUT-JSON", at,
            std::string("record is a JSON ") + out.type_name() + ", expected an object; skipped");
    return false;
  }
  return true;
}

void read_json_lines(ByteStream& stream, Context& ctx) {
  for_each_line(stream, ctx, [&](std::string_view text, std::uint64_t at) {
    nlohmann::json data;
    if (parse_json_record(text, at, ctx, data)) ctx.emit(std::move(data), at);
  });
}

// <PRI> is 1-3 digits, at most 191 (facility 23, severity 7); anything else is message text.
int split_pri(std::string_view& text) {
  if (text.size() >= 3 && text[0] == '<') {
    std::size_t end = text.find('>');
    if (end != std::string_view::npos && end >= 2 && end <= 4) {
      int pri = 0;
      bool digits = true;
      for (std::size_t i = 1; i < end; ++i) {
        if (!std::isdigit(static_cast<unsigned char>(text[i])))
          digits = false;
        else
          pri = pri * 10 + (text[i] - '0');
      }
      if (digits && pri <= 191) {
        text = trim(text.substr(end + 1));
        return pri;
      }
    }
  }
  return -1;
}

nlohmann::json syslog_object(std::string_view message, int pri) {
  nlohmann::json data = nlohmann::json::object();
  if (pri >= 0) data["pri"] = pri;
  data["message"] = std::string(message);
  return data;
}

void read_syslog(ByteStream& stream, Context& ctx) {
  for_each_line(stream, ctx, [&](std::string_view text, std::uint64_t at) {
    const int pri = split_pri(text);
    ctx.emit(syslog_object(text, pri), at);
  });
}

void read_checked_lines(ByteStream& stream, Context& ctx, const LineSink& sink) {
  for_each_line(stream, ctx, [&](std::string_view text, std::uint64_t at) { sink(text, at); });
}

}  // namespace vetter::ingest::detail
