#pragma once

#include <bitset>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/content_hash.h"
#include "common/sharded_map.h"
#include "schemas/snapshot.pb.h"

namespace gatehouse::compiler {

// The zones of one snapshot, by name. Zones are shared between consecutive snapshots, and so
// are the map's shards: a change to one zone copies one shard of pointers (common/sharded_map.h).
using ZoneSet = ShardedMap<std::shared_ptr<const snapshot::v1::CompiledZone>>;

// The managed rulesets a snapshot carries (the managed WAF's CRS), sorted by id.
using ManagedRulesets = std::vector<snapshot::v1::ManagedRuleset>;

// The account-level lists a snapshot carries, by name; consecutive snapshots share every list
// that did not change.
using AccountLists = std::map<std::string, std::shared_ptr<const snapshot::v1::AccountList>>;

// What the content hash adds for managed rulesets and account lists: (id, digest) and
// ("$" + name, list content hash) pairs, sorted. Without lists the hash is as before them.
std::vector<std::pair<std::string_view, std::string_view>> ExtraHashPairs(
    const ManagedRulesets* managed, const AccountLists* lists, std::vector<std::string>* keep);

// The content hash of `zones` and `managed`, from scratch.
std::string SnapshotContentHash(const ZoneSet& zones, const ManagedRulesets* managed = nullptr);

// The same kept up to date: recomputes the bucket digests of the shards of `zones` in `touched`
// (ZoneSet::Editor::touched()), then the hash from `buckets`.
void UpdateSnapshotHashBuckets(const ZoneSet& zones, const std::bitset<ZoneSet::kShards>& touched,
                               ContentHashBuckets* buckets);
std::string SnapshotContentHash(const ContentHashBuckets& buckets,
                                const ManagedRulesets* managed = nullptr,
                                const AccountLists* lists = nullptr);

// The full snapshot of `zones`, listed by name.
snapshot::v1::Snapshot AssembleSnapshot(uint64_t version, const ZoneSet& zones,
                                        std::string_view lineage = "",
                                        const ManagedRulesets* managed = nullptr,
                                        const AccountLists* lists = nullptr);

}  // namespace gatehouse::compiler
