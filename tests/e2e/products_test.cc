// Each product through the real proxy, and their interactions: a transform before routing, a
// WAF block rendered by a custom error rule, a skip that bypasses a later rule.
#include <string>

#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "tests/support/edge_cluster.h"

namespace gatehouse::testing {
namespace {

constexpr char kZone[] = R"json({
  "zone": "shop.test",
  "hostnames": ["shop.test"],
  "origins": [{"name": "app", "servers": ["127.0.0.1:APP_PORT"]},
              {"name": "api", "servers": ["127.0.0.1:API_PORT"]}],
  "rulesets": [
    {"phase": "http_request_dynamic_redirect", "rules": [
      {"id": "old-blog", "expression": "starts_with(http.request.uri.path, \"/blog/\")",
       "action": "redirect", "action_parameters": {"from_value": {"status_code": 301,
         "target_url": {"expression": "concat(\"https://blog.shop.test\", substring(http.request.uri.path, 5))"},
         "preserve_query_string": true}}}]},
    {"phase": "http_request_transform", "rules": [
      {"id": "legacy-api", "expression": "starts_with(http.request.uri.path, \"/legacy/\")",
       "action": "rewrite", "action_parameters": {
         "uri": {"path": {"expression": "regex_replace(http.request.uri.path, \"^/legacy/\", \"/api/\")"}},
         "headers": {"X-Rewritten": {"operation": "set", "value": "yes"}}}}]},
    {"phase": "http_request_origin", "rules": [
      {"id": "api", "expression": "starts_with(http.request.uri.path, \"/api/\")",
       "action": "route", "action_parameters": {"origin": "api", "host_header": "api.internal"}}]},
    {"phase": "http_request_firewall_custom", "rules": [
      {"id": "allow-partner", "expression": "any(http.request.headers[\"x-partner\"][*] eq \"acme\")",
       "action": "skip", "action_parameters": {"ruleset": "current"}},
      {"id": "no-bots", "expression": "lower(http.user_agent) contains \"bot\"", "action": "block"}]},
    {"phase": "http_custom_errors", "rules": [
      {"id": "blocked-page", "expression": "http.response.code eq 403", "action": "serve_error",
       "action_parameters": {"status_code": 403, "content_type": "text/html",
                             "content": "<h1>Blocked</h1>ray ::RAY_ID::"}}]},
    {"phase": "http_response_headers_transform", "rules": [
      {"id": "hsts", "expression": "true", "action": "rewrite",
       "action_parameters": {"headers": {"Strict-Transport-Security": {"operation": "set", "value": "max-age=300"},
                                         "X-Origin": {"operation": "remove"}}}}]}
  ]
})json";

class ProductsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(cluster_.Start().ok());
    const auto pushed = cluster_.Push(absl::StrReplaceAll(
        kZone, {{"APP_PORT", std::to_string(cluster_.origin_port(0))},
                {"API_PORT", std::to_string(cluster_.origin_port(1))}}));
    ASSERT_EQ(pushed.exit_code, 0) << pushed.err;
    ASSERT_TRUE(cluster_.GetUntil("shop.test", "/", [](const HttpResult& r) {
      return r.status == 200;
    }).ok());
  }

  absl::StatusOr<HttpResult> Get(const std::string& target,
                                 std::vector<std::pair<std::string, std::string>> headers = {}) {
    HttpCall call;
    call.host = "shop.test";
    call.target = target;
    call.headers = std::move(headers);
    return HttpRequestOnce(cluster_.proxy_port(), call);
  }

  EdgeCluster cluster_;
};

TEST_F(ProductsTest, RedirectWithExpressionTargetKeepsTheQuery) {
  auto response = Get("/blog/2024/post?ref=x");
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 301);
  EXPECT_EQ(response->headers["location"], "https://blog.shop.test/2024/post?ref=x");
}

TEST_F(ProductsTest, TransformBeforeRoutingReachesTheApiOrigin) {
  auto response = Get("/legacy/users?id=3");
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 200);
  EXPECT_NE(response->body.find("origin origin1: GET /api/users?id=3"), std::string::npos)
      << response->body;
  EXPECT_NE(response->body.find("host: api.internal"), std::string::npos);
}

TEST_F(ProductsTest, WafBlockRenderedByTheCustomErrorRule) {
  auto response = Get("/", {{"User-Agent", "EvilBot/1.0"}});
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 403);
  EXPECT_EQ(response->headers["content-type"], "text/html");
  EXPECT_EQ(response->body, "<h1>Blocked</h1>ray " + response->headers["gatehouse-ray"]);
}

TEST_F(ProductsTest, SkipBypassesTheLaterRule) {
  auto response = Get("/", {{"User-Agent", "EvilBot/1.0"}, {"X-Partner", "acme"}});
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 200);
}

TEST_F(ProductsTest, ResponseHeadersTransform) {
  auto response = Get("/page");
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->headers["strict-transport-security"], "max-age=300");
  EXPECT_EQ(response->headers.count("x-origin"), 0u) << "the origin's header was removed";
}

}  // namespace
}  // namespace gatehouse::testing
