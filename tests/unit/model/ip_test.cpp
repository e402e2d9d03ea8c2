// IP parsing and CIDR containment across both families.
#include <catch2/catch.hpp>

#include "vetter/model/ip.h"

using namespace vetter::model;

TEST_CASE("IPv4 and IPv6 parse strictly") {
  CHECK(IpAddress::parse("175.45.176.1"));
  CHECK(IpAddress::parse("175.45.176.1")->v4);
  CHECK(IpAddress::parse("2001:db8::1"));
  CHECK_FALSE(IpAddress::parse("2001:db8::1")->v4);
  CHECK(IpAddress::parse("::ffff:1.2.3.4")->v4);
  CHECK_FALSE(IpAddress::parse("256.1.1.1"));
  CHECK_FALSE(IpAddress::parse("1.2.3.4:443"));
  CHECK_FALSE(IpAddress::parse(""));
  CHECK_FALSE(IpAddress::parse("jane.doe"));
  CHECK(IpAddress::parse("81.2.69.160")->to_string() == "81.2.69.160");
}

TEST_CASE("CIDR containment") {
  auto kp = Cidr::parse("175.45.176.0/22");
  REQUIRE(kp);
  CHECK(kp->contains(*IpAddress::parse("175.45.179.255")));
  CHECK_FALSE(kp->contains(*IpAddress::parse("175.45.180.0")));
  CHECK_FALSE(kp->contains(*IpAddress::parse("2001:db8::1")));
  CHECK(kp->to_string() == "175.45.176.0/22");

  auto v6 = Cidr::parse("2001:db8::/32");
  REQUIRE(v6);
  CHECK(v6->contains(*IpAddress::parse("2001:db8:ffff::1")));
  CHECK_FALSE(v6->contains(*IpAddress::parse("2001:db9::1")));

  CHECK(Cidr::parse("10.1.2.3/8")->to_string() == "10.0.0.0/8");
  CHECK(Cidr::parse("10.1.2.3")->contains(*IpAddress::parse("10.1.2.3")));
  CHECK_FALSE(Cidr::parse("10.0.0.0/33"));
  CHECK_FALSE(Cidr::parse("10.0.0.0/"));
  CHECK_FALSE(Cidr::parse("10.0.0.0/8x"));
  CHECK(Cidr::parse("0.0.0.0/0")->contains(*IpAddress::parse("8.8.8.8")));
}
