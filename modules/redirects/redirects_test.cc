#include "modules/redirects/redirects.h"

#include "gtest/gtest.h"
#include "modules/testing/module_harness.h"

namespace gatehouse::modules {
namespace {

using testing::ModuleHarness;

std::string Location(const sdk::LocalResponse& response) {
  for (const auto& [name, value] : response.headers) {
    if (name == "Location") return value;
  }
  return "";
}

TEST(RedirectsTest, StaticTargetWithAndWithoutTheQuery) {
  ModuleHarness harness(R"json({"phase": "http_request_dynamic_redirect", "rules": [
      {"id": "old", "expression": "http.request.uri.path eq \"/old\"", "action": "redirect",
       "action_parameters": {"from_value": {"status_code": 308,
         "target_url": {"value": "https://example.com/new"}, "preserve_query_string": true}}},
      {"id": "drop", "expression": "http.request.uri.path eq \"/drop\"", "action": "redirect",
       "action_parameters": {"from_value": {"target_url": {"value": "/x?a=1"}}}}]})json");
  auto& kept = harness.Run({.target = "/old?q=1&r=2"});
  ASSERT_TRUE(kept.local_response().has_value());
  EXPECT_EQ(kept.local_response()->status, 308);
  EXPECT_EQ(Location(*kept.local_response()), "https://example.com/new?q=1&r=2");
  auto& dropped = harness.Run({.target = "/drop?q=1"});
  ASSERT_TRUE(dropped.local_response().has_value());
  EXPECT_EQ(dropped.local_response()->status, 301);
  EXPECT_EQ(Location(*dropped.local_response()), "/x?a=1");
  EXPECT_FALSE(harness.Run({.target = "/other"}).local_response().has_value());
}

TEST(RedirectsTest, AComputedTargetWithCrLfIsNotAppliedAndIsNoted) {
  ModuleHarness harness(R"json({"phase": "http_request_dynamic_redirect", "rules": [
      {"id": "echo", "expression": "true", "action": "redirect", "action_parameters": {
         "from_value": {"status_code": 302, "target_url": {
           "expression": "concat(\"https://x.test/\", url_decode(http.request.uri.query))"}}}}]})json");
  auto& injected = harness.Run({.target = "/?a%0d%0aSet-Cookie:%20pwn=1"});
  EXPECT_FALSE(injected.local_response().has_value()) << "the redirect must not be applied";
  ASSERT_EQ(injected.refused_values().size(), 1u);
  EXPECT_EQ(injected.refused_values()[0].rule->id, "echo");
  EXPECT_EQ(injected.refused_values()[0].reason, "a header value may not contain CR (\\r)");
  auto& clean = harness.Run({.target = "/?page"});
  ASSERT_TRUE(clean.local_response().has_value());
  EXPECT_EQ(Location(*clean.local_response()), "https://x.test/page");
  EXPECT_TRUE(clean.refused_values().empty());
}

TEST(RedirectsTest, ExpressionTarget) {
  ModuleHarness harness(R"json({"phase": "http_request_dynamic_redirect", "rules": [
      {"id": "v2", "expression": "starts_with(http.request.uri.path, \"/v1/\")",
       "action": "redirect", "action_parameters": {"from_value": {"status_code": 302,
         "target_url": {"expression": "concat(\"https://api.example.com\", regex_replace(http.request.uri.path, \"^/v1/\", \"/v2/\"))"},
         "preserve_query_string": true}}}]})json");
  auto& state = harness.Run({.target = "/v1/users?id=7"});
  ASSERT_TRUE(state.local_response().has_value());
  EXPECT_EQ(state.local_response()->status, 302);
  EXPECT_EQ(Location(*state.local_response()), "https://api.example.com/v2/users?id=7");
}

TEST(RedirectsTest, LocationJoinsQueries) {
  EXPECT_EQ(RedirectLocation("/a", "x=1", true), "/a?x=1");
  EXPECT_EQ(RedirectLocation("/a?b=2", "x=1", true), "/a?b=2&x=1");
  EXPECT_EQ(RedirectLocation("/a", "", true), "/a");
  EXPECT_EQ(RedirectLocation("/a", "x=1", false), "/a");
}

}  // namespace
}  // namespace gatehouse::modules
