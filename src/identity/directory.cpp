// Identity resolution: the alias table built from HR records, and resolving events against it.
#include "vetter/identity/directory.h"

#include <algorithm>
#include <cctype>

#include "vetter/model/field.h"

namespace vetter::identity {
namespace {

struct Ids {
  model::FieldId email = model::Fields::id("user.email");
  model::FieldId original = model::Fields::id("user.original");
  model::FieldId aliases = model::Fields::id("user.aliases");
  model::FieldId employee_id = model::Fields::id("hr.employee_id");
  model::FieldId name = model::Fields::id("user.name");
  model::FieldId in_hr = model::Fields::id("user.in_hr");
};

const Ids& ids() {
  static const Ids kIds;
  return kIds;
}

std::string trim(std::string_view raw) {
  while (!raw.empty() && std::isspace(static_cast<unsigned char>(raw.front())))
    raw.remove_prefix(1);
  while (!raw.empty() && std::isspace(static_cast<unsigned char>(raw.back())))
    raw.remove_suffix(1);
  return std::string(raw);
}

}  // namespace

std::string normalize_alias(std::string_view raw) {
  // Windows writes "CORP\jane.doe" (down-level logon name); the domain names the directory, not
  // the person, so it is dropped. UPNs and e-mails keep their domain: it tells workers apart.
  std::size_t slash = raw.find('\\');
  if (slash != std::string_view::npos) raw.remove_prefix(slash + 1);
  std::string out = trim(raw);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
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
  for (const std::string& raw : names) {
    std::string alias = normalize_alias(raw);
    if (alias.empty()) continue;
    // First claim wins: two workers listing one network id is a data problem for a human to see,
    // and silently moving the alias to whoever came later would hide it.
    aliases_.try_emplace(std::move(alias), account);
  }
  // A worker's own canonical account is never someone else's alias.
  aliases_[normalize_alias(account)] = account;
  profiles_[account] = hr_event;
  return account;
}

std::optional<std::string> Directory::resolve(std::string_view raw) const {
  auto it = aliases_.find(normalize_alias(raw));
  if (it == aliases_.end()) return std::nullopt;
  return it->second;
}

const model::Event* Directory::profile(std::string_view account) const {
  auto it = profiles_.find(std::string(account));
  if (it == profiles_.end()) {
    // Any spelling of the account works, as for resolve().
    std::optional<std::string> canonical = resolve(account);
    if (canonical) it = profiles_.find(*canonical);
  }
  return it == profiles_.end() ? nullptr : &it->second;
}

std::vector<std::string> Directory::accounts() const {
  std::vector<std::string> out;
  out.reserve(profiles_.size());
  for (const auto& [account, _] : profiles_)
    out.push_back(account);
  std::sort(out.begin(), out.end());
  return out;
}

void resolve(model::Event& event, const Directory& directory) {
  const Ids& id = ids();
  std::string_view raw = event.str(id.original);
  if (normalize_alias(raw).empty()) raw = event.str(id.email);
  // An HR row with no account yet (a candidate) is still someone: its employee id names it, so
  // that identity-reuse correlations over HR rows can give it points and link it.
  if (normalize_alias(raw).empty()) raw = event.str(id.employee_id);
  if (std::optional<std::string> account = directory.resolve(raw)) {
    event.set(id.name, std::move(*account));
    event.set(id.in_hr, true);
    return;
  }
  std::string name = normalize_alias(raw);
  if (!name.empty()) event.set(id.name, std::move(name));
  event.set(id.in_hr, false);
}

}  // namespace vetter::identity
