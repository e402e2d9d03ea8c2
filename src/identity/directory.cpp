// Identity resolution: the alias table built from HR records, and resolving events against it.
#include "vetter/identity/directory.h"

#include <algorithm>
#include <cctype>
#include <cstring>

#include "vetter/model/field.h"
#include "vetter/model/text.h"

namespace vetter::identity {
namespace {

struct Ids {
  model::FieldId email = model::Fields::id("user.email");
  model::FieldId original = model::Fields::id("user.original");
  model::FieldId aliases = model::Fields::id("user.aliases");
  model::FieldId employee_id = model::Fields::id("hr.employee_id");
  model::FieldId name = model::Fields::id("user.name");
  model::FieldId in_hr = model::Fields::id("user.in_hr");
  model::FieldId address_key = model::Fields::id("hr.address_key");
  model::FieldId country = model::Fields::id("hr.country");
  model::FieldId region = model::Fields::id("hr.region");
  model::FieldId city = model::Fields::id("hr.city");
  model::FieldId home_key = model::Fields::id("hr.home_key");
  model::FieldId full_name = model::Fields::id("hr.full_name");
  model::FieldId person_key = model::Fields::id("hr.person_key");
  model::FieldId locality_key = model::Fields::id("hr.locality_key");
  model::FieldId ship_to_key = model::Fields::id("hr.ship_to_key");
  model::FieldId ship_to_in_town = model::Fields::id("hr.ship_to_in_home_town");
};

const Ids& ids() {
  static const Ids kIds;
  return kIds;
}

std::string trim(std::string_view raw) {
  return std::string(model::trim(raw));
}

// Per-thread scratch for the normalized names of resolve(): the directory is shared read-only
// between threads, so the buffer cannot live in it.
std::string& scratch() {
  thread_local std::string buffer;
  return buffer;
}

const model::Value kAbsent;

}  // namespace

void normalize_alias(std::string_view raw, std::string& out) {
  // Windows writes "CORP\jane.doe" (down-level logon name); the domain names the directory, not
  // the person, so it is dropped. UPNs and e-mails keep their domain: it tells workers apart.
  std::size_t slash = raw.find('\\');
  if (slash != std::string_view::npos) raw.remove_prefix(slash + 1);
  raw = model::trim(raw);
  out.resize(raw.size());
  // ASCII only, as std::tolower in the "C" locale, without a library call per character.
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const char c = raw[i];
    out[i] = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  }
}

std::string normalize_alias(std::string_view raw) {
  std::string out;
  normalize_alias(raw, out);
  return out;
}

namespace {

// Which catalogue fields are hr.* (the part of a profile events read through their base).
const std::vector<bool>& hr_fields() {
  static const std::vector<bool> kHr = [] {
    std::vector<bool> hr(model::Fields::count());
    for (std::size_t i = 0; i < hr.size(); ++i)
      hr[i] = model::Fields::info(static_cast<model::FieldId>(i)).name.starts_with("hr.");
    return hr;
  }();
  return kHr;
}

}  // namespace

std::optional<std::string> home_key(const model::Event& hr_event) {
  const Ids& id = ids();
  if (const std::string_view given = model::trim(hr_event.str(id.home_key)); !given.empty())
    return std::string(given);
  if (const std::string_view address = model::trim(hr_event.str(id.address_key));
      !address.empty()) {
    return std::string(address);
  }
  return locality_key(hr_event);
}

std::optional<std::string> locality_key(const model::Event& hr_event) {
  const Ids& id = ids();
  if (const std::string_view given = model::trim(hr_event.str(id.locality_key)); !given.empty())
    return std::string(given);
  std::string key;
  bool any = false;
  for (const model::FieldId part : {id.country, id.region, id.city}) {
    const std::string_view text = model::trim(hr_event.str(part));
    if (part != id.country) key += '|';
    any |= !text.empty();
    for (const char c : text)
      key += c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  }
  if (!any) return std::nullopt;
  return key;
}

std::optional<bool> ship_to_in_home_town(const model::Event& hr_event) {
  const Ids& id = ids();
  const std::string_view ship = model::trim(hr_event.str(id.ship_to_key));
  // The town as the address key writes it: lower-case words, one space apart.
  std::string town;
  bool space = false;
  for (const char c : hr_event.str(id.city)) {
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || static_cast<unsigned char>(c) >= 0x80;
    if (!letter) {
      space = !town.empty();
      continue;
    }
    if (space) town += ' ';
    space = false;
    town += c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  }
  if (ship.empty() || town.empty()) return std::nullopt;
  // A whole-word match of the town anywhere after the street part of the key.
  const std::string padded = " " + std::string(ship) + " ";
  return padded.find(" " + town + " ") != std::string::npos;
}

