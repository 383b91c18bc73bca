#include "api/snapshot_delta.h"

#include <chrono>

namespace gatehouse::api {
namespace {

bool Allowed(const ZoneFilter& filter, const std::string& zone) {
  return filter == nullptr || filter(zone);
}

// The content hash of what this stream carries: the state's own when unfiltered.
std::string ContentHash(const PublishedState& state, const ZoneFilter& filter) {
  if (filter == nullptr) return state.content_hash;
  compiler::ZoneSet visible;
  for (const auto& [name, zone] : state.zones) {
    if (filter(name)) visible.emplace(name, zone);
  }
  return compiler::SnapshotContentHash(visible, state.managed_rulesets.get());
}

// The state's managed rulesets as id -> digest.
std::map<std::string, std::string> ManagedDigests(const PublishedState& state) {
  std::map<std::string, std::string> out;
  if (state.managed_rulesets == nullptr) return out;
  for (const auto& ruleset : *state.managed_rulesets) out[ruleset.id()] = ruleset.digest();
  return out;
}

}  // namespace

bool InitialUpdate(const PublishedState& state, uint64_t held_version,
                   const std::map<std::string, uint64_t>& held_zones,
                   const std::map<std::string, uint64_t>& rejected, const ZoneFilter& filter,
                   v1::SnapshotUpdate* out,
                   const std::map<std::string, std::string>& held_managed) {
  out->Clear();
  // Deltas carry no managed rulesets: a proxy without the state's gets them in full.
  if (held_version == 0 || held_managed != ManagedDigests(state)) {
    snapshot::v1::Snapshot* snapshot = out->mutable_snapshot();
    snapshot->set_format(snapshot::v1::FORMAT_VERSION_1);
    snapshot->set_version(state.version);
    snapshot->set_lineage(state.lineage);
    snapshot->set_content_hash(ContentHash(state, filter));
    snapshot->set_created_unix_ms(std::chrono::duration_cast<std::chrono::milliseconds>(
                                      std::chrono::system_clock::now().time_since_epoch())
                                      .count());
    for (const auto& [name, zone] : state.zones) {
      const auto bad = rejected.find(name);
      if (bad != rejected.end() && bad->second == zone->version()) continue;
      if (Allowed(filter, name)) *snapshot->add_zones() = *zone;
    }
    if (state.managed_rulesets != nullptr) {
      for (const auto& ruleset : *state.managed_rulesets) {
        *snapshot->add_managed_rulesets() = ruleset;
      }
    }
    return true;
  }
  out->set_version(state.version);
  out->set_lineage(state.lineage);
  for (const auto& [name, zone] : state.zones) {
    if (!Allowed(filter, name)) continue;
    const auto held = held_zones.find(name);
    if (held != held_zones.end() && held->second == zone->version()) continue;
    const auto bad = rejected.find(name);
    if (bad != rejected.end() && bad->second == zone->version()) continue;
    *out->add_changed_zones() = *zone;
  }
  for (const auto& [name, version] : held_zones) {
    if (state.zones.count(name) == 0 || !Allowed(filter, name)) out->add_removed_zones(name);
  }
  out->set_content_hash(ContentHash(state, filter));
  // A proxy behind this state (e.g. it missed changes of zones it does not hold) still learns
  // the version, so its snapshot version follows the control plane's.
  return out->changed_zones_size() > 0 || out->removed_zones_size() > 0 ||
         held_version != state.version;
}

bool DeltaUpdate(const PublishedState& from, const PublishedState& to, const ZoneFilter& filter,
                 v1::SnapshotUpdate* out) {
  out->Clear();
  if (from.managed_rulesets != to.managed_rulesets && ManagedDigests(from) != ManagedDigests(to)) {
    return InitialUpdate(to, 0, {}, {}, filter, out);
  }
  out->set_version(to.version);
  out->set_lineage(to.lineage);
  // A merge of two sorted maps: O(zones) pointer comparisons, no config is looked at.
  auto a = from.zones.begin();
  auto b = to.zones.begin();
  while (a != from.zones.end() || b != to.zones.end()) {
    if (b == to.zones.end() || (a != from.zones.end() && a->first < b->first)) {
      if (Allowed(filter, a->first)) out->add_removed_zones(a->first);
      ++a;
    } else if (a == from.zones.end() || b->first < a->first) {
      if (Allowed(filter, b->first)) *out->add_changed_zones() = *b->second;
      ++b;
    } else {
      if (a->second != b->second && Allowed(filter, b->first)) {
        *out->add_changed_zones() = *b->second;
      }
      ++a;
      ++b;
    }
  }
  if (out->changed_zones_size() == 0 && out->removed_zones_size() == 0) return false;
  out->set_content_hash(ContentHash(to, filter));
  return true;
}

}  // namespace gatehouse::api
