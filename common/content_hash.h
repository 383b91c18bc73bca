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
// over "name\0config_hash\n" of each of its zones, in name order; the zones' hash is the hex
// SHA-256 over the buckets' 32-byte digests in bucket order (an empty bucket's digest is the
// SHA-256 of nothing). So a change to one zone rehashes one bucket and 8 KB of digests, never
// every zone.
inline constexpr size_t kContentHashBuckets = ShardedMap<int>::kShards;

// The bucket of the zone named `zone`.
inline size_t ContentHashBucket(std::string_view zone) { return ShardedMap<int>::ShardOf(zone); }

// The digests of a snapshot's buckets, changed bucket by bucket.
class ContentHashBuckets {
 public:
  // Every bucket empty.
  ContentHashBuckets();

  // Bucket `index` now holds `zones`: (name, config hash) pairs sorted by name.
  void Set(size_t index, const std::vector<std::pair<std::string_view, std::string_view>>& zones);

  // The content hash; `managed` as ContentHashOfSnapshot's.
  std::string Hash(
      const std::vector<std::pair<std::string_view, std::string_view>>& managed = {}) const;

 private:
  static constexpr size_t kDigestBytes = 32;
  std::array<unsigned char, kContentHashBuckets * kDigestBytes> digests_;
};

// Recomputes the buckets of `zones`' shards that are set in `touched` (ShardedMap::Editor's
// touched()). `config_hash_of(value)` gives the config hash of the zone a value stands for.
template <typename V, typename ConfigHashOf>
void UpdateContentHashBuckets(const ShardedMap<V>& zones,
                              const std::bitset<ShardedMap<V>::kShards>& touched,
                              const ConfigHashOf& config_hash_of, ContentHashBuckets* buckets) {
  static_assert(ShardedMap<V>::kShards == kContentHashBuckets);
  std::vector<std::pair<std::string_view, std::string_view>> pairs;
  for (size_t i = 0; i < kContentHashBuckets; ++i) {
    if (!touched[i]) continue;
    pairs.clear();
    if (const auto* shard = zones.shard(i); shard != nullptr) {
      for (const auto& [name, value] : *shard) pairs.emplace_back(name, config_hash_of(value));
    }
    std::sort(pairs.begin(), pairs.end());
    buckets->Set(i, pairs);
  }
}

// The content hash of the zones in `zones`: (name, config hash) pairs sorted by name.
std::string ContentHashOfZones(
    const std::vector<std::pair<std::string_view, std::string_view>>& zones);

// A snapshot's content hash with its managed rulesets: `managed` holds (id, digest) pairs sorted
// by id. Without managed rulesets it is ContentHashOfZones; with them, SHA-256 over that and
// each pair, so a snapshot whose ruleset changed is not taken for the one before.
std::string ContentHashOfSnapshot(
    const std::vector<std::pair<std::string_view, std::string_view>>& zones,
    const std::vector<std::pair<std::string_view, std::string_view>>& managed);

}  // namespace gatehouse