std::optional<std::string> person_key(const model::Event& hr_event) {
  const Ids& id = ids();
  if (const std::string_view given = model::trim(hr_event.str(id.person_key)); !given.empty())
    return std::string(given);
  // Words of the name, lower-case ASCII letters and digits (other bytes kept as they are),
  // sorted: "Kim, Daniel" and "daniel  kim" are one person.
  std::vector<std::string> words(1);
  for (const char c : hr_event.str(id.full_name)) {
    if (c == ' ' || c == ',' || c == '.' || c == '-' || c == '\t' || c == '\'' || c == '"' ||
        c == '(' || c == ')') {
      if (!words.back().empty()) words.emplace_back();
      continue;
    }
    words.back() += c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  }
  if (words.back().empty()) words.pop_back();
  if (words.empty()) {
    const std::string_view employee = model::trim(hr_event.str(id.employee_id));
    if (employee.empty()) return std::nullopt;
    return "id:" + std::string(employee);
  }
  std::sort(words.begin(), words.end());
  std::string key;
  for (const auto& w : words) {
    if (!key.empty()) key += ' ';
    key += w;
  }
  return key;
}

Profile::Profile(const model::Event& hr_event) {
  const std::vector<bool>& is_hr = hr_fields();
  std::size_t set = 0, hr = 0;
  hr_event.for_each([&](model::FieldId id, const model::Value&) {
    ++set;
    hr += is_hr[id];
  });
  fields_.reserve(set);
  hr_.reserve(hr);
  // In id order: each hr.* field goes at the end of the set, so building it moves nothing.
  hr_event.for_each([&](model::FieldId id, const model::Value& v) {
    fields_.emplace_back(id, v);
    if (is_hr[id]) hr_.set(id, v);
  });
  // hr.home_key, hr.person_key, hr.locality_key and hr.ship_to_in_home_town, derived here so that
  // every event carrying the profile has them. A record (or a source) that sets one itself keeps
  // its own.
  const auto derive = [&](model::FieldId key_id, auto key) {
    if (hr_event.has(key_id) || !key) return;
    const auto at =
        std::lower_bound(fields_.begin(), fields_.end(), key_id,
                         [](const auto& field, model::FieldId k) { return field.first < k; });
    fields_.emplace(at, key_id, model::Value(*key));
    hr_.set(key_id, model::Value(std::move(*key)));
  };
  derive(ids().home_key, home_key(hr_event));
  derive(ids().person_key, person_key(hr_event));
  derive(ids().locality_key, locality_key(hr_event));
  derive(ids().ship_to_in_town, ship_to_in_home_town(hr_event));
}

void Profile::copy_to(model::Event& event, const std::vector<bool>& select) const {
  for (const auto& [id, value] : fields_) {
    if (select[id]) event.set(id, value);
  }
}

const model::Value& Profile::get(model::FieldId id) const {
  auto it =
      std::lower_bound(fields_.begin(), fields_.end(), id,
                       [](const auto& field, model::FieldId key) { return field.first < key; });
  return it != fields_.end() && it->first == id ? it->second : kAbsent;
}

std::string_view Profile::str(model::FieldId id) const {
  if (const auto* s = std::get_if<std::string>(&get(id))) return *s;
  return {};
}

