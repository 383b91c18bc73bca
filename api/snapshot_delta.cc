#include "api/snapshot_delta.h"

#include <algorithm>
#include <bitset>
#include <chrono>
#include <utility>
#include <vector>

#include "plan/snapshot_hash.h"

namespace gatehouse::api {
namespace {

using Shards = std::bitset<compiler::ZoneSet::kShards>;

bool Allowed(const ZoneFilter& filter, const std::string& zone) {
  return filter == nullptr || filter(zone);
}

// Recomputes the bucket digests of `zones`' shards in `shards` over the zones `filter` allows.
void UpdateVisibleBuckets(const compiler::ZoneSet& zones, const Shards& shards,
                          const ZoneFilter& filter, ContentHashBuckets* buckets) {
  UpdateContentHashBuckets(
      zones, shards,
      [](const std::shared_ptr<const snapshot::v1::CompiledZone>& zone) {
        return plan::ZoneContentHash(*zone);
      },
      filter, buckets);
}

// The content hash of what this stream carries: the state's own when unfiltered. A filtered
// stream's buckets (`visible`, when given) must be those of the state before, with `changed`
// the shards that differ from it; they are brought up to `state`.
std::string ContentHash(const PublishedState& state, const ZoneFilter& filter,
                        ContentHashBuckets* visible, const Shards& changed) {
  if (filter == nullptr) return state.content_hash;
  ContentHashBuckets scratch;
  if (visible == nullptr) {
    visible = &scratch;
    UpdateVisibleBuckets(state.zones, Shards().set(), filter, visible);
  } else {
    UpdateVisibleBuckets(state.zones, changed, filter, visible);
  }
  return compiler::SnapshotContentHash(*visible, state.managed_rulesets.get(), state.lists.get());
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
                   v1::SnapshotUpdate* out, const std::map<std::string, std::string>& held_managed,
                   ContentHashBuckets* visible, const std::map<std::string, uint64_t>& held_lists) {
  out->Clear();
  // Whatever a filtered stream's buckets were, they are made again from the whole state.
  const Shards all = Shards().set();
  // Deltas carry no managed rulesets: a proxy without the state's gets them in full.
  if (held_version == 0 || held_managed != ManagedDigests(state)) {
    snapshot::v1::Snapshot* snapshot = out->mutable_snapshot();
    snapshot->set_format(snapshot::v1::FORMAT_VERSION_1);
    snapshot->set_version(state.version);
    snapshot->set_lineage(state.lineage);
    snapshot->set_content_hash(ContentHash(state, filter, visible, all));
    snapshot->set_created_unix_ms(std::chrono::duration_cast<std::chrono::milliseconds>(
                                      std::chrono::system_clock::now().time_since_epoch())
                                      .count());
    for (const auto* entry : state.zones.Sorted()) {
      const auto& [name, zone] = *entry;
      const auto bad = rejected.find(name);
      if (bad != rejected.end() && bad->second == zone->version()) continue;
      if (Allowed(filter, name)) *snapshot->add_zones() = *zone;
    }
    if (state.managed_rulesets != nullptr) {
      for (const auto& ruleset : *state.managed_rulesets) {
        *snapshot->add_managed_rulesets() = ruleset;
      }
    }
    for (const auto& [name, list] : *state.lists) *snapshot->add_account_lists() = *list;
    return true;
  }
  out->set_version(state.version);
  out->set_lineage(state.lineage);
  for (const auto* entry : state.zones.Sorted()) {
    const auto& [name, zone] = *entry;
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
  for (const auto& [name, list] : *state.lists) {
    const auto held = held_lists.find(name);
    if (held == held_lists.end() || held->second != list->version()) {
      *out->add_changed_lists() = *list;
    }
  }
  for (const auto& [name, version] : held_lists) {
    if (state.lists->count(name) == 0) out->add_removed_lists(name);
  }
  out->set_content_hash(ContentHash(state, filter, visible, all));
  // A proxy behind this state (e.g. it missed changes of zones it does not hold) still learns
  // the version, so its snapshot version follows the control plane's.
  return out->changed_zones_size() > 0 || out->removed_zones_size() > 0 ||
         out->changed_lists_size() > 0 || out->removed_lists_size() > 0 ||
         held_version != state.version;
}

bool DeltaUpdate(const PublishedState& from, const PublishedState& to, const ZoneFilter& filter,
                 v1::SnapshotUpdate* out, ContentHashBuckets* visible) {
  out->Clear();
  if (from.managed_rulesets != to.managed_rulesets && ManagedDigests(from) != ManagedDigests(to)) {
    return InitialUpdate(to, 0, {}, {}, filter, out, {}, visible);
  }
  out->set_version(to.version);
  out->set_lineage(to.lineage);
  // Only the shards the two states do not share can differ: work proportional to the change,
  // not to the number of zones. Within such a shard, zones compare by pointer.
  static const compiler::ZoneSet::Shard kEmpty;
  Shards differ;
  std::vector<const snapshot::v1::CompiledZone*> changed;
  std::vector<const std::string*> removed;
  for (size_t i = 0; i < compiler::ZoneSet::kShards; ++i) {
    if (to.zones.SameShard(from.zones, i)) continue;
    differ.set(i);
    const auto& old_zones = from.zones.shard(i) != nullptr ? *from.zones.shard(i) : kEmpty;
    const auto& new_zones = to.zones.shard(i) != nullptr ? *to.zones.shard(i) : kEmpty;
    for (const auto& [name, zone] : new_zones) {
      const auto old = old_zones.find(name);
      if ((old == old_zones.end() || old->second != zone) && Allowed(filter, name)) {
        changed.push_back(zone.get());
      }
    }
    for (const auto& [name, zone] : old_zones) {
      if (new_zones.count(name) == 0 && Allowed(filter, name)) removed.push_back(&name);
    }
  }
  // A filtered stream's buckets follow every state, sent or not.
  const std::string hash = ContentHash(to, filter, visible, differ);
  if (from.lists != to.lists) {
    for (const auto& [name, list] : *to.lists) {
      const auto old = from.lists->find(name);
      if (old == from.lists->end() || old->second != list) *out->add_changed_lists() = *list;
    }
    for (const auto& [name, list] : *from.lists) {
      if (to.lists->count(name) == 0) out->add_removed_lists(name);
    }
  }
  if (changed.empty() && removed.empty() && out->changed_lists_size() == 0 &&
      out->removed_lists_size() == 0) {
    return false;
  }
  // By name, as a full snapshot lists zones.
  std::sort(changed.begin(), changed.end(),
            [](const auto* x, const auto* y) { return x->zone() < y->zone(); });
  std::sort(removed.begin(), removed.end(), [](const auto* x, const auto* y) { return *x < *y; });
  for (const auto* zone : changed) *out->add_changed_zones() = *zone;
  for (const auto* name : removed) out->add_removed_zones(*name);
  out->set_content_hash(hash);
  return true;
}

}  // namespace gatehouse::api
