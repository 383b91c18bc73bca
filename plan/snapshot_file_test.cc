#include "plan/snapshot_file.h"

#include <sys/stat.h>

#include <cstdlib>

#include "gtest/gtest.h"

namespace gatehouse::plan {
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

TEST(SnapshotFileTest, RoundTripsAndRejectsDamage) {
  const auto snapshot = Empty(7, "abc");
  const std::string encoded = EncodeSnapshotFile(snapshot);
  EXPECT_TRUE(LooksLikeSnapshotFile(encoded));
  auto decoded = DecodeSnapshotFile(encoded);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->version(), 7u);
  EXPECT_FALSE(DecodeSnapshotFile("junk").ok());
  EXPECT_FALSE(DecodeSnapshotFile(encoded.substr(0, encoded.size() - 1)).ok());
  std::string flipped = encoded;
  flipped.back() ^= 1;
  EXPECT_FALSE(DecodeSnapshotFile(flipped).ok());
}

TEST(SnapshotFileTest, AtomicWriteReplacesTheFile) {
  const std::string path = TempDir() + "/atomic.snapshot";
  ASSERT_TRUE(WriteSnapshotFileAtomic(path, Empty(1, "a")).ok());
  ASSERT_TRUE(WriteSnapshotFileAtomic(path, Empty(2, "b")).ok());
  auto read = ReadSnapshotFile(path);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->version(), 2u);
}

// A snapshot may carry private keys: its file is the owner's alone, whatever the umask.
TEST(SnapshotFileTest, FilesAreReadableByTheOwnerOnly) {
  const std::string path = TempDir() + "/owner-only.snapshot";
  ASSERT_TRUE(WriteSnapshotFileAtomic(path, Empty(1, "a")).ok());
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
}

}  // namespace
}  // namespace gatehouse::plan
