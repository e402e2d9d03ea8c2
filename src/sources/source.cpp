// Source: a compiled definition mapping records to events; Catalog lookups and per-input overrides.
// Loading the YAML lives in loader.cpp (with the format reference), auto-detection in detect.cpp.
#include "vetter/sources/source.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "mapping.h"
#include "vetter/model/field.h"

namespace vetter::sources {

Source::Source(std::string name, std::string path, ingest::Format format, std::string category,
               std::shared_ptr<const Mapping> mapping)
    : name_(std::move(name)),
      path_(std::move(path)),
      format_(format),
      category_(std::move(category)),
      mapping_(std::move(mapping)) {}

namespace {

// What both mapping paths do once the mapper has spoken: name the source, default the category.
MapResult finish_event(MapOutcome outcome, const std::string& name, const std::string& category,
                       model::Event& out) {
  static const model::FieldId kSource = model::Fields::id("event.source");
  static const model::FieldId kCategory = model::Fields::id("event.category");
  switch (outcome) {
    case MapOutcome::kSkip:
      return MapResult::kSkipped;
    case MapOutcome::kBad:
      return MapResult::kBad;
    case MapOutcome::kEvent:
      break;
  }
  out.set(kSource, name);
  if (model::is_absent(out.get(kCategory))) out.set(kCategory, category);
  return MapResult::kEvent;
}

}  // namespace

namespace {

// The first event of a record that may yield several, for the one-event calls.
template <typename Each>
MapResult first_event(model::Event& out, Each each) {
  model::Event scratch;
  bool have = false;
  const MapCounts counts = each(scratch, [&](model::Event& e) {
    if (!have) std::swap(out, e);
    have = true;
  });
  if (have) return MapResult::kEvent;
  return counts.bad > 0 ? MapResult::kBad : MapResult::kSkipped;
}

// finish_event for each event of a record, before the caller's sink sees it. Two pointers of
// capture, so std::function holds it inline: no allocation per record.
EventSink finishing(const EventSink& sink, const Source& source) {
  return [&sink, &source](model::Event& e) {
    finish_event(MapOutcome::kEvent, source.name(), source.category(), e);
    sink(e);
  };
}

}  // namespace

MapResult Source::map_record(const ingest::Record& record, model::Event& out,
                             model::Diagnostics& diags) const {
  if (!mapping_) return MapResult::kBad;
  if (has_rows()) {
    return first_event(out, [&](model::Event& scratch, const EventSink& sink) {
      return map_each(record, scratch, diags, sink);
    });
  }
  return finish_event(mapping_->apply(record, out, diags), name_, category_, out);
}

MapResult Source::map_raw(const ingest::RawRecord& record, model::Event& out,
                          model::Diagnostics& diags) const {
  if (!mapping_) return MapResult::kBad;
  if (has_rows()) {
    return first_event(out, [&](model::Event& scratch, const EventSink& sink) {
      return map_each_raw(record, scratch, diags, sink);
    });
  }
  return finish_event(mapping_->apply_raw(record, out, diags), name_, category_, out);
}

bool Source::has_rows() const {
  return mapping_ && !mapping_->rows.empty();
}

MapCounts Source::map_each(const ingest::Record& record, model::Event& out,
                           model::Diagnostics& diags, const EventSink& sink) const {
  if (!mapping_) return MapCounts{0, 0, 1};
  return mapping_->apply_each(record, out, diags, finishing(sink, *this));
}

MapCounts Source::map_each_raw(const ingest::RawRecord& record, model::Event& out,
                               model::Diagnostics& diags, const EventSink& sink) const {
  if (!mapping_) return MapCounts{0, 0, 1};
  return mapping_->apply_each_raw(record, out, diags, finishing(sink, *this));
}

bool Source::map(const ingest::Record& record, model::Event& out, model::Diagnostics& diags) const {
  return map_record(record, out, diags) == MapResult::kEvent;
}

const Source* Catalog::find(std::string_view name) const {
  auto it = sources_.find(name);
  return it == sources_.end() ? nullptr : it->second.get();
}

std::vector<std::string> Catalog::names() const {
  std::vector<std::string> out;
  for (const auto& [name, _] : sources_)
    out.push_back(name);
  return out;
}

namespace {

// Every path a mapping reads as a plain key: field paths, template holes, then the timestamp's.
template <typename F>
void for_each_column(const Mapping& m, F f) {
  for (const FieldRule& rule : m.fields) {
    for (const Path& p : rule.from) {
      if (p.is_template()) {
        for (const Path& hole : p.holes)
          f(hole.text, &rule);
      } else {
        f(p.text, &rule);
      }
    }
  }
  for (const Path& p : m.time.from)
    f(p.text, nullptr);
}

std::string fold_name(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '_' || c == '-' || c == ' ' || c == '.') continue;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
      diagonal = up;
    }
  }
  return row[b.size()];
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items)
    out += (out.empty() ? "" : ", ") + item;
  return out;
}

}  // namespace

