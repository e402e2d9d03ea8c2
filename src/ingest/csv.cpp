// CSV with a header row (RFC 4180): quoted fields may hold commas, "" and newlines; the delimiter
// (, ; or TAB) is taken from the header row.
#include <memory>
#include <vector>

#include "input.h"

namespace vetter::ingest::detail {
namespace {

class CsvParser {
 public:
  CsvParser(Context& ctx, char delimiter) : ctx_(ctx), delimiter_(delimiter) {
    fields_.emplace_back();
  }

  void feed(const char* data, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i)
      on_char(data[i]);
  }

  void finish(bool stream_failed) {
    if (stream_failed) return;  // a partial last row may look valid; the stream reported the cut
    if (state_ == State::kQuoted) {
      ctx_.bad("E-INPUT-CSV", row_line_, "quoted field is never closed; row skipped");
      return;
    }
    if (row_bytes_ > 0) end_row();
  }

 private:
  enum class State { kFieldStart, kUnquoted, kQuoted, kQuoteInQuoted };

  void add(char c) {
    ++row_bytes_;
    if (too_long_) return;
    if (row_bytes_ > ctx_.limits.max_line_bytes) {
      too_long_ = true;
      fields_.assign(1, std::string());
      return;
    }
    fields_.back().push_back(c);
  }

  void next_field() {
    ++row_bytes_;
    if (too_long_ || too_many_) return;
    if (fields_.size() >= ctx_.limits.max_fields) {
      too_many_ = true;
      return;
    }
    fields_.emplace_back();
  }

  void on_char(char c) {
    if (c == '\n') ++line_;
    if (row_bytes_ == 0 && state_ == State::kFieldStart && fields_.size() == 1) {
      row_line_ = line_ - (c == '\n' ? 1 : 0);
    }
    ctx_.line = row_line_;
    switch (state_) {
      case State::kFieldStart:
        if (c == '"') {
          state_ = State::kQuoted;
          ++row_bytes_;
          return;
        }
        state_ = State::kUnquoted;
        [[fallthrough]];
      case State::kUnquoted:
        if (c == delimiter_) {
          next_field();
          state_ = State::kFieldStart;
        } else if (c == '\n') {
          end_row();
        } else {
          add(c);  // a stray quote inside an unquoted field is kept as text, like most tools do
        }
        return;
      case State::kQuoted:
        if (c == '"') {
          state_ = State::kQuoteInQuoted;
          ++row_bytes_;
        } else {
          add(c);
        }
        return;
      case State::kQuoteInQuoted:
        if (c == '"') {
          add('"');
          state_ = State::kQuoted;
        } else if (c == delimiter_) {
          next_field();
          state_ = State::kFieldStart;
        } else if (c == '\n') {
          end_row();
        } else if (c != '\r') {
          add(c);  // text after a closing quote: lenient, keep it
          state_ = State::kUnquoted;
        }
        return;
    }
  }

  void end_row() {
    state_ = State::kFieldStart;
    const std::uint64_t at = row_line_;
    bool too_long = too_long_;
    bool too_many = too_many_;
    std::vector<std::string> fields;
    fields.swap(fields_);
    fields_.emplace_back();
    row_bytes_ = 0;
    too_long_ = false;
    too_many_ = false;

    // CRLF: the "\r" ended up at the end of the last unquoted field.
    if (!fields.back().empty() && fields.back().back() == '\r') fields.back().pop_back();
    if (fields.size() == 1 && fields[0].empty() && !too_long) return;  // blank line

    if (too_long) {
      ctx_.bad(
          "E-INPUT-LINE", at,
          "CSV row longer than " + std::to_string(ctx_.limits.max_line_bytes) + " bytes; skipped");
      return;
    }
    if (too_many) {
      ctx_.bad(
          "E-INPUT-CSV", at,
          "CSV row has more than " + std::to_string(ctx_.limits.max_fields) + " columns; skipped");
      return;
    }
    for (const std::string& f : fields) {
      if (!valid_utf8(f)) {
        ctx_.bad("E-INPUT-UTF8", at, "CSV row is not valid UTF-8; skipped");
        return;
      }
    }
    if (!have_header_) {
      header_ = std::move(fields);
      have_header_ = true;
      return;
    }
    if (fields.size() != header_.size()) {
      ctx_.bad("E-INPUT-CSV", at,
               "CSV row has " + std::to_string(fields.size()) + " columns, the header has " +
                   std::to_string(header_.size()) + "; skipped");
      return;
    }
    nlohmann::json data = nlohmann::json::object();
    for (std::size_t i = 0; i < fields.size(); ++i) {
      // A repeated header name keeps its first column: that is the one a reader sees first.
      if (!data.contains(header_[i])) data[header_[i]] = std::move(fields[i]);
    }
    ctx_.emit(std::move(data), at);
  }

  Context& ctx_;
  const char delimiter_;
  State state_ = State::kFieldStart;
  std::vector<std::string> fields_;
  std::vector<std::string> header_;
  bool have_header_ = false;
  std::size_t row_bytes_ = 0;
  bool too_long_ = false;
  bool too_many_ = false;
  std::uint64_t line_ = 1;
  std::uint64_t row_line_ = 1;
};

// Spreadsheets in many locales save "CSV" with ';' (the decimal comma takes ','), and some HR
// tools export tabs. The header row decides: whichever of , ; TAB it holds most often (outside
// quotes) is the delimiter; ',' when it holds none.
char detect_delimiter(std::string_view head) {
  std::size_t counts[3] = {0, 0, 0};
  static constexpr char kCandidates[3] = {',', ';', '\t'};
  bool quoted = false;
  for (char c : head) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\n') break;
    for (int k = 0; k < 3; ++k)
      counts[k] += c == kCandidates[k];
  }
  int best = 0;
  for (int k = 1; k < 3; ++k) {
    if (counts[k] > counts[best]) best = k;
  }
  return kCandidates[best];
}

}  // namespace

void read_csv(ByteStream& stream, Context& ctx) {
  // The first chunk (up to the header row's end, within the row cap) is collected before parsing
  // so that the delimiter can be chosen from the whole header.
  std::string head;
  std::unique_ptr<char[]> buf(new char[kChunkBytes]);
  bool failed = false;
  for (;;) {
    std::size_t got = 0;
    ReadStatus st = stream.read(buf.get(), kChunkBytes, got);
    if (st == ReadStatus::kError) failed = true;
    if (st != ReadStatus::kData) break;
    head.append(buf.get(), got);
    if (head.find('\n') != std::string::npos || head.size() > ctx.limits.max_line_bytes) break;
  }
  // Excel writes a BOM; dropped before parsing so a quoted first header still reads as quoted.
  std::string_view start = head;
  if (start.starts_with("\xef\xbb\xbf")) start.remove_prefix(3);
  CsvParser parser(ctx, detect_delimiter(start));
  parser.feed(start.data(), start.size());
  head.clear();
  head.shrink_to_fit();
  while (!failed) {
    std::size_t got = 0;
    ReadStatus st = stream.read(buf.get(), kChunkBytes, got);
    if (st == ReadStatus::kError) failed = true;
    if (st != ReadStatus::kData) break;
    parser.feed(buf.get(), got);
  }
  parser.finish(failed);
}

}  // namespace vetter::ingest::detail
