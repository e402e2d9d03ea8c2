// Whole JSON documents: a top-level array of records, or a wrapper object such as CloudTrail's
// {"Records":[...]}. The document is scanned byte by byte and each element is parsed on its own,
// so one broken element is one bad record, memory stays bounded by the element cap, and every
// record knows the line it starts on.
#include <array>
#include <memory>

#include "input.h"

namespace vetter::ingest::detail {
namespace {

// Keys whose array value holds the records: CloudTrail ("Records"), Azure diagnostic exports
// ("records"), Microsoft Graph ("value"), Google APIs ("items").
constexpr std::array<std::string_view, 4> kWrapperKeys = {"Records", "records", "value", "items"};

bool is_wrapper_key(std::string_view key) {
  for (std::string_view k : kWrapperKeys) {
    if (k == key) return true;
  }
  return false;
}

bool is_space(char c) {
  // The BOM's bytes count as blanks at top level; they are never valid JSON there anyway.
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\xef' || c == '\xbb' ||
         c == '\xbf';
}

class DocumentScanner {
 public:
  explicit DocumentScanner(Context& ctx) : ctx_(ctx) {}

  void feed(const char* data, std::size_t n) {
    for (std::size_t i = 0; i < n && !stopped_; ++i)
      on_char(data[i]);
  }

  void finish(bool stream_failed) {
    if (stopped_ || stream_failed) return;  // the stream already reported why
    if (depth_ != 0 || in_string_) {
      ctx_.bad("E-INPUT-JSON", capturing_ ? elem_line_ : line_,
               "JSON document ends before its closing bracket (truncated file?)");
    }
  }

 private:
  enum class Top { kNone, kArray, kObject };

  void append(std::string& buf, bool& overflow, char c) {
    if (overflow) return;
    if (buf.size() >= ctx_.limits.max_line_bytes) {
      overflow = true;
      buf.clear();
      buf.shrink_to_fit();
      return;
    }
    buf.push_back(c);
  }

  void on_char(char c) {
    if (c == '\n') ++line_;
    ctx_.line = line_;
    if (top_ == Top::kObject && !wrapper_found_) append(obj_, obj_overflow_, c);

    if (in_string_) {
      if (capturing_) append(elem_, elem_overflow_, c);
      if (escape_) {
        escape_ = false;
      } else if (c == '\\') {
        escape_ = true;
      } else if (c == '"') {
        in_string_ = false;
        capturing_key_ = false;
        return;
      }
      if (capturing_key_ && key_.size() < 256) key_.push_back(c);
      return;
    }

    if (is_space(c)) {
      if (capturing_ && elem_scalar_)
        end_element();
      else if (capturing_)
        append(elem_, elem_overflow_, c);
      return;
    }

    if (depth_ == 0) {
      start_top(c);
      return;
    }

    const bool closer = c == ',' || c == ']' || c == '}';
    if (capturing_ && elem_scalar_ && closer) end_element();
    if (!capturing_ && records_depth_ > 0 && depth_ == records_depth_ && !closer) {
      capturing_ = true;
      elem_scalar_ = c != '{' && c != '[';
      elem_line_ = line_;
      elem_.clear();
      elem_overflow_ = false;
    }
    if (capturing_) append(elem_, elem_overflow_, c);

    const bool object_level = top_ == Top::kObject && depth_ == 1;
    switch (c) {
      case '"':
        in_string_ = true;
        if (object_level && expect_key_) {
          capturing_key_ = true;
          key_.clear();
        }
        break;
      case '{':
      case '[':
        if (object_level && after_colon_ && c == '[' && !wrapper_found_ && is_wrapper_key(key_)) {
          wrapper_found_ = true;
          records_depth_ = 2;
          obj_.clear();
          obj_.shrink_to_fit();
        }
        after_colon_ = false;
        ++depth_;
        break;
      case '}':
      case ']':
        --depth_;
        if (capturing_ && !elem_scalar_ && depth_ == records_depth_) end_element();
        if (records_depth_ > 0 && depth_ < records_depth_) records_depth_ = 0;
        if (depth_ == 0) end_top();
        if (depth_ < 0) {
          ctx_.bad("E-INPUT-JSON", line_, "unbalanced closing bracket; rest of the file skipped");
          stopped_ = true;
        }
        break;
      case ':':
        if (object_level) {
          after_colon_ = true;
          expect_key_ = false;
        }
        break;
      case ',':
        if (object_level) {
          expect_key_ = true;
          after_colon_ = false;
        }
        break;
      default:
        if (object_level) after_colon_ = false;
        break;
    }
  }

