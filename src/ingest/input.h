// Private to ingest: the byte streams (plain, gzip, zstd) and the per-read context readers share.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "vetter/ingest/reader.h"

namespace vetter::ingest::detail {

// Everything one read_records call needs; readers keep `line` current so that stream errors
// (a truncated gzip member) can say where in the file they happened.
struct Context {
  std::string_view path;
  const RecordSink& sink;
  model::Diagnostics& diags;
  ReadStats& stats;
  const ReadLimits& limits;
  std::uint64_t line = 0;

  std::string where(std::uint64_t at) const;
  // Reports a bad record and counts it.
  void bad(std::string code, std::uint64_t at, std::string message);
  void emit(nlohmann::json data, std::uint64_t at);
};

enum class ReadStatus { kData, kEnd, kError };

// Decompressed bytes of one input. kError means the stream already reported why and cannot go on.
class ByteStream {
 public:
  virtual ~ByteStream() = default;
  virtual ReadStatus read(char* out, std::size_t cap, std::size_t& got) = 0;
};

// Opens ctx.path ("-" is stdin) and picks the decoder by magic bytes, not by extension, so that
// stdin and misnamed files work too. nullptr (reported) when the file cannot be opened.
std::unique_ptr<ByteStream> open_stream(Context& ctx);

// Pulls lines out of a stream; a line longer than the cap is flagged and never held whole.
class LineReader {
 public:
  LineReader(ByteStream& stream, Context& ctx);
  // kData: `line` holds the next line without its "\n" or "\r\n" (empty when too long);
  // kEnd at a clean end; kError when the stream failed (a partial last line is dropped).
  ReadStatus next(std::string& line, bool& too_long);
  std::uint64_t line_number() const { return line_no_; }

 private:
  bool fill();

  ByteStream& stream_;
  Context& ctx_;
  std::unique_ptr<char[]> buf_;
  std::size_t pos_ = 0;
  std::size_t len_ = 0;
  bool end_ = false;
  bool error_ = false;
  std::uint64_t line_no_ = 0;
};

// True when `text` is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool valid_utf8(std::string_view text);

// Removes a leading UTF-8 byte order mark.
void strip_bom(std::string& text);

constexpr std::size_t kChunkBytes = 64 * 1024;

void read_json_lines(ByteStream& stream, Context& ctx);
void read_json_document(ByteStream& stream, Context& ctx);
void read_csv(ByteStream& stream, Context& ctx);
void read_syslog(ByteStream& stream, Context& ctx);

}  // namespace vetter::ingest::detail

namespace vetter::ingest::detail {
// Parses one JSON record (a line or an array element); reports and returns false when it is
// malformed, too deep or not an object.
bool parse_json_record(std::string_view text, std::uint64_t at, Context& ctx, nlohmann::json& out);

// Removes a syslog <PRI> from the front of `text`; returns it, or -1 when there is none.
int split_pri(std::string_view& text);
// The record read_syslog hands out for one line.
nlohmann::json syslog_object(std::string_view message, int pri);
// for_each_line for read_lines: the same checks and reports, no parsing.
void read_checked_lines(ByteStream& stream, Context& ctx, const LineSink& sink);
}  // namespace vetter::ingest::detail
