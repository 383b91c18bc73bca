#include "common/content_hash.h"

#include <algorithm>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace gatehouse {
namespace {

TEST(ContentHashTest, KnownVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

using Pairs = std::vector<std::pair<std::string_view, std::string_view>>;

TEST(ContentHashTest, TheSnapshotHashIsOverBucketDigests) {
  // The definition, spelt out: one zone in its bucket, every other bucket empty.
  const std::string empty = Sha256Hex("");
  std::string digests;
  for (size_t i = 0; i < kContentHashBuckets; ++i) {
    const std::string hex = i == ContentHashBucket("a.test") ? Sha256Hex(std::string("a.test\0h1\n", 10)) : empty;
    for (size_t j = 0; j < hex.size(); j += 2) {
      digests.push_back(static_cast<char>(std::stoi(hex.substr(j, 2), nullptr, 16)));
    }
  }
  EXPECT_EQ(ContentHashOfZones({{"a.test", "h1"}}), Sha256Hex(digests));
  // With managed rulesets: SHA-256 over that and each (id, digest).
  EXPECT_EQ(ContentHashOfSnapshot({{"a.test", "h1"}}, {{"crs", "d1"}}),
            Sha256Hex(Sha256Hex(digests) + std::string("\nmanaged rulesets\ncrs\0d1\n", 25)));
}

TEST(ContentHashTest, AZoneWithCertificatesHashesTheirFingerprintsWithItsConfig) {
  EXPECT_EQ(ZoneContentHash("h1", {}), "h1");
  EXPECT_EQ(ZoneContentHash("h1", {"aa", "bb"}), Sha256Hex("h1\ncertificate aa\ncertificate bb"));
  EXPECT_NE(ZoneContentHash("h1", {"aa"}), ZoneContentHash("h1", {"aa", "bb"}));
  EXPECT_NE(ZoneContentHash("h1", {"aa"}), ZoneContentHash("h2", {"aa"}));
}

TEST(ContentHashTest, BucketByBucketEqualsFromScratch) {
  std::vector<std::string> names, hashes;
  for (int i = 0; i < 2000; ++i) {
    names.push_back("zone" + std::to_string(i) + ".test");
    hashes.push_back(Sha256Hex(names.back()));
  }
  Pairs all;
  for (size_t i = 0; i < names.size(); ++i) all.emplace_back(names[i], hashes[i]);
  std::sort(all.begin(), all.end());

  ShardedMap<std::string>::Editor editor;
  for (size_t i = 0; i < names.size(); ++i) editor.Set(names[i], hashes[i]);
  const auto touched = editor.touched();
  const ShardedMap<std::string> zones = std::move(editor).Finish();
  ContentHashBuckets buckets;
  const auto identity = [](const std::string& hash) -> std::string_view { return hash; };
  UpdateContentHashBuckets(zones, touched, identity, &buckets);
  EXPECT_EQ(buckets.Hash(), ContentHashOfZones(all));
  EXPECT_EQ(buckets.Hash({{"crs", "d"}}), ContentHashOfSnapshot(all, {{"crs", "d"}}));

  // One zone changes: only its bucket is recomputed, and the hash is the one from scratch.
  ShardedMap<std::string>::Editor change(zones);
  change.Set("zone7.test", "changed");
  EXPECT_TRUE(change.Erase("zone8.test"));
  const auto changed_shards = change.touched();
  const ShardedMap<std::string> next = std::move(change).Finish();
  UpdateContentHashBuckets(next, changed_shards, identity, &buckets);
  Pairs after;
  for (const auto& [name, hash] : all) {
    if (name == "zone8.test") continue;
    after.emplace_back(name, name == "zone7.test" ? std::string_view("changed") : hash);
  }
  EXPECT_EQ(buckets.Hash(), ContentHashOfZones(after));
  EXPECT_NE(buckets.Hash(), ContentHashOfZones(all));
}

}  // namespace
}  // namespace gatehouse
