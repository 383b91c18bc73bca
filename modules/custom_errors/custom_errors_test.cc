#include "modules/custom_errors/custom_errors.h"

#include "gtest/gtest.h"
#include "modules/testing/module_harness.h"

namespace gatehouse::modules {
namespace {

using testing::ModuleHarness;

TEST(CustomErrorsTest, ReplacesMatchingResponsesWithTokens) {
  ModuleHarness harness(R"json({"phase": "http_custom_errors", "rules": [
      {"id": "gone", "expression": "http.response.code eq 404 and starts_with(http.request.uri.path, \"/shop\")",
       "action": "serve_error", "action_parameters": {"status_code": 404, "content_type": "text/html",
       "content": "<p>not here, ray ::RAY_ID::</p>"}},
      {"id": "5xx", "expression": "http.response.code ge 500", "action": "serve_error",
       "action_parameters": {"status_code": 503, "content_type": "application/json",
       "content": "{\"ip\": \"::CLIENT_IP::\"}"}}]})json");
  auto& gone = harness.Run({.target = "/shop/x"});
  harness.Respond(404);
  ASSERT_TRUE(gone.local_response().has_value());
  EXPECT_EQ(gone.local_response()->body, "<p>not here, ray 0123456789abcdef</p>");
  EXPECT_EQ(gone.deciding_rule()->id, "gone");

  auto& other404 = harness.Run({.target = "/blog"});
  harness.Respond(404);
  EXPECT_FALSE(other404.local_response().has_value());

  auto& failed = harness.Run({});
  harness.Respond(502);
  ASSERT_TRUE(failed.local_response().has_value());
  EXPECT_EQ(failed.local_response()->status, 503);
  EXPECT_EQ(failed.local_response()->content_type, "application/json");
  EXPECT_EQ(failed.local_response()->body, R"({"ip": "192.0.2.1"})");
  // Later response phases see the replaced response.
  EXPECT_EQ(failed.response_status(), 503);
}

TEST(CustomErrorsTest, RendersAnEdgeBlock) {
  ModuleHarness harness(R"json({"phase": "http_request_firewall_custom", "rules": [
      {"id": "block", "expression": "true", "action": "block"}]},
    {"phase": "http_custom_errors", "rules": [
      {"id": "403", "expression": "http.response.code eq 403", "action": "serve_error",
       "action_parameters": {"status_code": 403, "content_type": "text/html", "content": "<h1>No</h1>"}}]})json");
  auto& state = harness.Run({});
  auto block = state.TakeLocalResponse();
  ASSERT_TRUE(block.has_value());
  harness.Respond(block->status, {{"Content-Type", block->content_type}});
  ASSERT_TRUE(state.local_response().has_value());
  EXPECT_EQ(state.local_response()->body, "<h1>No</h1>");
}

}  // namespace
}  // namespace gatehouse::modules
