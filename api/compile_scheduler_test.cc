#include "api/compile_scheduler.h"

#include <atomic>
#include <chrono>
#include <thread>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"

namespace gatehouse::api {
namespace {

// Waits until `count` jobs are queued behind the running one (Run gives no hook for it).
void WaitQueued(const std::atomic<int>& queued, int count) {
  while (queued.load() < count) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));  // let Run enqueue
}

TEST(CompileSchedulerTest, AnotherTenantWaitsForAtMostTheRunningCompile) {
  CompileScheduler scheduler({/*threads=*/1, /*max_queued_per_tenant=*/8});
  absl::Notification release;
  std::mutex mutex;
  std::vector<std::string> order;
  auto record = [&](const std::string& name) {
    std::lock_guard lock(mutex);
    order.push_back(name);
  };
  std::atomic<int> queued{0};
  std::vector<std::thread> callers;
  // A's first compile holds the only thread; three more of A's queue behind it.
  callers.emplace_back([&] {
    ASSERT_TRUE(scheduler.Run("a", [&] { record("a0"); release.WaitForNotification(); }).ok());
  });
  while (true) {
    std::lock_guard lock(mutex);
    if (!order.empty()) break;
  }
  for (int i = 1; i <= 3; ++i) {
    callers.emplace_back([&, i] {
      ++queued;
      ASSERT_TRUE(scheduler.Run("a", [&, i] { record("a" + std::to_string(i)); }).ok());
    });
    WaitQueued(queued, i);
  }
  callers.emplace_back([&] {
    ++queued;
    ASSERT_TRUE(scheduler.Run("b", [&] { record("b0"); }).ok());
  });
  WaitQueued(queued, 4);
  release.Notify();
  for (std::thread& caller : callers) caller.join();
  EXPECT_EQ(order, (std::vector<std::string>{"a0", "b0", "a1", "a2", "a3"}));
}

TEST(CompileSchedulerTest, OneTenantLeavesAThreadForOthers) {
  CompileScheduler scheduler({/*threads=*/2, /*max_queued_per_tenant=*/8});
  absl::Notification release;
  std::atomic<int> running_a{0};
  std::atomic<int> most_a{0};
  std::vector<std::thread> callers;
  for (int i = 0; i < 3; ++i) {
    callers.emplace_back([&] {
      ASSERT_TRUE(scheduler
                      .Run("a",
                           [&] {
                             most_a = std::max(most_a.load(), ++running_a);
                             release.WaitForNotification();
                             --running_a;
                           })
                      .ok());
    });
  }
  while (running_a.load() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  // A holds one thread and queues the rest: B runs at once on the other.
  EXPECT_TRUE(scheduler.Run("b", [] {}).ok());
  EXPECT_EQ(most_a.load(), 1);
  release.Notify();
  for (std::thread& caller : callers) caller.join();
}

TEST(CompileSchedulerTest, BoundsEachTenantsQueueAndSkipsAbandonedJobs) {
  CompileScheduler scheduler({1, 1});
  absl::Notification release;
  std::atomic<bool> started{false};
  std::thread holder([&] {
    (void)scheduler.Run("a", [&] { started = true; release.WaitForNotification(); });
  });
  while (!started) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::atomic<bool> ran{false};
  std::thread waiting([&] {
    const std::function<bool()> gave_up = [] { return true; };
    EXPECT_EQ(scheduler.Run("a", [&] { ran = true; }, gave_up).code(),
              absl::StatusCode::kCancelled);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  // A's one waiting slot is taken.
  EXPECT_EQ(scheduler.Run("a", [] {}).code(), absl::StatusCode::kResourceExhausted);
  release.Notify();
  holder.join();
  waiting.join();
  EXPECT_FALSE(ran);
  EXPECT_TRUE(scheduler.Run("b", [] {}).ok());
}

}  // namespace
}  // namespace gatehouse::api
