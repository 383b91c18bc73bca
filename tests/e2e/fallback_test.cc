// Fallback and shadow mode end to end, with Debian's nginx as the legacy proxy.
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "tests/support/proxy_process.h"
#include "tests/support/subprocess.h"

namespace gatehouse::testing {
namespace {

constexpr char kNginx[] = "/usr/sbin/nginx";

// The legacy system: answers everything itself, refuses /admin.
std::string NginxConfig(const std::string& prefix, uint16_t port) {
  return absl::StrReplaceAll(R"(
daemon off;
master_process off;
USER
worker_processes 1;
pid PREFIX/nginx.pid;
error_log stderr warn;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path PREFIX/body;
  proxy_temp_path PREFIX/proxy;
  fastcgi_temp_path PREFIX/fastcgi;
  uwsgi_temp_path PREFIX/uwsgi;
  scgi_temp_path PREFIX/scgi;
  server {
    listen 127.0.0.1:PORT;
    location /admin { return 403 "legacy refuses $uri\n"; }
    location / { return 200 "legacy $host $request_uri\n"; }
  }
}
)",
                             {{"PREFIX", prefix},
                              {"PORT", std::to_string(port)},
                              // As root nginx would hand its temp paths to "nobody", which a
                              // sandbox may not allow; it needs no other user here.
                              {"USER", geteuid() == 0 ? "user root root;" : ""}});
}

constexpr char kZones[] = R"json({"zone": "new.test", "hostnames": ["new.test"],
  "origins": [{"name": "app", "servers": ["127.0.0.1:ORIGIN"]}],
  "rulesets": [{"phase": "http_request_origin", "rules": [
    {"id": "old-app", "expression": "starts_with(http.request.uri.path, \"/old/\")",
     "action": "fallback"}]}]})json";

constexpr char kShadowZone[] = R"json({"zone": "shadow.test", "hostnames": ["shadow.test"],
  "origins": [{"name": "app", "servers": ["127.0.0.1:ORIGIN"]}],
  "settings": {"shadow": true},
  "rulesets": [{"phase": "http_request_firewall_custom", "rules": [
    {"id": "no-admin", "expression": "starts_with(http.request.uri.path, \"/admin\")",
     "action": "block"},
    {"id": "no-beta", "expression": "starts_with(http.request.uri.path, \"/beta\")",
     "action": "block"}]}]})json";

class FallbackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(kNginx)) << "nginx is installed by tools/setup.sh";
    const std::string prefix = UniqueTestPath("nginx");
    std::filesystem::create_directories(prefix);
    legacy_port_ = UnusedPort();
    const std::string config = prefix + "/nginx.conf";
    WriteFile(config, NginxConfig(prefix, legacy_port_));
    auto nginx = Subprocess::Start({kNginx, "-c", config, "-p", prefix});
    ASSERT_TRUE(nginx.ok()) << nginx.status();
    nginx_ = *std::move(nginx);
    // nginx prints no ready line: wait until it answers.
    bool up = false;
    for (int i = 0; i < 500 && !up; ++i) {
      up = HttpGet(legacy_port_, "probe", "/").ok();
      if (!up) usleep(10000);
    }
    ASSERT_TRUE(up) << "nginx did not start";

    auto origin = StartDemoOrigin("new");
    ASSERT_TRUE(origin.ok());
    origin_ = *std::move(origin);
    const std::string snapshot = UniqueTestPath("zones.snapshot");
    const std::string port = std::to_string(origin_.port);
    ASSERT_EQ(CompileSnapshot({absl::StrReplaceAll(kZones, {{"ORIGIN", port}}),
                               absl::StrReplaceAll(kShadowZone, {{"ORIGIN", port}})},
                              snapshot)
                  .exit_code,
              0);
    auto proxy = StartProxy({"--snapshot-file=" + snapshot,
                             "--fallback=127.0.0.1:" + std::to_string(legacy_port_)});
    ASSERT_TRUE(proxy.ok()) << proxy.status();
    proxy_ = *std::move(proxy);
  }

  HttpResult Get(const std::string& host, const std::string& target) {
    auto response = HttpGet(proxy_.port, host, target);
    EXPECT_TRUE(response.ok()) << response.status();
    return response.ok() ? *response : HttpResult{};
  }

  uint16_t legacy_port_ = 0;
  std::unique_ptr<Subprocess> nginx_;
  OriginProcess origin_;
  ProxyProcess proxy_;
};

TEST_F(FallbackTest, UnknownHostsAndUnhandledRequestsGoToTheLegacyProxyUnchanged) {
  const HttpResult unknown = Get("legacy-only.test", "/page?x=1");
  EXPECT_EQ(unknown.status, 200);
  EXPECT_EQ(unknown.body, "legacy legacy-only.test /page?x=1\n");

  const HttpResult handled = Get("new.test", "/page");
  EXPECT_EQ(handled.status, 200);
  EXPECT_NE(handled.body.find("origin new: GET /page"), std::string::npos) << handled.body;

  const HttpResult unhandled = Get("new.test", "/old/report?y=2");
  EXPECT_EQ(unhandled.status, 200);
  EXPECT_EQ(unhandled.body, "legacy new.test /old/report?y=2\n");
}

TEST_F(FallbackTest, ShadowModeForwardsEverythingAndTalliesAgreement) {
  // Gatehouse would block /admin and the legacy system does too: agreement.
  const HttpResult admin = Get("shadow.test", "/admin/users");
  EXPECT_EQ(admin.status, 403);
  EXPECT_EQ(admin.body, "legacy refuses /admin/users\n") << "the legacy answer is served";
  // Gatehouse would block /beta; the legacy system serves it: disagreement, legacy answer served.
  const HttpResult beta = Get("shadow.test", "/beta");
  EXPECT_EQ(beta.status, 200);
  EXPECT_EQ(beta.body, "legacy shadow.test /beta\n");
  // Both pass: agreement.
  EXPECT_EQ(Get("shadow.test", "/").status, 200);
  EXPECT_EQ(Get("shadow.test", "/home").status, 200);

  auto summary = HttpGet(proxy_.admin_port, "admin", "/shadow");
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->body,
            "{\"zones\": [{\"zone\": \"shadow.test\", \"rules\": ["
            "{\"rule\": \"(none: passed)\", \"agree\": 2, \"disagree\": 0}, "
            "{\"rule\": \"no-admin\", \"agree\": 1, \"disagree\": 0}, "
            "{\"rule\": \"no-beta\", \"agree\": 0, \"disagree\": 1}]}]}\n");
  auto metrics = HttpGet(proxy_.admin_port, "admin", "/metrics");
  ASSERT_TRUE(metrics.ok());
  EXPECT_NE(metrics->body.find("zone=\"shadow.test\",status=\"403\",action=\"shadow\""),
            std::string::npos);
}

}  // namespace
}  // namespace gatehouse::testing
