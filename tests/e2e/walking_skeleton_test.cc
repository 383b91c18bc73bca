// The whole path with real processes: gatectl push → control (gRPC) → snapshot stream → proxy →
// origin. A second push changes the proxy's behaviour with nothing restarted.
#include <string>

#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "tests/support/edge_cluster.h"

namespace gatehouse::testing {
namespace {

std::string ZoneJson(uint16_t app_port, uint16_t api_port, const std::string& blocked_prefix) {
  return absl::StrReplaceAll(R"json({
  "zone": "example.com",
  "hostnames": ["example.com", "*.example.com"],
  "origins": [{"name": "app", "servers": ["127.0.0.1:APP_PORT"]},
              {"name": "api", "servers": ["127.0.0.1:API_PORT"]}],
  "lists": [{"name": "office_ips", "kind": "ip", "items": ["10.0.0.0/8"]}],
  "rulesets": [
    {"phase": "http_request_firewall_custom", "rules": [
      {"id": "block-prefix",
       "expression": "starts_with(http.request.uri.path, \"BLOCKED\") and not ip.src in $office_ips",
       "action": "block",
       "action_parameters": {"response": {"status_code": 403, "content_type": "text/plain",
                                          "content": "denied ::RAY_ID::"}}}]},
    {"phase": "http_request_origin", "rules": [
      {"id": "api", "expression": "starts_with(http.request.uri.path, \"/api/\")",
       "action": "route", "action_parameters": {"origin": "api", "host_header": "api.internal"}}]},
    {"phase": "http_custom_errors", "rules": [
      {"id": "5xx", "expression": "http.response.code ge 500",
       "action": "serve_error",
       "action_parameters": {"status_code": 503, "content_type": "text/html",
                             "content": "<h1>Sorry</h1> ray ::RAY_ID:: client ::CLIENT_IP::"}}]}
  ]
})json",
                             {{"APP_PORT", std::to_string(app_port)},
                              {"API_PORT", std::to_string(api_port)},
                              {"BLOCKED", blocked_prefix}});
}

class WalkingSkeletonTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(cluster_.Start().ok()); }
  EdgeCluster cluster_;
};

