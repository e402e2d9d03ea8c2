// GeoIP through libmaxminddb: open each database once (memory-mapped), find it by role, read
// MaxMind's documented field paths for one address.
#include "vetter/enrich/geoip.h"

#include <arpa/inet.h>
#include <maxminddb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace vetter::enrich {
namespace {

constexpr const char* kOpenCode = "E-GEOIP-OPEN";
constexpr const char* kDirCode = "W-GEOIP-DIR";
constexpr const char* kTypeCode = "W-GEOIP-TYPE";
constexpr const char* kDuplicateCode = "W-GEOIP-DUPLICATE";
constexpr const char* kSkipCode = "W-GEOIP-SKIP";
constexpr const char* kOpenAdvice =
    "check the path and permissions, or download the database again (see geoip/README.md); "
    "vetter will not scan without a database it was told to use";

enum class Role { kCity, kAsn, kAnonymous, kConnectionType, kCount };
constexpr std::array<const char*, static_cast<int>(Role::kCount)> kRoleNames = {
    "city", "asn", "anonymous-ip", "connection-type"};

const char* role_name(Role role) {
  return kRoleNames[static_cast<int>(role)];
}

// Classifies by metadata database_type, not file name: users rename files, and DB-IP and MaxMind
// name theirs differently ("dbip-city-lite-2026-01.mmdb", "GeoLite2-City.mmdb").
std::optional<Role> role_of(std::string_view type) {
  auto has = [&](std::string_view word) { return type.find(word) != std::string_view::npos; };
  // Order matters: the anonymizer and connection-type names must win over "City"-like words.
  if (has("Anonymous-IP") || has("Anonymous-Plus")) return Role::kAnonymous;
  if (has("Connection-Type")) return Role::kConnectionType;
  if (has("ASN") || has("ISP")) return Role::kAsn;
  if (has("City") || has("Country")) return Role::kCity;
  return std::nullopt;
}

// MMDB_s holds pointers into its own mapping, so it lives at a fixed address for its whole life.
struct Database {
  MMDB_s mmdb{};
  bool opened = false;  // MMDB_open cleans up after itself when it fails; close only on success
  std::string path;
  std::string type;

