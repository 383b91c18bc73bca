// The permission matrix against the real control plane: tokens scoped to zones can never read,
// change or learn of another zone; node tokens may only watch; only the admin manages tokens.
#include "gtest/gtest.h"
#include "tests/support/control_plane.h"

namespace gatehouse::testing {
namespace {

namespace v1 = api::v1;

constexpr char kAdmin[] = "the-admin-token";

class ControlAuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(control_.Start({kAdmin, {}}).ok());
    config_ = control_.ConfigStub();
    for (const char* zone : {"a.com", "b.com"}) {
      const auto pushed = control_.Gatectl(
          {"push", WriteTempFile("zone.json", MarkerZoneJson(zone, zone))}, kAdmin);
      ASSERT_EQ(pushed.exit_code, 0) << pushed.err;
    }
  }

  std::string Token(std::vector<std::string> args) {
    args.insert(args.begin(), {"tokens", "create"});
    const auto created = control_.Gatectl(args, kAdmin);
    EXPECT_EQ(created.exit_code, 0) << created.err;
    // The token alone on stdout.
    EXPECT_EQ(created.out.find('\n'), created.out.size() - 1);
    return created.out.substr(0, created.out.size() - 1);
  }

  grpc::Status Get(const std::string& token, const std::string& zone) {
    v1::GetZoneConfigRequest request;
    request.set_zone(zone);
    v1::GetZoneConfigResponse response;
    return config_->GetZoneConfig(ControlPlane::Context(token).get(), request, &response);
  }

  grpc::Status Put(const std::string& token, const std::string& zone) {
    v1::PutZoneConfigRequest request;
    request.set_config_json(MarkerZoneJson(zone, "changed by " + token.substr(0, 8)));
    v1::PutZoneConfigResponse response;
    return config_->PutZoneConfig(ControlPlane::Context(token).get(), request, &response);
  }

  std::vector<std::string> Zones(const std::string& token) {
    v1::ListZonesResponse response;
    EXPECT_TRUE(config_->ListZones(ControlPlane::Context(token).get(), {}, &response).ok());
    std::vector<std::string> out;
    for (const auto& zone : response.zones()) out.push_back(zone.zone());
    return out;
  }

  ControlPlane control_;
  std::unique_ptr<v1::ConfigService::Stub> config_;
};

TEST_F(ControlAuthTest, MissingWrongAndRevokedTokensAreUnauthenticated) {
  EXPECT_EQ(Get("", "a.com").error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Get("not-a-token", "a.com").error_code(), grpc::StatusCode::UNAUTHENTICATED);
  const std::string token = Token({"--zone=a.com", "--permission=read"});
  EXPECT_TRUE(Get(token, "a.com").ok());
  auto listed = control_.Gatectl({"--json", "tokens", "list"}, kAdmin);
  ASSERT_EQ(listed.exit_code, 0);
  const std::string id = token.substr(3, 16);
  EXPECT_NE(listed.out.find(id), std::string::npos) << listed.out;
  // The secret is never listed.
  EXPECT_EQ(listed.out.find(token), std::string::npos);
  ASSERT_EQ(control_.Gatectl({"tokens", "revoke", id}, kAdmin).exit_code, 0);
  EXPECT_EQ(Get(token, "a.com").error_code(), grpc::StatusCode::UNAUTHENTICATED);
  // gatectl takes the token from GATEHOUSE_TOKEN too, and exits 1 when refused.
  setenv("GATEHOUSE_TOKEN", kAdmin, 1);
  EXPECT_EQ(control_.Gatectl({"zones"}).exit_code, 0);
  setenv("GATEHOUSE_TOKEN", "wrong", 1);
  EXPECT_EQ(control_.Gatectl({"zones"}).exit_code, 1);
  unsetenv("GATEHOUSE_TOKEN");
}

