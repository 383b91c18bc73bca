#include "compiler/snapshot_assembly.h"

#include <algorithm>
#include <chrono>

#include "plan/snapshot_hash.h"

namespace gatehouse::compiler {
namespace {

std::vector<std::pair<std::string_view, std::string_view>> ManagedPairs(
    const ManagedRulesets* managed) {
  std::vector<std::pair<std::string_view, std::string_view>> rulesets;
  if (managed != nullptr) {
    for (const auto& ruleset : *managed) rulesets.emplace_back(ruleset.id(), ruleset.digest());
  }
  std::sort(rulesets.begin(), rulesets.end());
  return rulesets;
}

std::string ZoneHashOf(const std::shared_ptr<const snapshot::v1::CompiledZone>& zone) {
  return plan::ZoneContentHash(*zone);
}

}  // namespace

void UpdateSnapshotHashBuckets(const ZoneSet& zones, const std::bitset<ZoneSet::kShards>& touched,
                               ContentHashBuckets* buckets) {
  UpdateContentHashBuckets(zones, touched, ZoneHashOf, buckets);
}

std::string SnapshotContentHash(const ContentHashBuckets& buckets,
                                const ManagedRulesets* managed) {
  return buckets.Hash(ManagedPairs(managed));
}

std::string SnapshotContentHash(const ZoneSet& zones, const ManagedRulesets* managed) {
  ContentHashBuckets buckets;
  UpdateSnapshotHashBuckets(zones, std::bitset<ZoneSet::kShards>().set(), &buckets);
  return SnapshotContentHash(buckets, managed);
}

snapshot::v1::Snapshot AssembleSnapshot(uint64_t version, const ZoneSet& zones,
                                        std::string_view lineage,
                                        const ManagedRulesets* managed) {
  snapshot::v1::Snapshot out;
  out.set_format(snapshot::v1::FORMAT_VERSION_1);
  out.set_version(version);
  out.set_lineage(std::string(lineage));
  out.set_content_hash(SnapshotContentHash(zones, managed));
  out.set_created_unix_ms(std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count());
  for (const auto* entry : zones.Sorted()) *out.add_zones() = *entry->second;
  if (managed != nullptr) {
    for (const auto& ruleset : *managed) *out.add_managed_rulesets() = ruleset;
  }
  return out;
}

}  // namespace gatehouse::compiler
