#include "compiler/zone_compiler.h"

#include <string>

#include "gtest/gtest.h"

namespace gatehouse::compiler {
namespace {

// A zone with one ruleset given as JSON.
std::string ZoneWith(const std::string& ruleset) {
  return R"json({"zone": "a.test", "hostnames": ["a.test"],
    "origins": [{"name": "o", "servers": ["127.0.0.1:1"]}], "rulesets": [)json" +
         ruleset + "]}";
}

TEST(ZoneCompilerTest, StaticHeaderValueWithCrLfIsRejectedWithACaret) {
  const ZoneCompileResult result = CompileZoneJson(ZoneWith(R"json(
    {"phase": "http_request_transform", "rules": [{"id": "inject", "expression": "true",
      "action": "rewrite", "action_parameters": {"headers": {
        "X-A": {"operation": "set", "value": "ok\r\nSet-Cookie: pwn=1"}}}}]})json"));
  ASSERT_FALSE(result.ok());
  ASSERT_EQ(result.diagnostics.size(), 1u);
  const ZoneDiagnostic& d = result.diagnostics[0];
  EXPECT_EQ(d.rule_id, "inject");
  EXPECT_EQ(d.json_path, "rulesets[0].rules[0].action_parameters.headers[\"X-A\"].value");
  EXPECT_EQ(d.message, "a header value may not contain CR (\\r)");
  // The value is shown escaped, the caret under the CR.
  EXPECT_NE(d.rendered.find("\"ok\\r\\nSet-Cookie: pwn=1\"\n   ^\n"), std::string::npos)
      << d.rendered;
  EXPECT_EQ(d.column, 4);
}

TEST(ZoneCompilerTest, StaticRedirectTargetPathAndQueryAreChecked) {
  const ZoneCompileResult redirect = CompileZoneJson(ZoneWith(R"json(
    {"phase": "http_request_dynamic_redirect", "rules": [{"id": "r", "expression": "true",
      "action": "redirect", "action_parameters": {"from_value": {
        "target_url": {"value": "https://x.test/\nLocation: evil"}}}}]})json"));
  ASSERT_FALSE(redirect.ok());
  EXPECT_EQ(redirect.diagnostics[0].message, "a header value may not contain LF (\\n)");

  const ZoneCompileResult path = CompileZoneJson(ZoneWith(R"json(
    {"phase": "http_request_transform", "rules": [{"id": "p", "expression": "true",
      "action": "rewrite", "action_parameters": {"uri": {"path": {"value": "/a b"}}}}]})json"));
  ASSERT_FALSE(path.ok());
  EXPECT_EQ(path.diagnostics[0].json_path,
            "rulesets[0].rules[0].action_parameters.uri.path.value");

  const ZoneCompileResult query = CompileZoneJson(ZoneWith(R"json(
    {"phase": "http_request_transform", "rules": [{"id": "q", "expression": "true",
      "action": "rewrite", "action_parameters": {"uri": {"query": {"value": "?a=1\r\n"}}}}]})json"));
  ASSERT_FALSE(query.ok());
  EXPECT_EQ(query.diagnostics[0].message, "a query may not contain CR (\\r)");

  const ZoneCompileResult name = CompileZoneJson(ZoneWith(R"json(
    {"phase": "http_request_transform", "rules": [{"id": "n", "expression": "true",
      "action": "rewrite", "action_parameters": {"headers": {
        "X-A\r\nB": {"operation": "set", "value": "1"}}}}]})json"));
  ASSERT_FALSE(name.ok());
  EXPECT_EQ(name.diagnostics[0].message, "a header name may not contain CR");
}

TEST(ZoneCompilerTest, CleanStaticValuesCompile) {
  const ZoneCompileResult result = CompileZoneJson(ZoneWith(R"json(
    {"phase": "http_request_transform", "rules": [{"id": "ok", "expression": "true",
      "action": "rewrite", "action_parameters": {
        "uri": {"path": {"value": "new/page"}, "query": {"value": "?a=1&b=%0d"}},
        "headers": {"X-A": {"operation": "set", "value": "tab\tand space"}}}}]})json"));
  EXPECT_TRUE(result.ok()) << result.RenderedDiagnostics();
}

}  // namespace
}  // namespace gatehouse::compiler
