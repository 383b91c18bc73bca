#include "plan/snapshot_hash.h"

#include <algorithm>
#include <string_view>
#include <utility>
#include <vector>

#include "common/content_hash.h"

namespace gatehouse::plan {

std::string ZoneContentHash(const snapshot::v1::CompiledZone& zone) {
  std::vector<std::string_view> fingerprints;
  fingerprints.reserve(static_cast<size_t>(zone.certificates_size()));
  for (const auto& certificate : zone.certificates()) {
    fingerprints.emplace_back(certificate.fingerprint());
  }
  return gatehouse::ZoneContentHash(zone.config_hash(), fingerprints);
}

std::string SnapshotContentHash(const snapshot::v1::Snapshot& snapshot) {
  std::vector<std::string> zone_hashes;
  zone_hashes.reserve(static_cast<size_t>(snapshot.zones_size()));
  for (const auto& zone : snapshot.zones()) zone_hashes.push_back(ZoneContentHash(zone));
  std::vector<std::pair<std::string_view, std::string_view>> pairs;
  pairs.reserve(zone_hashes.size());
  for (int i = 0; i < snapshot.zones_size(); ++i) {
    pairs.emplace_back(snapshot.zones(i).zone(), zone_hashes[static_cast<size_t>(i)]);
  }
  std::sort(pairs.begin(), pairs.end());
  std::vector<std::pair<std::string_view, std::string_view>> managed;
  for (const auto& ruleset : snapshot.managed_rulesets()) {
    managed.emplace_back(ruleset.id(), ruleset.digest());
  }
  // Account lists as compiler/snapshot_assembly.h ExtraHashPairs adds them.
  std::vector<std::string> list_keys;
  list_keys.reserve(static_cast<size_t>(snapshot.account_lists_size()));
  for (const auto& list : snapshot.account_lists()) list_keys.push_back("$" + list.name());
  for (int i = 0; i < snapshot.account_lists_size(); ++i) {
    managed.emplace_back(list_keys[static_cast<size_t>(i)],
                         snapshot.account_lists(i).content_hash());
  }
  std::sort(managed.begin(), managed.end());
  return ContentHashOfSnapshot(pairs, managed);
}

}  // namespace gatehouse::plan