  Database() = default;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database() {
    if (opened) MMDB_close(&mmdb);
  }
};

// Opens `path`; on failure reports libmaxminddb's reason and returns nullptr. A file the user named
// is an error (E-GEOIP-OPEN); a stray file found by a directory scan is a warning (W-GEOIP-SKIP),
// because the directory may hold other files (old downloads, test fixtures) the run never needed.
enum class Need { kRequired, kOptional };
std::unique_ptr<Database> open_database(const std::string& path, Need need,
                                        model::Diagnostics& diags) {
  auto db = std::make_unique<Database>();
  const int status = MMDB_open(path.c_str(), MMDB_MODE_MMAP, &db->mmdb);
  if (status != MMDB_SUCCESS) {
    const int saved_errno = errno;
    std::string reason = MMDB_strerror(status);
    if (status == MMDB_IO_ERROR || status == MMDB_FILE_OPEN_ERROR) {
      reason += std::string(" (") + std::strerror(saved_errno) + ")";
    }
    if (need == Need::kRequired) {
      diags.error(kOpenCode, path, "cannot open GeoIP database: " + reason + "; " + kOpenAdvice);
    } else {
      diags.warning(kSkipCode, path,
                    "not a usable GeoIP database (" + reason +
                        "); skipped. If it should be one, download it again (see geoip/README.md)");
    }
    return nullptr;
  }
  db->opened = true;
  db->path = path;
  db->type = db->mmdb.metadata.database_type ? db->mmdb.metadata.database_type : "";
  return db;
}

// Path helpers: MMDB_aget_value takes a NULL-terminated array of keys.
using Path = std::initializer_list<const char*>;

bool get(MMDB_entry_s entry, Path path, MMDB_entry_data_s& out) {
  std::array<const char*, 8> keys{};
  std::size_t n = 0;
  for (const char* key : path)
    keys[n++] = key;
  keys[n] = nullptr;
  return MMDB_aget_value(&entry, &out, keys.data()) == MMDB_SUCCESS && out.has_data;
}

std::optional<std::string> get_string(const MMDB_entry_s& entry, Path path) {
  MMDB_entry_data_s data;
  if (!get(entry, path, data) || data.type != MMDB_DATA_TYPE_UTF8_STRING) return std::nullopt;
  // Strings point into the mapping and are not NUL-terminated.
  return std::string(data.utf8_string, data.data_size);
}

std::optional<double> get_double(const MMDB_entry_s& entry, Path path) {
  MMDB_entry_data_s data;
  if (!get(entry, path, data)) return std::nullopt;
  if (data.type == MMDB_DATA_TYPE_DOUBLE) return data.double_value;
  if (data.type == MMDB_DATA_TYPE_FLOAT) return static_cast<double>(data.float_value);
  return std::nullopt;
}

std::optional<std::int64_t> get_int(const MMDB_entry_s& entry, Path path) {
  MMDB_entry_data_s data;
  if (!get(entry, path, data)) return std::nullopt;
  switch (data.type) {
    case MMDB_DATA_TYPE_UINT16:
      return data.uint16;
    case MMDB_DATA_TYPE_UINT32:
      return data.uint32;
    case MMDB_DATA_TYPE_INT32:
      return data.int32;
    case MMDB_DATA_TYPE_UINT64:
      return static_cast<std::int64_t>(data.uint64);
    default:
      return std::nullopt;
  }
}

// Anonymous-IP flags are present only when true; absent means false.
bool get_flag(const MMDB_entry_s& entry, const char* key) {
  MMDB_entry_data_s data;
  return get(entry, {key}, data) && data.type == MMDB_DATA_TYPE_BOOLEAN && data.boolean;
}

// The entry for `ip`, or nullopt when the database has none (or cannot hold the family).
std::optional<MMDB_entry_s> find(const Database& db, const model::IpAddress& ip) {
  sockaddr_storage storage{};
  if (ip.v4) {
    auto* sin = reinterpret_cast<sockaddr_in*>(&storage);
    sin->sin_family = AF_INET;
    std::memcpy(&sin->sin_addr, ip.bytes.data() + 12, 4);
  } else {
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(&storage);
    sin6->sin6_family = AF_INET6;
    std::memcpy(&sin6->sin6_addr, ip.bytes.data(), 16);
  }
  int mmdb_error = MMDB_SUCCESS;
  // MMDB_lookup_sockaddr does not modify the database; the cast only satisfies its C signature.
  MMDB_lookup_result_s result = MMDB_lookup_sockaddr(
      const_cast<MMDB_s*>(&db.mmdb), reinterpret_cast<const sockaddr*>(&storage), &mmdb_error);
  // An IPv6 address in an IPv4-only database is simply "not found".
  if (mmdb_error != MMDB_SUCCESS || !result.found_entry) return std::nullopt;
  return result.entry;
}

void read_city(const MMDB_entry_s& e, GeoRecord& r) {
  r.country_iso_code = get_string(e, {"country", "iso_code"});
  r.country_name = get_string(e, {"country", "names", "en"});
  r.region_iso_code = get_string(e, {"subdivisions", "0", "iso_code"});
  r.city_name = get_string(e, {"city", "names", "en"});
  r.lat = get_double(e, {"location", "latitude"});
  r.lon = get_double(e, {"location", "longitude"});
  // DB-IP's files have no accuracy_radius: it then stays absent rather than pretending 0 km.
  r.accuracy_radius = get_int(e, {"location", "accuracy_radius"});
  r.timezone = get_string(e, {"location", "time_zone"});
  // A location needs both coordinates; half of one is noise for distance rules.
  if (!r.lat || !r.lon) {
    r.lat.reset();
    r.lon.reset();
  }
}

void read_asn(const MMDB_entry_s& e, GeoRecord& r) {
  r.as_number = get_int(e, {"autonomous_system_number"});
  r.as_organization = get_string(e, {"autonomous_system_organization"});
}

void read_anonymous(const MMDB_entry_s& e, GeoRecord& r) {
  r.any = get_flag(e, "is_anonymous");
  r.vpn = get_flag(e, "is_anonymous_vpn");
  r.hosting = get_flag(e, "is_hosting_provider");
  r.proxy = get_flag(e, "is_public_proxy");
  r.tor = get_flag(e, "is_tor_exit_node");
  r.residential_proxy = get_flag(e, "is_residential_proxy");
}

}  // namespace

