// The managed WAF end to end: the control plane imports Debian's OWASP CRS at start as managed
// ruleset owasp-crs, a zone pushed with gatectl executes it in http_request_firewall_managed, and
// the real proxy refuses an SQL injection with the block response while benign requests pass;
// overrides change the verdict, a skip rule exempts a path or turns off the managed rules it
// names, the access log names the matched rules and the anomaly score. A file-only edge (`gatectl compile` + `proxy --snapshot-file`)
// carries the ruleset in its snapshot file and blocks the same attack.
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "tests/support/edge_cluster.h"
#include "tests/support/proxy_process.h"

namespace gatehouse::testing {
namespace {

// `GET /?id=1' UNION SELECT password FROM users--`, its spaces encoded for the request line.
// CRS at paranoia level 1 scores it 20 (942100, 942190, 942270, 942360: four critical matches).
constexpr char kAttack[] = "/?id=1'%20UNION%20SELECT%20password%20FROM%20users--";

std::string ZoneJson(uint16_t port, const std::string& overrides,
                     const std::string& custom_rules = "") {
  std::string rulesets;
  if (!custom_rules.empty()) {
    rulesets += R"({"phase": "http_request_firewall_custom", "rules": [)" + custom_rules + "]},";
  }
  rulesets += R"({"phase": "http_request_firewall_managed", "rules": [
      {"id": "crs", "expression": "true", "action": "execute",
       "action_parameters": {"id": "owasp-crs", "overrides": )" +
              overrides + "}}]}";
  return absl::StrReplaceAll(R"json({
  "zone": "shop.test",
  "hostnames": ["shop.test"],
  "origins": [{"name": "app", "servers": ["127.0.0.1:PORT"]}],
  "rulesets": [RULESETS]
})json",
                             {{"PORT", std::to_string(port)}, {"RULESETS", rulesets}});
}

HttpCall Browser(const std::string& target) {
  HttpCall call;
  call.host = "shop.test";
  call.target = target;
  call.headers = {{"User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0"},
                  {"Accept", "text/html,application/xhtml+xml"}};
  return call;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class ManagedWafTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log_ = UniqueTestPath("access") + ".log";
    EdgeCluster::Options options;
    options.origins = 1;
    options.extra_proxy_flags = {"--access-log=" + log_};
    ASSERT_TRUE(cluster_.Start(options).ok());
  }

  // Pushes the zone and waits until the proxy serves this version of it.
  void Push(const std::string& json) {
    const auto pushed = cluster_.Push(json);
    ASSERT_EQ(pushed.exit_code, 0) << pushed.err << pushed.out;
    ++version_;
    const std::string version = std::to_string(version_);
    ASSERT_TRUE(cluster_
                    .GetUntil("shop.test", "/",
                              [&](const HttpResult& r) {
                                return r.headers.count("gatehouse-zone-version") != 0 &&
                                       r.headers.at("gatehouse-zone-version") == version;
                              })
                    .ok());
  }

  absl::StatusOr<HttpResult> Send(const HttpCall& call) {
    return HttpRequestOnce(cluster_.proxy_port(), call);
  }
  // The status a browser's GET of `target` gets; -1 when the request failed.
  int BrowserStatus(const std::string& target) {
    auto result = Send(Browser(target));
    return result.ok() ? result->status : -1;
  }