std::string closest_name(std::string_view name, const std::vector<std::string>& candidates) {
  const std::string folded = fold_name(name);
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, folded.size() / 3) + 1;
  for (const std::string& candidate : candidates) {
    const std::size_t d = edit_distance(folded, fold_name(candidate));
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  return best;
}

std::vector<std::string> Source::columns() const {
  std::vector<std::string> out;
  if (!mapping_) return out;
  std::set<std::string> seen;
  for_each_column(*mapping_, [&](const std::string& column, const FieldRule*) {
    if (seen.insert(column).second) out.push_back(column);
  });
  return out;
}

std::vector<std::string> Source::fields_reading(std::string_view column) const {
  std::vector<std::string> out;
  if (!mapping_) return out;
  for_each_column(*mapping_, [&](const std::string& c, const FieldRule* rule) {
    if (c != column) return;
    const std::string name = rule ? rule->target_name : std::string("@timestamp");
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
  });
  return out;
}

std::vector<std::pair<std::string, std::vector<std::string>>> Source::field_sources() const {
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
  if (!mapping_) return out;
  for (const FieldRule& rule : mapping_->fields) {
    std::vector<std::string> keys;
    for (const Path& p : rule.from) {
      if (p.is_template()) {
        for (const Path& hole : p.holes)
          keys.push_back(hole.text);
      } else {
        keys.push_back(p.text);
      }
    }
    out.emplace_back(rule.target_name, std::move(keys));
  }
  return out;
}

bool Source::needs_hmac_key() const {
  if (!mapping_) return false;
  return std::any_of(mapping_->fields.begin(), mapping_->fields.end(),
                     [](const FieldRule& r) { return r.normalize == Normalize::kDocument; });
}

std::string Source::time_zone() const {
  return mapping_ && !mapping_->time.zone_name.empty() ? mapping_->time.zone_name : "UTC";
}

