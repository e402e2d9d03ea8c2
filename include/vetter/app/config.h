// The run configuration: one YAML file (--config) that command-line flags override.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "vetter/enrich/geoip.h"
#include "vetter/model/diagnostics.h"
#include "vetter/sources/source.h"

namespace vetter::app {

struct Input {
  std::string source;               // source definition name; empty = auto-detect
  std::string path;                 // file, glob, directory, or "-" for stdin
  sources::FieldOverrides columns;  // target field -> the export's own column name
  std::string timezone;             // IANA zone of zone-less vendor times; empty: the definition's
  std::string where;                // config file:line, or "command line"
  // Where each `columns:` entry was written (config file:line:col): its key, and its value.
  std::map<std::string, std::string> column_key_where;
  std::map<std::string, std::string> column_value_where;
};

struct Config {
  std::string path;  // the config file, empty when none was given
  // Directories of source definitions: the shipped one first (default_config), then the
  // config's `sources:` and --sources, added in that order (a later definition of the same name
  // replaces an earlier one). A directory given twice is loaded once.
  std::vector<std::string> source_dirs;
  std::vector<Input> inputs;
  enrich::GeoIpConfig geoip;
  // name -> file; the config's `lists:` add to the shipped ones (a name it gives replaces the
  // shipped list of that name).
  std::map<std::string, std::string> ip_lists;     // name -> file (sets source.lists)
  std::map<std::string, std::string> value_lists;  // name -> file (rule %name% placeholders)
  // `strict: true` / --strict: an input that yields nothing (every record skipped, an empty file,
  // an HR export whose mapped fields are all empty) ends the run with exit 3, not a warning.
  bool strict = false;
  // Rule files or directories: the shipped pack (default_config), unless `default_rules` is
  // false (config `default_rules: false`, --no-default-rules), then the config's and the
  // flags' `rules`, added to it. A path given twice is loaded once.
  std::vector<std::string> shipped_rule_paths;
  bool default_rules = true;
  std::vector<std::string> rule_paths;
  // City list that places a declared home (HR city/region/country) on the map, for
  // source.distance_from_home_km; empty turns it off.
  std::string gazetteer;
  double review_threshold = 50;
  std::uint64_t max_errors = 1000;  // bad records tolerated before exit 3
  double max_error_rate = 0.05;     // fraction of bad records tolerated before exit 3
  // Threads that parse and map each JSON Lines or syslog input (0 = one per core). Results are
  // the same for every value.
  unsigned threads = 0;
  // The key for identity-document and bank-number hashes: the file's content (trailing newline
  // dropped), else the environment variable named here. Never printed.
  std::string hmac_key_file;
  std::string hmac_key_env = "VETTER_HMAC_KEY";
  // How far out of time order an input's events may be and still be put in order (per input).
  std::int64_t reorder_allowance_us = 3600LL * 1'000'000;
  // `--timezone SOURCE=ZONE`: the zone of every input of SOURCE, named or auto-detected; it
  // overrides an input's own `timezone:` as flags override the config.
  std::map<std::string, std::string> source_timezones;
};

// Defaults that work from a checkout: the shipped sources, rules, lists and test databases under
// `root` (the directory holding rules/ and geoip/).
Config default_config(const std::string& root);

// The rule paths a scan loads: the shipped pack (unless dropped), then the added ones, each
// once (compared as canonical paths).
std::vector<std::string> effective_rule_paths(const Config& config);

// `paths` without repeats (compared as canonical paths; the first spelling is kept).
std::vector<std::string> unique_paths(const std::vector<std::string>& paths);

// Reads `path` over `base`. Relative paths in the file are relative to the file's directory.
// `sources`, `rules` and `lists` add to base's; `default_rules: false` drops the shipped pack.
// Problems are reported with file:line:col (code E-CONFIG); nullopt when any is an error.
std::optional<Config> load_config(const std::string& path, Config base, model::Diagnostics& diags);

// The HMAC key the config points at; empty when none is set. A named file that cannot be read
// is an error (E-CONFIG).
std::string read_hmac_key(const Config& config, model::Diagnostics& diags);

// "SOURCE:PATH" or a bare PATH (source left empty for auto-detection).
Input parse_input_spec(const std::string& spec);

// `--timezone SOURCE=ZONE` flags into SOURCE -> ZONE. False, reported, when a flag is not
// SOURCE=ZONE (the zone itself is checked when the source is built).
bool parse_time_zones(const std::vector<std::string>& specs,
                      std::map<std::string, std::string>& zones, model::Diagnostics& diags);

// The zone an input of `source` reads zone-less times in: the flag's, else the input's own
// (empty: the definition's `timezone:`, else UTC).
std::string input_time_zone(const Config& config, const Input& input, const std::string& source);

}  // namespace vetter::app
