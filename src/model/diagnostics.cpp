// Diagnostic formatting and the collecting sinks.
#include "vetter/model/diagnostics.h"

#include <algorithm>

namespace vetter::model {

std::string format(const Diagnostic& d) {
  std::string out;
  if (!d.where.empty()) out += d.where + ": ";
  switch (d.severity) {
    case Severity::kInfo:
      out += "info";
      break;
    case Severity::kWarning:
      out += "warning";
      break;
    case Severity::kError:
      out += "error";
      break;
  }
  if (!d.code.empty()) out += "[" + d.code + "]";
  out += ": " + d.message;
  return out;
}

void CollectingDiagnostics::report(Diagnostic d) {
  std::lock_guard lock(mutex_);
  items_.push_back(std::move(d));
}

std::vector<Diagnostic> CollectingDiagnostics::items() const {
  std::lock_guard lock(mutex_);
  return items_;
}

std::size_t CollectingDiagnostics::count(Severity s) const {
  std::lock_guard lock(mutex_);
  return static_cast<std::size_t>(std::count_if(
      items_.begin(), items_.end(), [s](const Diagnostic& d) { return d.severity == s; }));
}

bool CollectingDiagnostics::has_code(const std::string& code) const {
  std::lock_guard lock(mutex_);
  return std::any_of(items_.begin(), items_.end(),
                     [&](const Diagnostic& d) { return d.code == code; });
}

void CountingDiagnostics::report(Diagnostic d) {
  if (d.severity == Severity::kError) ++errors_;
  next_.report(std::move(d));
}

}  // namespace vetter::model
