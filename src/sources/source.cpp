// Source: a compiled definition mapping records to events; Catalog lookups and per-input overrides.
// Loading the YAML lives in loader.cpp (with the format reference), auto-detection in detect.cpp.
#include "vetter/sources/source.h"

#include <algorithm>
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

std::shared_ptr<const Source> Catalog::with_overrides(std::string_view name,
                                                      const FieldOverrides& overrides,
                                                      model::Diagnostics& diags,
                                                      std::string_view time_zone) const {
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
  // An override renames a column: every other target that read the old column follows it, so
  // overriding user.email also moves user.original and the user.aliases entry that used it.
  std::vector<std::pair<std::string, std::string>> renames;
  std::set<model::FieldId> explicit_targets;
  bool ok = true;
  for (const auto& [target, column] : overrides) {
    if (target == "@timestamp") {
      for (const Path& p : mapping->time.from)
        renames.emplace_back(p.text, column);
      mapping->time.from = {Path::parse(column)};
      continue;
    }
    std::optional<model::FieldId> id = model::Fields::find(target);
    if (!id || model::Fields::info(*id).type == model::FieldType::kTime) {
      diags.error("E-SOURCE-FIELD", std::string(name) + ": " + target,
                  "override names unknown target field '" + target + "'");
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
      added.target_name = target;
      added.where = "override " + target;
      added.from = {Path::parse(column)};
      mapping->fields.push_back(std::move(added));
      continue;
    }
    if (rule->from.size() == 1 && !rule->constant) renames.emplace_back(rule->from[0].text, column);
    rule->from = {Path::parse(column)};
    rule->constant.reset();
  }
  if (!ok) return nullptr;
  for (FieldRule& rule : mapping->fields) {
    if (explicit_targets.count(rule.target)) continue;
    for (Path& p : rule.from) {
      for (const auto& [old_column, new_column] : renames) {
        if (p.text == old_column) {
          p = Path::parse(new_column);
          break;
        }
      }
    }
  }
  mapping->assign_slots();  // overridden paths may name captures too
  return std::make_shared<Source>(base.name(), base.path(), base.format(), base.category(),
                                  std::move(mapping));
}

}  // namespace vetter::sources
