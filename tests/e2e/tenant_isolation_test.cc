// Tenant isolation against the real binaries: two tenants with scoped tokens, a fleet of proxies
// with its own node token, and an attacker holding each kind of token. Every RPC, hostname
// claims, Watch streams, revocation and status reports (issue 12, items 1, 3 and 5).
#include <chrono>
#include <thread>

#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "tests/support/control_plane.h"

namespace gatehouse::testing {
namespace {

namespace v1 = api::v1;

constexpr char kAdmin[] = "tenant-test-admin";

// A zone named `zone` serving `hostnames`, whose firewall answers /marker with 403 `marker`.
std::string ZoneJson(const std::string& zone, const std::vector<std::string>& hostnames,
                     const std::string& marker) {
  std::string json = MarkerZoneJson(zone, marker);
  return absl::StrReplaceAll(
      json, {{"\"hostnames\": [\"" + zone + "\"]",
              "\"hostnames\": [\"" + absl::StrJoin(hostnames, "\", \"") + "\"]"}});
}

class TenantIsolationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(control_.Start({kAdmin, {}}).ok());
    config_ = control_.ConfigStub();
    snapshots_ = control_.SnapshotStub();
    // Tenant A: zone alpha.example owns a.test and every name under it.
    ASSERT_TRUE(Put(kAdmin, ZoneJson("alpha.example", {"a.test", "*.a.test"}, "alpha")).ok());
    // Tenant B (the attacker in most tests): zone 0evil.example, which sorts before alpha.
    ASSERT_TRUE(Put(kAdmin, ZoneJson("0evil.example", {"evil.test"}, "evil")).ok());
    edit_a_ = Token({"--permission=edit", "--zone=alpha.example"});
    read_a_ = Token({"--permission=read", "--zone=alpha.example"});
    edit_b_ = Token({"--permission=edit", "--zone=0evil.example"});
    read_b_ = Token({"--permission=read", "--zone=0evil.example"});
    node_a_ = Token({"--permission=watch", "--zone=alpha.example"});
    node_b_ = Token({"--permission=watch", "--zone=0evil.example"});
    node_all_ = Token({"--permission=watch"});
  }

  std::string Token(std::vector<std::string> args) {
    args.insert(args.begin(), {"tokens", "create"});
    const auto created = control_.Gatectl(args, kAdmin);
    EXPECT_EQ(created.exit_code, 0) << created.err;
    return created.out.substr(0, created.out.find('\n'));
  }

  grpc::Status Put(const std::string& token, const std::string& json) {
    v1::PutZoneConfigRequest request;
    request.set_config_json(json);
    v1::PutZoneConfigResponse response;
    return config_->PutZoneConfig(ControlPlane::Context(token).get(), request, &response);
  }

  std::vector<v1::ProxyStatus> Proxies(const std::string& token) {
    v1::ListProxiesResponse response;
    EXPECT_TRUE(config_->ListProxies(ControlPlane::Context(token).get(), {}, &response).ok());
    return {response.proxies().begin(), response.proxies().end()};
  }

