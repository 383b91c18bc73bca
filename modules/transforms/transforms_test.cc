#include "modules/transforms/transforms.h"

#include "gtest/gtest.h"
#include "modules/testing/module_harness.h"

namespace gatehouse::modules {
namespace {

using testing::ModuleHarness;

std::optional<std::string> Header(const rules::HeaderList& headers, std::string_view name) {
  for (const auto& [n, v] : headers) {
    if (n == name) return std::string(v);
  }
  return std::nullopt;
}

TEST(TransformsTest, RewritesPathQueryAndRequestHeadersInOrder) {
  ModuleHarness harness(R"json({"phase": "http_request_transform", "rules": [
      {"id": "path", "expression": "starts_with(http.request.uri.path, \"/old/\")",
       "action": "rewrite", "action_parameters": {"uri": {
         "path": {"expression": "regex_replace(http.request.uri.path, \"^/old/\", \"/new/\")"},
         "query": {"value": "v=2"}}}},
      {"id": "headers", "expression": "true", "action": "rewrite", "action_parameters": {
         "headers": {"X-Set": {"operation": "set", "value": "s"},
                     "X-Path": {"operation": "set", "expression": "http.request.uri.path"},
                     "X-Add": {"operation": "add", "value": "second"},
                     "Cookie": {"operation": "remove"}}}}]})json");
  auto& state = harness.Run({.target = "/old/page?v=1",
                             .headers = {{"X-Set", "old"}, {"X-Add", "first"}, {"Cookie", "a=1"}}});
  EXPECT_EQ(state.target(), "/new/page?v=2");
  EXPECT_EQ(Header(state.request_headers(), "x-set"), "s");
  EXPECT_EQ(Header(state.request_headers(), "X-Set"), std::nullopt) << "replaced, any case";
  // The second rule sees the first rule's rewrite.
  EXPECT_EQ(Header(state.request_headers(), "x-path"), "/new/page");
  EXPECT_EQ(Header(state.request_headers(), "X-Add"), "first");
  EXPECT_EQ(Header(state.request_headers(), "x-add"), "second");
  EXPECT_EQ(Header(state.request_headers(), "Cookie"), std::nullopt);
  EXPECT_EQ(state.matched().size(), 2u);
}

TEST(TransformsTest, ComputedValuesThatWouldBreakTheMessageAreNotApplied) {
  ModuleHarness harness(R"json({"phase": "http_request_transform", "rules": [
      {"id": "hdr", "expression": "true", "action": "rewrite", "action_parameters": {
         "headers": {"X-Echo": {"operation": "set",
                                "expression": "url_decode(http.request.uri.query)"}}}},
      {"id": "path", "expression": "true", "action": "rewrite", "action_parameters": {"uri": {
         "path": {"expression": "concat(\"/p/\", url_decode(http.request.uri.query))"}}}}]})json");
  auto& injected = harness.Run({.target = "/a?x%0d%0aEvil:%201"});
  EXPECT_EQ(Header(injected.request_headers(), "x-echo"), std::nullopt);
  EXPECT_EQ(injected.target(), "/a?x%0d%0aEvil:%201") << "the request line is not split";
  ASSERT_EQ(injected.refused_values().size(), 2u);
  EXPECT_EQ(injected.refused_values()[0].rule->id, "hdr");
  EXPECT_EQ(injected.refused_values()[1].rule->id, "path");
  // A space would split the request line sent to the origin.
  auto& spaced = harness.Run({.target = "/a?b%20c"});
  EXPECT_EQ(Header(spaced.request_headers(), "x-echo"), "b c") << "a space is fine in a value";
  EXPECT_EQ(spaced.target(), "/a?b%20c");
  ASSERT_EQ(spaced.refused_values().size(), 1u);
  EXPECT_EQ(spaced.refused_values()[0].rule->id, "path");
  auto& clean = harness.Run({.target = "/a?b"});
  EXPECT_EQ(Header(clean.request_headers(), "x-echo"), "b");
  EXPECT_EQ(clean.target(), "/p/b?b");
  EXPECT_TRUE(clean.refused_values().empty());
}

TEST(TransformsTest, LaterPhasesSeeTheRewrite) {
  ModuleHarness harness(R"json({"phase": "http_request_transform", "rules": [
      {"id": "to-api", "expression": "http.request.uri.path eq \"/legacy\"", "action": "rewrite",
       "action_parameters": {"uri": {"path": {"value": "/api/legacy"}}}}]},
    {"phase": "http_request_origin", "rules": [
      {"id": "api", "expression": "starts_with(http.request.uri.path, \"/api/\")",
       "action": "route", "action_parameters": {"origin": "api"}}]})json");
  EXPECT_EQ(harness.Run({.target = "/legacy"}).route().origin_index, 1u);
  EXPECT_EQ(harness.Run({.target = "/other"}).route().origin_index, 0u);
}

TEST(TransformsTest, ResponseHeaders) {
  ModuleHarness harness(R"json({"phase": "http_response_headers_transform", "rules": [
      {"id": "sec", "expression": "http.response.code eq 200", "action": "rewrite",
       "action_parameters": {"headers": {"Strict-Transport-Security": {"operation": "set", "value": "max-age=60"},
                                         "Server": {"operation": "remove"}}}}]})json");
  auto& state = harness.Run({});
  harness.Respond(200, {{"Server", "origin"}, {"Content-Type", "text/plain"}});
  EXPECT_TRUE(state.response_headers_changed());
  EXPECT_EQ(Header(state.response_headers(), "strict-transport-security"), "max-age=60");
  EXPECT_EQ(Header(state.response_headers(), "Server"), std::nullopt);
  EXPECT_EQ(Header(state.response_headers(), "Content-Type"), "text/plain");
  auto& untouched = harness.Run({});
  harness.Respond(404, {{"Server", "origin"}});
  EXPECT_FALSE(untouched.response_headers_changed());
}

}  // namespace
}  // namespace gatehouse::modules
