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

TEST(ConfigControllerTest, ARestartedControlPlanePublishesTheStoredPrefilters) {
  MemoryConfigStore store;
  size_t pushed_databases = 0;
  {
    SnapshotPublisher publisher;
    ConfigController controller(store, publisher);
    std::vector<compiler::ZoneDiagnostic> diagnostics;
    auto put = controller.Put(kZone, 0, "test", nullptr, &diagnostics);
    ASSERT_TRUE(put.ok()) << put.status();
    pushed_databases = publisher.Current()->zones.at("a.com")->prefilters_size();
    ASSERT_GT(pushed_databases, 0u);
  }
  SnapshotPublisher restarted;
  ConfigController controller(store, restarted);
  ASSERT_TRUE(controller.LoadFromStore().ok());
  const auto& zone = *restarted.Current()->zones.at("a.com");
  EXPECT_EQ(static_cast<size_t>(zone.prefilters_size()), pushed_databases);
}

}  // namespace
}  // namespace gatehouse::api
