#include "runtime/client_address/trusted_proxies.h"

#include <string>

#include "gtest/gtest.h"
#include "rules/ip_address.h"

namespace gatehouse::runtime {
namespace {

rules::IpAddress Ip(const std::string& text) { return *rules::ParseIpAddress(text); }

TEST(TrustedProxiesTest, EmptyTrustsNobody) {
  for (const char* empty : {"", "  "}) {
    auto parsed = TrustedProxies::Parse(empty);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_TRUE(parsed->empty());
    EXPECT_FALSE(parsed->Contains(Ip("127.0.0.1")));
  }
  EXPECT_TRUE(TrustedProxies().empty());
}

TEST(TrustedProxiesTest, CidrsAndAddressesOfBothFamilies) {
  auto parsed = TrustedProxies::Parse("10.0.0.0/8, 192.0.2.7,2001:db8::/32 ,\t::1");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_FALSE(parsed->empty());
  EXPECT_TRUE(parsed->Contains(Ip("10.20.30.40")));
  EXPECT_TRUE(parsed->Contains(Ip("192.0.2.7")));
  EXPECT_FALSE(parsed->Contains(Ip("192.0.2.8")));
  EXPECT_TRUE(parsed->Contains(Ip("2001:db8:1::5")));
  EXPECT_TRUE(parsed->Contains(Ip("::1")));
  EXPECT_FALSE(parsed->Contains(Ip("127.0.0.1")));
  EXPECT_TRUE(parsed->Contains(Ip("::ffff:10.0.0.1")));
}

TEST(TrustedProxiesTest, ErrorsNameTheBadEntry) {
  struct Case {
    const char* list;
    const char* named;
  };
  for (const Case& c : {Case{"10.0.0.0/8,10.0.0.0/33", "\"10.0.0.0/33\""},
                        Case{"::/129", "\"::/129\""},
                        Case{"10.0.0.0/8, example.com", "\"example.com\""},
                        Case{"10.0.0.1..10.0.0.9", "\"10.0.0.1..10.0.0.9\""},
                        Case{"10.0.0.0/8 192.0.2.1", "\"10.0.0.0/8 192.0.2.1\""},
                        Case{"256.0.0.1", "\"256.0.0.1\""},
                        Case{"10.0.0.0/8,,192.0.2.1", "entry 2 is empty"},
                        Case{"10.0.0.0/8,", "entry 2 is empty"},
                        Case{",10.0.0.0/8", "entry 1 is empty"}}) {
    auto parsed = TrustedProxies::Parse(c.list);
    ASSERT_FALSE(parsed.ok()) << c.list;
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(std::string(parsed.status().message()).find(c.named), std::string::npos)
        << parsed.status();
  }
}

}  // namespace
}  // namespace gatehouse::runtime
