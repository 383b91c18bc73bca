// The controller apart from gRPC: what a restarted control plane publishes.
#include "api/config_controller.h"

#include "api/memory_config_store.h"
#include "gtest/gtest.h"

namespace gatehouse::api {
namespace {

constexpr char kZone[] = R"({"zone": "a.com", "hostnames": ["a.com"],
  "origins": [{"name": "app", "servers": ["127.0.0.1:1"]}],
  "rulesets": [{"phase": "http_request_firewall_custom", "rules": [
    {"id": "r1", "expression": "http.request.uri.path contains \"/admin\"", "action": "block"}]}]})";

TEST(ConfigControllerTest, ARestartedControlPlanePublishesTheStoredProgram) {
  MemoryConfigStore store;
  size_t pushed_databases = 0;
  {
    SnapshotPublisher publisher;
    ConfigController controller(store, publisher);
    std::vector<compiler::ZoneDiagnostic> diagnostics;
    auto put = controller.Put(kZone, 0, "test", nullptr, {}, &diagnostics);
    ASSERT_TRUE(put.ok()) << put.status();
    pushed_databases = publisher.Current()->zones.at("a.com")->program().prefilters_size();
    ASSERT_GT(pushed_databases, 0u);
  }
  SnapshotPublisher restarted;
  ConfigController controller(store, restarted);
  ASSERT_TRUE(controller.LoadFromStore().ok());
  const auto& zone = *restarted.Current()->zones.at("a.com");
  EXPECT_EQ(zone.program().program_version(), plan::kProgramVersion);
  EXPECT_EQ(zone.program().config_hash(), zone.config_hash());
  EXPECT_EQ(static_cast<size_t>(zone.program().prefilters_size()), pushed_databases);
}

std::string ZoneWithHosts(const std::string& zone, const std::string& hosts) {
  return R"({"zone": ")" + zone + R"(", "hostnames": [)" + hosts +
         R"(], "origins": [{"name": "app", "servers": ["127.0.0.1:1"]}]})";
}

// A store written before host names were checked, with a.com claimed by two zones.
void StoreOverlap(MemoryConfigStore& store) {
  for (const std::string zone : {"0evil.com", "a.com"}) {
    ZoneRecord record;
    record.zone = zone;
    record.config_json = ZoneWithHosts(zone, "\"a.com\", \"" + zone + ".example\"");
    record.config_hash = zone;
    ASSERT_TRUE(store.Append(record, std::nullopt).ok());
  }
}

TEST(ConfigControllerTest, OverlapsInAnExistingStoreAreReportedAndNotWidened) {
  MemoryConfigStore store;
  StoreOverlap(store);
  SnapshotPublisher publisher;
  ConfigController controller(store, publisher);
  ASSERT_TRUE(controller.LoadFromStore().ok());
  const auto overlaps = controller.HostOverlaps();
  ASSERT_EQ(overlaps.size(), 1u);
  EXPECT_EQ(overlaps[0].zone, "0evil.com");
  EXPECT_EQ(overlaps[0].conflict.claim, "a.com");
  EXPECT_EQ(overlaps[0].conflict.other_zone, "a.com");
  // Either zone can still change what it already serves...
  std::vector<compiler::ZoneDiagnostic> diagnostics;
  EXPECT_TRUE(controller
                  .Put(ZoneWithHosts("a.com", R"("a.com", "a.com.example", "b.a.com")"), 0, "t",
                       nullptr, {}, &diagnostics)
                  .ok());
  // ...but not take more that another holds.
  const auto wider = controller.Put(
      ZoneWithHosts("0evil.com", R"("a.com", "0evil.com.example", "b.a.com")"), 0, "t", nullptr,
      {}, &diagnostics);
  EXPECT_EQ(wider.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(wider.status().message().find("zone a.com"), std::string::npos) << wider.status();
}

TEST(ConfigControllerTest, TheAdminTransfersHostNames) {
  MemoryConfigStore store;
  SnapshotPublisher publisher;
  ConfigController controller(store, publisher);
  std::vector<compiler::ZoneDiagnostic> diagnostics;
  ASSERT_TRUE(controller.Put(ZoneWithHosts("a.com", R"("a.com", "*.a.com")"), 0, "t", nullptr, {},
                             &diagnostics)
                  .ok());
  ConfigController::PutOptions admin;
  admin.reveal_owners = true;
  const std::string moved = ZoneWithHosts("b.com", R"("b.com", "shop.a.com")");
  const auto refused = controller.Put(moved, 0, "admin", nullptr, admin, &diagnostics);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("zone a.com"), std::string::npos) << refused.status();
  admin.transfer_hostnames = true;
  ASSERT_TRUE(controller.Put(moved, 0, "admin", nullptr, admin, &diagnostics).ok());
  const auto& a = publisher.Current()->zones.at("a.com")->config();
  EXPECT_EQ(std::vector<std::string>(a.hostnames().begin(), a.hostnames().end()),
            std::vector<std::string>{"a.com"});
  EXPECT_EQ(store.Latest("a.com")->version, 2u);
  EXPECT_EQ(store.Latest("a.com")->author, "admin");
  // A zone is never left without host names: delete it instead.
  const auto emptied = controller.Put(ZoneWithHosts("c.com", R"("a.com")"), 0, "admin", nullptr,
                                      admin, &diagnostics);
  EXPECT_EQ(emptied.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(controller.Delete("a.com", 0, "admin").ok());
  EXPECT_TRUE(controller.Put(ZoneWithHosts("c.com", R"("a.com")"), 0, "t", nullptr, {},
                             &diagnostics)
                  .ok());
}

}  // namespace
}  // namespace gatehouse::api
