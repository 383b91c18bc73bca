#include "compiler/snapshot_assembly.h"

#include <algorithm>
#include <chrono>

#include "common/content_hash.h"

namespace gatehouse::compiler {

std::string SnapshotContentHash(const ZoneSet& zones, const ManagedRulesets* managed) {
  std::vector<std::pair<std::string_view, std::string_view>> pairs;
  pairs.reserve(zones.size());
  for (const auto& [name, zone] : zones) pairs.emplace_back(name, zone->config_hash());
  std::vector<std::pair<std::string_view, std::string_view>> rulesets;
  if (managed != nullptr) {
    for (const auto& ruleset : *managed) rulesets.emplace_back(ruleset.id(), ruleset.digest());
  }
  std::sort(rulesets.begin(), rulesets.end());
  return ContentHashOfSnapshot(pairs, rulesets);
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
  for (const auto& [name, zone] : zones) *out.add_zones() = *zone;
  if (managed != nullptr) {
    for (const auto& ruleset : *managed) *out.add_managed_rulesets() = ruleset;
  }
  return out;
}

}  // namespace gatehouse::compiler
