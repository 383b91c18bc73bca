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
  Watcher(v1::SnapshotService::Stub& stub, const std::string& node, v1::WatchRequest request = {})
      : request_(std::move(request)) {
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

// `service` on a loopback port picked at run time.
std::unique_ptr<grpc::Server> Serve(SnapshotServiceImpl& service, int* port) {
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), port);
  builder.RegisterService(&service);
  return builder.BuildAndStart();
}

std::unique_ptr<v1::SnapshotService::Stub> Connect(int port) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return v1::SnapshotService::NewStub(grpc::CreateCustomChannel(
      "127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials(), args));
}

std::shared_ptr<snapshot::v1::CompiledZone> Zone(const std::string& name, uint64_t version) {
  auto zone = std::make_shared<snapshot::v1::CompiledZone>();
  zone->set_zone(name);
  zone->set_version(version);
  zone->set_config_hash(name + "-" + std::to_string(version));
  return zone;
}

TEST(WatchScaleTest, TwoHundredStreamsHoldNoThreadEachAndAllGetEveryPublish) {
  auto tokens = *SqliteTokenStore::Open(":memory:");
  AuthenticatorImpl auth("", *tokens);
  SnapshotPublisher publisher("L");
  ProxyRegistry proxies;
  SnapshotServiceImpl service(publisher, auth, proxies);
  int port = 0;
  auto server = Serve(service, &port);
  ASSERT_NE(port, 0);

  // A few connections, as a fleet of proxies would open many.
  std::vector<std::unique_ptr<v1::SnapshotService::Stub>> stubs;
  for (int i = 0; i < 4; ++i) stubs.push_back(Connect(port));
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
  const auto published = std::chrono::steady_clock::now();
  publisher.Publish(1, "a.com", Zone("a.com", 1));
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

// Proxies that failed over from a replica that was ahead wait for this one to publish what they
// hold (the etcd store's catch-up) without a thread each, and are sent it once published; one
// whose version never comes gets the full snapshot when the wait ends.
TEST(WatchScaleTest, StreamsWaitingForAReplicaToCatchUpHoldNoThreadEach) {
  auto tokens = *SqliteTokenStore::Open(":memory:");
  AuthenticatorImpl auth("", *tokens);
  SnapshotPublisher publisher("L");
  publisher.Publish(1, "a.com", Zone("a.com", 1));
  ProxyRegistry proxies;
  SnapshotServiceImpl service(publisher, auth, proxies, std::chrono::milliseconds(3000));
  int port = 0;
  auto server = Serve(service, &port);
  ASSERT_NE(port, 0);
  std::vector<std::unique_ptr<v1::SnapshotService::Stub>> stubs;
  for (int i = 0; i < 4; ++i) stubs.push_back(Connect(port));
  // Warm gRPC's pools up with streams that need no wait.
  std::vector<std::unique_ptr<Watcher>> watchers;
  for (int i = 0; i < 8; ++i) {
    watchers.push_back(std::make_unique<Watcher>(*stubs[i % 4], "warm-" + std::to_string(i)));
  }
  ASSERT_TRUE(WaitFor([&] { return service.open_streams() == 8; }, std::chrono::seconds(30)));
  const int before = ThreadCount();

  v1::WatchRequest ahead;  // holds snapshot 2 of this lineage, which is at 1
  ahead.set_held_version(2);
  ahead.set_held_lineage("L");
  (*ahead.mutable_held_zones())["a.com"] = 1;
  constexpr int kStreams = 200;
  const auto opened = std::chrono::steady_clock::now();
  for (int i = 0; i < kStreams; ++i) {
    watchers.push_back(
        std::make_unique<Watcher>(*stubs[i % 4], "ahead-" + std::to_string(i), ahead));
  }
  ASSERT_TRUE(
      WaitFor([&] { return service.open_streams() == kStreams + 8; }, std::chrono::seconds(60)));
  const int during = ThreadCount();
  EXPECT_LT(during - before, 40) << "threads before " << before << ", with 200 waiting streams "
                                 << during;
  for (size_t i = 8; i < watchers.size(); ++i) EXPECT_EQ(watchers[i]->updates.load(), 0);

  // Once published here, every waiting stream gets it, well before the wait would end.
  publisher.Publish(2, "b.com", Zone("b.com", 1));
  ASSERT_TRUE(WaitFor(
      [&] {
        for (const auto& watcher : watchers) {
          if (watcher->updates.load() < 1) return false;
        }
        return true;
      },
      std::chrono::seconds(30)));
  EXPECT_LT(std::chrono::steady_clock::now() - opened, std::chrono::milliseconds(2900));

  // A version that never comes: the full snapshot once the wait is over.
  ahead.set_held_version(99);
  const auto waited = std::chrono::steady_clock::now();
  Watcher never(*stubs[0], "never", ahead);
  ASSERT_TRUE(WaitFor([&] { return never.updates.load() == 1; }, std::chrono::seconds(10)));
  EXPECT_GE(std::chrono::steady_clock::now() - waited, std::chrono::milliseconds(2900));

  never.Cancel();
  for (auto& watcher : watchers) watcher->Cancel();
  ASSERT_TRUE(WaitFor(
      [&] {
        for (const auto& watcher : watchers) {
          if (!watcher->done.load()) return false;
        }
        return never.done.load();
      },
      std::chrono::seconds(60)));
  publisher.Shutdown();
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1));
}

}  // namespace
}  // namespace gatehouse::api
