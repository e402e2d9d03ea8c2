// Named IP lists (text files of addresses, CIDRs and AS numbers) that set source.lists.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vetter/model/diagnostics.h"
#include "vetter/model/ip.h"

namespace vetter::enrich {

class IpLists {
 public:
  // Loads one list: one IP, CIDR or autonomous system number (`AS21928`, any case) per line,
  // `#` comments and blank lines allowed. A bad line is reported (W-LIST-LINE, file:line) and
  // skipped; returns false when the file cannot be read.
  // Loading a second file under the same name adds to that list.
  bool load(const std::string& name, const std::string& path, model::Diagnostics& diags);

  // Adds one network to list `name` (created when new); for tests and config-embedded lists.
  void add(const std::string& name, const model::Cidr& network);
  // Adds one autonomous system number to list `name` (created when new).
  void add_asn(const std::string& name, std::int64_t asn);

  // Names of the lists holding `ip`, in load order.
  std::vector<std::string> match(const model::IpAddress& ip) const;
  // Names of the lists holding `ip` or, when known, the address's autonomous system `asn` (from
  // the ASN database), in load order, each once.
  std::vector<std::string> match(const model::IpAddress& ip, std::optional<std::int64_t> asn) const;
  bool empty() const { return lists_.empty(); }
  // Whether any list holds an AS number (they only match when an ASN database is loaded).
  bool has_asns() const;

  // `AS21928` (any case, no space, 0 < n < 2^32) -> 21928; nullopt for anything else.
  static std::optional<std::int64_t> parse_asn(std::string_view text);

 private:
  struct List {
    std::string name;
    std::vector<model::Cidr> networks;  // sorted by (prefix, address) for binary search
    std::vector<int> prefixes;          // the distinct prefix lengths present, ascending
    std::vector<std::int64_t> asns;     // sorted, unique
  };
  List& list_named(const std::string& name);
  static void index(List& list);
  std::vector<List> lists_;
};

}  // namespace vetter::enrich
