#include "compiler/snapshot_assembly.h"

#include <algorithm>
#include <chrono>

#include "plan/snapshot_hash.h"

namespace gatehouse::compiler {
namespace {

std::string ZoneHashOf(const std::shared_ptr<const snapshot::v1::CompiledZone>& zone) {
  return plan::ZoneContentHash(*zone);
}

}  // namespace

std::vector<std::pair<std::string_view, std::string_view>> ExtraHashPairs(
    const ManagedRulesets* managed, const AccountLists* lists, std::vector<std::string>* keep) {
  std::vector<std::pair<std::string_view, std::string_view>> pairs;
  if (managed != nullptr) {
    for (const auto& ruleset : *managed) pairs.emplace_back(ruleset.id(), ruleset.digest());
  }
  if (lists != nullptr) {
    // Keys made first: `keep` must not reallocate under the views.
    keep->reserve(keep->size() + lists->size());
    for (const auto& [name, list] : *lists) keep->push_back("$" + name);
    size_t i = keep->size() - lists->size();
    for (const auto& [name, list] : *lists) pairs.emplace_back((*keep)[i++], list->content_hash());
  }
  std::sort(pairs.begin(), pairs.end());
  return pairs;
}

void UpdateSnapshotHashBuckets(const ZoneSet& zones, const std::bitset<ZoneSet::kShards>& touched,
                               ContentHashBuckets* buckets) {
  UpdateContentHashBuckets(zones, touched, ZoneHashOf, buckets);
}

std::string SnapshotContentHash(const ContentHashBuckets& buckets, const ManagedRulesets* managed,
                                const AccountLists* lists) {
  std::vector<std::string> keep;
  return buckets.Hash(ExtraHashPairs(managed, lists, &keep));
}

std::string SnapshotContentHash(const ZoneSet& zones, const ManagedRulesets* managed) {
  ContentHashBuckets buckets;
  UpdateSnapshotHashBuckets(zones, std::bitset<ZoneSet::kShards>().set(), &buckets);
  return SnapshotContentHash(buckets, managed);
}

snapshot::v1::Snapshot AssembleSnapshot(uint64_t version, const ZoneSet& zones,
                                        std::string_view lineage, const ManagedRulesets* managed,
                                        const AccountLists* lists) {
  snapshot::v1::Snapshot out;
  out.set_format(snapshot::v1::FORMAT_VERSION_1);
  out.set_version(version);
  out.set_lineage(std::string(lineage));
  ContentHashBuckets buckets;
  UpdateSnapshotHashBuckets(zones, std::bitset<ZoneSet::kShards>().set(), &buckets);
  out.set_content_hash(SnapshotContentHash(buckets, managed, lists));
  out.set_created_unix_ms(std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count());
  for (const auto* entry : zones.Sorted()) *out.add_zones() = *entry->second;
  if (managed != nullptr) {
    for (const auto& ruleset : *managed) *out.add_managed_rulesets() = ruleset;
  }
  if (lists != nullptr) {
    for (const auto& [name, list] : *lists) *out.add_account_lists() = *list;
  }
  return out;
}

}  // namespace gatehouse::compiler
