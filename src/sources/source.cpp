// Source definitions (stub: implemented by the ingest work).
#include "vetter/sources/source.h"

namespace vetter::sources {

class Mapping {};

Source::Source(std::string name, std::string path, ingest::Format format, std::string category,
               std::shared_ptr<const Mapping> mapping)
    : name_(std::move(name)),
      path_(std::move(path)),
      format_(format),
      category_(std::move(category)),
      mapping_(std::move(mapping)) {}

bool Source::map(const ingest::Record&, model::Event&, model::Diagnostics&) const { return false; }

bool Catalog::load_dir(const std::string&, model::Diagnostics&) { return true; }
bool Catalog::load_file(const std::string&, model::Diagnostics&) { return true; }
const Source* Catalog::find(std::string_view name) const {
  auto it = sources_.find(name);
  return it == sources_.end() ? nullptr : it->second.get();
}
std::vector<std::string> Catalog::names() const {
  std::vector<std::string> out;
  for (const auto& [name, _] : sources_) out.push_back(name);
  return out;
}
std::shared_ptr<const Source> Catalog::with_overrides(std::string_view, const FieldOverrides&,
                                                      model::Diagnostics&) const {
  return nullptr;
}

}  // namespace vetter::sources
