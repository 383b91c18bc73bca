// The stream's reconnect loop, against an address nothing listens on (loopback only).
#include "runtime/snapshot/watch_stream.h"

#include <atomic>
#include <chrono>
#include <thread>

#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "schemas/api.pb.h"

namespace gatehouse::runtime {
namespace {

class CountingDelegate : public WatchStream::Delegate {
 public:
  void FillRequest(api::v1::WatchRequest& request) override {
    request.set_node_id("node");
    attempts.fetch_add(1);
  }
  void OnUpdate(const api::v1::SnapshotUpdate&) override {}
  std::atomic<int> attempts{0};
};

// Port 1 on loopback: nothing listens there, so every attempt fails at once.
TEST(WatchStreamTest, StopEndsTheBackoffWaitAtOnce) {
  CountingDelegate delegate;
  auto channel = grpc::CreateChannel("127.0.0.1:1", grpc::InsecureChannelCredentials());
  WatchStream stream({"127.0.0.1:1", "", std::chrono::seconds(60), std::chrono::seconds(60)},
                     channel, delegate);
  stream.Start();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (delegate.attempts.load() == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(delegate.attempts.load(), 1);
  // The failed attempt is followed by a wait of 30 to 60 s; Stop cuts it short.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const auto stopping = std::chrono::steady_clock::now();
  stream.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - stopping, std::chrono::seconds(5));
  EXPECT_EQ(delegate.attempts.load(), 1);
}

TEST(WatchStreamTest, RetriesAfterTheBackoff) {
  CountingDelegate delegate;
  auto channel = grpc::CreateChannel("127.0.0.1:1", grpc::InsecureChannelCredentials());
  WatchStream stream({"127.0.0.1:1", "", std::chrono::milliseconds(10),
                      std::chrono::milliseconds(20)},
                     channel, delegate);
  stream.Start();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (delegate.attempts.load() < 3 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  stream.Stop();
  EXPECT_GE(delegate.attempts.load(), 3);
}

}  // namespace
}  // namespace gatehouse::runtime
