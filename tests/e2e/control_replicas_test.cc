// Control replicas over a real three-member etcd cluster, with two proxies that take both
// replicas: one etcd member and one replica are killed (-9) during 200 pushes spread over both
// replicas. No acknowledged push is lost, no proxy ever serves an older version after a newer
// one, and both serve the last version soon after; a push while etcd has no quorum fails
// UNAVAILABLE and the proxies keep serving.
#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include "absl/strings/numbers.h"
#include "etcd/test_etcd_cluster.h"
#include "gtest/gtest.h"
#include "tests/support/control_plane.h"
#include "tests/support/http_client.h"

namespace gatehouse::testing {
namespace {

constexpr char kZone[] = "replicas.example";
constexpr char kAdminToken[] = "replicas-admin-token";

// Reads what a proxy serves, over and over, and records whether the markers (push numbers)
// it sees ever go backwards.
class ServedWatcher {
 public:
  explicit ServedWatcher(uint16_t port) : port_(port), thread_([this] { Run(); }) {}
  ~ServedWatcher() { Stop(); }
  void Stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  int highest() const { return highest_; }
  std::string regression() const {
    std::lock_guard lock(mutex_);
    return regression_;
  }

 private:
  void Run() {
    while (!stop_) {
      auto result = HttpGet(port_, kZone, "/marker");
      int marker = 0;
      if (result.ok() && result->status == 403 && result->body.size() > 1 &&
          absl::SimpleAtoi(result->body.substr(1), &marker)) {
        if (marker < highest_) {
          std::lock_guard lock(mutex_);
          if (regression_.empty()) {
            regression_ =
                "served m" + std::to_string(marker) + " after m" + std::to_string(highest_.load());
          }
        }
        if (marker > highest_) highest_ = marker;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  const uint16_t port_;
  std::atomic<bool> stop_{false};
  std::atomic<int> highest_{0};
  mutable std::mutex mutex_;
  std::string regression_;
  std::thread thread_;
};

grpc::Status Push(const ControlPlane& control, int marker, api::v1::PutZoneConfigResponse* out) {
  api::v1::PutZoneConfigRequest request;
  request.set_config_json(MarkerZoneJson(kZone, "m" + std::to_string(marker)));
  auto context = ControlPlane::Context(kAdminToken);
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(8));
  return control.ConfigStub()->PutZoneConfig(context.get(), request, out);
}

TEST(ControlReplicasTest, SurviveAnEtcdMemberAndAReplicaKilledDuringPushes) {
  etcd::TestEtcdCluster cluster;
  ASSERT_TRUE(cluster.Start(3).ok());
  const std::vector<std::string> store_flags = {"--store=" + cluster.Url(), "--no-managed-rulesets",
                                                "--etcd-timeout-ms=2000"};
  ControlPlane replicas[2];
  for (ControlPlane& replica : replicas) {
    ASSERT_TRUE(replica.Start({kAdminToken, store_flags}).ok());
  }
  // A node token made through one replica is valid on the other: tokens live in etcd.
  const CommandResult token =
      replicas[0].Gatectl({"tokens", "create", "--permission", "watch"}, kAdminToken);
  ASSERT_EQ(token.exit_code, 0) << token.err;
  const std::string node_token = token.out.substr(0, token.out.find('\n'));
  api::v1::PutZoneConfigResponse first;
  ASSERT_TRUE(Push(replicas[0], 0, &first).ok());

  // Each proxy prefers another replica.
  const std::string both[2] = {replicas[0].address() + "," + replicas[1].address(),
                               replicas[1].address() + "," + replicas[0].address()};
  ProxyProcess proxies[2];
  for (int p = 0; p < 2; ++p) {
    ASSERT_TRUE(proxies[p].Start(both[p], "proxy-" + std::to_string(p), node_token).ok());
    ASSERT_EQ(WaitForMarker(proxies[p].port(), kZone, "m0"), "m0");
  }
  ServedWatcher watchers[2] = {ServedWatcher(proxies[0].port()), ServedWatcher(proxies[1].port())};

  std::map<uint64_t, std::string> acknowledged;  // version → config hash
  int last_acknowledged = 0;
  bool replica_down[2] = {false, false};
  for (int i = 1; i <= 200; ++i) {
    if (i == 70) cluster.Kill9(0);
    if (i == 130) {
      replicas[1].Kill9();
      replica_down[1] = true;
    }
    // Spread over both replicas; a push the replica does not acknowledge goes to the other.
    int target = i % 2;
    if (replica_down[target]) target = 1 - target;
    api::v1::PutZoneConfigResponse response;
    grpc::Status status = Push(replicas[target], i, &response);
    if (!status.ok()) status = Push(replicas[1 - target], i, &response);
    if (!status.ok()) continue;  // not acknowledged: it may or may not be stored
    EXPECT_FALSE(response.unchanged());
    acknowledged[response.version()] = response.config_hash();
    last_acknowledged = i;
  }
  ASSERT_GT(last_acknowledged, 190);
  const std::string last = "m" + std::to_string(last_acknowledged);
  for (const ProxyProcess& proxy : proxies) {
    EXPECT_EQ(WaitForMarker(proxy.port(), kZone, last, 2000), last);
  }

  // Every acknowledged version is in the history, with the content acknowledged.
  api::v1::ListZoneVersionsRequest list;
  list.set_zone(kZone);
  api::v1::ListZoneVersionsResponse history;
  ASSERT_TRUE(replicas[0]
                  .ConfigStub()
                  ->ListZoneVersions(ControlPlane::Context(kAdminToken).get(), list, &history)
                  .ok());
  std::map<uint64_t, std::string> stored;
  for (const auto& version : history.versions()) stored[version.version()] = version.config_hash();
  for (const auto& [version, hash] : acknowledged) {
    EXPECT_EQ(stored[version], hash) << "acknowledged version " << version << " lost";
  }

  // Without quorum (two of three members gone) a push fails cleanly and proxies keep serving.
  cluster.Kill9(1);
  api::v1::PutZoneConfigResponse refused;
  const grpc::Status no_quorum = Push(replicas[0], 1000, &refused);
  EXPECT_EQ(no_quorum.error_code(), grpc::StatusCode::UNAVAILABLE) << no_quorum.error_message();
  for (const ProxyProcess& proxy : proxies) {
    EXPECT_EQ(WaitForMarker(proxy.port(), kZone, last, 500), last);
  }

  // Quorum back and the killed replica restarted: nothing changes, and pushes go on.
  ASSERT_TRUE(cluster.Restart(0).ok());
  ASSERT_TRUE(cluster.Restart(1).ok());
  ASSERT_TRUE(cluster.WaitWritable(std::chrono::seconds(20)).ok());
  ASSERT_TRUE(replicas[1].RestartWith(store_flags).ok());
  for (const ProxyProcess& proxy : proxies) {
    EXPECT_EQ(WaitForMarker(proxy.port(), kZone, last, 1000), last);
  }
  api::v1::PutZoneConfigResponse after;
  ASSERT_TRUE(Push(replicas[1], 1001, &after).ok());
  for (const ProxyProcess& proxy : proxies) {
    EXPECT_EQ(WaitForMarker(proxy.port(), kZone, "m1001", 5000), "m1001");
  }
  for (ServedWatcher& watcher : watchers) {
    watcher.Stop();
    EXPECT_EQ(watcher.regression(), "");
  }
}

}  // namespace
}  // namespace gatehouse::testing
