#include <set>

#include "gtest/gtest.h"
#include "runtime/observability/ray_id.h"

namespace gatehouse::runtime {
namespace {

TEST(RayIdGeneratorTest, SixteenHexDigitsAndDistinct) {
  RayIdGenerator generator;
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string id(generator.Next().view());
    ASSERT_EQ(id.size(), 16u);
    ASSERT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos);
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

}  // namespace
}  // namespace gatehouse::runtime
