// The store with the proxy's way of publishing: a WorkerSlot over worker threads
// (tests/support/worker_served_store.h). A snapshot is served only once every worker switched
// to it.
#include "runtime/snapshot/snapshot_store.h"

#include <chrono>
#include <future>
#include <memory>

#include "gtest/gtest.h"
#include "schemas/snapshot.pb.h"
#include "tests/support/worker_served_store.h"

namespace gatehouse::runtime {
namespace {

std::shared_ptr<const LinkedSnapshot> Snapshot(uint64_t version) {
  snapshot::v1::Snapshot proto;
  proto.set_format(snapshot::v1::FORMAT_VERSION_1);
  proto.set_version(version);
  proto.set_lineage("test");
  auto linked = LinkedSnapshot::Link(proto, nullptr);
  EXPECT_TRUE(linked.ok()) << linked.status();
  return *linked;
}

class SnapshotStoreTest : public ::testing::Test {
 protected:
  testing::WorkerServedStore served_;
  SnapshotStore& store_ = served_.store();
};

TEST_F(SnapshotStoreTest, ServedOnlyOnceEveryWorkerSwitched) {
  std::promise<void> first;
  ASSERT_TRUE(store_.Swap(Snapshot(1), false, [&first] { first.set_value(); }));
  first.get_future().wait();
  ASSERT_NE(store_.Served(), nullptr);
  EXPECT_EQ(store_.Served()->version(), 1u);

  auto busy = std::make_unique<testing::BusyWorker>(served_.workers(), 1);
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
  for (size_t i = 0; i < served_.slot().size(); ++i) {
    EXPECT_EQ(served_.slot().Get(i)->version(), 2u);
  }
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
