// Every ConfigService RPC through the real control, proxy and gatectl binaries: success and
// failure paths, status codes, rollback, delete, diff, limits and concurrent pushes.
#include <atomic>
#include <set>
#include <thread>

#include "gtest/gtest.h"
#include "tests/support/control_plane.h"

namespace gatehouse::testing {
namespace {

namespace v1 = api::v1;

constexpr char kAdmin[] = "admin-token-for-tests";

// The line of `text` holding `needle` ("?" when none).
std::string LineWith(const std::string& text, const std::string& needle) {
  const size_t at = text.find(needle);
  if (at == std::string::npos) return "?";
  const size_t start = text.rfind('\n', at);
  return text.substr(start == std::string::npos ? 0 : start + 1,
                     text.find('\n', at) - (start == std::string::npos ? 0 : start + 1));
}

class ControlApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(control_.Start({kAdmin, {}}).ok());
    const auto node = control_.Gatectl({"tokens", "create", "--permission=watch"}, kAdmin);
    ASSERT_EQ(node.exit_code, 0) << node.err;
    ASSERT_TRUE(proxy_.Start(control_.address(), "proxy-1", node.out.substr(0, node.out.size() - 1)).ok());
    config_ = control_.ConfigStub();
  }

  grpc::Status Put(const std::string& json, uint64_t expected, v1::PutZoneConfigResponse* out) {
    v1::PutZoneConfigRequest request;
    request.set_config_json(json);
    request.set_expected_version(expected);
    return config_->PutZoneConfig(ControlPlane::Context(kAdmin).get(), request, out);
  }

  CommandResult Gatectl(std::vector<std::string> args) { return control_.Gatectl(args, kAdmin); }

  ControlPlane control_;
  ProxyProcess proxy_;
  std::unique_ptr<v1::ConfigService::Stub> config_;
};

