// Named IP lists: parse text files of addresses, CIDRs and AS numbers, answer "which lists hold
// this IP (or its autonomous system)".
#include "vetter/enrich/ip_lists.h"

#include <algorithm>
#include <fstream>
#include <string_view>

namespace vetter::enrich {
namespace {

constexpr const char* kOpenCode = "E-LIST-OPEN";
constexpr const char* kLineCode = "W-LIST-LINE";
// A list line is an address or CIDR plus a comment; anything longer is not a list file.
constexpr std::size_t kMaxLineLength = 4096;
// Lists such as Spur's Astrill exits run to thousands of lines; a million bad ones is a wrong file.
constexpr int kMaxReportedBadLines = 20;

std::string_view trim(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n\v\f";
  const auto first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(kSpace) - first + 1);
}

bool less_network(const model::Cidr& a, const model::Cidr& b) {
  if (a.prefix != b.prefix) return a.prefix < b.prefix;
  return a.network.bytes < b.network.bytes;
}

model::IpAddress masked(const model::IpAddress& ip, int prefix) {
  model::IpAddress out = ip;
  for (int byte = prefix / 8; byte < 16; ++byte) {
    const int keep = std::max(0, prefix - byte * 8);  // bits of this byte inside the prefix
    out.bytes[byte] &= keep >= 8 ? 0xff : static_cast<std::uint8_t>(0xff00u >> keep);
  }
  return out;
}

}  // namespace

IpLists::List& IpLists::list_named(const std::string& name) {
  for (auto& list : lists_) {
    if (list.name == name) return list;
  }
  lists_.push_back(List{name, {}, {}, {}});
  return lists_.back();
}

void IpLists::index(List& list) {
  std::sort(list.networks.begin(), list.networks.end(), less_network);
  list.networks.erase(std::unique(list.networks.begin(), list.networks.end(),
                                  [](const model::Cidr& a, const model::Cidr& b) {
                                    return a.prefix == b.prefix &&
                                           a.network.bytes == b.network.bytes;
                                  }),
                      list.networks.end());
  std::sort(list.asns.begin(), list.asns.end());
  list.asns.erase(std::unique(list.asns.begin(), list.asns.end()), list.asns.end());
  list.prefixes.clear();
  for (const auto& net : list.networks) {
    if (list.prefixes.empty() || list.prefixes.back() != net.prefix) {
      list.prefixes.push_back(net.prefix);
    }
  }
}

void IpLists::add(const std::string& name, const model::Cidr& network) {
  List& list = list_named(name);
  list.networks.push_back(network);
  index(list);
}

void IpLists::add_asn(const std::string& name, std::int64_t asn) {
  List& list = list_named(name);
  list.asns.push_back(asn);
  index(list);
}

bool IpLists::has_asns() const {
  return std::any_of(lists_.begin(), lists_.end(), [](const List& l) { return !l.asns.empty(); });
}

std::optional<std::int64_t> IpLists::parse_asn(std::string_view text) {
  if (text.size() < 3 || text.size() > 12) return std::nullopt;
  if ((text[0] != 'A' && text[0] != 'a') || (text[1] != 'S' && text[1] != 's')) return std::nullopt;
  std::int64_t n = 0;
  for (char c : text.substr(2)) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  if (n <= 0 || n > 4'294'967'295LL) return std::nullopt;  // ASNs are 32-bit; AS0 is reserved
  return n;
}

bool IpLists::load(const std::string& name, const std::string& path, model::Diagnostics& diags) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    diags.error(kOpenCode, path,
                "cannot read IP list '" + name + "'; check the path in the lists configuration");
    return false;
  }
  std::vector<model::Cidr> networks;
  std::vector<std::int64_t> asns;
  std::string line;
  std::uint64_t line_no = 0;
  int bad = 0;
  auto report_bad = [&](const std::string& message) {
    ++bad;
    if (bad <= kMaxReportedBadLines) {
      diags.warning(kLineCode, path + ":" + std::to_string(line_no), message);
    }
  };
  while (std::getline(in, line)) {
    ++line_no;
    if (line.size() > kMaxLineLength) {
      report_bad("line longer than " + std::to_string(kMaxLineLength) + " characters; skipped");
      continue;
    }
    std::string_view text = line;
    if (line_no == 1 && text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // UTF-8 BOM
    if (auto hash = text.find('#'); hash != std::string_view::npos) text = text.substr(0, hash);
    text = trim(text);
    if (text.empty()) continue;
    if (text.size() >= 2 && (text[0] == 'A' || text[0] == 'a') &&
        (text[1] == 'S' || text[1] == 's')) {
      if (auto asn = parse_asn(text)) {
        asns.push_back(*asn);
      } else {
        report_bad("'" + std::string(text) +
                   "' is not an AS number (AS followed by 1 to 4294967295, no space, e.g. "
                   "AS21928); skipped");
      }
      continue;
    }
    auto cidr = model::Cidr::parse(text);
    if (!cidr) {
      report_bad("'" + std::string(text) +
                 "' is not an IP address, CIDR or AS number (one per line, e.g. 192.0.2.0/24 or "
                 "AS21928; '#' starts a comment); skipped");
      continue;
    }
    networks.push_back(*cidr);
  }
  if (in.bad()) {
    diags.error(kOpenCode, path, "read error in IP list '" + name + "'");
    return false;
  }
  if (bad > kMaxReportedBadLines) {
    diags.warning(kLineCode, path,
                  std::to_string(bad) + " bad lines in all; only the first " +
                      std::to_string(kMaxReportedBadLines) + " were reported");
  }
  List& list = list_named(name);
  list.networks.insert(list.networks.end(), networks.begin(), networks.end());
  list.asns.insert(list.asns.end(), asns.begin(), asns.end());
  index(list);
  return true;
}

std::vector<std::string> IpLists::match(const model::IpAddress& ip) const {
  return match(ip, std::nullopt);
}

std::vector<std::string> IpLists::match(const model::IpAddress& ip,
                                        std::optional<std::int64_t> asn) const {
  std::vector<std::string> names;
  for (const auto& list : lists_) {
    if (asn && std::binary_search(list.asns.begin(), list.asns.end(), *asn)) {
      names.push_back(list.name);
      continue;
    }
    // One binary search per distinct prefix length keeps large lists cheap.
    for (int prefix : list.prefixes) {
      model::Cidr key{masked(ip, prefix), prefix};
      if (std::binary_search(list.networks.begin(), list.networks.end(), key, less_network)) {
        names.push_back(list.name);
        break;
      }
    }
  }
  return names;
}

}  // namespace vetter::enrich
