#pragma once

#include <algorithm>
#include <array>
#include <bitset>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/sharded_map.h"

namespace gatehouse {

// Lower-case hex SHA-256 of `data`: the content hash of configs and snapshots.
std::string Sha256Hex(std::string_view data);

// A snapshot's content hash: the one definition the control plane, gatectl and the proxy share.
//
// Zones fall into kContentHashBuckets buckets by StableNameHash of their name (the shards of a
// ShardedMap, so a snapshot kept in one has its buckets at hand). A bucket's digest is SHA-256
// over "name\0zone_hash\n" of each of its zones, in name order, where zone_hash is
// ZoneContentHash (the config hash of a zone without certificates); the zones' hash is the hex
// SHA-256 over the buckets' 32-byte digests in bucket order (an empty bucket's digest is the
// SHA-256 of nothing). So a change to one zone rehashes one bucket and 8 KB of digests, never
// every zone.
inline constexpr size_t kContentHashBuckets = ShardedMap<int>::kShards;

// What a zone contributes to its snapshot's content hash: its config hash when it serves no
// certificate; else the hex SHA-256 of the config hash followed by "\ncertificate " and each
// certificate's fingerprint, in the zone's order (by fingerprint). So uploading or deleting a
// certificate changes the snapshot's hash, and a zone without certificates hashes as before.
std::string ZoneContentHash(std::string_view config_hash,
                            const std::vector<std::string_view>& certificate_fingerprints);

// The bucket of the zone named `zone`.
inline size_t ContentHashBucket(std::string_view zone) { return ShardedMap<int>::ShardOf(zone); }

// The digests of a snapshot's buckets, changed bucket by bucket.
class ContentHashBuckets {
 public:
  // Every bucket empty.
  ContentHashBuckets();

  // Bucket `index` now holds `zones`: (name, zone hash) pairs sorted by name.
  void Set(size_t index, const std::vector<std::pair<std::string_view, std::string_view>>& zones);

  // The content hash; `managed` as ContentHashOfSnapshot's.
  std::string Hash(
      const std::vector<std::pair<std::string_view, std::string_view>>& managed = {}) const;

 private:
  static constexpr size_t kDigestBytes = 32;
  std::array<unsigned char, kContentHashBuckets * kDigestBytes> digests_;
};

// Recomputes the buckets of `zones`' shards that are set in `touched` (ShardedMap::Editor's
// touched()) over the zones `included(name)` accepts. `zone_hash_of(value)` gives the
// ZoneContentHash of the zone a value stands for.
template <typename V, typename ZoneHashOf, typename Included>
void UpdateContentHashBuckets(const ShardedMap<V>& zones,
                              const std::bitset<ShardedMap<V>::kShards>& touched,
                              const ZoneHashOf& zone_hash_of, const Included& included,
                              ContentHashBuckets* buckets) {
  static_assert(ShardedMap<V>::kShards == kContentHashBuckets);
  std::vector<std::pair<std::string_view, std::string>> hashes;
  std::vector<std::pair<std::string_view, std::string_view>> pairs;
  for (size_t i = 0; i < kContentHashBuckets; ++i) {
    if (!touched[i]) continue;
    hashes.clear();
    if (const auto* shard = zones.shard(i); shard != nullptr) {
      for (const auto& [name, value] : *shard) {
        if (included(name)) hashes.emplace_back(name, zone_hash_of(value));
      }
    }
    std::sort(hashes.begin(), hashes.end());
    pairs.assign(hashes.begin(), hashes.end());
    buckets->Set(i, pairs);
  }
}

// The same over every zone.
template <typename V, typename ZoneHashOf>
void UpdateContentHashBuckets(const ShardedMap<V>& zones,
                              const std::bitset<ShardedMap<V>::kShards>& touched,
                              const ZoneHashOf& zone_hash_of, ContentHashBuckets* buckets) {
  UpdateContentHashBuckets(
      zones, touched, zone_hash_of, [](const std::string&) { return true; }, buckets);
}

// The content hash of the zones in `zones`: (name, zone hash) pairs sorted by name.
std::string ContentHashOfZones(
    const std::vector<std::pair<std::string_view, std::string_view>>& zones);

// A snapshot's content hash with its managed rulesets: `managed` holds (id, digest) pairs sorted
// by id. Without managed rulesets it is ContentHashOfZones; with them, SHA-256 over that and
// each pair, so a snapshot whose ruleset changed is not taken for the one before.
std::string ContentHashOfSnapshot(
    const std::vector<std::pair<std::string_view, std::string_view>>& zones,
    const std::vector<std::pair<std::string_view, std::string_view>>& managed);

}  // namespace gatehouse