TEST_F(ControlApiTest, PushGetVersionsRollbackDeleteAndTheProxyFollows) {
  const std::string v1_file = WriteTempFile("a1.json", MarkerZoneJson("a.com", "one"));
  const std::string v2_file = WriteTempFile("a2.json", MarkerZoneJson("a.com", "two"));
  auto pushed = Gatectl({"push", v1_file});
  ASSERT_EQ(pushed.exit_code, 0) << pushed.err;
  EXPECT_NE(pushed.out.find("zone a.com: version 1"), std::string::npos) << pushed.out;
  EXPECT_EQ(WaitForMarker(proxy_.port(), "a.com", "one"), "one");

  // The same content again is a no-op.
  pushed = Gatectl({"push", v1_file});
  ASSERT_EQ(pushed.exit_code, 0);
  EXPECT_NE(pushed.out.find("version 1, unchanged"), std::string::npos) << pushed.out;

  ASSERT_EQ(Gatectl({"push", v2_file}).exit_code, 0);
  EXPECT_EQ(WaitForMarker(proxy_.port(), "a.com", "two"), "two");

  // get: current and by version.
  auto got = Gatectl({"get", "a.com"});
  ASSERT_EQ(got.exit_code, 0);
  EXPECT_NE(got.out.find("\"two\""), std::string::npos) << got.out;
  got = Gatectl({"--json", "get", "a.com", "1"});
  ASSERT_EQ(got.exit_code, 0);
  EXPECT_NE(got.out.find("\"version\":\"1\""), std::string::npos) << got.out;
  EXPECT_NE(got.out.find("one"), std::string::npos);
  EXPECT_EQ(Gatectl({"get", "a.com", "9"}).exit_code, 1);

  // versions
  auto versions = Gatectl({"versions", "a.com"});
  ASSERT_EQ(versions.exit_code, 0);
  EXPECT_NE(versions.out.find("\n1\t"), std::string::npos) << versions.out;
  EXPECT_NE(versions.out.find("\n2\t"), std::string::npos) << versions.out;
  EXPECT_NE(versions.out.find("admin"), std::string::npos) << versions.out;

  // diff: equal, then different.
  auto diff = Gatectl({"diff", v2_file});
  EXPECT_EQ(diff.exit_code, 0) << diff.out << diff.err;
  EXPECT_EQ(diff.out, "");
  diff = Gatectl({"diff", v1_file});
  EXPECT_EQ(diff.exit_code, 1);
  EXPECT_EQ(LineWith(diff.out, "\"content\": \"two\"")[0], '-') << diff.out;
  EXPECT_EQ(LineWith(diff.out, "\"content\": \"one\"")[0], '+') << diff.out;

  // rollback to 1 makes version 3 with version 1's content.
  auto rolled = Gatectl({"rollback", "a.com", "1"});
  ASSERT_EQ(rolled.exit_code, 0) << rolled.err;
  EXPECT_NE(rolled.out.find("version 3"), std::string::npos) << rolled.out;
  EXPECT_EQ(WaitForMarker(proxy_.port(), "a.com", "one"), "one");
  v1::GetZoneConfigResponse v1_record, v3_record;
  v1::GetZoneConfigRequest get;
  get.set_zone("a.com");
  get.set_version(1);
  ASSERT_TRUE(config_->GetZoneConfig(ControlPlane::Context(kAdmin).get(), get, &v1_record).ok());
  get.set_version(3);
  ASSERT_TRUE(config_->GetZoneConfig(ControlPlane::Context(kAdmin).get(), get, &v3_record).ok());
  EXPECT_EQ(v1_record.config_hash(), v3_record.config_hash());
  EXPECT_EQ(Gatectl({"rollback", "a.com", "77"}).exit_code, 1);

  // delete: the proxy stops serving the zone; the history stays.
  auto deleted = Gatectl({"delete", "a.com"});
  ASSERT_EQ(deleted.exit_code, 0) << deleted.err;
  EXPECT_EQ(WaitForMarker(proxy_.port(), "a.com", "status 421"), "status 421");
  auto missing = Gatectl({"get", "a.com"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("not found"), std::string::npos) << missing.err;
  EXPECT_EQ(Gatectl({"delete", "a.com"}).exit_code, 1);
  versions = Gatectl({"versions", "a.com"});
  EXPECT_NE(versions.out.find("(deleted)"), std::string::npos) << versions.out;
  auto zones = Gatectl({"zones"});
  EXPECT_EQ(zones.out.find("a.com"), std::string::npos) << zones.out;

  // Pushing again brings it back as the next version.
  pushed = Gatectl({"push", v2_file});
  EXPECT_NE(pushed.out.find("version 5"), std::string::npos) << pushed.out;
  EXPECT_EQ(WaitForMarker(proxy_.port(), "a.com", "two"), "two");

  // watch: the proxy serves version 5 of a.com.
  auto watch = Gatectl({"--json", "watch"});
  ASSERT_EQ(watch.exit_code, 0);
  EXPECT_NE(watch.out.find("\"node_id\":\"proxy-1\""), std::string::npos) << watch.out;
  EXPECT_NE(watch.out.find("\"live_version\":\"5\""), std::string::npos) << watch.out;
}

TEST_F(ControlApiTest, StatusCodes) {
  v1::PutZoneConfigResponse put;
  ASSERT_TRUE(Put(MarkerZoneJson("b.com", "x"), 0, &put).ok());
  EXPECT_EQ(put.version(), 1u);

  // expected_version mismatch.
  grpc::Status status = Put(MarkerZoneJson("b.com", "y"), 7, &put);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_TRUE(Put(MarkerZoneJson("b.com", "y"), 1, &put).ok());

  // A bad config: INVALID_ARGUMENT with every diagnostic in the details.
  std::string bad = MarkerZoneJson("b.com", "z");
  bad.replace(bad.find("uri.path"), 8, "uri.pth");
  status = Put(bad, 0, &put);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  v1::RpcStatus details;
  ASSERT_TRUE(details.ParseFromString(status.error_details()));
  ASSERT_EQ(details.details_size(), 1);
  v1::ValidateZoneConfigResponse diagnostics;
  ASSERT_TRUE(details.details(0).UnpackTo(&diagnostics));
  ASSERT_GE(diagnostics.diagnostics_size(), 1);
  EXPECT_EQ(diagnostics.diagnostics(0).rule_id(), "marker");
  EXPECT_GT(diagnostics.diagnostics(0).column(), 0);

  // gatectl prints the server's diagnostics exactly as a local validate does.
  const std::string bad_file = WriteTempFile("bad.json", bad);
  const auto local = Gatectl({"validate", bad_file});
  const auto remote = Gatectl({"push", bad_file});
  EXPECT_EQ(local.exit_code, 1);
  EXPECT_EQ(remote.exit_code, 1);
  EXPECT_NE(local.err.find('^'), std::string::npos) << local.err;
  EXPECT_EQ(remote.err, local.err);

  // Validate stores nothing.
  v1::ValidateZoneConfigRequest validate;
  validate.set_config_json(bad);
  v1::ValidateZoneConfigResponse validated;
  ASSERT_TRUE(config_->ValidateZoneConfig(ControlPlane::Context(kAdmin).get(), validate, &validated)
                  .ok());
  EXPECT_FALSE(validated.valid());
  validate.set_config_json(MarkerZoneJson("new.com", "n"));
  ASSERT_TRUE(config_->ValidateZoneConfig(ControlPlane::Context(kAdmin).get(), validate, &validated)
                  .ok());
  EXPECT_TRUE(validated.valid());

  // NOT_FOUND for zones and versions that are not there.
  v1::GetZoneConfigRequest get;
  get.set_zone("new.com");
  v1::GetZoneConfigResponse got;
  EXPECT_EQ(config_->GetZoneConfig(ControlPlane::Context(kAdmin).get(), get, &got).error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::ListZoneVersionsRequest versions;
  versions.set_zone("new.com");
  v1::ListZoneVersionsResponse listed;
  EXPECT_EQ(config_->ListZoneVersions(ControlPlane::Context(kAdmin).get(), versions, &listed)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::DeleteZoneRequest del;
  del.set_zone("new.com");
  v1::DeleteZoneResponse deleted;
  EXPECT_EQ(config_->DeleteZone(ControlPlane::Context(kAdmin).get(), del, &deleted).error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::RollbackZoneRequest rollback;
  rollback.set_zone("b.com");
  rollback.set_to_version(1);
  rollback.set_expected_version(1);
  EXPECT_EQ(config_->RollbackZone(ControlPlane::Context(kAdmin).get(), rollback, &put).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  v1::ListZonesResponse zones;
  ASSERT_TRUE(config_->ListZones(ControlPlane::Context(kAdmin).get(), {}, &zones).ok());
  ASSERT_EQ(zones.zones_size(), 1);
  EXPECT_EQ(zones.zones(0).zone(), "b.com");
  EXPECT_EQ(zones.zones(0).version(), 2u);
}

TEST_F(ControlApiTest, ConcurrentPushesWithExpectedVersionLoseNoUpdate) {
  v1::PutZoneConfigResponse put;
  ASSERT_TRUE(Put(MarkerZoneJson("c.com", "start"), 0, &put).ok());
  constexpr int kWriters = 4;
  constexpr int kPerWriter = 5;
  std::mutex mutex;
  std::set<uint64_t> won_versions;
  std::atomic<int> conflicts{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      auto stub = control_.ConfigStub();
      for (int i = 0; i < kPerWriter;) {
        v1::GetZoneConfigRequest get;
        get.set_zone("c.com");
        v1::GetZoneConfigResponse current;
        ASSERT_TRUE(stub->GetZoneConfig(ControlPlane::Context(kAdmin).get(), get, &current).ok());
        v1::PutZoneConfigRequest request;
        request.set_config_json(
            MarkerZoneJson("c.com", "w" + std::to_string(w) + "-" + std::to_string(i)));
        request.set_expected_version(current.version());
        v1::PutZoneConfigResponse response;
        const grpc::Status status =
            stub->PutZoneConfig(ControlPlane::Context(kAdmin).get(), request, &response);
        if (status.error_code() == grpc::StatusCode::FAILED_PRECONDITION) {
          ++conflicts;
          continue;
        }
        ASSERT_TRUE(status.ok()) << status.error_message();
        // Every success is exactly the version after the one it read.
        ASSERT_EQ(response.version(), current.version() + 1);
        std::lock_guard lock(mutex);
        ASSERT_TRUE(won_versions.insert(response.version()).second);
        ++i;
      }
    });
  }
  for (auto& thread : writers) thread.join();
  EXPECT_EQ(won_versions.size(), static_cast<size_t>(kWriters * kPerWriter));
  v1::ListZoneVersionsRequest request;
  request.set_zone("c.com");
  v1::ListZoneVersionsResponse versions;
  ASSERT_TRUE(config_->ListZoneVersions(ControlPlane::Context(kAdmin).get(), request, &versions)
                  .ok());
  EXPECT_EQ(versions.versions_size(), 1 + kWriters * kPerWriter);
}

TEST(ControlLimitsTest, ResourceExhausted) {
  ControlPlane control;
  ASSERT_TRUE(control.Start({"", {"--max-config-bytes=2000", "--max-zones=2"}}).ok());
  auto config = control.ConfigStub();
  v1::PutZoneConfigRequest request;
  v1::PutZoneConfigResponse response;
  request.set_config_json(MarkerZoneJson("a.com", std::string(3000, 'x')));
  EXPECT_EQ(config->PutZoneConfig(ControlPlane::Context("").get(), request, &response).error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
  for (const char* zone : {"a.com", "b.com"}) {
    request.set_config_json(MarkerZoneJson(zone, "m"));
    ASSERT_TRUE(config->PutZoneConfig(ControlPlane::Context("").get(), request, &response).ok());
  }
  request.set_config_json(MarkerZoneJson("c.com", "m"));
  EXPECT_EQ(config->PutZoneConfig(ControlPlane::Context("").get(), request, &response).error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
  // Changing an existing zone is still fine at the limit.
  request.set_config_json(MarkerZoneJson("a.com", "m2"));
  EXPECT_TRUE(config->PutZoneConfig(ControlPlane::Context("").get(), request, &response).ok());
}

}  // namespace
}  // namespace gatehouse::testing
