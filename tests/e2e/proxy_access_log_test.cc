// The access log: one JSON line per request, written off the worker threads.
#include <string>
#include <thread>

#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "tests/support/proxy_process.h"
#include "tests/support/test_pki.h"

namespace gatehouse::testing {
namespace {

TEST(ProxyAccessLogTest, OneJsonLinePerRequestWithRulesAndTimings) {
  auto origin = StartDemoOrigin("o");
  ASSERT_TRUE(origin.ok());
  const std::string zone = absl::StrReplaceAll(R"json({
  "zone": "example.com", "hostnames": ["example.com"],
  "origins": [{"name": "app", "servers": ["127.0.0.1:PORT"]}],
  "rulesets": [{"phase": "http_request_firewall_custom", "rules": [
    {"id": "watch", "expression": "starts_with(http.request.uri.path, \"/\")", "action": "log"},
    {"id": "deny", "expression": "http.request.uri.path eq \"/deny\"", "action": "block"}]}]
})json",
                                               {{"PORT", std::to_string(origin->port)}});
  const std::string snapshot = UniqueTestPath("log") + ".snapshot";
  ASSERT_EQ(CompileSnapshot({zone}, snapshot, 5).exit_code, 0);
  const std::string log = UniqueTestPath("access") + ".log";
  auto proxy = StartProxy({"--snapshot-file=" + snapshot, "--access-log=" + log, "--workers=2"});
  ASSERT_TRUE(proxy.ok()) << proxy.status();
  auto ok = HttpGet(proxy->port, "example.com", "/hello?x=1");
  ASSERT_TRUE(ok.ok());
  auto denied = HttpGet(proxy->port, "example.com", "/deny");
  ASSERT_TRUE(denied.ok());
  ASSERT_EQ(denied->status, 403);

  std::vector<std::string> lines;
  for (int i = 0; i < 200 && lines.size() < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    lines = absl::StrSplit(ReadTestFile(log), '\n', absl::SkipEmpty());
  }
  ASSERT_EQ(lines.size(), 2u);
  const std::string& first = lines[0].find("/hello") != std::string::npos ? lines[0] : lines[1];
  const std::string& second = &first == &lines[0] ? lines[1] : lines[0];
  EXPECT_EQ(first.front(), '{');
  EXPECT_EQ(first.back(), '}');
  EXPECT_NE(first.find("\"ray_id\":\"" + ok->headers["gatehouse-ray"] + "\""), std::string::npos)
      << first;
  EXPECT_NE(first.find("\"zone\":\"example.com\""), std::string::npos) << first;
  EXPECT_NE(first.find("\"method\":\"GET\""), std::string::npos) << first;
  EXPECT_NE(first.find("\"protocol\":\"HTTP/1.1\""), std::string::npos) << first;
  EXPECT_NE(first.find("\"path\":\"/hello?x=1\""), std::string::npos) << first;
  EXPECT_NE(first.find("\"status\":200"), std::string::npos) << first;
  EXPECT_NE(first.find("\"action\":\"proxied\""), std::string::npos) << first;
  EXPECT_NE(first.find("\"snapshot\":5"), std::string::npos) << first;
  EXPECT_NE(first.find("\"response_bytes\":" + std::to_string(ok->body.size())), std::string::npos)
      << first;
  EXPECT_NE(first.find("\"duration_ms\":"), std::string::npos) << first;
  EXPECT_NE(first.find("\"upstream_ms\":"), std::string::npos) << first;
  EXPECT_NE(first.find("\"rules\":[{\"id\":\"watch\",\"action\":\"log\"}]"), std::string::npos)
      << first;
  EXPECT_NE(second.find("\"status\":403"), std::string::npos) << second;
  EXPECT_NE(second.find("\"action\":\"block\""), std::string::npos) << second;
  EXPECT_NE(second.find("{\"id\":\"deny\",\"action\":\"block\"}"), std::string::npos) << second;
  EXPECT_EQ(proxy->Metric("gatehouse_access_log_dropped_total"), 0);
}

}  // namespace
}  // namespace gatehouse::testing
