#include "runtime/http2/frame_budget.h"

#include "gtest/gtest.h"

namespace gatehouse::runtime::http2 {
namespace {

TEST(FrameBudgetTest, AllowsTheBurstThenTheRate) {
  const auto start = FrameBudget::Clock::now();
  FrameBudget budget(10, 5, start);
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(budget.Spend(start)) << i;
  EXPECT_FALSE(budget.Spend(start));
  // One second refills five.
  const auto later = start + std::chrono::seconds(1);
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(budget.Spend(later)) << i;
  EXPECT_FALSE(budget.Spend(later));
  // Never more than the burst, however long the pause.
  const auto much_later = later + std::chrono::hours(1);
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(budget.Spend(much_later)) << i;
  EXPECT_FALSE(budget.Spend(much_later));
}

}  // namespace
}  // namespace gatehouse::runtime::http2
