// The apply step without a network: a fake reporter, the store published to worker threads
// through a WorkerSlot as the proxy's server does (tests/support/worker_served_store.h).
#include "runtime/snapshot/snapshot_applier.h"

#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "schemas/api.pb.h"
#include "tests/support/test_zones.h"
#include "tests/support/worker_served_store.h"

namespace gatehouse::runtime {
namespace {

snapshot::v1::CompiledZone Zone(const std::string& name, uint64_t version,
                                const std::string& expression) {
  return testing::CompiledTestZone(name, version, expression);
}

api::v1::SnapshotUpdate Full(uint64_t version, std::vector<snapshot::v1::CompiledZone> zones) {
  api::v1::SnapshotUpdate update;
  auto* snapshot = update.mutable_snapshot();
  snapshot->set_format(snapshot::v1::FORMAT_VERSION_1);
  snapshot->set_version(version);
  snapshot->set_lineage("L");
  for (auto& zone : zones) *snapshot->add_zones() = std::move(zone);
  return update;
}

api::v1::SnapshotUpdate Delta(uint64_t version, std::vector<snapshot::v1::CompiledZone> zones) {
  api::v1::SnapshotUpdate update;
  update.set_version(version);
  update.set_lineage("L");
  for (auto& zone : zones) *update.add_changed_zones() = std::move(zone);
  return update;
}

class FakeReporter : public ApplyReporter {
 public:
  void Report(const api::v1::ApplyReport& report) override {
    std::lock_guard lock(mutex_);
    reports_.push_back(report);
  }
  std::vector<api::v1::ApplyReport> reports() {
    std::lock_guard lock(mutex_);
    return reports_;
  }

 private:
  std::mutex mutex_;
  std::vector<api::v1::ApplyReport> reports_;
};

class SnapshotApplierTest : public ::testing::Test {
 protected:
  testing::WorkerServedStore served_;
  SnapshotStore& store_ = served_.store();
  FakeReporter reporter_;
  SnapshotApplier applier_{"node", store_, reporter_};
};

TEST_F(SnapshotApplierTest, ReportsAppliedOnlyOnceEveryWorkerServesTheUpdate) {
  applier_.Apply(Full(1, {Zone("a.com", 1, "true")}));
  ASSERT_EQ(reporter_.reports().size(), 1u);
  EXPECT_TRUE(reporter_.reports()[0].applied());

  // Worker 2 is busy (a long request, say): it still serves snapshot 1.
  testing::BusyWorker busy(served_.workers(), 2);

  std::thread apply([&] { applier_.Apply(Delta(2, {Zone("a.com", 2, "false")})); });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(store_.Current()->version(), 2u);  // swapped in
  EXPECT_EQ(store_.Served()->version(), 1u);   // not served by every worker
  EXPECT_EQ(reporter_.reports().size(), 1u);   // so not reported

  busy.Release();
  apply.join();
  ASSERT_EQ(reporter_.reports().size(), 2u);
  const api::v1::ApplyReport report = reporter_.reports()[1];
  EXPECT_TRUE(report.applied());
  EXPECT_EQ(report.version(), 2u);
  EXPECT_EQ(store_.Served()->version(), 2u);
  for (size_t i = 0; i < served_.slot().size(); ++i) {
    EXPECT_EQ(served_.slot().Get(i)->version(), 2u);
  }
}

TEST_F(SnapshotApplierTest, CancelEndsTheWaitWithoutAReport) {
  applier_.Apply(Full(1, {Zone("a.com", 1, "true")}));
  served_.workers().Stop();  // nothing will switch any more
  std::thread apply([&] { applier_.Apply(Delta(2, {Zone("a.com", 2, "false")})); });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  applier_.Cancel();
  apply.join();
  EXPECT_EQ(reporter_.reports().size(), 1u);
}

TEST_F(SnapshotApplierTest, ARejectedZoneIsReportedAndAskedNotToBeResent) {
  applier_.Apply(Full(1, {Zone("good.com", 1, "true"), Zone("bad.com", 1, "http.x eq 1")}));
  ASSERT_EQ(reporter_.reports().size(), 1u);
  const auto report = reporter_.reports()[0];
  EXPECT_TRUE(report.applied());
  bool bad_rejected = false;
  for (const auto& zone : report.zones()) {
    if (zone.zone() == "bad.com") bad_rejected = !zone.applied() && !zone.error().empty();
  }
  EXPECT_TRUE(bad_rejected);

  api::v1::WatchRequest request;
  applier_.FillRequest(request, /*ask_full=*/false);
  EXPECT_EQ(request.node_id(), "node");
  EXPECT_EQ(request.held_version(), 1u);
  EXPECT_EQ(request.held_lineage(), "L");
  EXPECT_EQ(request.held_zones().at("good.com"), 1u);
  EXPECT_EQ(request.rejected_zones().at("bad.com"), 1u);

  api::v1::WatchRequest full;
  applier_.FillRequest(full, /*ask_full=*/true);
  EXPECT_EQ(full.held_version(), 0u);
  EXPECT_EQ(full.rejected_zones().at("bad.com"), 1u);
}

TEST_F(SnapshotApplierTest, AnOlderDeltaIsRefusedAndReportedAtOnce) {
  applier_.Apply(Full(5, {Zone("a.com", 5, "true")}));
  applier_.Apply(Delta(4, {Zone("a.com", 4, "false")}));
  ASSERT_EQ(reporter_.reports().size(), 2u);
  EXPECT_FALSE(reporter_.reports()[1].applied());
  EXPECT_NE(reporter_.reports()[1].error().find("older"), std::string::npos);
  EXPECT_EQ(store_.Served()->version(), 5u);
}

}  // namespace
}  // namespace gatehouse::runtime