  // The access log line of the request with this ray ID (it is flushed every 100 ms).
  std::string LogLine(const std::string& ray) {
    for (int i = 0; i < 100; ++i) {
      std::istringstream lines(ReadAll(log_));
      for (std::string line; std::getline(lines, line);) {
        if (line.find("\"ray_id\":\"" + ray + "\"") != std::string::npos) return line;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return "";
  }

  EdgeCluster cluster_;
  std::string log_;
  int version_ = 0;
};

TEST_F(ManagedWafTest, BlocksTheAttackPassesBenignTrafficAndLogsTheMatches) {
  Push(ZoneJson(cluster_.origin_port(0), R"({"score_threshold": 20})"));

  auto attack = Send(Browser(kAttack));
  ASSERT_TRUE(attack.ok()) << attack.status();
  EXPECT_EQ(attack->status, 403);
  const std::string ray = attack->headers["gatehouse-ray"];
  EXPECT_EQ(attack->body, "Access denied. Ray ID: " + ray + "\n");

  auto benign = Send(Browser("/products?category=shoes&page=2"));
  ASSERT_TRUE(benign.ok()) << benign.status();
  EXPECT_EQ(benign->status, 200);

  // The same attack in a form body: the proxy reads the body before the managed phase.
  HttpCall post = Browser("/login");
  post.method = "POST";
  post.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  post.body = "user=1'+UNION+SELECT+password+FROM+users--&pass=x";
  auto posted = Send(post);
  ASSERT_TRUE(posted.ok()) << posted.status();
  EXPECT_EQ(posted->status, 403);

  const std::string line = LogLine(ray);
  EXPECT_NE(line.find("\"status\":403"), std::string::npos) << line;
  EXPECT_NE(line.find("\"rules\":[{\"id\":\"crs\",\"action\":\"execute\"}]"), std::string::npos)
      << line;
  EXPECT_NE(line.find("\"managed\":[{\"ruleset\":\"owasp-crs\",\"score\":20,\"rules\":["
                      "\"942100\",\"942190\",\"942270\",\"942360\",\"949110\"]}]"),
            std::string::npos)
      << line;
  // Matches per managed rule.
  auto metrics = HttpGet(cluster_.admin_port(), "admin", "/metrics");
  ASSERT_TRUE(metrics.ok());
  EXPECT_NE(metrics->body.find(
                "gatehouse_managed_rule_matches_total{zone=\"shop.test\",rule=\"owasp-crs:942100\"}"),
            std::string::npos);
}

TEST_F(ManagedWafTest, OverridesChangeTheVerdict) {
  Push(ZoneJson(cluster_.origin_port(0), R"({"score_threshold": 20})"));
  EXPECT_EQ(BrowserStatus(kAttack), 403);

  // Without 942100 (libinjection) the attack scores 15: under the threshold, logged only.
  Push(ZoneJson(cluster_.origin_port(0), R"({"score_threshold": 20,
      "rules": [{"id": "942100", "enabled": false}, {"id": "920350", "action": "log"}]})"));
  auto passed = Send(Browser(kAttack));
  ASSERT_TRUE(passed.ok());
  EXPECT_EQ(passed->status, 200);
  const std::string line = LogLine(passed->headers["gatehouse-ray"]);
  EXPECT_NE(line.find("\"managed\":[{\"ruleset\":\"owasp-crs\",\"score\":15,"), std::string::npos)
      << line;
  EXPECT_EQ(line.find("942100"), std::string::npos) << line;

  // One rule set to block refuses on its own match, whatever the score.
  Push(ZoneJson(cluster_.origin_port(0), R"({"rules": [{"id": "942190", "action": "block"}]})"));
  EXPECT_EQ(BrowserStatus(kAttack), 403);

  // Action "log": however low the threshold, nothing is refused.
  Push(ZoneJson(cluster_.origin_port(0), R"({"score_threshold": 5, "action": "log"})"));
  EXPECT_EQ(BrowserStatus(kAttack), 200);
}

TEST_F(ManagedWafTest, ASkipRuleExemptsAPath) {
  Push(ZoneJson(cluster_.origin_port(0), R"({"score_threshold": 20})",
                R"json({"id": "search-exempt",
                    "expression": "starts_with(http.request.uri.path, \"/search\")",
                    "action": "skip", "action_parameters": {"products": ["managed_waf"]}})json"));
  const std::string query = std::string(kAttack).substr(1);  // "?id=..."
  EXPECT_EQ(BrowserStatus("/search" + query), 200);
  EXPECT_EQ(BrowserStatus("/account" + query), 403);
}

// Exceptions by rule id: a skip in the custom firewall phase turns off the managed rules it
// names, for the requests its expression matches.
TEST_F(ManagedWafTest, ASkipRuleTurnsOffTheManagedRulesItNames) {
  Push(ZoneJson(cluster_.origin_port(0), R"({"score_threshold": 20})",
                R"json({"id": "search-fired",
                    "expression": "starts_with(http.request.uri.path, \"/search\")",
                    "action": "skip", "action_parameters": {"rules": {"owasp-crs":
                        ["942100", "942190", "942270", "942360"]}}},
                   {"id": "account-others",
                    "expression": "starts_with(http.request.uri.path, \"/account\")",
                    "action": "skip", "action_parameters": {"rules": {"owasp-crs":
                        ["920350", "941100", "932100"]}}})json"));
  const std::string query = std::string(kAttack).substr(1);  // "?id=..."
  // The rules that fired are off: nothing adds to the score, the request passes.
  EXPECT_EQ(BrowserStatus("/search" + query), 200);
  // Other rules off: the four still fire and refuse it.
  auto blocked = Send(Browser("/account" + query));
  ASSERT_TRUE(blocked.ok());
  EXPECT_EQ(blocked->status, 403);
  const std::string line = LogLine(blocked->headers["gatehouse-ray"]);
  EXPECT_NE(line.find("\"942100\""), std::string::npos) << line;
  // And no skip: refused too.
  EXPECT_EQ(BrowserStatus("/shop" + query), 403);
}

TEST_F(ManagedWafTest, UnknownRulesetsAndRulesAreRefusedAtPush) {
  const auto unknown = cluster_.Push(absl::StrReplaceAll(
      ZoneJson(cluster_.origin_port(0), "{}"), {{"\"owasp-crs\"", "\"owasp-crs-9\""}}));
  EXPECT_NE(unknown.exit_code, 0);
  EXPECT_NE((unknown.err + unknown.out).find("unknown managed ruleset \"owasp-crs-9\"; "
                                             "available: owasp-crs"),
            std::string::npos)
      << unknown.err << unknown.out;
  const auto rule = cluster_.Push(
      ZoneJson(cluster_.origin_port(0), R"({"rules": [{"id": "123456", "enabled": false}]})"));
  EXPECT_NE(rule.exit_code, 0);
  EXPECT_NE((rule.err + rule.out).find("overrides.rules[0].id"), std::string::npos)
      << rule.err << rule.out;
  const auto skip = cluster_.Push(ZoneJson(
      cluster_.origin_port(0), "{}",
      R"json({"id": "s", "expression": "true", "action": "skip",
              "action_parameters": {"rules": {"owasp-crs": ["942100", "123456"]}}})json"));
  EXPECT_NE(skip.exit_code, 0);
  EXPECT_NE((skip.err + skip.out)
                .find("rulesets[0].rules[0].action_parameters.rules.owasp-crs[1]: error: "
                      "unknown rule id \"123456\" in owasp-crs"),
            std::string::npos)
      << skip.err << skip.out;
}

TEST(ManagedWafFileTest, AFileOnlyEdgeBlocksTheAttack) {
  auto origin = StartDemoOrigin("o");
  ASSERT_TRUE(origin.ok()) << origin.status();
  const std::string path = UniqueTestPath("managed") + ".snapshot";
  const auto compiled =
      CompileSnapshot({ZoneJson(origin->port, R"({"score_threshold": 20})")}, path, 7);
  ASSERT_EQ(compiled.exit_code, 0) << compiled.err;
  EXPECT_NE(compiled.out.find("managed ruleset owasp-crs OWASP_CRS/3.3"), std::string::npos)
      << compiled.out;
  auto proxy = StartProxy({"--snapshot-file=" + path, "--snapshot-poll-ms=0", "--workers=1"});
  ASSERT_TRUE(proxy.ok()) << proxy.status();
  auto attack = HttpRequestOnce(proxy->port, Browser(kAttack));
  ASSERT_TRUE(attack.ok()) << attack.status();
  EXPECT_EQ(attack->status, 403);
  EXPECT_EQ(attack->headers["gatehouse-zone-version"], "7");
  auto benign = HttpRequestOnce(proxy->port, Browser("/"));
  ASSERT_TRUE(benign.ok()) << benign.status();
  EXPECT_EQ(benign->status, 200);
}

}  // namespace
}  // namespace gatehouse::testing
