#include "runtime/workers/worker_slot.h"

#include <chrono>
#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace gatehouse::runtime {
namespace {

using std::chrono::milliseconds;

// A worker held busy until Release(), as a worker in the middle of a long request would be.
class Blocker {
 public:
  void Block(Workers& workers, size_t index) {
    std::promise<void> entered;
    auto running = entered.get_future();
    workers.Post(index, [this, &entered] {
      entered.set_value();
      std::unique_lock lock(mutex_);
      released_cv_.wait(lock, [this] { return released_; });
    });
    running.wait();
  }
  void Release() {
    std::lock_guard lock(mutex_);
    released_ = true;
    released_cv_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable released_cv_;
  bool released_ = false;
};

// Reads worker `index`'s value on its own thread.
template <typename T>
T ReadOn(Workers& workers, WorkerSlot<T>& slot, size_t index) {
  std::promise<T> value;
  workers.Post(index, [&] { value.set_value(slot.Get(index)); });
  return value.get_future().get();
}

TEST(WorkerSlotTest, EveryWorkerStartsWithTheInitialValue) {
  WorkerThreads workers(3);
  WorkerSlot<int> slot(workers, 7);
  ASSERT_EQ(slot.size(), 3u);
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(ReadOn(workers, slot, i), 7);
}

TEST(WorkerSlotTest, CompletesOnlyOnceEveryWorkerSwitched) {
  WorkerThreads workers(4);
  WorkerSlot<std::shared_ptr<const std::string>> slot(workers);
  Blocker blocker;
  blocker.Block(workers, 2);

  std::promise<void> completed;
  auto done = completed.get_future();
  slot.Set(std::make_shared<const std::string>("v2"), [&completed] { completed.set_value(); });

  // The free workers switch; the completion waits for the busy one.
  for (size_t i : {0u, 1u, 3u}) ASSERT_EQ(*ReadOn(workers, slot, i), "v2");
  EXPECT_EQ(done.wait_for(milliseconds(200)), std::future_status::timeout);

  blocker.Release();
  ASSERT_EQ(done.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  // Once complete, every worker serves the new value (read here without a lock: the
  // completion happens after every worker's write).
  for (size_t i = 0; i < 4; ++i) EXPECT_EQ(*slot.Get(i), "v2");
}

TEST(WorkerSlotTest, ChangesArriveInOrderAndCompleteInOrder) {
  WorkerThreads workers(3);
  WorkerSlot<int> slot(workers);
  std::mutex mutex;
  std::vector<int> completions;
  std::promise<void> all;
  constexpr int kChanges = 200;
  for (int v = 1; v <= kChanges; ++v) {
    slot.Set(v, [&, v] {
      std::lock_guard lock(mutex);
      completions.push_back(v);
      if (v == kChanges) all.set_value();
    });
  }
  all.get_future().wait();
  std::lock_guard lock(mutex);
  ASSERT_EQ(completions.size(), static_cast<size_t>(kChanges));
  for (int v = 1; v <= kChanges; ++v) EXPECT_EQ(completions[v - 1], v);
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(slot.Get(i), kChanges);
}

TEST(WorkerSlotTest, RunOnEachUpdatesEachWorkersOwnValue) {
  WorkerThreads workers(3);
  WorkerSlot<std::vector<int>> slot(workers);
  std::promise<void> done;
  slot.RunOnEach([](std::vector<int>& mine) { mine.push_back(1); });
  slot.RunOnEach([](std::vector<int>& mine) { mine.push_back(2); },
                 [&done] { done.set_value(); });
  done.get_future().wait();
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(slot.Get(i), (std::vector<int>{1, 2}));
}

TEST(WorkerSlotTest, NoWorkersCompletesAtOnce) {
  WorkerThreads workers(0);
  WorkerSlot<int> slot(workers);
  bool completed = false;
  slot.Set(1, [&completed] { completed = true; });
  EXPECT_TRUE(completed);
}

TEST(WorkerSlotTest, StoppedWorkersNeverComplete) {
  auto workers = std::make_unique<WorkerThreads>(2);
  WorkerSlot<int> slot(*workers);
  workers->Stop();
  bool completed = false;
  slot.Set(1, [&completed] { completed = true; });
  workers.reset();  // the posted tasks are dropped, not run
  EXPECT_FALSE(completed);
}

}  // namespace
}  // namespace gatehouse::runtime
