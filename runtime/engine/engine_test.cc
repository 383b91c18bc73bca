#include <set>

#include "gtest/gtest.h"
#include "runtime/engine/ray_id.h"
#include "runtime/engine/response_tokens.h"

namespace gatehouse::runtime {
namespace {

TEST(ResponseTokensTest, ReplacesEveryToken) {
  EXPECT_EQ(RenderResponseTokens("ray ::RAY_ID:: ip ::CLIENT_IP:: again ::RAY_ID::", "abc", "1.2.3.4"),
            "ray abc ip 1.2.3.4 again abc");
  EXPECT_EQ(RenderResponseTokens("::RAY_ID", "abc", "ip"), "::RAY_ID");
  EXPECT_EQ(RenderResponseTokens("", "abc", "ip"), "");
}

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
