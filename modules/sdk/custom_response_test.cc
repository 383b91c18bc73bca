#include "modules/sdk/custom_response.h"

#include "gtest/gtest.h"

namespace gatehouse::sdk {
namespace {

TEST(ResponseTokensTest, ReplacesEveryToken) {
  EXPECT_EQ(RenderResponseTokens("ray ::RAY_ID:: ip ::CLIENT_IP:: again ::RAY_ID::", "abc", "1.2.3.4"),
            "ray abc ip 1.2.3.4 again abc");
  EXPECT_EQ(RenderResponseTokens("::RAY_ID", "abc", "ip"), "::RAY_ID");
  EXPECT_EQ(RenderResponseTokens("", "abc", "ip"), "");
}

TEST(CustomResponseTest, RendersStatusTypeAndTokens) {
  const LocalResponse out =
      RenderCustomResponse({429, "application/json", "{\"ray\": \"::RAY_ID::\"}"}, "r1", "ip");
  EXPECT_EQ(out.status, 429);
  EXPECT_EQ(out.content_type, "application/json");
  EXPECT_EQ(out.body, "{\"ray\": \"r1\"}");
}

}  // namespace
}  // namespace gatehouse::sdk
