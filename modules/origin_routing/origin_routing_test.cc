#include "modules/origin_routing/origin_routing.h"

#include "gtest/gtest.h"
#include "modules/testing/module_harness.h"

namespace gatehouse::modules {
namespace {

using testing::ModuleHarness;

TEST(OriginRoutingTest, FirstMatchingRouteWinsWithOverrides) {
  ModuleHarness harness(R"json({"phase": "http_request_origin", "rules": [
      {"id": "api", "expression": "starts_with(http.request.uri.path, \"/api/\")",
       "action": "route", "action_parameters": {"origin": "api", "host_header": "api.internal", "port": 8443}},
      {"id": "also-api", "expression": "true", "action": "route",
       "action_parameters": {"origin": "app", "host_header": "second.internal"}}]})json");
  auto& api = harness.Run({.target = "/api/x"});
  EXPECT_EQ(api.route().origin_index, 1u);
  EXPECT_EQ(api.route().host_header, "api.internal");
  EXPECT_EQ(api.route().port, 8443);
  auto& other = harness.Run({.target = "/x"});
  EXPECT_EQ(other.route().origin_index, 0u);
  EXPECT_EQ(other.route().host_header, "second.internal");
}

TEST(OriginRoutingTest, FallbackMarksTheRequestNotHandled) {
  ModuleHarness harness(R"json({"phase": "http_request_origin", "rules": [
      {"id": "legacy", "expression": "starts_with(http.request.uri.path, \"/old-app/\")",
       "action": "fallback"}]})json");
  EXPECT_TRUE(harness.Run({.target = "/old-app/x"}).not_handled());
  EXPECT_FALSE(harness.Run({.target = "/new"}).not_handled());
}

TEST(OriginRoutingTest, DefaultOriginWithoutRules) {
  ModuleHarness harness("");
  auto& state = harness.Run({.target = "/api/x"});
  EXPECT_EQ(state.route().origin_index, 0u);
  EXPECT_TRUE(state.route().host_header.empty());
  EXPECT_FALSE(state.local_response().has_value());
}

}  // namespace
}  // namespace gatehouse::modules
