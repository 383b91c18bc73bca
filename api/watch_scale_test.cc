// Many proxies watching one control plane, in one process: the streams hold no thread each,
// and a publish reaches every one of them without polling.
#include <dirent.h>

#include <atomic>
#include <cstdio>
#include <functional>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "api/authenticator_impl.h"
#include "api/proxy_registry.h"
#include "api/snapshot_publisher.h"
#include "api/snapshot_service_impl.h"
#include "api/sqlite_token_store.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "schemas/api.grpc.pb.h"

namespace gatehouse::api {
namespace {

int ThreadCount() {
  int count = 0;
  DIR* dir = opendir("/proc/self/task");
  if (dir == nullptr) return -1;
  while (dirent* entry = readdir(dir)) {
    if (entry->d_name[0] != '.') ++count;
  }
  closedir(dir);
  return count;
}

bool WaitFor(const std::function<bool()>& done, std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

// One proxy's stream, on the client's callback API (no thread of its own either).
class Watcher final : public grpc::ClientReadReactor<v1::SnapshotUpdate> {
 public:
  Watcher(v1::SnapshotService::Stub& stub, const std::string& node) {
    request_.set_node_id(node);
    stub.async()->Watch(&context_, &request_, this);
    StartRead(&update_);
    StartCall();
  }
  void OnReadDone(bool ok) override {
    if (!ok) return;
    updates.fetch_add(1);
    StartRead(&update_);
  }
  void OnDone(const grpc::Status&) override { done.store(true); }
  void Cancel() { context_.TryCancel(); }

  std::atomic<int> updates{0};
  std::atomic<bool> done{false};

 private:
  grpc::ClientContext context_;
  v1::WatchRequest request_;
  v1::SnapshotUpdate update_;
};

TEST(WatchScaleTest, TwoHundredStreamsHoldNoThreadEachAndAllGetEveryPublish) {
  auto tokens = *SqliteTokenStore::Open(":memory:");
  AuthenticatorImpl auth("", *tokens);
  SnapshotPublisher publisher("L");
  ProxyRegistry proxies;
  SnapshotServiceImpl service(publisher, auth, proxies);
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  auto server = builder.BuildAndStart();
  ASSERT_NE(port, 0);

  // A few connections, as a fleet of proxies would open many.
  std::vector<std::unique_ptr<v1::SnapshotService::Stub>> stubs;
  for (int i = 0; i < 4; ++i) {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    stubs.push_back(v1::SnapshotService::NewStub(grpc::CreateCustomChannel(
        "127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials(), args)));
  }
  // The first streams warm gRPC's own pools up; what is measured is what more streams add.
  std::vector<std::unique_ptr<Watcher>> watchers;
  for (int i = 0; i < 8; ++i) {
    watchers.push_back(std::make_unique<Watcher>(*stubs[i % 4], "warm-" + std::to_string(i)));
  }
  ASSERT_TRUE(WaitFor([&] { return service.open_streams() == 8; }, std::chrono::seconds(30)));
  const int before = ThreadCount();

  constexpr int kStreams = 200;
  for (int i = 0; i < kStreams; ++i) {
    watchers.push_back(std::make_unique<Watcher>(*stubs[i % 4], "node-" + std::to_string(i)));
  }
  ASSERT_TRUE(WaitFor([&] { return service.open_streams() == kStreams + 8; },
                      std::chrono::seconds(60)))
      << service.open_streams();
  // Every stream has its first message (the full snapshot, empty here).
  ASSERT_TRUE(WaitFor(
      [&] {
        for (const auto& watcher : watchers) {
          if (watcher->updates.load() < 1) return false;
        }
        return true;
      },
      std::chrono::seconds(60)));
  const int during = ThreadCount();
  // A thread per stream would add 200; gRPC's pools may grow a little.
  EXPECT_LT(during - before, 40) << "threads before " << before << ", with 200 more streams "
                                 << during;

  // A publish is pushed to every stream at once.
  auto zone = std::make_shared<snapshot::v1::CompiledZone>();
  zone->set_zone("a.com");
  zone->set_version(1);
  zone->set_config_hash("a-1");
  const auto published = std::chrono::steady_clock::now();
  publisher.Publish(1, "a.com", zone);
  ASSERT_TRUE(WaitFor(
      [&] {
        for (const auto& watcher : watchers) {
          if (watcher->updates.load() < 2) return false;
        }
        return true;
      },
      std::chrono::seconds(60)));
  std::printf("200 streams: +%d threads; a publish reached them all in %lld ms\n",
              during - before,
              static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                         std::chrono::steady_clock::now() - published)
                                         .count()));

  for (auto& watcher : watchers) watcher->Cancel();
  ASSERT_TRUE(WaitFor(
      [&] {
        for (const auto& watcher : watchers) {
          if (!watcher->done.load()) return false;
        }
        return true;
      },
      std::chrono::seconds(60)));
  EXPECT_TRUE(WaitFor([&] { return service.open_streams() == 0; }, std::chrono::seconds(30)));
  publisher.Shutdown();
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1));
}

}  // namespace
}  // namespace gatehouse::api