TEST_F(WalkingSkeletonTest, PushCompilesStreamsAndServesThenASecondPushChangesBehaviour) {
  const auto pushed =
      cluster_.Push(ZoneJson(cluster_.origin_port(0), cluster_.origin_port(1), "/admin"));
  ASSERT_EQ(pushed.exit_code, 0) << pushed.err;
  EXPECT_NE(pushed.out.find("zone example.com: version 1"), std::string::npos) << pushed.out;

  // Proxied to the default origin.
  auto home = cluster_.GetUntil("example.com", "/", [](const HttpResult& r) {
    return r.status == 200;
  });
  ASSERT_TRUE(home.ok()) << home.status();
  ASSERT_EQ(home->status, 200) << home->body;
  EXPECT_NE(home->body.find("origin origin0: GET /"), std::string::npos) << home->body;
  EXPECT_NE(home->body.find("x-forwarded-for: 127.0.0.1"), std::string::npos) << home->body;
  EXPECT_EQ(home->headers["gatehouse-ray"].size(), 16u);
  const std::string first_version = home->headers["gatehouse-zone-version"];
  EXPECT_FALSE(first_version.empty());

  // A wildcard host name reaches the same zone.
  auto www = HttpGet(cluster_.proxy_port(), "www.example.com:8080", "/x");
  ASSERT_TRUE(www.ok());
  EXPECT_EQ(www->status, 200);

  // Blocked with the custom response; the ray ID token is filled in.
  auto admin = HttpGet(cluster_.proxy_port(), "example.com", "/admin/users");
  ASSERT_TRUE(admin.ok());
  EXPECT_EQ(admin->status, 403);
  EXPECT_EQ(admin->body, "denied " + admin->headers["gatehouse-ray"]);

  // Routed to the api origin with the host header override.
  auto api = HttpGet(cluster_.proxy_port(), "example.com", "/api/v1");
  ASSERT_TRUE(api.ok());
  EXPECT_EQ(api->status, 200);
  EXPECT_NE(api->body.find("origin origin1: GET /api/v1"), std::string::npos) << api->body;
  EXPECT_NE(api->body.find("host: api.internal"), std::string::npos) << api->body;

  // An origin 5xx is replaced by the custom error page.
  auto error = HttpGet(cluster_.proxy_port(), "example.com", "/status/502");
  ASSERT_TRUE(error.ok());
  EXPECT_EQ(error->status, 503);
  EXPECT_EQ(error->headers["content-type"], "text/html");
  EXPECT_EQ(error->body, "<h1>Sorry</h1> ray " + error->headers["gatehouse-ray"] +
                             " client 127.0.0.1");

  // A host no zone serves.
  auto unknown = HttpGet(cluster_.proxy_port(), "other.test", "/");
  ASSERT_TRUE(unknown.ok());
  EXPECT_EQ(unknown->status, 421);

  // Second push: block /private instead of /admin. Nothing restarts.
  const auto second =
      cluster_.Push(ZoneJson(cluster_.origin_port(0), cluster_.origin_port(1), "/private"));
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.out.find("version 2"), std::string::npos) << second.out;
  auto private_page = cluster_.GetUntil("example.com", "/private", [](const HttpResult& r) {
    return r.status == 403;
  });
  ASSERT_TRUE(private_page.ok());
  EXPECT_EQ(private_page->status, 403);
  EXPECT_NE(private_page->headers["gatehouse-zone-version"], first_version);
  auto admin_again = HttpGet(cluster_.proxy_port(), "example.com", "/admin/users");
  ASSERT_TRUE(admin_again.ok());
  EXPECT_EQ(admin_again->status, 200);

  // The admin listener reports what was served.
  auto metrics = HttpGet(cluster_.admin_port(), "admin", "/metrics");
  ASSERT_TRUE(metrics.ok());
  EXPECT_NE(metrics->body.find(
                "gatehouse_requests_total{zone=\"example.com\",status=\"403\",action=\"block\"}"),
            std::string::npos)
      << metrics->body;
  EXPECT_NE(metrics->body.find("gatehouse_snapshot_version " +
                               private_page->headers["gatehouse-zone-version"]),
            std::string::npos);
  auto ready = HttpGet(cluster_.admin_port(), "admin", "/readyz");
  ASSERT_TRUE(ready.ok());
  EXPECT_EQ(ready->status, 200);
  auto summary = HttpGet(cluster_.admin_port(), "admin", "/snapshot");
  ASSERT_TRUE(summary.ok());
  EXPECT_NE(summary->body.find("\"zone\": \"example.com\", \"version\": 2"), std::string::npos)
      << summary->body;

  // Pushing the same config again is a no-op.
  const auto same =
      cluster_.Push(ZoneJson(cluster_.origin_port(0), cluster_.origin_port(1), "/private"));
  ASSERT_EQ(same.exit_code, 0) << same.err;
  EXPECT_NE(same.out.find("version 2, unchanged"), std::string::npos) << same.out;
}

TEST_F(WalkingSkeletonTest, BadConfigIsRejectedWithCaretAndChangesNothing) {
  const auto good =
      cluster_.Push(ZoneJson(cluster_.origin_port(0), cluster_.origin_port(1), "/admin"));
  ASSERT_EQ(good.exit_code, 0) << good.err;
  const std::string bad = R"json({"zone": "example.com", "hostnames": ["example.com"],
    "origins": [{"name": "app", "servers": ["127.0.0.1:1"]}],
    "rulesets": [{"phase": "http_request_firewall_custom", "rules": [
      {"id": "typo", "expression": "http.request.uri.path eq ", "action": "block"}]}]})json";
  const auto rejected = cluster_.Push(bad);
  EXPECT_EQ(rejected.exit_code, 1);
  EXPECT_NE(rejected.err.find("rule typo"), std::string::npos) << rejected.err;
  EXPECT_NE(rejected.err.find("^"), std::string::npos) << rejected.err;
  const auto versions = cluster_.Gatectl({"zones"});
  ASSERT_EQ(versions.exit_code, 0);
  EXPECT_NE(versions.out.find("example.com\tversion 1"), std::string::npos) << versions.out;
}

}  // namespace
}  // namespace gatehouse::testing