struct GeoIp::Impl {
  std::array<std::unique_ptr<Database>, static_cast<int>(Role::kCount)> dbs;

  const Database* db(Role role) const { return dbs[static_cast<int>(role)].get(); }
};

GeoIp::GeoIp(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
GeoIp::~GeoIp() = default;

std::unique_ptr<GeoIp> GeoIp::open(const GeoIpConfig& config, model::Diagnostics& diags) {
  auto impl = std::make_unique<Impl>();
  bool ok = true;

  // Explicit paths first: they win over whatever the directory holds for the same role.
  const std::array<std::pair<Role, const std::string*>, 4> explicit_paths = {{
      {Role::kCity, &config.city},
      {Role::kAsn, &config.asn},
      {Role::kAnonymous, &config.anonymous_ip},
      {Role::kConnectionType, &config.connection_type},
  }};
  for (const auto& [role, path] : explicit_paths) {
    if (path->empty()) continue;
    auto db = open_database(*path, Need::kRequired, diags);
    if (!db) {
      ok = false;
      continue;
    }
    auto actual = role_of(db->type);
    if (actual != role) {
      diags.warning(kTypeCode, *path,
                    "configured as the " + std::string(role_name(role)) +
                        " database but its database_type is '" + db->type +
                        "'; lookups may find nothing");
    }
    impl->dbs[static_cast<int>(role)] = std::move(db);
  }

  if (!config.dir.empty()) {
    namespace fs = std::filesystem;
    std::error_code ec;
    std::vector<fs::path> files;
    for (fs::directory_iterator it(config.dir, ec), end; !ec && it != end; it.increment(ec)) {
      if (it->path().extension() == ".mmdb" && it->is_regular_file(ec)) files.push_back(it->path());
    }
    if (ec) {
      diags.error(kOpenCode, config.dir,
                  "cannot read GeoIP directory: " + ec.message() + "; " + kOpenAdvice);
      return nullptr;
    }
    // Name order makes "which duplicate wins" reproducible across file systems.
    std::sort(files.begin(), files.end());
    if (files.empty()) {
      diags.warning(kDirCode, config.dir,
                    "no *.mmdb files here; GeoIP fields will stay absent (see geoip/README.md)");
    }
    for (const auto& file : files) {
      auto db = open_database(file.string(), Need::kOptional, diags);
      if (!db) continue;
      auto role = role_of(db->type);
      if (!role) {
        diags.warning(kTypeCode, file.string(),
                      "database_type '" + db->type + "' is not one vetter uses; skipped");
        continue;
      }
      auto& slot = impl->dbs[static_cast<int>(*role)];
      if (slot) {
        // An explicit path for this role is the user's choice, not a conflict worth a warning.
        const bool is_explicit = !explicit_paths[static_cast<int>(*role)].second->empty();
        if (!is_explicit) {
          diags.warning(kDuplicateCode, file.string(),
                        "a second " + std::string(role_name(*role)) + " database (" + db->type +
                            "); using " + slot->path);
        }
        continue;
      }
      slot = std::move(db);
    }
  }

  if (!ok) return nullptr;
  return std::unique_ptr<GeoIp>(new GeoIp(std::move(impl)));
}

GeoRecord GeoIp::lookup(const model::IpAddress& ip) const {
  GeoRecord record;
  if (const Database* db = impl_->db(Role::kCity)) {
    if (auto entry = find(*db, ip)) read_city(*entry, record);
  }
  if (const Database* db = impl_->db(Role::kAsn)) {
    if (auto entry = find(*db, ip)) read_asn(*entry, record);
  }
  if (const Database* db = impl_->db(Role::kAnonymous)) {
    // With the database open, "not found" is a real answer: none of the flags apply.
    record.anonymous_known = true;
    if (auto entry = find(*db, ip)) read_anonymous(*entry, record);
  }
  if (const Database* db = impl_->db(Role::kConnectionType)) {
    if (auto entry = find(*db, ip))
      record.connection_type = get_string(*entry, {"connection_type"});
  }
  return record;
}

std::vector<std::string> GeoIp::describe() const {
  std::vector<std::string> lines;
  for (int i = 0; i < static_cast<int>(Role::kCount); ++i) {
    const Database* db = impl_->dbs[i].get();
    if (db) lines.push_back(db->type + " " + db->path);
  }
  return lines;
}

}  // namespace vetter::enrich
