// Identity resolution: every name a worker's accounts use maps to one canonical account.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "vetter/model/event.h"

namespace vetter::identity {

// Lower-cases and trims a raw account name and drops a leading "DOMAIN\".
std::string normalize_alias(std::string_view raw);

// Built from HR events before any other event is judged; read-only (and thread-safe) afterwards.
class Directory {
 public:
  // Registers the worker an HR event describes. The canonical account is the work e-mail
  // (user.email, lower-cased) when there is one, else hr.employee_id (trimmed, case kept). Every
  // value of user.aliases, user.email, user.original and hr.employee_id becomes an alias. A later
  // record of the same worker replaces the profile (a termination after a hire). An alias two
  // workers claim keeps its first owner (a worker's own canonical account is always theirs).
  // Returns the canonical account, or nullopt when the event names no worker at all.
  std::optional<std::string> add_hr(const model::Event& hr_event);

  // Canonical account for a name as some source wrote it; nullopt when no HR alias matches.
  std::optional<std::string> resolve(std::string_view raw) const;

  // The latest HR event of `account` (or of any alias of it), carrying its hr.* profile; nullptr
  // when not in HR.
  const model::Event* profile(std::string_view account) const;

  std::size_t size() const { return profiles_.size(); }
  std::vector<std::string> accounts() const;

 private:
  std::unordered_map<std::string, std::string> aliases_;  // normalized alias -> account
  std::unordered_map<std::string, model::Event> profiles_;
};

// Sets user.name (the canonical account, or the normalized raw name when HR does not know it)
// and user.in_hr on an event whose mapper filled user.original (or user.email).
void resolve(model::Event& event, const Directory& directory);

}  // namespace vetter::identity