std::optional<std::string> Directory::add_hr(const model::Event& hr_event) {
  const Ids& id = ids();
  // E-mail addresses are case-insensitive in practice, so the canonical one is lower-case; an
  // employee id is kept as HR writes it ("E1001" in a report, not "e1001").
  std::string account = normalize_alias(hr_event.str(id.email));
  if (account.empty()) account = trim(hr_event.str(id.employee_id));
  if (account.empty()) return std::nullopt;

  std::vector<std::string> names;
  if (const auto* list = std::get_if<std::vector<std::string>>(&hr_event.get(id.aliases))) {
    names = *list;
  }
  names.emplace_back(hr_event.str(id.email));
  names.emplace_back(hr_event.str(id.original));
  names.emplace_back(hr_event.str(id.employee_id));
  // A later record of the same worker replaces the profile in place (aliases point at it).
  Worker& worker = profiles_[account];
  worker.account = account;
  // One household, one town: a worker at an address an earlier worker declared takes that
  // worker's hr.locality_key, so that two spellings of one town (Denver and Boulder on one
  // street address) do not look like two homes to the laptop-farm rule.
  const std::string address = trim(hr_event.str(id.address_key));
  const auto household = address.empty() || hr_event.has(id.locality_key)
                             ? household_locality_.end()
                             : household_locality_.find(address);
  if (household != household_locality_.end()) {
    model::Event shared = hr_event;
    shared.set(id.locality_key, household->second);
    worker.profile = Profile(shared);
  } else {
    worker.profile = Profile(hr_event);
    if (!address.empty()) {
      if (std::optional<std::string> town = locality_key(hr_event))
        household_locality_.emplace(address, std::move(*town));
    }
  }
  // Its aliases keep the worker but must see the new profile block.
  for (const std::string& key : worker.keys) {
    if (Alias* alias = aliases_.find_mutable(key, aliases_.hash(key));
        alias && alias->worker() == &worker) {
      alias->hot = worker.profile.hr().data();
    }
  }
  for (const std::string& raw : names) {
    std::string alias = normalize_alias(raw);
    if (alias.empty()) continue;
    // First claim wins: two workers listing one network id is a data problem for a human to see,
    // and silently moving the alias to whoever came later would hide it.
    add_alias(alias, worker, false);
  }
  // A worker's own canonical account is never someone else's alias.
  add_alias(normalize_alias(account), worker, true);
  return account;
}

void Directory::add_alias(std::string_view key, Worker& worker, bool replace) {
  Alias alias;
  alias.bits = reinterpret_cast<std::uintptr_t>(&worker) | (key == worker.account ? 1 : 0);
  alias.hot = worker.profile.hr().data();
  auto [held, added] = aliases_.insert(key, aliases_.hash(key), alias);
  if (held->worker() == &worker) {
    if (!added) held->hot = alias.hot;  // (same worker, same key: nothing else changes)
  } else if (replace) {
    *held = alias;
  } else {
    return;
  }
  if (std::find(worker.keys.begin(), worker.keys.end(), key) == worker.keys.end())
    worker.keys.emplace_back(key);
}

const Directory::Worker* Directory::find_alias(std::string_view raw, std::string& key) const {
  normalize_alias(raw, key);
  const Alias* alias = aliases_.find(key);
  return alias ? alias->worker() : nullptr;
}

std::optional<std::string> Directory::resolve(std::string_view raw) const {
  if (const Worker* worker = find_alias(raw, scratch())) return worker->account;
  return std::nullopt;
}

const Profile* Directory::profile(std::string_view account) const {
  if (auto it = profiles_.find(account); it != profiles_.end()) return &it->second.profile;
  // Any spelling of the account works, as for resolve().
  const Worker* worker = find_alias(account, scratch());
  return worker ? &worker->profile : nullptr;
}

std::vector<std::string> Directory::accounts() const {
  std::vector<std::string> out;
  out.reserve(profiles_.size());
  for (const auto& [account, _] : profiles_)
    out.push_back(account);
  std::sort(out.begin(), out.end());
  return out;
}

const Profile* resolve(model::Event& event, const Directory& directory) {
  const Ids& id = ids();
  // The normalized name is built once, in a reused buffer: this runs for every event.
  std::string& key = scratch();
  std::string_view raw = event.str(id.original);
  normalize_alias(raw, key);
  if (key.empty()) {
    raw = event.str(id.email);
    normalize_alias(raw, key);
  }
  // An HR row with no account yet (a candidate) is still someone: its employee id names it, so
  // that identity-reuse correlations over HR rows can give it points and link it.
  if (key.empty()) {
    raw = event.str(id.employee_id);
    normalize_alias(raw, key);
  }
  // Assigning into the event's own slot keeps its buffer (events are reused).
  const auto set_name = [&](std::string_view text) { event.set(id.name, text); };
  if (const Directory::Alias* alias = directory.aliases_.find(key)) {
    const Directory::Worker* worker = alias->worker();
    // The enricher reads the profile next (home city, time zone): start loading its fields and
    // the worker holding them now, so that those cache misses overlap this event's other work.
    __builtin_prefetch(alias->hot);
    __builtin_prefetch(static_cast<const char*>(alias->hot) + 64);
    __builtin_prefetch(&worker->profile.hr());
    // An alias that is the account itself is the key already in hand: no read of the worker.
    set_name(alias->is_account() ? std::string_view(key) : std::string_view(worker->account));
    event.set(id.in_hr, true);
    return &worker->profile;
  }
  if (!key.empty()) set_name(key);
  event.set(id.in_hr, false);
  return nullptr;
}

}  // namespace vetter::identity
