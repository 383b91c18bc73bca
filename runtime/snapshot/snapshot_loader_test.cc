#include "runtime/snapshot/snapshot_loader.h"

#include <cstdlib>
#include <fstream>

#include "gtest/gtest.h"

namespace gatehouse::runtime {
namespace {

std::string TempDir() {
  const char* dir = std::getenv("TEST_TMPDIR");
  return dir != nullptr ? dir : "/tmp";
}

snapshot::v1::Snapshot Empty(uint64_t version, const std::string& hash) {
  snapshot::v1::Snapshot snapshot;
  snapshot.set_format(snapshot::v1::FORMAT_VERSION_1);
  snapshot.set_version(version);
  snapshot.set_content_hash(hash);
  return snapshot;
}

TEST(SnapshotLoaderTest, AppliesPersistsAndKeepsLastGoodOnFailure) {
  const std::string state = TempDir() + "/state";
  SnapshotStore store;
  SnapshotLoader loader(store, state);
  EXPECT_FALSE(loader.LoadPersisted().ok());
  ASSERT_TRUE(loader.Apply(Empty(3, "h3")).ok());
  EXPECT_EQ(store.Current()->version(), 3u);
  // The same snapshot again changes nothing and is not a failure.
  ASSERT_TRUE(loader.Apply(Empty(3, "h3")).ok());
  EXPECT_EQ(store.swap_count(), 1u);
  // Older: rejected and counted.
  EXPECT_FALSE(loader.Apply(Empty(2, "h2")).ok());
  // A format this proxy does not read: rejected and counted.
  auto unknown = Empty(4, "h4");
  unknown.set_format(snapshot::v1::FORMAT_VERSION_UNSPECIFIED);
  EXPECT_FALSE(loader.Apply(unknown).ok());
  EXPECT_EQ(loader.load_failures(), 2u);
  EXPECT_EQ(store.Current()->version(), 3u);
  // A corrupt file: rejected, the last good one still served.
  const std::string bad = TempDir() + "/bad.snapshot";
  std::ofstream(bad) << "GATEHOUSE-SNAPSHOT 1\nnonsense";
  EXPECT_FALSE(loader.ApplyFile(bad).ok());
  EXPECT_EQ(loader.load_failures(), 3u);
  EXPECT_EQ(store.Current()->version(), 3u);

  // A new process (store) finds what was persisted.
  SnapshotStore restarted;
  SnapshotLoader again(restarted, state);
  ASSERT_TRUE(again.LoadPersisted().ok());
  EXPECT_EQ(restarted.Current()->version(), 3u);
}

}  // namespace
}  // namespace gatehouse::runtime
