#include "common/control_addresses.h"

#include "gtest/gtest.h"

namespace gatehouse {
namespace {

TEST(ControlChannelTargetTest, OneAddressAsItIsSeveralAsAList) {
  EXPECT_EQ(*ControlChannelTarget("control.example:50051"), "control.example:50051");
  EXPECT_EQ(*ControlChannelTarget("127.0.0.1:1,10.0.0.2:2"), "ipv4:127.0.0.1:1,10.0.0.2:2");
  EXPECT_EQ(*ControlChannelTarget("[::1]:1,[fe80::1]:2"), "ipv6:[::1]:1,[fe80::1]:2");
}

TEST(ControlChannelTargetTest, RefusesWhatGrpcCannotList) {
  EXPECT_FALSE(ControlChannelTarget("").ok());
  EXPECT_FALSE(ControlChannelTarget("127.0.0.1:1,").ok());
  EXPECT_FALSE(ControlChannelTarget("127.0.0.1:0").ok());
  EXPECT_FALSE(ControlChannelTarget("a.example:1,b.example:2").ok());
  EXPECT_FALSE(ControlChannelTarget("127.0.0.1:1,[::1]:2").ok());
}

}  // namespace
}  // namespace gatehouse
