// The line path: read_lines (checked lines, no parsing) and RecordParser (one line -> RawRecord,
// with simdjson's DOM instead of an nlohmann tree).
#include <simdjson.h>

#include "input.h"

namespace vetter::ingest {

bool has_line_path(Format format) {
  return format == Format::kJsonLines || format == Format::kSyslog;
}

bool read_lines(std::string_view path, Format format, const LineSink& sink,
                model::Diagnostics& diags, ReadStats& stats, const ReadLimits& limits) {
  const RecordSink none = [](Record&&) {};
  detail::Context ctx{path, none, diags, stats, limits};
  std::unique_ptr<detail::ByteStream> stream = detail::open_stream(ctx);
  if (!stream) return false;
  (void)format;  // both line formats share the line checks; parsing is RecordParser's
  detail::read_checked_lines(*stream, ctx, sink);
  return true;
}

bool read_head(std::string_view path, std::size_t max_bytes, std::string& out,
               model::Diagnostics& diags) {
  out.clear();
  if (path == "-") {
    diags.error("E-INPUT-OPEN", "-", "standard input cannot be peeked at to detect its source");
    return false;
  }
  const RecordSink none = [](Record&&) {};
  ReadStats stats;
  const ReadLimits limits;
  // Stream errors here are the read's to report, once; only "cannot open" is ours.
  model::CollectingDiagnostics quiet;
  detail::Context ctx{path, none, quiet, stats, limits};
  std::unique_ptr<detail::ByteStream> stream = detail::open_stream(ctx);
  if (!stream) {
    for (auto d : quiet.items())
      diags.report(std::move(d));
    return false;
  }
  out.resize(max_bytes);
  std::size_t have = 0;
  while (have < max_bytes) {
    std::size_t got = 0;
    const detail::ReadStatus status = stream->read(out.data() + have, max_bytes - have, got);
    have += got;
    if (status != detail::ReadStatus::kData) break;
    if (got == 0) break;
  }
  out.resize(have);
  detail::strip_bom(out);
  return true;
}

struct RecordParser::Impl {
  ReadLimits limits;
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  nlohmann::json tree;
  bool allocated = false;
};

RecordParser::RecordParser(const ReadLimits& limits) : impl_(std::make_unique<Impl>()) {
  impl_->limits = limits;
}

RecordParser::~RecordParser() = default;

bool RecordParser::parse(Format format, std::string_view text, model::Origin origin,
                         model::Diagnostics& diags, RawRecord& out) {
  out = RawRecord{};
  out.format = format;
  out.origin = origin;
  if (format == Format::kSyslog) {
    out.pri = detail::split_pri(text);
    out.text = text;
    return true;
  }
  Impl& im = *impl_;
  if (!im.allocated) {
    // simdjson counts the document itself as one level more than depth_within does, so +1 makes
    // both accept exactly the same nesting. Lines are capped, so the capacity is never exceeded.
    if (im.parser.allocate(im.limits.max_line_bytes + 1,
                           static_cast<std::size_t>(im.limits.max_depth) + 1)) {
      diags.error("E-INPUT-READ", std::string(origin.file), "cannot allocate the JSON parser");
      return false;
    }
    im.allocated = true;
  }
  out.text = text;
  // realloc_if_needed: the line is not padded (it views the reader's buffer), so simdjson copies
  // it into its own padded buffer; that copy is cheap next to parsing.
  if (!im.parser.parse(text.data(), text.size(), true).get(im.doc) && im.doc.is_object()) {
    out.json = &im.doc;
    return true;
  }
  // Anything simdjson refuses or that is not an object goes through the reader's own checks, so
  // the report (code, message, depth cap) is exactly read_records'; a record simdjson cannot hold
  // but nlohmann can (an integer beyond 64 bits) is still a record.
  ReadStats stats;
  const RecordSink none = [](Record&&) {};
  detail::Context ctx{origin.file, none, diags, stats, im.limits};
  if (!detail::parse_json_record(text, origin.line, ctx, im.tree)) return false;
  out.tree = &im.tree;
  return true;
}

nlohmann::json to_json(const RawRecord& raw) {
  if (raw.format == Format::kSyslog) return detail::syslog_object(raw.text, raw.pri);
  if (raw.tree != nullptr) return *raw.tree;
  nlohmann::json data = nlohmann::json::parse(raw.text, nullptr, false);
  return data.is_discarded() ? nlohmann::json::object() : data;
}

}  // namespace vetter::ingest
