#include "runtime/snapshot/linked_snapshot.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <set>
#include <utility>

#include "common/content_hash.h"
#include "common/logging.h"
#include "modules/sdk/registry.h"
#include "plan/snapshot_hash.h"
#include "plan/zone_linker.h"
#include "rules/ir_linker.h"

namespace gatehouse::runtime {
namespace {

std::atomic<int64_t> g_live_snapshots{0};
std::atomic<uint64_t> g_link_order{0};

// `linked_lists` and `program`: as LinkedZone's (empty and null for a zone naming no
// account-level list).
std::shared_ptr<const LinkedZone> NewLinkedZone(
    const snapshot::v1::CompiledZone& zone, std::shared_ptr<const plan::ZonePlan> plan,
    std::vector<std::pair<std::string, uint64_t>> linked_lists = {},
    std::shared_ptr<const plan::v1::ZoneProgram> program = nullptr) {
  return std::make_shared<const LinkedZone>(
      LinkedZone{zone.version(),
                 std::move(plan),
                 gatehouse::plan::ZoneContentHash(zone),
                 g_link_order.fetch_add(1, std::memory_order_relaxed),
                 {zone.certificates().begin(), zone.certificates().end()},
                 std::move(linked_lists),
                 std::move(program)});
}

// Whether `zone` serves the certificates `linked` holds, keys alike (a certificate is a change
// of the zone even where its rules are not; so is a key a TLS channel brought).
bool SameCertificates(const LinkedZone& linked, const snapshot::v1::CompiledZone& zone) {
  if (linked.certificates.size() != static_cast<size_t>(zone.certificates_size())) return false;
  for (int i = 0; i < zone.certificates_size(); ++i) {
    const snapshot::v1::ZoneCertificate& held = linked.certificates[i];
    const snapshot::v1::ZoneCertificate& given = zone.certificates(i);
    if (held.fingerprint() != given.fingerprint() || held.key_pem() != given.key_pem()) {
      return false;
    }
  }
  return true;
}

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

LinkedSnapshot::~LinkedSnapshot() {
  // The zones only this snapshot holds are freed in the order they were linked, not shard by
  // shard (hash order): freeing a full snapshot's 10,000 plans out of their allocation order
  // took 40 % longer (snapshot_link_bench, tcmalloc). A snapshot made by a delta alone holds
  // only the shards the next one replaced, so this stays proportional to what changed.
  std::vector<std::shared_ptr<const LinkedZone>> alone = zones_.UnsharedValues();
  std::sort(alone.begin(), alone.end(),
            [](const auto& a, const auto& b) { return a->link_order < b->link_order; });
  hosts_ = HostIndex<const LinkedZone*>();
  zones_ = LinkedZones();
  for (auto& zone : alone) zone.reset();
  g_live_snapshots.fetch_sub(1, std::memory_order_relaxed);
}

int64_t LinkedSnapshot::LiveCount() { return g_live_snapshots.load(std::memory_order_relaxed); }

struct LinkedSnapshot::Edit {
  Edit() = default;
  explicit Edit(const LinkedSnapshot& base) : zones(base.zones_), hosts(base.hosts_) {}

