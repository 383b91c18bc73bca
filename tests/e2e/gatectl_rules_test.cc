// gatectl check and eval, run as the real binary: no server involved.
#include <string>

#include "gtest/gtest.h"
#include "tests/support/binaries.h"
#include "tests/support/subprocess.h"

namespace gatehouse::testing {
namespace {

CommandResult Gatectl(std::vector<std::string> args) {
  args.insert(args.begin(), kGatectlBinary);
  return RunCommand(args);
}

std::string RequestFile(const std::string& name, const std::string& json) {
  const std::string path = TempPath(name);
  WriteFile(path, json);
  return path;
}

TEST(GatectlRulesTest, CheckAcceptsAndRejectsExpressionsWithCarets) {
  EXPECT_EQ(Gatectl({"check", "starts_with(http.request.uri.path, \"/a\")"}).exit_code, 0);
  const auto bad = Gatectl({"check", "http.request.uri.path eq 5"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("1:26: error:"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("^"), std::string::npos) << bad.err;
  // Response fields are out of scope in a request phase, in scope in a response phase.
  EXPECT_EQ(Gatectl({"check", "http.response.code eq 502"}).exit_code, 1);
  EXPECT_EQ(Gatectl({"check", "--phase=http_custom_errors", "http.response.code eq 502"}).exit_code,
            0);
}

TEST(GatectlRulesTest, CheckZoneFiles) {
  EXPECT_EQ(Gatectl({"check", "examples/zone.json"}).exit_code, 0);
  const std::string bad = RequestFile("bad-zone.json", R"json({"zone": "a.com",
    "hostnames": ["a.com"], "origins": [{"name": "o", "servers": ["127.0.0.1:1"]}],
    "rulesets": [{"phase": "http_request_origin", "rules": [
      {"id": "r", "expression": "true", "action": "route",
       "action_parameters": {"origin": "missing"}}]}]})json");
  const auto result = Gatectl({"check", bad});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("rulesets[0].rules[0].action_parameters.origin"), std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("unknown origin \"missing\""), std::string::npos);
}

TEST(GatectlRulesTest, EvalPrintsValuesAndFilterResults) {
  const std::string request = RequestFile("request.json", R"json({
    "method": "POST", "url": "https://shop.example.com/a/b.php?x=1&x=2",
    "headers": [["User-Agent", "curl/8.0"], ["Cookie", "a=1; b=2"]],
    "client_ip": "2001:db8::7", "body": "hello"})json");
  const auto eval = [&](const std::string& expr) {
    return Gatectl({"eval", "--expr", expr, "--request", request});
  };
  EXPECT_EQ(eval("http.request.uri.args[\"x\"][1]").out, "2\n");
  EXPECT_EQ(eval("http.host").out, "shop.example.com\n");
  EXPECT_EQ(eval("ssl and http.request.method eq \"POST\"").out, "true\n");
  EXPECT_EQ(eval("ip.src in {2001:db8::/32}").out, "true\n");
  EXPECT_EQ(eval("http.request.headers[\"x-missing\"][0] eq \"\"").out, "false\n");
  EXPECT_EQ(eval("len(http.request.body.raw)").out, "5\n");
  EXPECT_EQ(eval("http.request.uri.path.extension").out, "php\n");
  const auto bad = Gatectl({"eval", "--expr", "true", "--request", "no-such-file.json"});
  EXPECT_EQ(bad.exit_code, 2);
}

TEST(GatectlRulesTest, EvalTracesTheRequestThroughTheZone) {
  const std::string blocked = RequestFile("blocked.json",
                                          R"json({"url": "http://example.com/admin/x"})json");
  const auto trace = Gatectl({"eval", "--config", "examples/zone.json", "--request", blocked});
  ASSERT_EQ(trace.exit_code, 0) << trace.err;
  EXPECT_NE(trace.out.find("rule block-admin: block"), std::string::npos) << trace.out;
  EXPECT_NE(trace.out.find("result: the edge answers 403 (rule block-admin)"), std::string::npos);

  const std::string failing = RequestFile(
      "failing.json", R"json({"url": "http://example.com/api/x", "response_code": 502})json");
  const auto routed = Gatectl({"eval", "--config", "examples/zone.json", "--request", failing});
  ASSERT_EQ(routed.exit_code, 0) << routed.err;
  EXPECT_NE(routed.out.find("forward GET /api/x to origin api with Host api.internal"),
            std::string::npos)
      << routed.out;
  EXPECT_NE(routed.out.find("result: error page 503 (rule 5xx)"), std::string::npos);
}

}  // namespace
}  // namespace gatehouse::testing
