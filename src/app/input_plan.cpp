// Inputs made ready to read (plan_input: files, source, `columns:`, time zone) and, after the read,
// why one yielded nothing. `vetter scan` and `vetter check` plan their inputs alike.
#include <glob.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "vetter/app/scan.h"
#include "vetter/ingest/reader.h"
#include "vetter/sources/source.h"

namespace vetter::app {
namespace fs = std::filesystem;

std::vector<std::string> expand_path(const std::string& path, model::Diagnostics& diags,
                                     const std::string& where) {
  std::vector<std::string> out;
  if (path == "-") return {path};
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    for (const auto& entry : fs::recursive_directory_iterator(path, ec)) {
      if (entry.is_regular_file()) out.push_back(entry.path().string());
    }
  } else if (path.find_first_of("*?[") != std::string::npos) {
    glob_t g{};
    if (::glob(path.c_str(), 0, nullptr, &g) == 0) {
      for (std::size_t i = 0; i < g.gl_pathc; ++i)
        out.emplace_back(g.gl_pathv[i]);
    }
    globfree(&g);
  } else {
    out.push_back(path);
  }
  std::sort(out.begin(), out.end());
  if (out.empty()) diags.warning("W-INPUT-EMPTY", where, "'" + path + "' matches no file");
  return out;
}

namespace {

std::string join(const std::vector<std::string>& items, std::size_t max = 40) {
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < max; ++i)
    out += (out.empty() ? "" : ", ") + items[i];
  if (items.size() > max) out += ", ...";
  return out;
}

// Every column a `columns:` value names: the holes of a template, else the value itself.
std::vector<std::string> named_columns(const std::string& value) {
  if (value.find('{') == std::string::npos) return {value};
  std::vector<std::string> out;
  std::size_t at = 0;
  while ((at = value.find('{', at)) != std::string::npos) {
    if (at + 1 < value.size() && value[at + 1] == '{') {
      at += 2;
      continue;
    }
    const std::size_t close = value.find('}', at + 1);
    if (close == std::string::npos) break;
    out.push_back(value.substr(at + 1, close - at - 1));
    at = close + 1;
  }
  return out;
}

}  // namespace

