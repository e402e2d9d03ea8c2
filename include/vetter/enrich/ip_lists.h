// Named IP lists (text files of addresses and CIDRs) that set source.lists.
#pragma once

#include <string>
#include <vector>

#include "vetter/model/diagnostics.h"
#include "vetter/model/ip.h"

namespace vetter::enrich {

class IpLists {
 public:
  // Loads one list: one IP or CIDR per line, `#` comments and blank lines allowed. A bad line is
  // reported (file:line) and skipped; returns false when the file cannot be read.
  // Loading a second file under the same name adds to that list.
  bool load(const std::string& name, const std::string& path, model::Diagnostics& diags);

  // Adds one network to list `name` (created when new); for tests and config-embedded lists.
  void add(const std::string& name, const model::Cidr& network);

  // Names of the lists holding `ip`, in load order.
  std::vector<std::string> match(const model::IpAddress& ip) const;
  bool empty() const { return lists_.empty(); }

 private:
  struct List {
    std::string name;
    std::vector<model::Cidr> networks;  // sorted by (prefix, address) for binary search
    std::vector<int> prefixes;          // the distinct prefix lengths present, ascending
  };
  List& list_named(const std::string& name);
  static void index(List& list);
  std::vector<List> lists_;
};

}  // namespace vetter::enrich
