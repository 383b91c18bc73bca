#include "runtime/client_address/client_address.h"

#include "gtest/gtest.h"

namespace gatehouse::runtime {
namespace {

TEST(ClientAddressTest, FormatsOnceAndKeepsMappedAddressesAsIpv4) {
  const ClientAddress v4 = ClientAddress::Of(boost::asio::ip::make_address("192.0.2.1"));
  EXPECT_EQ(v4.text(), "192.0.2.1");
  EXPECT_TRUE(v4.ip().is_v4);
  const ClientAddress mapped = ClientAddress::Of(boost::asio::ip::make_address("::ffff:192.0.2.1"));
  EXPECT_EQ(mapped.text(), "192.0.2.1");
  EXPECT_TRUE(mapped.ip().is_v4);
  EXPECT_EQ(mapped.ip(), v4.ip());
  const ClientAddress v6 = ClientAddress::Of(boost::asio::ip::make_address("2001:db8::1"));
  EXPECT_EQ(v6.text(), "2001:db8::1");
  EXPECT_FALSE(v6.ip().is_v4);
  EXPECT_EQ(ClientAddress().text(), "");
}

TEST(ClientAddressTest, CopiesOwnTheirText) {
  ClientAddress copy;
  {
    const ClientAddress original(*rules::ParseIpAddress("2001:db8:1:2:3:4:5:6"));
    copy = original;
  }
  EXPECT_EQ(copy.text(), "2001:db8:1:2:3:4:5:6");
  const ClientAddress longest(*rules::ParseIpAddress("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe"));
  EXPECT_EQ(longest.text(), "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe");
}

}  // namespace
}  // namespace gatehouse::runtime
