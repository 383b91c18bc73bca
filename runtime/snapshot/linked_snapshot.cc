#include "runtime/snapshot/linked_snapshot.h"

#include <atomic>
#include <cstdio>
#include <unordered_set>

#include "common/content_hash.h"
#include "common/logging.h"
#include "modules/sdk/registry.h"
#include "plan/zone_linker.h"

namespace gatehouse::runtime {
namespace {

std::atomic<int64_t> g_live_snapshots{0};

// Whether `plan` was linked against the managed rulesets `current` holds (same digests).
bool SameManagedRulesets(const plan::ZonePlan& plan, const sdk::ManagedRulesetSet& current) {
  for (const auto& [id, digest] : plan.managed_rulesets) {
    const sdk::ManagedRulesetSet::Entry* entry = current.Find(id);
    if (entry == nullptr || entry->digest != digest) return false;
  }
  return true;
}

}  // namespace

LinkedSnapshot::LinkedSnapshot() { g_live_snapshots.fetch_add(1, std::memory_order_relaxed); }

LinkedSnapshot::~LinkedSnapshot() { g_live_snapshots.fetch_sub(1, std::memory_order_relaxed); }

int64_t LinkedSnapshot::LiveCount() { return g_live_snapshots.load(std::memory_order_relaxed); }

void LinkedSnapshot::AddZone(const snapshot::v1::CompiledZone& zone,
                             const LinkedSnapshot* previous, std::vector<ZoneOutcome>* outcomes) {
  ZoneOutcome outcome;
  outcome.zone = zone.zone();
  outcome.version = zone.version();
  const LinkedZone* old = nullptr;
  if (previous != nullptr) {
    const auto it = previous->zones_.find(zone.zone());
    if (it != previous->zones_.end()) old = &it->second;
  }
  LinkedZone entry;
  entry.version = zone.version();
  if (old != nullptr && old->plan->config_hash == zone.config_hash() &&
      SameManagedRulesets(*old->plan, *managed_rulesets_)) {
    entry.plan = old->plan;
  }
  if (entry.plan == nullptr) {
    if (!zone.has_program()) {
      outcome.error = "zone " + zone.zone() + " carries no compiled program (a control plane "
                      "from before proxies linked programs): it needs one of the same release";
    } else if (zone.program().zone() != zone.zone()) {
      outcome.error = "zone entry " + zone.zone() + " holds the program of zone " +
                      zone.program().zone();
    } else {
      // The proxy links what the control plane compiled; it never compiles rules itself.
      plan::LinkOptions options;
      options.managed_rulesets = managed_rulesets_.get();
      auto linked = plan::LinkZone(zone.program(), options);
      if (linked.ok()) {
        entry.plan = *std::move(linked);
      } else {
        outcome.error = "zone " + zone.zone() + " does not link: " +
                        std::string(linked.status().message());
        for (const auto& use : zone.program().managed_rulesets()) {
          const auto bad = managed_errors_.find(use.id());
          if (bad != managed_errors_.end()) outcome.error += " (" + bad->second + ")";
        }
      }
    }
  }
  if (entry.plan != nullptr) {
    outcome.applied = true;
    zones_.insert_or_assign(zone.zone(), std::move(entry));
  } else if (old != nullptr) {
    // Rejected alone: the zone keeps serving its last good version.
    zones_.insert_or_assign(zone.zone(), *old);
  }
  if (outcomes != nullptr) outcomes->push_back(std::move(outcome));
}

absl::StatusOr<std::shared_ptr<const LinkedSnapshot>> LinkedSnapshot::Link(
    const snapshot::v1::Snapshot& snapshot, const LinkedSnapshot* previous,
    std::vector<ZoneOutcome>* outcomes) {
  if (snapshot.format() != snapshot::v1::FORMAT_VERSION_1) {
    return absl::InvalidArgumentError("snapshot format " + std::to_string(snapshot.format()) +
                                      " is not one this proxy reads");
  }
  std::shared_ptr<LinkedSnapshot> linked(new LinkedSnapshot());
  linked->version_ = snapshot.version();
  linked->lineage_ = snapshot.lineage();
  linked->LinkManagedRulesets(snapshot.managed_rulesets(), previous);
  for (const auto& zone : snapshot.zones()) linked->AddZone(zone, previous, outcomes);
  if (previous != nullptr && outcomes != nullptr) {
    std::unordered_set<std::string> listed;
    for (const auto& zone : snapshot.zones()) listed.insert(zone.zone());
    for (const auto& [name, zone] : previous->zones_) {
      if (listed.count(name) == 0) outcomes->push_back({name, zone.version, true, true, ""});
    }
  }
  linked->Finish();
  return std::shared_ptr<const LinkedSnapshot>(std::move(linked));
}

std::shared_ptr<const LinkedSnapshot> LinkedSnapshot::LinkDelta(
    uint64_t version, std::string lineage, const LinkedSnapshot* previous,
    const google::protobuf::RepeatedPtrField<snapshot::v1::CompiledZone>& changed,
    const google::protobuf::RepeatedPtrField<std::string>& removed,
    std::vector<ZoneOutcome>* outcomes) {
  std::shared_ptr<LinkedSnapshot> linked(new LinkedSnapshot());
  linked->version_ = version;
  linked->lineage_ = std::move(lineage);
  // Every other zone is shared: the plans are the previous snapshot's, by pointer. Deltas carry
  // no managed rulesets: the previous snapshot's stay.
  linked->managed_rulesets_ = previous != nullptr ? previous->managed_rulesets_
                                                  : std::make_shared<sdk::ManagedRulesetSet>();
  if (previous != nullptr) {
    linked->zones_ = previous->zones_;
    linked->managed_errors_ = previous->managed_errors_;
  }
  for (const std::string& name : removed) {
    const auto it = linked->zones_.find(name);
    const uint64_t old_version = it == linked->zones_.end() ? 0 : it->second.version;
    if (it != linked->zones_.end()) linked->zones_.erase(it);
    if (outcomes != nullptr) outcomes->push_back({name, old_version, true, true, ""});
  }
  for (const auto& zone : changed) linked->AddZone(zone, previous, outcomes);
  linked->Finish();
  return linked;
}

void LinkedSnapshot::LinkManagedRulesets(
    const google::protobuf::RepeatedPtrField<snapshot::v1::ManagedRuleset>& rulesets,
    const LinkedSnapshot* previous) {
  auto set = std::make_shared<sdk::ManagedRulesetSet>();
  const sdk::ProductRegistry& products = sdk::ProductRegistry::Linked();
  for (const snapshot::v1::ManagedRuleset& ruleset : rulesets) {
    auto entry = products.LinkManagedRuleset(
        ruleset.id(), ruleset.version(), ruleset.digest(), ruleset.program(),
        previous != nullptr ? previous->managed_rulesets_.get() : nullptr, /*summarize=*/false);
    if (entry.ok()) {
      set->Add(*std::move(entry));
    } else {
      managed_errors_[ruleset.id()] = std::string(entry.status().message());
      GH_LOG(WARNING) << "snapshot " << version_ << ": " << entry.status().message()
                      << "; the zones executing it are rejected";
    }
  }
  managed_rulesets_ = std::move(set);
}

void LinkedSnapshot::Finish() {
  // The control plane's definition over the zones this proxy serves, so it equals the control
  // plane's unless a zone was rejected.
  std::vector<std::pair<std::string_view, std::string_view>> pairs;
  pairs.reserve(zones_.size());
  for (const auto& [name, zone] : zones_) pairs.emplace_back(name, zone.plan->config_hash);
  std::vector<std::pair<std::string_view, std::string_view>> managed;
  for (const auto& [id, entry] : managed_rulesets_->entries()) managed.emplace_back(id, entry.digest);
  content_hash_ = ContentHashOfSnapshot(pairs, managed);
  hosts_.Reserve(zones_.size());
  for (const auto& [name, zone] : zones_) {
    for (const std::string& host : zone.plan->hostnames) hosts_.Add(host, &zone);
  }
  if (hosts_.ambiguous() != 0) {
    GH_LOG(WARNING) << "snapshot " << version_ << ": " << hosts_.ambiguous()
                    << " host name(s) are claimed by two zones and served by neither; the "
                       "control plane reports which at start";
  }
}

const LinkedZone* LinkedSnapshot::FindZone(std::string_view host) const {
  const LinkedZone* const* zone = hosts_.Find(host);
  return zone == nullptr ? nullptr : *zone;
}

}  // namespace gatehouse::runtime
