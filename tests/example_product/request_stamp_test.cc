// The example product end to end: a product added in one folder (plus the line that links it)
// compiles with gatectl, links in the proxy and acts on real requests; an edge built without it
// refuses its rules with a clear reason instead of ignoring them.
#include <string>

#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "tests/support/proxy_process.h"
#include "tests/support/scripted_origin.h"

namespace gatehouse::testing {
namespace {

constexpr char kProxyWithStamp[] = "tests/example_product/proxy_with_stamp";
constexpr char kGatectlWithStamp[] = "tests/example_product/gatectl_with_stamp";

std::string StampZone(uint16_t port) {
  return absl::StrReplaceAll(R"json({
  "zone": "example.com",
  "hostnames": ["example.com"],
  "origins": [{"name": "app", "servers": ["127.0.0.1:PORT"]}],
  "rulesets": [{"phase": "http_request_sanitize", "rules": [
    {"id": "mark-api", "expression": "starts_with(http.request.uri.path, \"/api\")",
     "action": "stamp",
     "action_parameters": {"header": "X-Stamp",
                           "value": {"expression": "concat(\"api:\", http.request.method)"}}}]}]
})json",
                             {{"PORT", std::to_string(port)}});
}

ScriptedOrigin::Reply Ok(const ScriptedOrigin::Request&) {
  return {"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"};
}

TEST(ExampleProductTest, CompilesLinksAndActsInTheEdgeBuiltWithIt) {
  ScriptedOrigin origin(Ok);
  const std::string path = UniqueTestPath("stamp") + ".snapshot";
  const CommandResult compiled =
      CompileSnapshot({StampZone(origin.port())}, path, 1, kGatectlWithStamp);
  ASSERT_EQ(compiled.exit_code, 0) << compiled.err;

  auto proxy = StartProxy({"--snapshot-file=" + path, "--workers=1"}, kProxyWithStamp);
  ASSERT_TRUE(proxy.ok()) << proxy.status();
  auto api = HttpGet(proxy->port, "example.com", "/api/users");
  ASSERT_TRUE(api.ok()) << api.status();
  EXPECT_EQ(api->status, 200);
  auto other = HttpGet(proxy->port, "example.com", "/home");
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_EQ(other->status, 200);

  const auto requests = origin.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_NE(requests[0].head.find("x-stamp: api:GET\r\n"), std::string::npos) << requests[0].head;
  EXPECT_EQ(requests[1].head.find("x-stamp"), std::string::npos) << requests[1].head;
}

TEST(ExampleProductTest, ParametersAreCheckedByTheProductWithPaths) {
  const std::string zone = absl::StrReplaceAll(StampZone(1), {{"\"X-Stamp\"", "\"\""}});
  const CommandResult compiled =
      CompileSnapshot({zone}, UniqueTestPath("bad") + ".snapshot", 1, kGatectlWithStamp);
  EXPECT_NE(compiled.exit_code, 0);
  EXPECT_NE(compiled.err.find("rulesets[0].rules[0].action_parameters.header"), std::string::npos)
      << compiled.err;
  EXPECT_NE(compiled.err.find("a stamp needs a header name"), std::string::npos) << compiled.err;
}

TEST(ExampleProductTest, AnEdgeWithoutTheProductRefusesItsRules) {
  // The stock gatectl has no product for the phase (nor the action).
  const CommandResult stock =
      CompileSnapshot({StampZone(1)}, UniqueTestPath("stock") + ".snapshot", 1);
  EXPECT_NE(stock.exit_code, 0);
  EXPECT_NE(stock.err.find("no product in this build runs phase \"http_request_sanitize\""),
            std::string::npos)
      << stock.err;

  // The stock proxy, given a program that uses it, rejects that zone (and logs why; over a
  // control plane's stream the reason is reported back, see control_stream_test).
  ScriptedOrigin origin(Ok);
  const std::string path = UniqueTestPath("foreign") + ".snapshot";
  ASSERT_EQ(CompileSnapshot({StampZone(origin.port())}, path, 1, kGatectlWithStamp).exit_code, 0);
  auto proxy = StartProxy({"--snapshot-file=" + path, "--workers=1"});
  ASSERT_TRUE(proxy.ok()) << proxy.status();
  auto served = HttpGet(proxy->port, "example.com", "/api");
  ASSERT_TRUE(served.ok()) << served.status();
  EXPECT_NE(served->status, 200) << "a zone whose rules this proxy cannot run must not be served";
  EXPECT_EQ(origin.requests().size(), 0u);
}

}  // namespace
}  // namespace gatehouse::testing
