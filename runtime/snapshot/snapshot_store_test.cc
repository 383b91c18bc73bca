// The store with the proxy's way of publishing: a WorkerSlot over worker threads. A snapshot is
// served only once every worker switched to it.
#include "runtime/snapshot/snapshot_store.h"

#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>

#include "gtest/gtest.h"
#include "runtime/workers/worker_slot.h"
#include "schemas/snapshot.pb.h"

namespace gatehouse::runtime {
namespace {

using Slot = WorkerSlot<std::shared_ptr<const LinkedSnapshot>>;

std::shared_ptr<const LinkedSnapshot> Snapshot(uint64_t version) {
  snapshot::v1::Snapshot proto;
  proto.set_format(snapshot::v1::FORMAT_VERSION_1);
  proto.set_version(version);
  proto.set_lineage("test");
  auto linked = LinkedSnapshot::Link(proto, nullptr);
  EXPECT_TRUE(linked.ok()) << linked.status();
  return *linked;
}

// Holds one worker busy, as a long request on it would, until released.
class BusyWorker {
 public:
  BusyWorker(Workers& workers, size_t index) {
    std::promise<void> entered;
    workers.Post(index, [this, &entered] {
      entered.set_value();
      std::unique_lock lock(mutex_);
      cv_.wait(lock, [this] { return released_; });
    });
    entered.get_future().wait();
  }
  ~BusyWorker() { Release(); }
  void Release() {
    std::lock_guard lock(mutex_);
    released_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool released_ = false;
};

class SnapshotStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    subscription_ = store_.Subscribe(
        [this](const std::shared_ptr<const LinkedSnapshot>& snapshot, SnapshotStore::Done done) {
          slot_.Set(snapshot, std::move(done));
        });
  }
  void TearDown() override {
    store_.Unsubscribe(subscription_);
    workers_.Stop();
  }

  SnapshotStore store_;
  WorkerThreads workers_{3};
  Slot slot_{workers_};
  int subscription_ = 0;
};

TEST_F(SnapshotStoreTest, ServedOnlyOnceEveryWorkerSwitched) {
  std::promise<void> first;
  ASSERT_TRUE(store_.Swap(Snapshot(1), false, [&first] { first.set_value(); }));
  first.get_future().wait();
  ASSERT_NE(store_.Served(), nullptr);
  EXPECT_EQ(store_.Served()->version(), 1u);

  auto busy = std::make_unique<BusyWorker>(workers_, 1);
  std::promise<void> second;
  auto served = second.get_future();
  ASSERT_TRUE(store_.Swap(Snapshot(2), false, [&second] { second.set_value(); }));
  // Swapped in, but worker 1 still serves snapshot 1: not served, not reported.
  EXPECT_EQ(store_.Current()->version(), 2u);
  EXPECT_EQ(served.wait_for(std::chrono::milliseconds(200)), std::future_status::timeout);
  EXPECT_EQ(store_.Served()->version(), 1u);

  busy->Release();
  ASSERT_EQ(served.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_EQ(store_.Served()->version(), 2u);
  for (size_t i = 0; i < slot_.size(); ++i) EXPECT_EQ(slot_.Get(i)->version(), 2u);
}

TEST_F(SnapshotStoreTest, ARefusedSwapIsNeverServed) {
  std::promise<void> first;
  ASSERT_TRUE(store_.Swap(Snapshot(5), false, [&first] { first.set_value(); }));
  first.get_future().wait();
  bool called = false;
  EXPECT_FALSE(store_.Swap(Snapshot(4), false, [&called] { called = true; }));
  EXPECT_FALSE(called);
  EXPECT_EQ(store_.Served()->version(), 5u);
  EXPECT_EQ(store_.refusals().in_a_row, 1u);
}

TEST(SnapshotStoreWithoutSubscribersTest, ServedAtOnce) {
  SnapshotStore store;
  EXPECT_EQ(store.Served(), nullptr);
  bool called = false;
  ASSERT_TRUE(store.Swap(Snapshot(3), false, [&called] { called = true; }));
  EXPECT_TRUE(called);
  EXPECT_EQ(store.Served()->version(), 3u);
}

}  // namespace
}  // namespace gatehouse::runtime
