// The snapshot stream in one process, with the real SnapshotServiceImpl, ControlPlaneWatcher,
// LinkedSnapshot and SnapshotStore over a real gRPC connection on a port picked at run time.
// A zone the proxy cannot link is published by going around the compiler, which an e2e test
// cannot do: that zone is rejected alone, reported, and not sent again until it changes.
#include <chrono>
#include <thread>

#include "api/authenticator_impl.h"
#include "api/proxy_registry.h"
#include "api/snapshot_publisher.h"
#include "api/snapshot_service_impl.h"
#include "api/sqlite_token_store.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "runtime/snapshot/control_plane_watcher.h"
#include "tests/support/test_zones.h"

namespace gatehouse::api {
namespace {

std::shared_ptr<const snapshot::v1::CompiledZone> Zone(const std::string& name, uint64_t version,
                                                       const std::string& expression) {
  return std::make_shared<const snapshot::v1::CompiledZone>(
      testing::CompiledTestZone(name, version, expression));
}

// Waits until `done` holds, up to 10 s.
bool WaitFor(const std::function<bool()>& done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

class WatchStreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(&service_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(port_, 0);
  }
  void TearDown() override {
    publisher_.Shutdown();
    server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1));
  }

  const v1::ZoneApplyState* State(const std::string& zone) {
    static v1::ProxyStatus status;
    auto list = proxies_.List(nullptr);
    if (list.empty()) return nullptr;
    status = list[0];
    for (const auto& state : status.zones()) {
      if (state.zone() == zone) return &state;
    }
    return nullptr;
  }

  std::unique_ptr<SqliteTokenStore> tokens_ = *SqliteTokenStore::Open(":memory:");
  AuthenticatorImpl auth_{"", *tokens_};
  SnapshotPublisher publisher_;
  ProxyRegistry proxies_;
  SnapshotServiceImpl service_{publisher_, auth_, proxies_};
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
};

TEST_F(WatchStreamTest, ABadZoneIsRejectedAloneAndNotResentUntilItChanges) {
  publisher_.Publish(1, "good.com", Zone("good.com", 1, "http.request.uri.path eq \"/1\""));
  publisher_.Publish(2, "bad.com", Zone("bad.com", 1, "http.request.uri.pth eq 1"));

  runtime::SnapshotStore store;
  auto watcher = std::make_unique<runtime::ControlPlaneWatcher>(
      runtime::ControlPlaneWatcher::Options{"127.0.0.1:" + std::to_string(port_), "node", "", 10,
                                            100},
      store, nullptr);
  watcher->Start();
  ASSERT_TRUE(WaitFor([&] {
    const auto* bad = State("bad.com");
    return bad != nullptr && bad->rejected_version() == 1;
  }));
  // The good zone applied; the bad one is not served.
  auto current = store.Current();
  ASSERT_NE(current, nullptr);
  EXPECT_EQ(current->zones().count("good.com"), 1u);
  EXPECT_EQ(current->zones().count("bad.com"), 0u);
  EXPECT_EQ(State("good.com")->live_version(), 1u);
  EXPECT_NE(State("bad.com")->error().find("does not link"), std::string::npos);

  // Another zone changes: applied, bad.com still rejected (not re-sent).
  publisher_.Publish(3, "good.com", Zone("good.com", 2, "http.request.uri.path eq \"/2\""));
  ASSERT_TRUE(WaitFor([&] { return store.Current()->zones().at("good.com")->version == 2; }));

  // A reconnecting proxy that forgot its rejections is still not sent bad.com@1: the control
  // plane remembers what this node rejected.
  watcher->Stop();
  {
    auto stub = v1::SnapshotService::NewStub(grpc::CreateChannel(
        "127.0.0.1:" + std::to_string(port_), grpc::InsecureChannelCredentials()));
    grpc::ClientContext context;
    v1::WatchRequest request;
    request.set_node_id("node");
    // Behind the current version, so the stream's first update is sent even when it carries no
    // zone.
    request.set_held_version(1);
    (*request.mutable_held_zones())["good.com"] = 2;
    auto reader = stub->Watch(&context, request);
    v1::SnapshotUpdate update;
    ASSERT_TRUE(reader->Read(&update));
    EXPECT_EQ(update.changed_zones_size(), 0);
    context.TryCancel();
    (void)reader->Finish();
  }

  // Fixing the zone makes it apply; a later bad version keeps the last good one serving.
  watcher = std::make_unique<runtime::ControlPlaneWatcher>(
      runtime::ControlPlaneWatcher::Options{"127.0.0.1:" + std::to_string(port_), "node", "", 10,
                                            100},
      store, nullptr);
  watcher->Start();
  publisher_.Publish(4, "bad.com", Zone("bad.com", 2, "http.request.uri.path eq \"/b\""));
  ASSERT_TRUE(WaitFor([&] { return store.Current()->zones().count("bad.com") == 1; }));
  EXPECT_TRUE(WaitFor([&] { return State("bad.com")->live_version() == 2; }));
  publisher_.Publish(5, "bad.com", Zone("bad.com", 3, "nonsense ("));
  ASSERT_TRUE(WaitFor([&] { return State("bad.com")->rejected_version() == 3; }));
  EXPECT_EQ(store.Current()->zones().at("bad.com")->version, 2u);
  EXPECT_EQ(State("bad.com")->live_version(), 2u);
  watcher->Stop();
}

}  // namespace
}  // namespace gatehouse::api
