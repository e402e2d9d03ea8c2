// Byte streams for plain, gzip and zstd input, and the capped line splitter the line formats share.
#include <zlib.h>
#include <zstd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "input.h"

namespace vetter::ingest::detail {
namespace {

// A FILE* (or stdin) with a few bytes already read for the magic check handed back first.
class RawFile final : public ByteStream {
 public:
  RawFile(std::FILE* file, bool owned, Context& ctx) : file_(file), owned_(owned), ctx_(ctx) {}
  ~RawFile() override {
    if (owned_ && file_ != nullptr) std::fclose(file_);
  }
  RawFile(const RawFile&) = delete;
  RawFile& operator=(const RawFile&) = delete;

  // Reads the first bytes so open_stream can look at them; they are served again by read().
  std::string_view peek(std::size_t n) {
    while (prefix_.size() < n) {
      char buf[16];
      std::size_t got = std::fread(buf, 1, n - prefix_.size(), file_);
      if (got == 0) break;
      prefix_.append(buf, got);
    }
    return prefix_;
  }

  ReadStatus read(char* out, std::size_t cap, std::size_t& got) override {
    got = 0;
    if (prefix_pos_ < prefix_.size()) {
      got = std::min(cap, prefix_.size() - prefix_pos_);
      std::memcpy(out, prefix_.data() + prefix_pos_, got);
      prefix_pos_ += got;
      ctx_.stats.bytes += got;
      return ReadStatus::kData;
    }
    got = std::fread(out, 1, cap, file_);
    ctx_.stats.bytes += got;
    if (got > 0) return ReadStatus::kData;
    if (std::ferror(file_)) {
      ctx_.diags.error("E-INPUT-READ", ctx_.where(ctx_.line),
                       std::string("read failed: ") + std::strerror(errno));
      ++ctx_.stats.bad;
      return ReadStatus::kError;
    }
    return ReadStatus::kEnd;
  }

 private:
  std::FILE* file_;
  bool owned_;
  Context& ctx_;
  std::string prefix_;
  std::size_t prefix_pos_ = 0;
};

class GzipStream final : public ByteStream {
 public:
  GzipStream(std::unique_ptr<RawFile> raw, Context& ctx)
      : raw_(std::move(raw)), ctx_(ctx), in_(new char[kChunkBytes]) {
    // 15 + 16: gzip wrapper only; a zlib or raw deflate stream is not a .gz file.
    ok_ = inflateInit2(&strm_, 15 + 16) == Z_OK;
  }
  ~GzipStream() override { inflateEnd(&strm_); }
  GzipStream(const GzipStream&) = delete;
  GzipStream& operator=(const GzipStream&) = delete;

  ReadStatus read(char* out, std::size_t cap, std::size_t& got) override {
    got = 0;
    if (!ok_) return fail("cannot initialise zlib");
    if (done_) return ReadStatus::kEnd;
    strm_.next_out = reinterpret_cast<Bytef*>(out);
    strm_.avail_out = static_cast<uInt>(cap);
    while (strm_.avail_out == cap && !done_) {
      if (strm_.avail_in == 0) {
        std::size_t n = 0;
        ReadStatus st = raw_->read(in_.get(), kChunkBytes, n);
        if (st == ReadStatus::kError) return ReadStatus::kError;
        if (st == ReadStatus::kEnd) {
          if (member_done_) {
            done_ = true;
            break;
          }
          return fail("truncated gzip stream (the file ends inside compressed data)");
        }
        strm_.next_in = reinterpret_cast<Bytef*>(in_.get());
        strm_.avail_in = static_cast<uInt>(n);
      }
      if (member_done_) {
        // Concatenated members are one file (what `cat a.gz b.gz` makes); anything else after the
        // last member is padding that gzip(1) also ignores.
        if (strm_.next_in[0] != 0x1f) {
          done_ = true;
          break;
        }
        inflateReset(&strm_);
        member_done_ = false;
      }
      int rc = inflate(&strm_, Z_NO_FLUSH);
      if (rc == Z_STREAM_END) {
        member_done_ = true;
      } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
        return fail(std::string("corrupt gzip data: ") +
                    (strm_.msg ? strm_.msg : "inflate failed"));
      }
    }
    got = cap - strm_.avail_out;
    return got > 0 ? ReadStatus::kData : ReadStatus::kEnd;
  }

 private:
  ReadStatus fail(std::string message) {
    ctx_.bad("E-INPUT-GZIP", ctx_.line, std::move(message));
    done_ = true;
    return ReadStatus::kError;
  }

  std::unique_ptr<RawFile> raw_;
  Context& ctx_;
  std::unique_ptr<char[]> in_;
  z_stream strm_{};
  bool ok_ = false;
  bool member_done_ = false;
  bool done_ = false;
};

class ZstdStream final : public ByteStream {
 public:
  ZstdStream(std::unique_ptr<RawFile> raw, Context& ctx)
      : raw_(std::move(raw)),
        ctx_(ctx),
        in_(new char[kChunkBytes]),
        dstream_(ZSTD_createDStream()) {
    if (dstream_ != nullptr) ZSTD_initDStream(dstream_);
  }
  ~ZstdStream() override { ZSTD_freeDStream(dstream_); }
  ZstdStream(const ZstdStream&) = delete;
  ZstdStream& operator=(const ZstdStream&) = delete;

