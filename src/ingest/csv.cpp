// CSV with a header row (RFC 4180): quoted fields may hold commas, "" and newlines.
#include <memory>
#include <vector>

#include "input.h"

namespace vetter::ingest::detail {
namespace {

class CsvParser {
 public:
  explicit CsvParser(Context& ctx) : ctx_(ctx) { fields_.emplace_back(); }

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
        if (c == ',') {
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
        } else if (c == ',') {
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

}  // namespace

void read_csv(ByteStream& stream, Context& ctx) {
  CsvParser parser(ctx);
  std::unique_ptr<char[]> buf(new char[kChunkBytes]);
  bool first = true;
  for (;;) {
    std::size_t got = 0;
    ReadStatus st = stream.read(buf.get(), kChunkBytes, got);
    if (st == ReadStatus::kError) {
      parser.finish(true);
      return;
    }
    if (st == ReadStatus::kEnd) break;
    std::size_t skip = 0;
    // Excel writes a BOM; dropped before parsing so a quoted first header still reads as quoted.
    if (first && std::string_view(buf.get(), got).starts_with("\xef\xbb\xbf")) skip = 3;
    first = false;
    parser.feed(buf.get() + skip, got - skip);
  }
  parser.finish(false);
}

}  // namespace vetter::ingest::detail
