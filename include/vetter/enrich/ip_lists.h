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
  bool load(const std::string& name, const std::string& path, model::Diagnostics& diags);

  // Names of the lists holding `ip`, in load order.
  std::vector<std::string> match(const model::IpAddress& ip) const;
  bool empty() const { return lists_.empty(); }

 private:
  struct List {
    std::string name;
    std::vector<model::Cidr> networks;
  };
  std::vector<List> lists_;
};

}  // namespace vetter::enrich