TEST_F(ControlAuthTest, ZoneScopedTokensNeverReachAnotherZone) {
  const std::string edit_a = Token({"--zone=a.com", "--permission=edit"});
  const std::string read_a = Token({"--zone=a.com", "--permission=read"});

  EXPECT_TRUE(Get(edit_a, "a.com").ok());
  EXPECT_TRUE(Put(edit_a, "a.com").ok());
  EXPECT_TRUE(Get(read_a, "a.com").ok());
  EXPECT_EQ(Put(read_a, "a.com").error_code(), grpc::StatusCode::PERMISSION_DENIED);

  for (const std::string& token : {edit_a, read_a}) {
    // b.com exists, nope.com does not: the answers are the same apart from the name.
    const grpc::Status exists = Get(token, "b.com");
    const grpc::Status missing = Get(token, "nope.com");
    EXPECT_EQ(exists.error_code(), grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_EQ(missing.error_code(), exists.error_code());
    std::string a = exists.error_message(), b = missing.error_message();
    a.replace(a.find("b.com"), 5, "X");
    b.replace(b.find("nope.com"), 8, "X");
    EXPECT_EQ(a, b);
    EXPECT_EQ(Put(token, "b.com").error_code(), grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_EQ(Zones(token), std::vector<std::string>{"a.com"});
    v1::ListZoneVersionsRequest versions;
    versions.set_zone("b.com");
    v1::ListZoneVersionsResponse listed;
    EXPECT_EQ(config_->ListZoneVersions(ControlPlane::Context(token).get(), versions, &listed)
                  .error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
    v1::DeleteZoneRequest del;
    del.set_zone("b.com");
    v1::DeleteZoneResponse deleted;
    EXPECT_EQ(config_->DeleteZone(ControlPlane::Context(token).get(), del, &deleted).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
    v1::RollbackZoneRequest rollback;
    rollback.set_zone("b.com");
    rollback.set_to_version(1);
    v1::PutZoneConfigResponse rolled;
    EXPECT_EQ(
        config_->RollbackZone(ControlPlane::Context(token).get(), rollback, &rolled).error_code(),
        grpc::StatusCode::PERMISSION_DENIED);
    // Not a token manager either.
    v1::CreateTokenRequest create;
    create.set_permission(v1::PERMISSION_EDIT);
    create.add_zones("b.com");
    v1::CreateTokenResponse created;
    EXPECT_EQ(control_.TokenStub()
                  ->CreateToken(ControlPlane::Context(token).get(), create, &created)
                  .error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
    // Nor a node.
    v1::WatchRequest watch;
    auto context = ControlPlane::Context(token);
    auto reader = control_.SnapshotStub()->Watch(context.get(), watch);
    v1::SnapshotUpdate update;
    EXPECT_FALSE(reader->Read(&update));
    EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::PERMISSION_DENIED);
  }
  // b.com is untouched.
  const auto b = control_.Gatectl({"get", "b.com"}, kAdmin);
  EXPECT_NE(b.out.find("\"content\": \"b.com\""), std::string::npos) << b.out;
}

TEST_F(ControlAuthTest, NodeTokensOnlyWatchAndSeeOnlyTheirZones) {
  const std::string node_all = Token({"--permission=watch"});
  const std::string node_a = Token({"--permission=watch", "--zone=a.com"});
  EXPECT_EQ(Get(node_all, "a.com").error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Put(node_all, "a.com").error_code(), grpc::StatusCode::PERMISSION_DENIED);

  auto watch_zones = [&](const std::string& token) {
    v1::WatchRequest request;
    request.set_node_id("probe");
    auto context = ControlPlane::Context(token);
    auto reader = control_.SnapshotStub()->Watch(context.get(), request);
    v1::SnapshotUpdate update;
    std::vector<std::string> zones;
    if (reader->Read(&update)) {
      for (const auto& zone : update.snapshot().zones()) zones.push_back(zone.zone());
    }
    context->TryCancel();
    (void)reader->Finish();
    return zones;
  };
  EXPECT_EQ(watch_zones(node_all), (std::vector<std::string>{"a.com", "b.com"}));
  EXPECT_EQ(watch_zones(node_a), std::vector<std::string>{"a.com"});

  // A proxy with the scoped node token serves a.com only.
  ProxyProcess proxy;
  ASSERT_TRUE(proxy.Start(control_.address(), "scoped", node_a).ok());
  EXPECT_EQ(WaitForMarker(proxy.port(), "a.com", "a.com"), "a.com");
  EXPECT_EQ(WaitForMarker(proxy.port(), "b.com", "status 421", 0), "status 421");

  // A read token sees the proxy, but only its own zone there.
  const std::string read_b = Token({"--zone=b.com", "--permission=read"});
  const auto watch = control_.Gatectl({"--json", "watch"}, read_b);
  ASSERT_EQ(watch.exit_code, 0) << watch.err;
  EXPECT_EQ(watch.out.find("a.com"), std::string::npos) << watch.out;
}

TEST_F(ControlAuthTest, TokenCreationIsChecked) {
  EXPECT_EQ(control_.Gatectl({"tokens", "create", "--permission=edit"}, kAdmin).exit_code, 1);
  EXPECT_EQ(control_.Gatectl({"tokens", "create", "--permission=owner", "--zone=a.com"}, kAdmin)
                .exit_code,
            2);
  EXPECT_EQ(control_.Gatectl({"tokens", "revoke", "nosuchid"}, kAdmin).exit_code, 1);
}

TEST(ControlAuthRestartTest, TokensSurviveARestartAndAreStoredAsHashes) {
  ControlPlane control;
  ASSERT_TRUE(control.Start({kAdmin, {}}).ok());
  const auto created =
      control.Gatectl({"tokens", "create", "--zone=a.com", "--permission=edit"}, kAdmin);
  ASSERT_EQ(created.exit_code, 0);
  const std::string token = created.out.substr(0, created.out.size() - 1);
  ASSERT_TRUE(control.Restart().ok());
  const auto pushed =
      control.Gatectl({"push", WriteTempFile("a.json", MarkerZoneJson("a.com", "x"))}, token);
  EXPECT_EQ(pushed.exit_code, 0) << pushed.err;
  // The author of the version is the token's id, not its secret.
  const auto versions = control.Gatectl({"versions", "a.com"}, token);
  EXPECT_NE(versions.out.find(token.substr(3, 16)), std::string::npos) << versions.out;
  std::string db;
  for (const char* name : {"/gatehouse.db", "/gatehouse.db-wal"}) {
    std::string part;
    FILE* f = std::fopen((control.data_dir() + name).c_str(), "rb");
    if (f == nullptr) continue;
    char buffer[4096];
    for (size_t n; (n = std::fread(buffer, 1, sizeof(buffer), f)) > 0;) db.append(buffer, n);
    std::fclose(f);
  }
  EXPECT_FALSE(db.empty());
  EXPECT_EQ(db.find(token), std::string::npos);
}

}  // namespace
}  // namespace gatehouse::testing