  ReadStatus read(char* out, std::size_t cap, std::size_t& got) override {
    got = 0;
    if (dstream_ == nullptr) return fail("cannot initialise zstd");
    if (done_) return ReadStatus::kEnd;
    ZSTD_outBuffer output{out, cap, 0};
    while (output.pos == 0 && !done_) {
      if (input_.pos == input_.size) {
        std::size_t n = 0;
        ReadStatus st = raw_->read(in_.get(), kChunkBytes, n);
        if (st == ReadStatus::kError) return ReadStatus::kError;
        if (st == ReadStatus::kEnd) {
          // 0 means the last frame was complete; anything else means bytes are missing.
          if (pending_ == 0) {
            done_ = true;
            break;
          }
          return fail("truncated zstd stream (the file ends inside a frame)");
        }
        input_ = ZSTD_inBuffer{in_.get(), n, 0};
      }
      std::size_t rc = ZSTD_decompressStream(dstream_, &output, &input_);
      if (ZSTD_isError(rc)) return fail(std::string("corrupt zstd data: ") + ZSTD_getErrorName(rc));
      pending_ = rc;
    }
    got = output.pos;
    return got > 0 ? ReadStatus::kData : ReadStatus::kEnd;
  }

 private:
  ReadStatus fail(std::string message) {
    ctx_.bad("E-INPUT-ZSTD", ctx_.line, std::move(message));
    done_ = true;
    return ReadStatus::kError;
  }

  std::unique_ptr<RawFile> raw_;
  Context& ctx_;
  std::unique_ptr<char[]> in_;
  ZSTD_DStream* dstream_;
  ZSTD_inBuffer input_{nullptr, 0, 0};
  std::size_t pending_ = 0;
  bool done_ = false;
};

}  // namespace

std::string Context::where(std::uint64_t at) const {
  std::string out(path);
  if (at > 0) out += ":" + std::to_string(at);
  return out;
}

void Context::bad(std::string code, std::uint64_t at, std::string message) {
  ++stats.bad;
  diags.error(std::move(code), where(at), std::move(message));
}

void Context::emit(nlohmann::json data, std::uint64_t at) {
  ++stats.records;
  sink(Record{std::move(data), model::Origin{path, at}});
}

std::unique_ptr<ByteStream> open_stream(Context& ctx) {
  std::FILE* file = nullptr;
  bool owned = false;
  if (ctx.path == "-") {
    file = stdin;
  } else {
    std::string name(ctx.path);
    std::error_code ec;
    if (std::filesystem::is_directory(name, ec)) {
      // fopen() accepts a directory and only the first read fails; say what is wrong up front.
      ctx.diags.error("E-INPUT-OPEN", name, "is a directory, not a file");
      return nullptr;
    }
    file = std::fopen(name.c_str(), "rb");
    owned = true;
    if (file == nullptr) {
      ctx.diags.error("E-INPUT-OPEN", std::string(ctx.path),
                      std::string("cannot open: ") + std::strerror(errno));
      return nullptr;
    }
  }
  auto raw = std::make_unique<RawFile>(file, owned, ctx);
  std::string_view magic = raw->peek(4);
  if (magic.size() >= 2 && magic[0] == '\x1f' && magic[1] == '\x8b') {
    return std::make_unique<GzipStream>(std::move(raw), ctx);
  }
  if (magic == std::string_view("\x28\xb5\x2f\xfd", 4)) {
    return std::make_unique<ZstdStream>(std::move(raw), ctx);
  }
  return raw;
}

LineReader::LineReader(ByteStream& stream, Context& ctx)
    : stream_(stream), ctx_(ctx), buf_(new char[kChunkBytes]) {}

bool LineReader::fill() {
  if (end_ || error_) return false;
  std::size_t got = 0;
  ReadStatus st = stream_.read(buf_.get(), kChunkBytes, got);
  if (st == ReadStatus::kError) {
    error_ = true;
    return false;
  }
  if (st == ReadStatus::kEnd || got == 0) {
    end_ = true;
    return false;
  }
  pos_ = 0;
  len_ = got;
  return true;
}

ReadStatus LineReader::next(std::string& line, bool& too_long) {
  line.clear();
  too_long = false;
  bool any = false;
  const std::size_t cap = ctx_.limits.max_line_bytes;
  for (;;) {
    if (pos_ == len_ && !fill()) {
      if (error_) return ReadStatus::kError;
      if (!any) return ReadStatus::kEnd;
      break;  // last line without a newline
    }
    any = true;
    const char* start = buf_.get() + pos_;
    const void* nl = std::memchr(start, '\n', len_ - pos_);
    std::size_t seg =
        nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - start) : len_ - pos_;
    if (!too_long) {
      // +1 leaves room for the "\r" of a CRLF line that is exactly at the cap.
      if (line.size() + seg > cap + 1) {
        too_long = true;
        line.clear();
        line.shrink_to_fit();
      } else {
        line.append(start, seg);
      }
    }
    pos_ += seg;
    if (nl) {
      ++pos_;
      break;
    }
  }
  ++line_no_;
  ctx_.line = line_no_;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.size() > cap) {
    too_long = true;
    line.clear();
  }
  return ReadStatus::kData;
}

bool valid_utf8(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    // Logs are nearly all ASCII: skip eight ASCII bytes at a time (the hot path of every line).
    while (i + 8 <= n) {
      std::uint64_t word;
      std::memcpy(&word, s + i, 8);
      if ((word & 0x8080808080808080ULL) != 0) break;
      i += 8;
    }
    if (i >= n) break;
    unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    std::uint32_t cp;
    if (c >= 0xc2 && c <= 0xdf) {
      len = 2;
      cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
      len = 3;
      cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (std::size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (s[i + k] & 0x3f);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff))) return false;
    if (cp >= 0xd800 && cp <= 0xdfff) return false;
    i += len;
  }
  return true;
}

void strip_bom(std::string& text) {
  if (text.size() >= 3 && text.compare(0, 3, "\xef\xbb\xbf") == 0) text.erase(0, 3);
}

}  // namespace vetter::ingest::detail
