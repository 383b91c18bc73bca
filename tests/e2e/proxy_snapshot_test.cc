// Snapshot sources and static stability: a proxy serving a file from `gatectl compile` (reloaded
// on SIGHUP and on change, a corrupt file rejected while the last good one serves), and a proxy
// that starts with its control plane down and serves the snapshot it persisted.
#include <chrono>
#include <csignal>
#include <string>
#include <thread>

#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "plan/snapshot_file.h"
#include "tests/support/edge_cluster.h"
#include "tests/support/proxy_process.h"

namespace gatehouse::testing {
namespace {

std::string ZoneJson(uint16_t port, const std::string& blocked) {
  return absl::StrReplaceAll(R"json({
  "zone": "example.com",
  "hostnames": ["example.com"],
  "origins": [{"name": "app", "servers": ["127.0.0.1:PORT"]}],
  "rulesets": [{"phase": "http_request_firewall_custom", "rules": [
    {"id": "block", "expression": "http.request.uri.path eq \"BLOCKED\"", "action": "block"}]}]
})json",
                             {{"PORT", std::to_string(port)}, {"BLOCKED", blocked}});
}

bool Is(const HttpResult& result, int status) { return result.status == status; }

// Whether the state directory's snapshot holds `zone` at `version` within a few seconds: the
// proxy writes it on its persister's thread, after the update is served.
bool PersistedWithin(const std::string& state_dir, const std::string& zone,
                     const std::string& version) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < deadline) {
    auto snapshot = plan::ReadSnapshotFile(state_dir + "/last_good.snapshot");
    if (snapshot.ok()) {
      for (const auto& compiled : snapshot->zones()) {
        if (compiled.zone() == zone && std::to_string(compiled.version()) == version) return true;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

TEST(ProxySnapshotFileTest, ServesReloadsOnSighupAndKeepsLastGoodOnCorruptFile) {
  auto origin = StartDemoOrigin("o");
  ASSERT_TRUE(origin.ok());
  const std::string path = UniqueTestPath("served") + ".snapshot";
  ASSERT_EQ(CompileSnapshot({ZoneJson(origin->port, "/a")}, path, 10).exit_code, 0);
  // Polling off: this test is about SIGHUP.
  auto proxy = StartProxy({"--snapshot-file=" + path, "--snapshot-poll-ms=0", "--workers=2"});
  ASSERT_TRUE(proxy.ok()) << proxy.status();
  auto ready = HttpGet(proxy->admin_port, "admin", "/readyz");
  ASSERT_TRUE(ready.ok());
  EXPECT_EQ(ready->status, 200);
  auto blocked = HttpGet(proxy->port, "example.com", "/a");
  ASSERT_TRUE(blocked.ok());
  EXPECT_EQ(blocked->status, 403);
  EXPECT_EQ(blocked->headers["gatehouse-zone-version"], "10");

  // A new file, then SIGHUP: /b is blocked, /a is not.
  ASSERT_EQ(CompileSnapshot({ZoneJson(origin->port, "/b")}, path, 11).exit_code, 0);
  proxy->process->Signal(SIGHUP);
  auto reloaded = proxy->GetUntil("example.com", "/b", [](const HttpResult& r) { return Is(r, 403); });
  ASSERT_TRUE(reloaded.ok());
  EXPECT_EQ(reloaded->status, 403);
  EXPECT_EQ(reloaded->headers["gatehouse-zone-version"], "11");
  auto a = HttpGet(proxy->port, "example.com", "/a");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->status, 200);

  // A corrupt file is rejected and counted; version 11 keeps serving.
  WriteFile(path, "GATEHOUSE-SNAPSHOT 1\nsha256 0000\ngarbage");
  proxy->process->Signal(SIGHUP);
  double failures = 0;
  for (int i = 0; i < 200 && failures < 1; ++i) {
    failures = proxy->Metric("gatehouse_snapshot_load_failures_total");
    if (failures < 1) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_GE(failures, 1);
  auto still = HttpGet(proxy->port, "example.com", "/b");
  ASSERT_TRUE(still.ok());
  EXPECT_EQ(still->status, 403);
  EXPECT_EQ(still->headers["gatehouse-zone-version"], "11");

}

// Also shows that a changed file is picked up without a signal.
TEST(ProxySnapshotFileTest, NotReadyUntilASnapshotLoads) {
  auto origin = StartDemoOrigin("o");
  ASSERT_TRUE(origin.ok());
  const std::string path = UniqueTestPath("later") + ".snapshot";
  auto proxy = StartProxy({"--snapshot-file=" + path, "--workers=1"});
  ASSERT_TRUE(proxy.ok()) << proxy.status();
  auto not_ready = HttpGet(proxy->admin_port, "admin", "/readyz");
  ASSERT_TRUE(not_ready.ok());
  EXPECT_EQ(not_ready->status, 503);
  auto unavailable = HttpGet(proxy->port, "example.com", "/");
  ASSERT_TRUE(unavailable.ok());
  EXPECT_EQ(unavailable->status, 503);
  ASSERT_EQ(CompileSnapshot({ZoneJson(origin->port, "/a")}, path).exit_code, 0);
  auto served = proxy->GetUntil("example.com", "/", [](const HttpResult& r) { return Is(r, 200); });
  ASSERT_TRUE(served.ok());
  EXPECT_EQ(served->status, 200);
  auto ready = HttpGet(proxy->admin_port, "admin", "/readyz");
  ASSERT_TRUE(ready.ok());
  EXPECT_EQ(ready->status, 200);
}

TEST(ProxySnapshotFileTest, GatectlCompileRejectsBadConfigs) {
  const std::string path = UniqueTestPath("bad") + ".snapshot";
  const auto bad = CompileSnapshot({R"json({"zone": "x.test", "hostnames": ["x.test"],
    "origins": [{"name": "a", "servers": ["127.0.0.1:1"]}],
    "rulesets": [{"phase": "http_request_firewall_custom", "rules": [
      {"id": "typo", "expression": "http.request.uri.path eq ", "action": "block"}]}]})json"},
                                   path);
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("^"), std::string::npos) << bad.err;
  const auto clash = CompileSnapshot({ZoneJson(1, "/a"), ZoneJson(2, "/b")}, path);
  EXPECT_EQ(clash.exit_code, 1);
}

TEST(ProxyStaticStabilityTest, StartsWithControlPlaneDownAndServesPersistedSnapshot) {
  const std::string state_dir = UniqueTestPath("state");
  std::string served_version;
  uint16_t origin_port = 0;
  EdgeCluster cluster;
  ASSERT_TRUE(cluster.Start({1, 1, {"--state-dir=" + state_dir}}).ok());
  origin_port = cluster.origin_port(0);
  ASSERT_EQ(cluster.Push(ZoneJson(origin_port, "/a")).exit_code, 0);
  auto blocked = cluster.GetUntil("example.com", "/a", [](const HttpResult& r) { return Is(r, 403); });
  ASSERT_TRUE(blocked.ok());
  ASSERT_EQ(blocked->status, 403);
  served_version = blocked->headers["gatehouse-zone-version"];
  ASSERT_TRUE(PersistedWithin(state_dir, "example.com", served_version));

  // A second proxy: the control plane it is told of is down (nothing listens there). It serves
  // what the first one persisted, at once.
  auto proxy = StartProxy({"--control=127.0.0.1:" + std::to_string(UnusedPort()),
                           "--state-dir=" + state_dir, "--workers=1"});
  ASSERT_TRUE(proxy.ok()) << proxy.status();
  auto ready = HttpGet(proxy->admin_port, "admin", "/readyz");
  ASSERT_TRUE(ready.ok());
  EXPECT_EQ(ready->status, 200);
  auto again = HttpGet(proxy->port, "example.com", "/a");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->status, 403);
  EXPECT_EQ(again->headers["gatehouse-zone-version"], served_version);
  auto home = HttpGet(proxy->port, "example.com", "/");
  ASSERT_TRUE(home.ok());
  EXPECT_EQ(home->status, 200);
}

}  // namespace
}  // namespace gatehouse::testing
