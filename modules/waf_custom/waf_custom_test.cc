#include "modules/waf_custom/waf_custom.h"

#include "gtest/gtest.h"
#include "modules/testing/module_harness.h"

namespace gatehouse::modules {
namespace {

using testing::ModuleHarness;

TEST(WafCustomTest, FirstBlockWinsWithItsCustomResponseAndTokens) {
  ModuleHarness harness(R"json({"phase": "http_request_firewall_custom", "rules": [
      {"id": "log-all", "expression": "true", "action": "log"},
      {"id": "admin", "expression": "starts_with(http.request.uri.path, \"/admin\")",
       "action": "block", "action_parameters": {"response": {"status_code": 451,
       "content_type": "application/json", "content": "{\"ray\": \"::RAY_ID::\", \"ip\": \"::CLIENT_IP::\"}"}}},
      {"id": "later", "expression": "true", "action": "block"}]})json");
  auto& state = harness.Run({.target = "/admin/x"});
  ASSERT_TRUE(state.local_response().has_value());
  EXPECT_EQ(state.local_response()->status, 451);
  EXPECT_EQ(state.local_response()->content_type, "application/json");
  EXPECT_EQ(state.local_response()->body, R"({"ray": "0123456789abcdef", "ip": "192.0.2.1"})");
  EXPECT_EQ(state.deciding_rule()->id, "admin");
  ASSERT_EQ(state.matched().size(), 2u);
  EXPECT_EQ(state.matched()[0]->id, "log-all");
}

TEST(WafCustomTest, DefaultBlockIs403AndLogContinues) {
  ModuleHarness harness(R"json({"phase": "http_request_firewall_custom", "rules": [
      {"id": "log", "expression": "http.request.method eq \"POST\"", "action": "log"},
      {"id": "block", "expression": "http.request.uri.path eq \"/x\"", "action": "block"}]})json");
  auto& logged = harness.Run({.method = "POST", .target = "/y"});
  EXPECT_FALSE(logged.local_response().has_value());
  ASSERT_EQ(logged.matched().size(), 1u);
  EXPECT_EQ(logged.matched()[0]->id, "log");
  auto& blocked = harness.Run({.target = "/x"});
  ASSERT_TRUE(blocked.local_response().has_value());
  EXPECT_EQ(blocked.local_response()->status, 403);
  EXPECT_EQ(blocked.local_response()->body, "Access denied. Ray ID: 0123456789abcdef\n");
}

TEST(WafCustomTest, SkipTheRestOfTheRuleset) {
  ModuleHarness harness(R"json({"phase": "http_request_firewall_custom", "rules": [
      {"id": "trusted", "expression": "any(http.request.headers[\"x-trusted\"][*] eq \"1\")",
       "action": "skip", "action_parameters": {"ruleset": "current"}},
      {"id": "block", "expression": "true", "action": "block"}]})json");
  EXPECT_FALSE(harness.Run({.headers = {{"X-Trusted", "1"}}}).local_response().has_value());
  EXPECT_TRUE(harness.Run({}).local_response().has_value());
}

TEST(WafCustomTest, SkipLaterPhasesAndProducts) {
  ModuleHarness harness(R"json({"phase": "http_request_firewall_custom", "rules": [
      {"id": "no-late", "expression": "http.request.uri.path eq \"/a\"", "action": "skip",
       "action_parameters": {"phases": ["http_request_late_transform"]}},
      {"id": "no-errors", "expression": "http.request.uri.path eq \"/b\"", "action": "skip",
       "action_parameters": {"products": ["custom_errors"]}}]},
    {"phase": "http_request_late_transform", "rules": [
      {"id": "tag", "expression": "true", "action": "rewrite",
       "action_parameters": {"headers": {"X-Late": {"operation": "set", "value": "1"}}}}]},
    {"phase": "http_custom_errors", "rules": [
      {"id": "page", "expression": "http.response.code ge 500", "action": "serve_error",
       "action_parameters": {"status_code": 503, "content_type": "text/plain", "content": "x"}}]})json");
  auto has_late_header = [](const engine::RequestState& state) {
    for (const auto& [name, value] : state.request_headers()) {
      if (name == "x-late") return true;
    }
    return false;
  };
  EXPECT_FALSE(has_late_header(harness.Run({.target = "/a"})));
  EXPECT_TRUE(has_late_header(harness.Run({.target = "/c"})));
  auto& skipped = harness.Run({.target = "/b"});
  harness.Respond(502);
  EXPECT_FALSE(skipped.local_response().has_value()) << "custom_errors was skipped";
  auto& served = harness.Run({.target = "/c"});
  harness.Respond(502);
  ASSERT_TRUE(served.local_response().has_value());
  EXPECT_EQ(served.local_response()->status, 503);
}

TEST(WafCustomTest, SkipNamesOneKindOfThing) {
  const std::string errors = ModuleHarness::CompileErrors(
      R"json({"phase": "http_request_firewall_custom", "rules": [
      {"id": "two", "expression": "true", "action": "skip",
       "action_parameters": {"products": ["managed_waf"], "rules": {"owasp-crs": ["942100"]}}},
      {"id": "none", "expression": "true", "action": "skip", "action_parameters": {}}]})json");
  EXPECT_NE(errors.find("rulesets[0].rules[0].action_parameters: error: skip needs exactly one "
                        "of \"ruleset\": \"current\", \"phases\", \"products\" or \"rules\""),
            std::string::npos)
      << errors;
  EXPECT_NE(errors.find("rulesets[0].rules[1].action_parameters: error: skip needs exactly one"),
            std::string::npos)
      << errors;
  // Without managed rulesets, a skip of managed rules names none that exists.
  EXPECT_NE(errors.find("rulesets[0].rules[0].action_parameters.rules.owasp-crs: error: unknown "
                        "managed ruleset \"owasp-crs\"; available: none"),
            std::string::npos)
      << errors;
}

}  // namespace
}  // namespace gatehouse::modules
