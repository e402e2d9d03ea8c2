// IP addresses as 128-bit values and CIDR networks, for lists, rules and enrichment.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vetter::model {

// IPv4 is held IPv4-mapped (::ffff:a.b.c.d) so one comparison serves both families.
struct IpAddress {
  std::array<std::uint8_t, 16> bytes{};
  bool v4 = false;

  // nullopt when `text` is not a plain IPv4 or IPv6 address (no port, no zone id).
  static std::optional<IpAddress> parse(std::string_view text);
  std::string to_string() const;
  friend bool operator==(const IpAddress&, const IpAddress&) = default;
};

struct Cidr {
  IpAddress network;  // host bits cleared
  int prefix = 0;     // 0-128 in the mapped space (an IPv4 /24 is stored as /120)

  // Accepts "a.b.c.d/n", "v6/n" and a bare address (a host route). nullopt when malformed.
  static std::optional<Cidr> parse(std::string_view text);
  bool contains(const IpAddress& ip) const;
  std::string to_string() const;
};

}  // namespace vetter::model
