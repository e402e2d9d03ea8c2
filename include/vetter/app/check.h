// `vetter check`: what a scan with this config would see, from the head of each input, before
// the first scan: sources, mapped fields, identity resolution, GeoIP coverage, the HMAC key.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include "vetter/app/config.h"
#include "vetter/model/diagnostics.h"

namespace vetter::app {

struct CheckOptions {
  // Records read per file of each log input (HR exports are read whole, up to hr_records, since
  // every sign-in is resolved against them).
  std::uint64_t head_records = 5000;
  std::uint64_t hr_records = 1'000'000;
  // The checkout or install root: databases under root/geoip are the shipped test databases.
  std::string root;
};

// Writes the report to `out`; diagnostics about the config itself go to `diags`. Returns 0 when
// a scan would work, kExitUsage (2) when it would not (a config, mapping or rule error, no rule,
// a missing HMAC key that identity numbers need, or, with `strict`, an input that yields nothing).
int check(const Config& config, const CheckOptions& options, std::ostream& out,
          model::Diagnostics& diags);

}  // namespace vetter::app