std::shared_ptr<const Source> Catalog::with_overrides(
    std::string_view name, const FieldOverrides& overrides, model::Diagnostics& diags,
    std::string_view time_zone, const std::map<std::string, std::string>* locations) const {
  auto it = sources_.find(name);
  if (it == sources_.end()) {
    diags.error("E-SOURCE-UNKNOWN", std::string(name),
                "no source definition named '" + std::string(name) + "'");
    return nullptr;
  }
  const Source& base = *it->second;
  auto mapping = std::make_shared<Mapping>(*base.mapping_);
  if (!time_zone.empty()) {
    std::string why;
    if (!set_time_zone(mapping->time, std::string(time_zone), why)) {
      diags.error("E-SOURCE-TIMEZONE", std::string(name), why);
      return nullptr;
    }
  }
  const std::string source_name(name);
  const auto where = [&](const std::string& key) {
    if (locations) {
      const auto found = locations->find(key);
      if (found != locations->end()) return found->second;
    }
    return source_name + ": " + key;
  };
  const std::vector<std::string> columns = base.columns();
  const std::set<std::string> column_set(columns.begin(), columns.end());
  // An override renames a column: every other target that read the old column follows it, so
  // overriding user.email also moves user.original and the user.aliases entry that used it, and
  // a column key (network_id) moves every field that reads it.
  std::vector<std::pair<std::string, Path>> renames;
  std::set<model::FieldId> explicit_targets;
  bool explicit_timestamp = false;
  bool ok = true;
  for (const auto& [key, column] : overrides) {
    Path to;
    if (Path::looks_like_template(column)) {
      std::string why;
      auto parsed = Path::parse_template(column, why);
      if (!parsed) {
        diags.error("E-SOURCE-COLUMN", where(key),
                    "columns: '" + column + "' is not a column template: " + why +
                        " (e.g. '{Home_Address_Line_1}, {Home_City}')");
        ok = false;
        continue;
      }
      to = std::move(*parsed);
    } else {
      to = Path::parse(column);
    }
    if (key == "@timestamp") {
      if (to.is_template()) {
        diags.error("E-SOURCE-COLUMN", where(key),
                    "the timestamp is read from one column, not a template");
        ok = false;
        continue;
      }
      for (const Path& p : mapping->time.from)
        renames.emplace_back(p.text, to);
      mapping->time.from = {to};
      explicit_timestamp = true;
      continue;
    }
    if (column_set.count(key)) {
      // One of the definition's own columns: wherever it is read, read the export's instead.
      renames.emplace_back(key, std::move(to));
      continue;
    }
    std::optional<model::FieldId> id = model::Fields::find(key);
    if (!id || model::Fields::info(*id).type == model::FieldType::kTime) {
      std::vector<std::string> candidates = columns;
      for (const auto& info : model::Fields::all())
        candidates.emplace_back(info.name);
      const std::string hint = closest_name(key, candidates);
      // A dotted key was meant as a field (the code older configs' tools know); a plain one as
      // a column.
      diags.error(
          key.find('.') != std::string::npos ? "E-SOURCE-FIELD" : "E-SOURCE-COLUMN", where(key),
          "columns: '" + key + "' is neither a column " + source_name + " reads nor a field" +
              (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
              "; the columns are: " + join(columns) + "; fields are listed by `vetter fields`");
      ok = false;
      continue;
    }
    explicit_targets.insert(*id);
    auto rule = std::find_if(mapping->fields.begin(), mapping->fields.end(),
                             [&](const FieldRule& r) { return r.target == *id; });
    if (rule == mapping->fields.end()) {
      FieldRule added;
      added.target = *id;
      added.type = model::Fields::info(*id).type;
      added.target_name = key;
      added.where = "override " + key;
      added.from = {std::move(to)};
      mapping->fields.push_back(std::move(added));
      continue;
    }
    if (rule->from.size() == 1 && !rule->from[0].is_template() && !rule->constant)
      renames.emplace_back(rule->from[0].text, to);
    rule->from = {std::move(to)};
    rule->constant.reset();
  }
  if (!ok) return nullptr;
  const auto rename = [&](Path& p) {
    for (const auto& [old_column, new_column] : renames) {
      if (p.text == old_column) {
        p = new_column;
        return true;
      }
    }
    return false;
  };
  for (FieldRule& rule : mapping->fields) {
    if (explicit_targets.count(rule.target)) continue;
    for (Path& p : rule.from) {
      if (p.is_template()) {
        for (Path& hole : p.holes) {
          Path before = hole;
          // A hole renamed to a template would nest templates: keep the hole a column.
          if (rename(hole) && hole.is_template()) hole = std::move(before);
        }
      } else {
        rename(p);
      }
    }
  }
  for (Path& p : mapping->time.from) {
    if (explicit_timestamp) break;
    const std::string old_column = p.text;
    if (rename(p) && p.is_template()) {
      diags.error("E-SOURCE-COLUMN", where(old_column),
                  "'" + old_column +
                      "' is also the timestamp, which is read from one column, "
                      "not a template");
      return nullptr;
    }
  }
  mapping->assign_slots();  // overridden paths may name captures too
  return std::make_shared<Source>(base.name(), base.path(), base.format(), base.category(),
                                  std::move(mapping));
}

}  // namespace vetter::sources
