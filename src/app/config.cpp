// Config file loading: YAML with line:col errors, paths resolved against the file's directory.
#include "vetter/app/config.h"

#include <yaml-cpp/yaml.h>

#include "vetter/model/time.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

namespace vetter::app {
namespace fs = std::filesystem;

namespace {

constexpr const char* kCode = "E-CONFIG";

std::string where(const std::string& file, const YAML::Node& node) {
  const auto mark = node.Mark();
  if (mark.line < 0) return file;
  return file + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

class Reader {
 public:
  Reader(std::string file, model::Diagnostics& diags)
      : file_(std::move(file)), dir_(fs::path(file_).parent_path()), diags_(diags) {}

  bool ok() const { return ok_; }

  void fail(const YAML::Node& node, const std::string& message) {
    diags_.error(kCode, where(file_, node), message);
    ok_ = false;
  }

  std::string path(const YAML::Node& node) {
    auto text = scalar(node);
    if (text.empty() || text == "-" || fs::path(text).is_absolute()) return text;
    return (dir_ / text).lexically_normal().string();
  }

  std::string scalar(const YAML::Node& node) {
    if (!node.IsScalar()) {
      fail(node, "expected a single value here");
      return {};
    }
    return node.Scalar();
  }

  std::vector<std::string> paths(const YAML::Node& node) {
    std::vector<std::string> out;
    if (node.IsScalar()) {
      out.push_back(path(node));
    } else if (node.IsSequence()) {
      for (const auto& item : node)
        out.push_back(path(item));
    } else {
      fail(node, "expected a path or a list of paths");
    }
    return out;
  }

  std::map<std::string, std::string> path_map(const YAML::Node& node) {
    std::map<std::string, std::string> out;
    if (!node.IsMap()) {
      fail(node, "expected a map of name: path");
      return out;
    }
    for (const auto& kv : node)
      out[kv.first.Scalar()] = path(kv.second);
    return out;
  }

  double number(const YAML::Node& node) {
    try {
      return node.as<double>();
    } catch (const YAML::Exception&) {
      fail(node, "expected a number");
      return 0;
    }
  }

  void check_keys(const YAML::Node& node, std::initializer_list<const char*> allowed,
                  const std::string& what) {
    std::set<std::string> names(allowed.begin(), allowed.end());
    for (const auto& kv : node) {
      const auto key = kv.first.Scalar();
      if (!names.count(key)) {
        std::string list;
        for (const auto& n : names)
          list += (list.empty() ? "" : ", ") + n;
        fail(kv.first, "unknown key '" + key + "' in " + what + " (expected one of: " + list + ")");
      }
    }
  }

  const std::string& file() const { return file_; }

 private:
  std::string file_;
  fs::path dir_;
  model::Diagnostics& diags_;
  bool ok_ = true;
};

}  // namespace

Config default_config(const std::string& root) {
  Config c;
  const fs::path r(root);
  c.source_dirs = {(r / "rules/sources").string()};
  c.shipped_rule_paths = {(r / "rules/dprk").string()};
  c.geoip.dir = (r / "geoip").string();
  c.ip_lists = {{"kp_ranges", (r / "rules/lists/kp_ranges.txt").string()},
                {"corporate_egress", (r / "rules/lists/corporate_egress.txt").string()},
                {"vpn_exits", (r / "rules/lists/vpn_exits.txt").string()},
                {"mobile_carriers", (r / "rules/lists/mobile_carriers.txt").string()},
                {"hosting", (r / "rules/lists/hosting.txt").string()}};
  c.gazetteer = (r / "data/gazetteer/cities.tsv").string();
  c.value_lists = {{"remote_access_tools", (r / "rules/lists/remote_access_tools.txt").string()},
                   {"it_roles", (r / "rules/lists/it_roles.txt").string()}};
  return c;
}

std::string read_hmac_key(const Config& config, model::Diagnostics& diags) {
  if (!config.hmac_key_file.empty()) {
    std::ifstream in(config.hmac_key_file, std::ios::binary);
    if (!in) {
      diags.error(kCode, config.hmac_key_file, "cannot read the HMAC key file (hmac_key_file)");
      return {};
    }
    std::string key((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    while (!key.empty() && (key.back() == '\n' || key.back() == '\r'))
      key.pop_back();
    return key;
  }
  if (!config.hmac_key_env.empty()) {
    if (const char* env = std::getenv(config.hmac_key_env.c_str())) return env;
  }
  return {};
}

std::vector<std::string> unique_paths(const std::vector<std::string>& paths) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const auto& p : paths) {
    std::error_code ec;
    auto canonical = fs::weakly_canonical(p, ec);
    const std::string key = ec ? fs::path(p).lexically_normal().string() : canonical.string();
    if (seen.insert(key).second) out.push_back(p);
  }
  return out;
}

std::vector<std::string> effective_rule_paths(const Config& config) {
  std::vector<std::string> all;
  if (config.default_rules) all = config.shipped_rule_paths;
  all.insert(all.end(), config.rule_paths.begin(), config.rule_paths.end());
  return unique_paths(all);
}

Input parse_input_spec(const std::string& spec) {
  Input in;
  in.where = "command line";
  // "okta:/var/log/x.jsonl"; a colon after a slash or a Windows-ish drive is part of the path.
  auto colon = spec.find(':');
  auto slash = spec.find('/');
  if (colon != std::string::npos && colon > 0 && (slash == std::string::npos || colon < slash)) {
    in.source = spec.substr(0, colon);
    in.path = spec.substr(colon + 1);
  } else {
    in.path = spec;
  }
  return in;
}

bool parse_time_zones(const std::vector<std::string>& specs,
                      std::map<std::string, std::string>& zones, model::Diagnostics& diags) {
  bool ok = true;
  for (const std::string& spec : specs) {
    const auto eq = spec.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size()) {
      diags.error(kCode, "--timezone " + spec,
                  "--timezone takes SOURCE=ZONE, e.g. asa=Europe/Berlin");
      ok = false;
      continue;
    }
    zones[spec.substr(0, eq)] = spec.substr(eq + 1);
  }
  return ok;
}

std::string input_time_zone(const Config& config, const Input& input, const std::string& source) {
  const auto flag = config.source_timezones.find(source);
  return flag != config.source_timezones.end() ? flag->second : input.timezone;
}

std::optional<Config> load_config(const std::string& path, Config base, model::Diagnostics& diags) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::BadFile&) {
    diags.error(kCode, path, "cannot read the config file; check the path given to --config");
    return std::nullopt;
  } catch (const YAML::ParserException& e) {
    diags.error(
        kCode,
        path + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1),
        "YAML syntax: " + e.msg);
    return std::nullopt;
  }
  Config c = std::move(base);
  c.path = path;
  if (root.IsNull()) return c;
  Reader r(path, diags);
  if (!root.IsMap()) {
    r.fail(root, "a config file is a YAML map (see samples/vetter.yaml)");
    return std::nullopt;
  }
  r.check_keys(root,
               {"sources", "inputs", "geoip", "lists", "rules", "default_rules", "strict",
                "review_threshold", "limits", "reorder_window", "hmac_key_file", "hmac_key_env",
                "gazetteer"},
               "the config");
  try {
    // Added to the shipped ones (README "The config file"), never in their place.
    if (auto n = root["sources"]) {
      for (auto& dir : r.paths(n))
        c.source_dirs.push_back(std::move(dir));
      c.source_dirs = unique_paths(c.source_dirs);
    }
    if (auto n = root["rules"]) {
      for (auto& p : r.paths(n))
        c.rule_paths.push_back(std::move(p));
    }
    if (auto n = root["default_rules"]) {
      bool on = true;
      if (!n.IsScalar() || !YAML::convert<bool>::decode(n, on))
        r.fail(n, "default_rules is true or false (false: only the rules listed under rules:)");
      c.default_rules = on;
    }
    if (auto n = root["strict"]) {
      bool on = false;
      if (!n.IsScalar() || !YAML::convert<bool>::decode(n, on))
        r.fail(n, "strict is true or false (true: an input that yields nothing is exit 3)");
      c.strict = on;
    }
    if (auto n = root["review_threshold"]) c.review_threshold = r.number(n);
    if (auto n = root["hmac_key_file"]) c.hmac_key_file = r.path(n);
    if (auto n = root["gazetteer"]) c.gazetteer = n.IsNull() ? std::string() : r.path(n);
    if (auto n = root["hmac_key_env"]) c.hmac_key_env = r.scalar(n);
    if (auto n = root["reorder_window"]) {
      auto us = model::parse_duration_us(r.scalar(n));
      if (!us)
        r.fail(n, "reorder_window is a duration such as 30m, 1h or 2d");
      else
        c.reorder_allowance_us = *us;
    }
    if (auto n = root["inputs"]) {
      if (!n.IsSequence()) r.fail(n, "inputs is a list of {source, path} entries");
      c.inputs.clear();
      for (const auto& item : n) {
        Input in;
        in.where = where(path, item);
        if (item.IsScalar()) {
          in = parse_input_spec(item.Scalar());
          in.where = where(path, item);
          if (!in.path.empty() && in.path != "-" && fs::path(in.path).is_relative()) {
            in.path = (fs::path(path).parent_path() / in.path).lexically_normal().string();
          }
        } else if (item.IsMap()) {
          r.check_keys(item, {"source", "path", "columns", "timezone"}, "an input");
          if (item["timezone"]) in.timezone = r.scalar(item["timezone"]);
          if (item["source"]) in.source = r.scalar(item["source"]);
          if (!item["path"])
            r.fail(item, "an input needs a path");
          else
            in.path = r.path(item["path"]);
          if (auto cols = item["columns"]) {
            if (!cols.IsMap())
              r.fail(cols,
                     "columns maps a column of the source definition (or a vetter field) to your "
                     "export's column name");
            for (const auto& kv : cols) {
              const std::string key = kv.first.Scalar();
              in.columns[key] = r.scalar(kv.second);
              in.column_key_where[key] = where(path, kv.first);
              in.column_value_where[key] = where(path, kv.second);
            }
          }
        } else {
          r.fail(item, "an input is SOURCE:PATH or {source, path, columns, timezone}");
        }
        c.inputs.push_back(std::move(in));
      }
    }
    if (auto g = root["geoip"]) {
      r.check_keys(g, {"dir", "city", "asn", "anonymous_ip", "connection_type"}, "geoip");
      if (g["dir"]) c.geoip.dir = r.path(g["dir"]);
      if (g["city"]) c.geoip.city = r.path(g["city"]);
      if (g["asn"]) c.geoip.asn = r.path(g["asn"]);
      if (g["anonymous_ip"]) c.geoip.anonymous_ip = r.path(g["anonymous_ip"]);
      if (g["connection_type"]) c.geoip.connection_type = r.path(g["connection_type"]);
    }
    if (auto l = root["lists"]) {
      r.check_keys(l, {"ip", "values"}, "lists");
      if (l["ip"]) {
        for (auto& [name, file] : r.path_map(l["ip"]))
          c.ip_lists[name] = std::move(file);
      }
      if (l["values"]) {
        for (auto& [name, file] : r.path_map(l["values"]))
          c.value_lists[name] = std::move(file);
      }
    }
    if (auto lim = root["limits"]) {
      r.check_keys(lim, {"max_errors", "max_error_rate"}, "limits");
      if (lim["max_errors"]) c.max_errors = static_cast<std::uint64_t>(r.number(lim["max_errors"]));
      if (lim["max_error_rate"]) c.max_error_rate = r.number(lim["max_error_rate"]);
    }
  } catch (const YAML::Exception& e) {
    diags.error(kCode, path + ":" + std::to_string(e.mark.line + 1), e.what());
    return std::nullopt;
  }
  if (c.review_threshold < 0 || c.review_threshold > 100) {
    r.fail(root["review_threshold"], "review_threshold is a score from 0 to 100");
  }
  if (!r.ok()) return std::nullopt;
  return c;
}

}  // namespace vetter::app
