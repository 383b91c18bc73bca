#include "rules/ip_address.h"

#include <cstdint>
#include <string>

#include "gtest/gtest.h"

namespace gatehouse::rules {
namespace {

IpAddress Ip(const std::string& text) {
  auto address = ParseIpAddress(text);
  EXPECT_TRUE(address.has_value()) << text;
  return address.value_or(IpAddress{});
}

TEST(ParseCidrTest, AddressesAndPrefixes) {
  auto single = ParseCidr("192.0.2.7");
  ASSERT_TRUE(single.has_value());
  EXPECT_EQ(single->low, Ip("192.0.2.7"));
  EXPECT_EQ(single->high, Ip("192.0.2.7"));
  auto v4 = ParseCidr("10.1.2.3/8");  // host bits are ignored
  ASSERT_TRUE(v4.has_value());
  EXPECT_EQ(v4->low, Ip("10.0.0.0"));
  EXPECT_EQ(v4->high, Ip("10.255.255.255"));
  auto v6 = ParseCidr("2001:db8::/32");
  ASSERT_TRUE(v6.has_value());
  EXPECT_EQ(v6->low, Ip("2001:db8::"));
  EXPECT_EQ(v6->high, Ip("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"));
  EXPECT_TRUE(ParseCidr("0.0.0.0/0").has_value());
  EXPECT_TRUE(ParseCidr("::/0").has_value());
  EXPECT_TRUE(ParseCidr("::1/128").has_value());
}

TEST(ParseCidrTest, RefusesWhatIsNotACidr) {
  for (const char* bad : {"", "/8", "10.0.0.0/", "10.0.0.0/33", "::/129", "10.0.0.0/-1",
                          "10.0.0.0/8/8", "10.0.0.0/1x", "10.0.0.0/0008", "10.0.0.1..10.0.0.9",
                          "example.com", "10.0.0", "1.2.3.4 ", " 1.2.3.4", "::ffff::1"}) {
    EXPECT_FALSE(ParseCidr(bad).has_value()) << bad;
  }
  // A list item may be a range; a CIDR may not.
  EXPECT_TRUE(ParseIpRange("10.0.0.1..10.0.0.9").has_value());
}

TEST(FormatIpAddressTest, IntoABuffer) {
  char buffer[kMaxIpAddressText];
  EXPECT_EQ(FormatIpAddress(Ip("192.0.2.1"), buffer), "192.0.2.1");
  EXPECT_EQ(FormatIpAddress(Ip("0.0.0.0"), buffer), "0.0.0.0");
  EXPECT_EQ(FormatIpAddress(Ip("10.99.100.255"), buffer), "10.99.100.255");
  EXPECT_EQ(FormatIpAddress(Ip("127.0.0.1")), "127.0.0.1");
  EXPECT_EQ(FormatIpAddress(Ip("2001:DB8:0:0:0:0:0:1"), buffer), "2001:db8::1");
  EXPECT_EQ(FormatIpAddress(Ip("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255"), buffer),
            "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
  EXPECT_EQ(FormatIpAddress(Ip("::ffff:1.2.3.4")), "::ffff:1.2.3.4");
}

TEST(IpAddressTest, FromNetworkOrderBytes) {
  const uint8_t v4[4] = {192, 0, 2, 1};
  EXPECT_EQ(IpAddressFromBytes(v4), Ip("192.0.2.1"));
  EXPECT_TRUE(IpAddressFromBytes(v4).is_v4);
  const uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  EXPECT_EQ(IpAddressFromBytes(v6), Ip("2001:db8::1"));
  EXPECT_FALSE(IpAddressFromBytes(v6).is_v4);
}

TEST(IpAddressTest, UnmappedTurnsMappedAddressesIntoIpv4) {
  const IpAddress mapped = Ip("::ffff:192.0.2.1");
  EXPECT_FALSE(mapped.is_v4);
  EXPECT_TRUE(SameAddress(mapped, Ip("192.0.2.1")));
  EXPECT_EQ(Unmapped(mapped), Ip("192.0.2.1"));
  EXPECT_EQ(FormatIpAddress(Unmapped(mapped)), "192.0.2.1");
  EXPECT_EQ(Unmapped(Ip("2001:db8::1")), Ip("2001:db8::1"));
  EXPECT_EQ(Unmapped(Ip("::1")), Ip("::1"));
  EXPECT_EQ(Unmapped(Ip("10.0.0.1")), Ip("10.0.0.1"));
}

}  // namespace
}  // namespace gatehouse::rules