std::optional<PlannedInput> plan_input(const Config& config, const sources::Catalog& catalog,
                                       const Input& input, model::Diagnostics& diags,
                                       bool* no_files) {
  PlannedInput planned;
  planned.input = &input;
  planned.paths = expand_path(input.path, diags, input.where);
  if (planned.paths.empty()) {
    if (no_files) *no_files = true;
    return std::nullopt;
  }
  std::string name = input.source;
  if (name.empty()) {
    // A bare path: the definitions' `detect:` pick its source, or say why none could.
    const sources::Source* found = catalog.detect(planned.paths.front(), diags);
    if (found == nullptr) return std::nullopt;
    name = found->name();
  }
  const std::string zone = input_time_zone(config, input, name);
  if (!input.columns.empty() || !zone.empty()) {
    // Its complaints (an unknown zone, a column for no field) are about this input: say where
    // the input, the column, or the --timezone flag was given.
    model::CollectingDiagnostics override_diags;
    planned.source =
        catalog.with_overrides(name, input.columns, override_diags, zone, &input.column_key_where);
    const bool zone_from_flag = config.source_timezones.count(name) > 0;
    for (model::Diagnostic d : override_diags.items()) {
      if (d.code == "E-SOURCE-TIMEZONE") {
        const std::string given = zone_from_flag ? "--timezone " + name + "=" + zone : input.where;
        if (!given.empty()) d.where = given + (d.where.empty() ? "" : " (" + d.where + ")");
      } else {
        // Located at the config's columns: entry already when the config gave one.
        bool located = false;
        for (const auto& [key, at] : input.column_key_where)
          located |= d.where == at;
        if (!located && !input.where.empty())
          d.where = input.where + (d.where.empty() ? "" : " (" + d.where + ")");
      }
      diags.report(std::move(d));
    }
    if (!planned.source) return std::nullopt;
  } else if (const auto* found = catalog.find(name)) {
    planned.source = std::shared_ptr<const sources::Source>(std::shared_ptr<void>(), found);
  } else {
    std::vector<std::string> known = catalog.names();
    const std::string hint = sources::closest_name(name, known);
    diags.error("E-INPUT-SOURCE", input.where,
                "unknown source '" + name + "'" +
                    (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
                    "; known: " + join(known));
    return std::nullopt;
  }
  // A CSV export's header says which columns exist: a column named in `columns:` that it lacks
  // is a typo (or the wrong file), and would leave its fields silently empty.
  if (planned.source->format() == ingest::Format::kCsv && planned.paths.front() != "-") {
    model::CollectingDiagnostics header_diags;  // an unreadable file is reported by the read
    ingest::read_csv_header(planned.paths.front(), planned.header, header_diags);
    bool ok = true;
    if (!planned.header.empty()) {
      const std::set<std::string> have(planned.header.begin(), planned.header.end());
      for (const auto& [key, value] : input.columns) {
        for (const std::string& column : named_columns(value)) {
          if (have.count(column)) continue;
          const std::string hint = sources::closest_name(column, planned.header);
          const auto at = input.column_value_where.find(key);
          diags.error("E-INPUT-COLUMN",
                      at != input.column_value_where.end() ? at->second : input.where,
                      "columns: " + key + " names column '" + column + "', which the header of " +
                          planned.paths.front() + " does not have" +
                          (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
                          "; its columns are: " + join(planned.header));
          ok = false;
        }
      }
    }
    if (!ok) return std::nullopt;
  }
  return planned;
}

std::string why_nothing(const PlannedInput& input, const InputYield& got,
                        const sources::Catalog& catalog) {
  const std::string& source = input.source->name();
  const std::string first = input.paths.empty() ? std::string() : input.paths.front();
  if (got.records == 0 && got.bad == 0) {
    return "yielded nothing: no records in " + std::to_string(input.paths.size()) +
           (input.paths.size() == 1 ? " file" : " files") +
           " (empty, or a header row only); check the path, or whether the export ran";
  }
  if (got.events == 0) {
    std::string text = "yielded no events: " + std::to_string(got.records) + " records, " +
                       std::to_string(got.skipped) + " skipped by the '" + source +
                       "' definition, " + std::to_string(got.bad) + " bad";
    if (got.skipped > 0) {
      std::string looks;
      for (const sources::Source* s : catalog.detect_file(first)) {
        if (s->name() == source) {
          looks.clear();
          break;
        }
        looks += (looks.empty() ? "" : ", ") + s->name();
      }
      text += looks.empty()
                  ? "; its patterns or filters fit none of them: is `" + source +
                        "` the right source, and does the log hold the messages it reads?"
                  : "; the file looks like '" + looks + "', not '" + source +
                        "': check the input's `source:` (or give the bare path to auto-detect)";
    } else {
      text += "; see the errors above";
    }
    return text;
  }
  if (input.source->category() == "hr" && got.identified == 0) {
    std::string missing;
    const std::set<std::string> have(input.header.begin(), input.header.end());
    for (const std::string& c : input.source->columns()) {
      if (!input.header.empty() && have.count(c)) continue;
      missing += (missing.empty() ? "" : ", ") + c;
    }
    return "none of its " + std::to_string(got.events) +
           " rows gave a worker an e-mail, an employee id or an alias, so no account will "
           "resolve to HR" +
           (missing.empty()
                ? std::string()
                : "; the columns " + source + " reads that the file lacks: " + missing) +
           (input.header.empty() ? std::string() : "; its header has: " + join(input.header)) +
           "; map them with `columns:` on the input (README \"Inputs\")";
  }
  return {};
}

}  // namespace vetter::app
