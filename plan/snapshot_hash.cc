#include "plan/snapshot_hash.h"

#include <algorithm>
#include <string_view>
#include <utility>
#include <vector>

#include "common/content_hash.h"

namespace gatehouse::plan {

std::string SnapshotContentHash(const snapshot::v1::Snapshot& snapshot) {
  std::vector<std::pair<std::string_view, std::string_view>> pairs;
  pairs.reserve(static_cast<size_t>(snapshot.zones_size()));
  for (const auto& zone : snapshot.zones()) pairs.emplace_back(zone.zone(), zone.config_hash());
  std::sort(pairs.begin(), pairs.end());
  std::vector<std::pair<std::string_view, std::string_view>> managed;
  for (const auto& ruleset : snapshot.managed_rulesets()) {
    managed.emplace_back(ruleset.id(), ruleset.digest());
  }
  std::sort(managed.begin(), managed.end());
  return ContentHashOfSnapshot(pairs, managed);
}

}  // namespace gatehouse::plan
