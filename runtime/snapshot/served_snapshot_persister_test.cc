#include "runtime/snapshot/served_snapshot_persister.h"

#include <condition_variable>
#include <mutex>
#include <vector>

#include "tests/support/test_zones.h"
#include "gtest/gtest.h"
#include "schemas/api.pb.h"

namespace gatehouse::runtime {
namespace {

snapshot::v1::CompiledZone Zone(const std::string& name, uint64_t version) {
  return testing::CompiledTestZone(name, version);
}

TEST(ServedSnapshotPersisterTest, WritesTheWholeServedSnapshotAfterEachUpdate) {
  std::vector<snapshot::v1::Snapshot> written;
  ServedSnapshotPersister persister([&written](uint64_t version, const std::string& payload) {
    snapshot::v1::Snapshot snapshot;
    ASSERT_TRUE(snapshot.ParseFromString(payload));
    EXPECT_EQ(snapshot.version(), version);
    written.push_back(snapshot);
  });
  EXPECT_FALSE(persister.has_full());

  api::v1::SnapshotUpdate full;
  full.mutable_snapshot()->set_format(snapshot::v1::FORMAT_VERSION_1);
  full.mutable_snapshot()->set_version(1);
  full.mutable_snapshot()->set_lineage("L");
  *full.mutable_snapshot()->add_zones() = Zone("a.com", 1);
  *full.mutable_snapshot()->add_zones() = Zone("b.com", 1);
  snapshot::v1::ManagedRuleset* crs = full.mutable_snapshot()->add_managed_rulesets();
  crs->set_id("owasp-crs");
  crs->set_digest("d1");
  auto one = LinkedSnapshot::Link(full.snapshot(), nullptr);
  ASSERT_TRUE(one.ok());
  persister.OnServed(full, **one);
  persister.Flush();
  EXPECT_TRUE(persister.has_full());
  ASSERT_EQ(written.size(), 1u);
  EXPECT_EQ(written[0].format(), snapshot::v1::FORMAT_VERSION_1);
  EXPECT_EQ(written[0].content_hash(), (*one)->content_hash());
  ASSERT_EQ(written[0].zones_size(), 2);
  EXPECT_EQ(written[0].zones(0).zone(), "a.com");
  EXPECT_EQ(written[0].zones(1).zone(), "b.com");
  EXPECT_EQ(written[0].zones(1).SerializeAsString(), Zone("b.com", 1).SerializeAsString());

  // A delta: a.com changes, b.com goes. The file still holds the whole snapshot.
  api::v1::SnapshotUpdate delta;
  delta.set_version(2);
  delta.set_lineage("L");
  *delta.add_changed_zones() = Zone("a.com", 2);
  delta.add_removed_zones("b.com");
  auto two = LinkedSnapshot::LinkDelta(2, "L", one->get(), delta.changed_zones(),
                                       delta.removed_zones(), nullptr);
  persister.OnServed(delta, *two);
  persister.Flush();
  ASSERT_EQ(written.size(), 2u);
  EXPECT_EQ(written[1].version(), 2u);
  EXPECT_EQ(written[1].lineage(), "L");
  ASSERT_EQ(written[1].zones_size(), 1);
  EXPECT_EQ(written[1].zones(0).zone(), "a.com");
  EXPECT_EQ(written[1].zones(0).version(), 2u);
  // Deltas carry no managed rulesets: the full snapshot's stay in the file.
  ASSERT_EQ(written[1].managed_rulesets_size(), 1);
  EXPECT_EQ(written[1].managed_rulesets(0).digest(), "d1");
}

TEST(ServedSnapshotPersisterTest, UpdatesServedDuringAWriteAreWrittenOnceTogether) {
  std::mutex mutex;
  std::condition_variable cv;
  bool release = false;
  std::vector<uint64_t> written;
  ServedSnapshotPersister persister([&](uint64_t version, const std::string& payload) {
    std::unique_lock lock(mutex);
    written.push_back(version);
    cv.wait(lock, [&] { return release; });  // the first write holds the writer
  });
  api::v1::SnapshotUpdate full;
  full.mutable_snapshot()->set_format(snapshot::v1::FORMAT_VERSION_1);
  full.mutable_snapshot()->set_version(1);
  *full.mutable_snapshot()->add_zones() = Zone("a.com", 1);
  auto linked = LinkedSnapshot::Link(full.snapshot(), nullptr);
  ASSERT_TRUE(linked.ok());
  persister.OnServed(full, **linked);
  // Wait for the writer to be inside the first write.
  while (true) {
    std::lock_guard lock(mutex);
    if (!written.empty()) break;
  }
  std::shared_ptr<const LinkedSnapshot> previous = *linked;
  for (uint64_t version = 2; version <= 4; ++version) {
    api::v1::SnapshotUpdate delta;
    delta.set_version(version);
    *delta.add_changed_zones() = Zone("a.com", version);
    auto next = LinkedSnapshot::LinkDelta(version, "", previous.get(), delta.changed_zones(),
                                          delta.removed_zones(), nullptr);
    persister.OnServed(delta, *next);
    previous = next;
  }
  {
    std::lock_guard lock(mutex);
    release = true;
  }
  cv.notify_all();
  persister.Flush();
  std::lock_guard lock(mutex);
  EXPECT_EQ(written, (std::vector<uint64_t>{1, 4}));
}

}  // namespace
}  // namespace gatehouse::runtime