  // Waits until the admin sees proxy `node` serve `zone` at some version.
  bool WaitForLive(const std::string& node, const std::string& zone) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      for (const auto& proxy : Proxies(kAdmin)) {
        if (proxy.node_id() != node) continue;
        for (const auto& state : proxy.zones()) {
          if (state.zone() == zone && state.live_version() != 0) return true;
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

  ControlPlane control_;
  std::unique_ptr<v1::ConfigService::Stub> config_;
  std::unique_ptr<v1::SnapshotService::Stub> snapshots_;
  std::string edit_a_, read_a_, edit_b_, read_b_, node_a_, node_b_, node_all_;
};

// Item 1: a hostname belongs to exactly one zone.
TEST_F(TenantIsolationTest, AnotherTenantCannotClaimAHostname) {
  ProxyProcess proxy;
  ASSERT_TRUE(proxy.Start(control_.address(), "edge-1", node_all_).ok());
  ASSERT_EQ(WaitForMarker(proxy.port(), "a.test", "alpha"), "alpha");

  // An exact name, a name under A's wildcard, the same wildcard, and a wider one.
  for (const std::vector<std::string>& claim :
       std::vector<std::vector<std::string>>{{"evil.test", "a.test"},
                                             {"evil.test", "www.a.test"},
                                             {"evil.test", "*.a.test"},
                                             {"evil.test", "*.deep.a.test"}}) {
    const std::string label = absl::StrJoin(claim, ",");
    const grpc::Status status = Put(edit_b_, ZoneJson("0evil.example", claim, "stolen"));
    EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
        << label << ": " << status.error_message();
    // The scoped caller is not told which zone holds the name.
    EXPECT_EQ(status.error_message().find("alpha.example"), std::string::npos)
        << status.error_message();
  }
  // A wildcard over a whole top-level domain is refused for any zone.
  EXPECT_EQ(Put(edit_b_, ZoneJson("0evil.example", {"*.test"}, "stolen")).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  // gatectl says why in one line and exits 1.
  const auto pushed = control_.Gatectl(
      {"push", WriteTempFile("evil.json", ZoneJson("0evil.example", {"a.test"}, "stolen"))},
      edit_b_);
  EXPECT_EQ(pushed.exit_code, 1) << pushed.out;
  EXPECT_NE(pushed.err.find("a.test"), std::string::npos) << pushed.err;

  // Nothing changed at the edge: A's rule still answers for a.test and its sub-domains.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(WaitForMarker(proxy.port(), "a.test", "alpha", 0), "alpha");
  EXPECT_EQ(WaitForMarker(proxy.port(), "www.a.test", "alpha", 0), "alpha");
  EXPECT_EQ(WaitForMarker(proxy.port(), "evil.test", "evil", 0), "evil");

  // Names nobody holds are free, and a zone keeps its own names across pushes.
  EXPECT_TRUE(Put(edit_b_, ZoneJson("0evil.example", {"evil.test", "*.evil.test"}, "e2")).ok());
  EXPECT_TRUE(Put(edit_a_, ZoneJson("alpha.example", {"a.test", "*.a.test"}, "alpha2")).ok());
}

TEST_F(TenantIsolationTest, OnlyTheAdminTransfersAHostname) {
  // The admin is told who holds the name.
  const grpc::Status refused = Put(kAdmin, ZoneJson("0evil.example", {"a.test"}, "moved"));
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(refused.error_message().find("alpha.example"), std::string::npos)
      << refused.error_message();
  // A tenant cannot transfer.
  const std::string file = WriteTempFile("moved.json", ZoneJson("0evil.example",
                                                                {"evil.test", "www.a.test"}, "m"));
  EXPECT_EQ(control_.Gatectl({"push", "--transfer-hostnames", file}, edit_b_).exit_code, 1);
  // The admin can, explicitly: the names leave alpha.example in a new version of it.
  const auto moved = control_.Gatectl({"push", "--transfer-hostnames", file}, kAdmin);
  ASSERT_EQ(moved.exit_code, 0) << moved.err;
  const auto alpha = control_.Gatectl({"get", "alpha.example"}, kAdmin);
  EXPECT_EQ(alpha.out.find("\"*.a.test\""), std::string::npos) << alpha.out;
  EXPECT_NE(alpha.out.find("\"a.test\""), std::string::npos) << alpha.out;
  ProxyProcess proxy;
  ASSERT_TRUE(proxy.Start(control_.address(), "edge-2", node_all_).ok());
  EXPECT_EQ(WaitForMarker(proxy.port(), "www.a.test", "m"), "m");
  EXPECT_EQ(WaitForMarker(proxy.port(), "a.test", "alpha", 0), "alpha");
}

// Every ConfigService RPC with tenant B's tokens on tenant A's zone.
TEST_F(TenantIsolationTest, EveryRpcIsScoped) {
  for (const std::string& token : {edit_b_, read_b_, node_b_}) {
    auto ctx = [&] { return ControlPlane::Context(token); };
    v1::GetZoneConfigRequest get;
    get.set_zone("alpha.example");
    v1::GetZoneConfigResponse got;
    EXPECT_NE(config_->GetZoneConfig(ctx().get(), get, &got).error_code(), grpc::StatusCode::OK);
    v1::ListZoneVersionsRequest versions;
    versions.set_zone("alpha.example");
    v1::ListZoneVersionsResponse listed;
    EXPECT_NE(config_->ListZoneVersions(ctx().get(), versions, &listed).error_code(),
              grpc::StatusCode::OK);
    v1::RollbackZoneRequest rollback;
    rollback.set_zone("alpha.example");
    rollback.set_to_version(1);
    v1::PutZoneConfigResponse rolled;
    EXPECT_NE(config_->RollbackZone(ctx().get(), rollback, &rolled).error_code(),
              grpc::StatusCode::OK);
    v1::DeleteZoneRequest del;
    del.set_zone("alpha.example");
    v1::DeleteZoneResponse deleted;
    EXPECT_NE(config_->DeleteZone(ctx().get(), del, &deleted).error_code(), grpc::StatusCode::OK);
    EXPECT_NE(Put(token, ZoneJson("alpha.example", {"a.test"}, "x")).error_code(),
              grpc::StatusCode::OK);
    v1::ListZonesResponse zones;
    if (config_->ListZones(ctx().get(), {}, &zones).ok()) {
      for (const auto& zone : zones.zones()) EXPECT_NE(zone.zone(), "alpha.example");
    }
    v1::ListTokensResponse tokens;
    EXPECT_EQ(control_.TokenStub()->ListTokens(ctx().get(), {}, &tokens).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  // A's zone is intact.
  const auto alpha = control_.Gatectl({"get", "alpha.example"}, read_a_);
  EXPECT_NE(alpha.out.find("\"content\": \"alpha\""), std::string::npos) << alpha.out;
}

// Item 3: revoking a node token closes the streams it opened, within a second.
TEST_F(TenantIsolationTest, RevocationClosesOpenStreams) {
  auto context = ControlPlane::Context(node_a_);
  v1::WatchRequest request;
  request.set_node_id("soon-revoked");
  auto reader = snapshots_->Watch(context.get(), request);
  v1::SnapshotUpdate update;
  ASSERT_TRUE(reader->Read(&update));
  const std::string id = node_a_.substr(3, 16);
  ASSERT_EQ(control_.Gatectl({"tokens", "revoke", id}, kAdmin).exit_code, 0);
  const auto revoked_at = std::chrono::steady_clock::now();
  // A change made after the revocation never reaches the stream.
  ASSERT_TRUE(Put(kAdmin, ZoneJson("alpha.example", {"a.test", "*.a.test"}, "after")).ok());
  bool got_change = false;
  while (reader->Read(&update)) got_change = true;  // the context's deadline bounds this
  const auto closed_after = std::chrono::steady_clock::now() - revoked_at;
  const grpc::Status status = reader->Finish();
  EXPECT_FALSE(got_change);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << status.error_message();
  EXPECT_LT(closed_after, std::chrono::milliseconds(1500));
}

// Item 5: a node token reports only for its own node and zones; other fleets stay hidden.
TEST_F(TenantIsolationTest, NodeTokensCannotForgeStatus) {
  ProxyProcess proxy;
  ASSERT_TRUE(proxy.Start(control_.address(), "fleet-a-1", node_a_).ok());
  ASSERT_TRUE(WaitForLive("fleet-a-1", "alpha.example"));

  // B's node token claims A's proxy removed A's zone.
  v1::ApplyReport forged;
  forged.set_node_id("fleet-a-1");
  forged.set_version(999);
  forged.set_applied(true);
  auto* zone = forged.add_zones();
  zone->set_zone("alpha.example");
  zone->set_version(1);
  zone->set_applied(true);
  zone->set_removed(true);
  v1::ApplyReportResponse response;
  EXPECT_EQ(snapshots_->ReportApplied(ControlPlane::Context(node_b_).get(), forged, &response)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // Even under its own node name, B cannot report on A's zone.
  forged.set_node_id("fleet-b-1");
  EXPECT_EQ(snapshots_->ReportApplied(ControlPlane::Context(node_b_).get(), forged, &response)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(WaitForLive("fleet-a-1", "alpha.example"));

  // Report text is bounded: a 1 MB error with a forged log line is cut down.
  v1::ApplyReport noisy;
  noisy.set_node_id("fleet-a-1");
  auto* rejected = noisy.add_zones();
  rejected->set_zone("alpha.example");
  rejected->set_version(77);
  rejected->set_error("boom\ncontrol: admin token rotated" + std::string(1 << 20, 'x'));
  (void)snapshots_->ReportApplied(ControlPlane::Context(node_a_).get(), noisy, &response);
  for (const auto& status : Proxies(kAdmin)) {
    for (const auto& state : status.zones()) EXPECT_LE(state.error().size(), 4096u);
  }

  // Tenant B does not learn the names of A's proxies.
  for (const auto& status : Proxies(read_b_)) EXPECT_NE(status.node_id(), "fleet-a-1");
  const auto watch = control_.Gatectl({"watch"}, read_b_);
  EXPECT_EQ(watch.out.find("fleet-a-1"), std::string::npos) << watch.out;
  // Tenant A does.
  bool seen = false;
  for (const auto& status : Proxies(read_a_)) seen |= status.node_id() == "fleet-a-1";
  EXPECT_TRUE(seen);
}

}  // namespace
}  // namespace gatehouse::testing
