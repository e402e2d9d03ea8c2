// CSV with a header row (RFC 4180): quoted fields may hold commas, "" and newlines; the delimiter
// (, ; or TAB) is taken from the header row.
#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "input.h"

namespace vetter::ingest::detail {
namespace {

// The row being read is one string of cell bytes and the offsets where its cells end, reused from
// row to row: a row costs no allocation once they have grown. Plain runs of a cell (unquoted up to
// a delimiter or newline, quoted up to a quote) are copied whole; only the characters that change
// state go one by one.
class CsvParser {
 public:
  CsvParser(Context& ctx, char delimiter) : ctx_(ctx), delimiter_(delimiter) {}

  void feed(const char* data, std::size_t n) {
    const char* p = data;
    const char* const end = data + n;
    while (p < end) {
      if (state_ == State::kUnquoted) {
        const char* q = p;
        while (q < end && *q != delimiter_ && *q != '\n')
          ++q;
        add(p, static_cast<std::size_t>(q - p));  // a stray quote is kept as text, like most tools
        p = q;
        if (p == end) break;
      } else if (state_ == State::kQuoted) {
        const auto* q =
            static_cast<const char*>(std::memchr(p, '"', static_cast<std::size_t>(end - p)));
        if (q == nullptr) q = end;
        line_ += static_cast<std::uint64_t>(std::count(p, q, '\n'));
        add(p, static_cast<std::size_t>(q - p));
        p = q;
        if (p == end) break;
      }
      on_char(*p++);
    }
    ctx_.line = row_line_;
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

  // `n` bytes of the open cell. Past the row cap the row is flagged and its bytes dropped.
  void add(const char* text, std::size_t n) {
    if (n == 0) return;
    row_bytes_ += n;
    if (too_long_) return;
    if (row_bytes_ > ctx_.limits.max_line_bytes) {
      too_long_ = true;
      row_.clear();
      ends_.clear();
      return;
    }
    row_.append(text, n);
  }

  void next_field() {
    ++row_bytes_;
    if (too_long_ || too_many_) return;
    if (ends_.size() + 1 >= ctx_.limits.max_fields) {
      too_many_ = true;
      return;
    }
    ends_.push_back(row_.size());
  }

  // Every character outside a plain run: a quote, a delimiter, a newline, a cell's first one.
  void on_char(char c) {
    if (row_bytes_ == 0 && state_ == State::kFieldStart && ends_.empty()) row_line_ = line_;
    if (c == '\n') ++line_;
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
          add(&c, 1);
        }
        return;
      case State::kQuoted:
        if (c == '"') {
          state_ = State::kQuoteInQuoted;
          ++row_bytes_;
        } else {
          add(&c, 1);
        }
        return;
      case State::kQuoteInQuoted:
        if (c == '"') {
          add(&c, 1);
          state_ = State::kQuoted;
        } else if (c == delimiter_) {
          next_field();
          state_ = State::kFieldStart;
        } else if (c == '\n') {
          end_row();
        } else if (c != '\r') {
          add(&c, 1);  // text after a closing quote: lenient, keep it
          state_ = State::kUnquoted;
        }
        return;
    }
  }

  void end_row() {
    state_ = State::kFieldStart;
    const std::uint64_t at = row_line_;
    const bool too_long = too_long_;
    const bool too_many = too_many_;
    row_bytes_ = 0;
    too_long_ = false;
    too_many_ = false;
    take_row(at, too_long, too_many);
    row_.clear();
    ends_.clear();
  }

  // The header, a row for the sink, a blank line or a bad row (reported).
  void take_row(std::uint64_t at, bool too_long, bool too_many) {
    // CRLF: the "\r" ended up at the end of the last unquoted field.
    if (row_.size() > (ends_.empty() ? 0 : ends_.back()) && row_.back() == '\r') row_.pop_back();
    if (ends_.empty() && row_.empty() && !too_long) return;  // blank line

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
    ends_.push_back(row_.size());
    cells_.clear();
    std::size_t from = 0;
    for (const std::size_t to : ends_) {
      cells_.emplace_back(row_.data() + from, to - from);
      from = to;
    }
    for (const std::string_view cell : cells_) {
      if (!valid_utf8(cell)) {
        ctx_.bad("E-INPUT-UTF8", at, "CSV row is not valid UTF-8; skipped");
        return;
      }
    }
    if (!have_header_) {
      header_.assign(cells_.begin(), cells_.end());
      have_header_ = true;
      return;
    }
    if (cells_.size() != header_.size()) {
      ctx_.bad("E-INPUT-CSV", at,
               "CSV row has " + std::to_string(cells_.size()) + " columns, the header has " +
                   std::to_string(header_.size()) + "; skipped");
      return;
    }
    const CsvRow row{&header_, cells_.data(), cells_.size()};
    ++ctx_.stats.records;
    ctx_.sink(Record{nlohmann::json(), model::Origin{ctx_.path, at}, &row});
  }

  Context& ctx_;
  const char delimiter_;
  State state_ = State::kFieldStart;
  std::string row_;                      // the cells' bytes, one after another
  std::vector<std::size_t> ends_;        // where each closed cell ends in row_
  std::vector<std::string_view> cells_;  // the row's cells, for the sink
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

namespace vetter::ingest {

bool read_csv_header(std::string_view path, std::vector<std::string>& header,
                     model::Diagnostics& diags) {
  header.clear();
  std::string head;
  if (!read_head(path, 1 << 20, head, diags)) return false;
  std::size_t start = head.find_first_not_of("\r\n");
  if (start == std::string::npos) return false;
  const std::string_view text = std::string_view(head).substr(start);
  const char delimiter = detail::detect_delimiter(text);
  std::string cell;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        cell += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == delimiter) {
      header.push_back(std::move(cell));
      cell.clear();
    } else if (c == '\n' || c == '\r') {
      break;
    } else {
      cell += c;
    }
  }
  header.push_back(std::move(cell));
  return true;
}

const std::string_view* CsvRow::find(std::string_view name) const {
  // A repeated header name keeps its first column: that is the one a reader sees first.
  for (std::size_t i = 0; i < size; ++i) {
    if ((*header)[i] == name) return &cells[i];
  }
  return nullptr;
}

nlohmann::json to_json(const Record& record) {
  if (record.csv == nullptr) return record.data;
  const CsvRow& row = *record.csv;
  nlohmann::json data = nlohmann::json::object();
  for (std::size_t i = 0; i < row.size; ++i)
    data.emplace((*row.header)[i], std::string(row.cells[i]));  // emplace keeps the first
  return data;
}

}  // namespace vetter::ingest
