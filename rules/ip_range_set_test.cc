#include "rules/ip_range_set.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "rules/ip_address.h"

namespace gatehouse::rules {
namespace {

IpAddress Ip(const std::string& text) {
  auto address = ParseIpAddress(text);
  EXPECT_TRUE(address.has_value()) << text;
  return address.value_or(IpAddress{});
}

IpRangeSet SetOf(const std::vector<std::string>& cidrs) {
  std::vector<IpRange> ranges;
  for (const std::string& cidr : cidrs) {
    auto range = ParseCidr(cidr);
    EXPECT_TRUE(range.has_value()) << cidr;
    if (range.has_value()) ranges.push_back(*range);
  }
  return IpRangeSet(std::move(ranges));
}

TEST(IpRangeSetTest, EmptySetHoldsNothing) {
  IpRangeSet none;
  EXPECT_TRUE(none.empty());
  EXPECT_FALSE(none.Contains(Ip("127.0.0.1")));
  EXPECT_FALSE(none.Contains(Ip("::")));
}

TEST(IpRangeSetTest, ContainsBothFamilies) {
  const IpRangeSet set = SetOf({"10.0.0.0/8", "192.0.2.7", "2001:db8::/32"});
  EXPECT_TRUE(set.Contains(Ip("10.0.0.0")));
  EXPECT_TRUE(set.Contains(Ip("10.255.255.255")));
  EXPECT_FALSE(set.Contains(Ip("11.0.0.0")));
  EXPECT_FALSE(set.Contains(Ip("9.255.255.255")));
  EXPECT_TRUE(set.Contains(Ip("192.0.2.7")));
  EXPECT_FALSE(set.Contains(Ip("192.0.2.8")));
  EXPECT_TRUE(set.Contains(Ip("2001:db8::1")));
  EXPECT_FALSE(set.Contains(Ip("2001:db9::1")));
  // An IPv4-mapped IPv6 address is the IPv4 address.
  EXPECT_TRUE(set.Contains(Ip("::ffff:10.1.2.3")));
}

TEST(IpRangeSetTest, MergesOverlappingAndAdjacentRanges) {
  const IpRangeSet set =
      SetOf({"10.0.0.0/9", "10.128.0.0/9", "10.1.0.0/16", "192.0.2.0/25", "192.0.2.0/24"});
  ASSERT_EQ(set.ranges().size(), 2u);
  EXPECT_EQ(set.ranges()[0].low, Ip("10.0.0.0"));
  EXPECT_EQ(set.ranges()[0].high, Ip("10.255.255.255"));
  EXPECT_EQ(set.ranges()[1].low, Ip("192.0.2.0"));
  EXPECT_EQ(set.ranges()[1].high, Ip("192.0.2.255"));
}

TEST(IpRangeSetTest, WholeSpaceHoldsEverything) {
  const IpRangeSet set = SetOf({"::/0"});
  EXPECT_TRUE(set.Contains(Ip("::")));
  EXPECT_TRUE(set.Contains(Ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")));
  EXPECT_TRUE(set.Contains(Ip("1.2.3.4")));
}

}  // namespace
}  // namespace gatehouse::rules