  LinkedZones::Editor zones;
  HostIndex<const LinkedZone*>::Editor hosts;
};

void LinkedSnapshot::Put(Edit& edit, const std::string& name,
                         std::shared_ptr<const LinkedZone> entry) {
  if (const auto* current = edit.zones.Find(name); current != nullptr && *current == entry) {
    return;  // the very zone already served: nothing changes
  }
  const LinkedZone* added = entry.get();
  const auto [slot, inserted] = edit.zones.TryEmplace(name, entry);
  if (!inserted) {
    const std::shared_ptr<const LinkedZone> old = std::exchange(*slot, std::move(entry));
    for (const std::string& host : old->plan->hostnames) edit.hosts.Remove(host, old.get());
  }
  for (const std::string& host : added->plan->hostnames) edit.hosts.Add(host, added);
}

uint64_t LinkedSnapshot::Drop(Edit& edit, const std::string& name) {
  const auto* current = edit.zones.Find(name);
  if (current == nullptr) return 0;
  const LinkedZone* old = current->get();
  const uint64_t version = old->version;
  for (const std::string& host : old->plan->hostnames) edit.hosts.Remove(host, old);
  edit.zones.Erase(name);  // frees `old` unless another snapshot holds it
  return version;
}

void LinkedSnapshot::AddZone(const snapshot::v1::CompiledZone& zone,
                             const LinkedSnapshot* previous, Edit& edit,
                             std::vector<ZoneOutcome>* outcomes) {
  ZoneOutcome outcome;
  outcome.zone = zone.zone();
  outcome.version = zone.version();
  const std::shared_ptr<const LinkedZone>* old =
      previous != nullptr ? previous->zones_.Find(zone.zone()) : nullptr;
  std::shared_ptr<const LinkedZone> entry;
  if (old != nullptr && (*old)->plan->config_hash == zone.config_hash() &&
      SameManagedRulesets(*(*old)->plan, *managed_rulesets_) && SameLists(**old)) {
    entry = (*old)->version == zone.version() && SameCertificates(**old, zone)
                ? *old
                : NewLinkedZone(zone, (*old)->plan, (*old)->account_lists, (*old)->program);
  }
  if (entry == nullptr) {
    if (!zone.has_program()) {
      outcome.error = "zone " + zone.zone() + " carries no compiled program (a control plane "
                      "from before proxies linked programs): it needs one of the same release";
    } else if (zone.program().zone() != zone.zone()) {
      outcome.error = "zone entry " + zone.zone() + " holds the program of zone " +
                      zone.program().zone();
    } else {
      // The proxy links what the control plane compiled; it never compiles rules itself.
      auto linked = LinkProgram(zone.program());
      if (linked.ok()) {
        std::vector<std::pair<std::string, uint64_t>> lists;
        std::shared_ptr<const plan::v1::ZoneProgram> program;
        if (!zone.program().account_lists().empty()) {
          for (const std::string& name : zone.program().account_lists()) {
            lists.emplace_back(name, lists_->at(name)->version);
          }
          program = std::make_shared<const plan::v1::ZoneProgram>(zone.program());
        }
        entry = NewLinkedZone(zone, *std::move(linked), std::move(lists), std::move(program));
      } else {
        outcome.error = "zone " + zone.zone() + " does not link: " +
                        std::string(linked.status().message());
        for (const auto& use : zone.program().managed_rulesets()) {
          const auto bad = managed_errors_.find(use.id());
          if (bad != managed_errors_.end()) outcome.error += " (" + bad->second + ")";
        }
        for (const std::string& name : zone.program().account_lists()) {
          const auto bad = list_errors_.find(name);
          if (bad != list_errors_.end()) outcome.error += " (" + bad->second + ")";
        }
      }
    }
  }
  if (entry != nullptr) {
    outcome.applied = true;
    Put(edit, zone.zone(), std::move(entry));
  } else if (old != nullptr) {
    // Rejected alone: the zone keeps serving its last good version.
    Put(edit, zone.zone(), *old);
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
  linked->LinkLists({}, snapshot.account_lists(), {}, previous);
  // A full snapshot is the whole truth: made from nothing, reusing `previous`'s plans only.
  Edit edit;
  for (const auto& zone : snapshot.zones()) linked->AddZone(zone, previous, edit, outcomes);
  if (previous != nullptr && outcomes != nullptr) {
    for (const auto* entry : previous->zones_.Sorted()) {
      if (edit.zones.Find(entry->first) == nullptr) {
        outcomes->push_back({entry->first, entry->second->version, true, true, ""});
      }
    }
  }
  linked->Finish(std::move(edit));
  return std::shared_ptr<const LinkedSnapshot>(std::move(linked));
}

std::shared_ptr<const LinkedSnapshot> LinkedSnapshot::LinkDelta(
    uint64_t version, std::string lineage, const LinkedSnapshot* previous,
    const google::protobuf::RepeatedPtrField<snapshot::v1::CompiledZone>& changed,
    const google::protobuf::RepeatedPtrField<std::string>& removed,
    std::vector<ZoneOutcome>* outcomes,
    const google::protobuf::RepeatedPtrField<snapshot::v1::AccountList>& changed_lists,
    const google::protobuf::RepeatedPtrField<std::string>& removed_lists) {
  std::shared_ptr<LinkedSnapshot> linked(new LinkedSnapshot());
  linked->version_ = version;
  linked->lineage_ = std::move(lineage);
  // Every other zone is shared: the zones' shards, the host index's and the content hash's
  // buckets are the previous snapshot's until a change touches them. Deltas carry no managed
  // rulesets: the previous snapshot's stay.
  linked->managed_rulesets_ = previous != nullptr ? previous->managed_rulesets_
                                                  : std::make_shared<sdk::ManagedRulesetSet>();
  Edit edit = previous != nullptr ? Edit(*previous) : Edit();
  if (previous != nullptr) {
    linked->managed_errors_ = previous->managed_errors_;
    linked->hash_buckets_ = previous->hash_buckets_;
    linked->list_errors_ = previous->list_errors_;
  }
  std::vector<std::string> lists_changed;
  if (!changed_lists.empty() || !removed_lists.empty()) {
    static const std::map<std::string, std::shared_ptr<const LinkedList>> kNone;
    lists_changed = linked->LinkLists(previous != nullptr ? *previous->lists_ : kNone,
                                      changed_lists, removed_lists, previous);
  } else if (previous != nullptr) {
    linked->lists_ = previous->lists_;
    linked->list_table_ = previous->list_table_;
  }
  for (const std::string& name : removed) {
    const uint64_t old_version = Drop(edit, name);
    if (outcomes != nullptr) outcomes->push_back({name, old_version, true, true, ""});
  }
  for (const auto& zone : changed) linked->AddZone(zone, previous, edit, outcomes);
  // Only the zones that name a changed list are linked again; every other zone is shared.
  if (!lists_changed.empty() && previous != nullptr) {
    linked->RelinkZonesNaming(lists_changed, changed, *previous, edit, outcomes);
  }
  linked->Finish(std::move(edit));
  return linked;
}

std::vector<std::string> LinkedSnapshot::LinkLists(
    const std::map<std::string, std::shared_ptr<const LinkedList>>& base,
    const google::protobuf::RepeatedPtrField<snapshot::v1::AccountList>& changed,
    const google::protobuf::RepeatedPtrField<std::string>& removed,
    const LinkedSnapshot* previous) {
  auto lists = std::make_shared<std::map<std::string, std::shared_ptr<const LinkedList>>>(base);
  std::vector<std::string> names;
  for (const std::string& name : removed) {
    if (lists->erase(name) != 0) names.push_back(name);
    list_errors_.erase(name);
  }
  for (const snapshot::v1::AccountList& list : changed) {
    const std::shared_ptr<const LinkedList>* held = nullptr;
    if (previous != nullptr) {
      const auto found = previous->lists_->find(list.name());
      if (found != previous->lists_->end()) held = &found->second;
    }
    if (held != nullptr && (*held)->version == list.version() &&
        (*held)->content_hash == list.content_hash()) {
      (*lists)[list.name()] = *held;  // the same version: compiled once
      continue;
    }
    names.push_back(list.name());
    auto compiled = rules::CompileListIr(list.list(), rules::Limits());
    if (!compiled.ok() || list.list().name() != list.name()) {
      const std::string why = compiled.ok() ? "carries the items of list " + list.list().name()
                                            : std::string(compiled.status().message());
      list_errors_[list.name()] = "account-level list " + list.name() + " version " +
                                  std::to_string(list.version()) + " does not compile: " + why;
      GH_LOG(WARNING) << "snapshot " << version_ << ": " << list_errors_[list.name()]
                      << "; the zones naming it are rejected";
      lists->erase(list.name());
      continue;
    }
    list_errors_.erase(list.name());
    (*lists)[list.name()] = std::make_shared<const LinkedList>(
        LinkedList{list.version(), list.content_hash(), *std::move(compiled)});
  }
  auto table = std::make_shared<rules::ListTable>();
  for (const auto& [name, list] : *lists) table->emplace(name, list->compiled);
  lists_ = std::move(lists);
  list_table_ = std::move(table);
  return names;
}

absl::StatusOr<std::shared_ptr<const plan::ZonePlan>> LinkedSnapshot::LinkProgram(
    const plan::v1::ZoneProgram& program) const {
  plan::LinkOptions options;
  options.managed_rulesets = managed_rulesets_.get();
  options.account_lists = list_table_.get();
  return plan::LinkZone(program, options);
}

bool LinkedSnapshot::SameLists(const LinkedZone& zone) const {
  for (const auto& [name, version] : zone.account_lists) {
    const auto found = lists_->find(name);
    if (found == lists_->end() || found->second->version != version) return false;
  }
  return true;
}

void LinkedSnapshot::RelinkZonesNaming(
    const std::vector<std::string>& lists,
    const google::protobuf::RepeatedPtrField<snapshot::v1::CompiledZone>& skip,
    const LinkedSnapshot& previous, Edit& edit, std::vector<ZoneOutcome>* outcomes) {
  std::set<std::string> carried;
  for (const auto& zone : skip) carried.insert(zone.zone());
  const std::set<std::string> changed(lists.begin(), lists.end());
  std::vector<std::pair<std::string, std::shared_ptr<const LinkedZone>>> relink;
  // Every zone is looked at (a pointer test for most): lists are few and change rarely.
  for (const auto& [name, held] : previous.zones_) {
    if (held->program == nullptr || carried.count(name) != 0) continue;
    const auto* current = edit.zones.Find(name);
    if (current == nullptr) continue;  // removed by this update
    const std::shared_ptr<const LinkedZone>& zone = *current;
    for (const auto& [list, version] : zone->account_lists) {
      if (changed.count(list) != 0) {
        relink.emplace_back(name, zone);
        break;
      }
    }
  }
  for (const auto& [name, old] : relink) {
    ZoneOutcome outcome{name, old->version, false, false, ""};
    auto linked = LinkProgram(*old->program);
    if (linked.ok()) {
      std::vector<std::pair<std::string, uint64_t>> versions;
      for (const std::string& list : old->program->account_lists()) {
        versions.emplace_back(list, lists_->at(list)->version);
      }
      auto entry = std::make_shared<const LinkedZone>(
          LinkedZone{old->version, *std::move(linked), old->content_hash,
                     g_link_order.fetch_add(1, std::memory_order_relaxed), old->certificates,
                     std::move(versions), old->program});
      Put(edit, name, std::move(entry));
      outcome.applied = true;
    } else {
      // The zone keeps its plan (and the list items it was linked with): never a zone without
      // its list.
      outcome.error = "zone " + name + " does not link: " + std::string(linked.status().message());
      for (const auto& [list, version] : old->account_lists) {
        const auto bad = list_errors_.find(list);
        if (bad != list_errors_.end()) outcome.error += " (" + bad->second + ")";
      }
    }
    if (outcomes != nullptr) outcomes->push_back(std::move(outcome));
  }
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

void LinkedSnapshot::Finish(Edit&& edit) {
  // The control plane's definition over the zones this proxy serves, so it equals the control
  // plane's unless a zone was rejected. Only the buckets of the shards changed are hashed again.
  const std::bitset<LinkedZones::kShards> touched = edit.zones.touched();
  zones_ = std::move(edit.zones).Finish();
  UpdateContentHashBuckets(
      zones_, touched,
      [](const std::shared_ptr<const LinkedZone>& zone) { return zone->content_hash; },
      &hash_buckets_);
  std::vector<std::pair<std::string_view, std::string_view>> managed;
  for (const auto& [id, entry] : managed_rulesets_->entries()) managed.emplace_back(id, entry.digest);
  // Lists as the control plane hashes them (compiler/snapshot_assembly.h ExtraHashPairs).
  std::vector<std::string> list_keys;
  list_keys.reserve(lists_->size());
  for (const auto& [name, list] : *lists_) list_keys.push_back("$" + name);
  size_t key = 0;
  for (const auto& [name, list] : *lists_)
    managed.emplace_back(list_keys[key++], list->content_hash);
  std::sort(managed.begin(), managed.end());
  content_hash_ = hash_buckets_.Hash(managed);
  hosts_ = std::move(edit.hosts).Finish();
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
