#include "runtime/snapshot/reconnect_backoff.h"

#include "gtest/gtest.h"

namespace gatehouse::runtime {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(ReconnectBackoffTest, DoublesWithJitterUpToTheMaximum) {
  ReconnectBackoff backoff(milliseconds(100), milliseconds(1000), seconds(10), /*seed=*/1);
  const int bases[] = {100, 200, 400, 800, 1000, 1000};
  for (int base : bases) {
    const auto wait = backoff.Next(milliseconds(0));
    EXPECT_GE(wait, milliseconds(base / 2));
    EXPECT_LE(wait, milliseconds(base));
  }
}

TEST(ReconnectBackoffTest, AHealthyStreamStartsTheBackoffOver) {
  ReconnectBackoff backoff(milliseconds(100), milliseconds(5000), seconds(10), /*seed=*/2);
  for (int i = 0; i < 6; ++i) backoff.Next(milliseconds(0));
  EXPECT_LE(backoff.Next(seconds(11)), milliseconds(100));
}

TEST(ReconnectBackoffTest, JitterSpreadsAFleet) {
  // Proxies started together do not all wait the same.
  bool differ = false;
  const auto first = ReconnectBackoff(milliseconds(1000), milliseconds(5000), seconds(10), 1)
                         .Next(milliseconds(0));
  for (unsigned seed = 2; seed < 10 && !differ; ++seed) {
    differ = ReconnectBackoff(milliseconds(1000), milliseconds(5000), seconds(10), seed)
                 .Next(milliseconds(0)) != first;
  }
  EXPECT_TRUE(differ);
}

}  // namespace
}  // namespace gatehouse::runtime
