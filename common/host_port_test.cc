#include "common/host_port.h"

#include "gtest/gtest.h"

namespace gatehouse {
namespace {

TEST(HostPortTest, ParsesV4NamesAndV6) {
  auto v4 = ParseHostPort("127.0.0.1:9001");
  ASSERT_TRUE(v4.ok());
  EXPECT_EQ(v4->host, "127.0.0.1");
  EXPECT_EQ(v4->port, 9001);
  auto v6 = ParseHostPort("[::1]:80");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->ToString(), "[::1]:80");
  EXPECT_TRUE(ParseHostPort("localhost:0").ok());
}

TEST(HostPortTest, TellsLoopbackHosts) {
  for (const char* host : {"localhost", "127.0.0.1", "127.1.2.3", "::1"}) {
    EXPECT_TRUE(IsLoopbackHost(host)) << host;
  }
  for (const char* host : {"0.0.0.0", "::", "10.0.0.1", "example.com", "128.0.0.1", ""}) {
    EXPECT_FALSE(IsLoopbackHost(host)) << host;
  }
}

TEST(HostPortTest, RejectsMalformed) {
  EXPECT_FALSE(ParseHostPort("127.0.0.1").ok());
  EXPECT_FALSE(ParseHostPort(":80").ok());
  EXPECT_FALSE(ParseHostPort("a:99999").ok());
  EXPECT_FALSE(ParseHostPort("a:8x").ok());
  EXPECT_FALSE(ParseHostPort("::1:80").ok());
  EXPECT_FALSE(ParseHostPort("a:0", /*allow_zero_port=*/false).ok());
}

}  // namespace
}  // namespace gatehouse