  void start_top(char c) {
    if (c == '[') {
      top_ = Top::kArray;
      records_depth_ = 1;
    } else if (c == '{') {
      top_ = Top::kObject;
      wrapper_found_ = false;
      expect_key_ = true;
      after_colon_ = false;
      obj_.assign(1, '{');
      obj_overflow_ = false;
      obj_line_ = line_;
    } else {
      ctx_.bad("E-INPUT-JSON", line_,
               "expected a JSON array or object at top level; rest of the file skipped");
      stopped_ = true;
      return;
    }
    depth_ = 1;
  }

  // A top-level object without a wrapper key is itself one record; several such objects in a row
  // (pretty-printed JSON Lines) therefore read as several records.
  void end_top() {
    if (top_ == Top::kObject && !wrapper_found_) {
      if (obj_overflow_) {
        ctx_.bad(
            "E-INPUT-LINE", obj_line_,
            "record larger than " + std::to_string(ctx_.limits.max_line_bytes) + " bytes; skipped");
      } else {
        emit(obj_, obj_line_);
      }
      obj_.clear();
    }
    top_ = Top::kNone;
    records_depth_ = 0;
  }

  void end_element() {
    capturing_ = false;
    if (elem_overflow_) {
      ctx_.bad(
          "E-INPUT-LINE", elem_line_,
          "record larger than " + std::to_string(ctx_.limits.max_line_bytes) + " bytes; skipped");
      return;
    }
    emit(elem_, elem_line_);
  }

  void emit(const std::string& text, std::uint64_t at) {
    if (!valid_utf8(text)) {
      ctx_.bad("E-INPUT-UTF8", at, "record is not valid UTF-8; skipped");
      return;
    }
    nlohmann::json data;
    if (parse_json_record(text, at, ctx_, data)) ctx_.emit(std::move(data), at);
  }

  Context& ctx_;
  std::uint64_t line_ = 1;
  long depth_ = 0;
  bool in_string_ = false;
  bool escape_ = false;
  bool stopped_ = false;
  Top top_ = Top::kNone;
  long records_depth_ = 0;  // depth of the array whose elements are records; 0 = none open

  // Wrapper detection: keys at depth 1 of a top-level object.
  bool wrapper_found_ = false;
  bool expect_key_ = false;
  bool capturing_key_ = false;
  bool after_colon_ = false;
  std::string key_;
  std::string obj_;  // the whole top-level object until a wrapper key shows up
  bool obj_overflow_ = false;
  std::uint64_t obj_line_ = 0;

  // The element being collected.
  bool capturing_ = false;
  bool elem_scalar_ = false;
  bool elem_overflow_ = false;
  std::string elem_;
  std::uint64_t elem_line_ = 0;
};

}  // namespace

void read_json_document(ByteStream& stream, Context& ctx) {
  DocumentScanner scanner(ctx);
  std::unique_ptr<char[]> buf(new char[kChunkBytes]);
  for (;;) {
    std::size_t got = 0;
    ReadStatus st = stream.read(buf.get(), kChunkBytes, got);
    if (st == ReadStatus::kError) {
      scanner.finish(true);
      return;
    }
    if (st == ReadStatus::kEnd) break;
    scanner.feed(buf.get(), got);
  }
  scanner.finish(false);
}

}  // namespace vetter::ingest::detail
