// Identity resolution: every name a worker's accounts use maps to one canonical account.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "vetter/model/event.h"
#include "vetter/model/field_set.h"
#include "vetter/model/text_table.h"

namespace vetter::identity {

// Lower-cases and trims a raw account name and drops a leading "DOMAIN\".
std::string normalize_alias(std::string_view raw);
// The same into `out` (its capacity is reused: no allocation per call once it has grown).
void normalize_alias(std::string_view raw, std::string& out);

class Directory;

// hr.home_key of an HR record: the declared home as one comparison key. The record's own
// hr.home_key when it sets one (a source may map it), else hr.address_key when present, else the
// lower-cased (ASCII) "country|region|city" of the parts the record has, empty parts kept as empty
// ("us||austin"); nullopt when it has none of them. The country is taken as written: the enricher's
// ISO normalization runs later, per event.
std::optional<std::string> home_key(const model::Event& hr_event);

// hr.person_key of an HR record: the person as one comparison key, so that identity-reuse rules
// count people, not records (a rehired worker has two employee ids and one passport). The
// record's own hr.person_key when set, else the words of hr.full_name, lower-cased and sorted
// ("Kim, Daniel" = "daniel kim"), else "id:" and the employee id; absent without either.
std::optional<std::string> person_key(const model::Event& hr_event);

// hr.locality_key of an HR record: the declared town, "country|region|city" lower-cased as in
// home_key's fallback, whether or not the record has an address (the record's own when set;
// absent when HR gives none of the three). Laptop-farm rules count localities: colleagues in one
// city share networks, workers who claim different states do not.
std::optional<std::string> locality_key(const model::Event& hr_event);

// hr.ship_to_in_home_town of an HR record: whether the normalized ship-to address names the
// declared city (whole words): an office pickup or a temporary address in town, not equipment
// sent across the country. Absent without a ship-to or a city.
std::optional<bool> ship_to_in_home_town(const model::Event& hr_event);

// A worker's HR record as the directory keeps it: only the fields the record set (plus the derived
// keys: home_key(), person_key(), locality_key(), ship_to_in_home_town()), sorted by id
// (a whole model::Event is a slot for every catalogue field, ~2.7 KB before any string, and a
// directory holds one per worker for the whole scan).
class Profile {
 public:
  Profile() = default;
  explicit Profile(const model::Event& hr_event);
  // The field's value; absent (monostate) when the record did not set it.
  const model::Value& get(model::FieldId id) const;
  // The string value of a field, or an empty view when it is absent or not a string.
  std::string_view str(model::FieldId id) const;
  const std::vector<std::pair<model::FieldId, model::Value>>& fields() const { return fields_; }
  // The record's hr.* fields, which every event of the worker reads: the enricher makes them the
  // event's base (model::Event::set_base) rather than copying them into each event.
  const model::FieldSet& hr() const { return hr_; }
  // Sets on `event` every field of the record that `select` marks (select[id], one flag per
  // catalogue field), as fields() holds them.
  void copy_to(model::Event& event, const std::vector<bool>& select) const;

 private:
  std::vector<std::pair<model::FieldId, model::Value>> fields_;
  model::FieldSet hr_;
};

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

  // The latest HR record of `account` (or of any alias of it), carrying its hr.* profile; nullptr
  // when not in HR. Looking up costs no allocation.
  const Profile* profile(std::string_view account) const;

  std::size_t size() const { return profiles_.size(); }
  std::vector<std::string> accounts() const;

 private:
  friend const Profile* resolve(model::Event& event, const Directory& directory);
  // Looks text up without copying it (C++20 heterogeneous lookup).
  struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const {
      return std::hash<std::string_view>{}(text);
    }
  };
  struct Worker {
    std::string account;
    Profile profile;
    std::vector<std::string> keys;  // the aliases it was given, to repoint when profile changes
  };
  // What an alias names, and where that worker's profile block is, so that resolve() can start
  // loading it (the enricher copies it next) without first waiting for the worker.
  struct Alias {
    std::uintptr_t bits = 0;    // the Worker's address, | 1 when the alias is its account itself
    const void* hot = nullptr;  // worker()->profile.hr().data()
    const Worker* worker() const {
      return reinterpret_cast<const Worker*>(bits & ~std::uintptr_t{1});
    }
    // An e-mail sign-in usually is the account: resolving it needs not read the worker.
    bool is_account() const { return bits & 1; }
  };
  // The worker `raw` resolves to, or nullptr; `key` is scratch space for the normalized name.
  const Worker* find_alias(std::string_view raw, std::string& key) const;
  // Adds an alias; an existing one keeps its worker unless `replace`.
  void add_alias(std::string_view key, Worker& worker, bool replace);

  // account -> worker; node-based, so the aliases' pointers stay valid as it grows
  std::unordered_map<std::string, Worker, TextHash, std::equal_to<>> profiles_;
  // normalized alias -> its worker: every event looks a name up here, so the keys sit in the
  // slots (one cache line a lookup) beside their hashes.
  model::TextTable<Alias, 64> aliases_;
  // hr.address_key -> the hr.locality_key of the first worker who declared it (households)
  std::unordered_map<std::string, std::string, TextHash, std::equal_to<>> household_locality_;
};

// Sets user.name (the canonical account, or the normalized raw name when HR does not know it)
// and user.in_hr on an event whose mapper filled user.original (or user.email). Returns the
// account's profile (what Directory::profile(user.name) gives) when HR knows it, else nullptr.
const Profile* resolve(model::Event& event, const Directory& directory);

}  // namespace vetter::identity
