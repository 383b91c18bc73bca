#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "common/content_hash.h"
#include "common/host_ownership.h"
#include "common/sharded_map.h"
#include "modules/sdk/managed_ruleset.h"
#include "plan/zone_plan.h"
#include "rules/list_table.h"
#include "schemas/snapshot.pb.h"

namespace gatehouse::runtime {

// A zone of a linked snapshot: its compiled plan and the version it was compiled from.
// Shared by every snapshot that serves this version of the zone.
struct LinkedZone {
  uint64_t version = 0;
  std::shared_ptr<const plan::ZonePlan> plan;
  // What the zone adds to the snapshot's content hash (plan/snapshot_hash.h ZoneContentHash):
  // its config hash, with its certificates' fingerprints when it has certificates.
  std::string content_hash;
  // When this process linked it (a counter): the order in which a snapshot that alone holds
  // zones frees them.
  uint64_t link_order = 0;
  // The TLS certificates the zone serves (sorted by fingerprint), with their private keys when
  // the snapshot came over a channel that carries them.
  std::vector<snapshot::v1::ZoneCertificate> certificates;
  // The account-level lists the plan was linked against (name, list version), and, when there
  // are any, the program, so a change of one of them relinks the zone without the control
  // plane sending it again.
  std::vector<std::pair<std::string, uint64_t>> account_lists;
  std::shared_ptr<const plan::v1::ZoneProgram> program;
};

// An account-level list of a snapshot, compiled once per version and shared by every zone
// that names it and by the next snapshot while its version stays.
struct LinkedList {
  uint64_t version = 0;
  std::string content_hash;
  rules::CompiledList compiled;
};

// A snapshot's zones by name. Consecutive snapshots share every shard a change did not touch.
using LinkedZones = ShardedMap<std::shared_ptr<const LinkedZone>>;

// What became of one zone of an update.
struct ZoneOutcome {
  std::string zone;
  uint64_t version = 0;
  bool applied = false;
  bool removed = false;  // an applied removal
  std::string error;     // why it was rejected
};

// A snapshot ready to serve: every zone compiled into its plan, and a host index. Immutable;
// requests hold it by shared_ptr until they end.
//
// A delta costs what it changed: the zones, the host index and the content hash's buckets are
// structurally shared with the snapshot before (common/sharded_map.h), so linking an update of
// one zone copies that zone's shards, its host names' shards and 8 KB of bucket digests, whatever
// the number of zones; and freeing the snapshot before frees only what it did not share.
class LinkedSnapshot {
 public:
  // Compiles every zone of `snapshot` off the request path. Zones whose config hash equals the
  // one in `previous` reuse its plan (structural sharing). A zone that does not compile is
  // rejected alone: the zone keeps its plan from `previous` (its last good version) or, when it
  // had none, is not served; the other zones apply. Fails only for a snapshot format this proxy
  // cannot read. `outcomes`, when given, receives one entry per zone of `snapshot` and one per
  // zone of `previous` that is gone.
  static absl::StatusOr<std::shared_ptr<const LinkedSnapshot>> Link(
      const snapshot::v1::Snapshot& snapshot, const LinkedSnapshot* previous,
      std::vector<ZoneOutcome>* outcomes = nullptr);

  // Applies a delta to `previous` (null: empty): `changed` zones are compiled (or reuse the
  // previous plan when their hash is unchanged), `removed` zones are dropped, every other zone is
  // shared with `previous`. Per-zone rejection as in Link.
  static std::shared_ptr<const LinkedSnapshot> LinkDelta(
      uint64_t version, std::string lineage, const LinkedSnapshot* previous,
      const google::protobuf::RepeatedPtrField<snapshot::v1::CompiledZone>& changed,
      const google::protobuf::RepeatedPtrField<std::string>& removed,
      std::vector<ZoneOutcome>* outcomes,
      const google::protobuf::RepeatedPtrField<snapshot::v1::AccountList>& changed_lists = {},
      const google::protobuf::RepeatedPtrField<std::string>& removed_lists = {});

  ~LinkedSnapshot();
  LinkedSnapshot(const LinkedSnapshot&) = delete;
  LinkedSnapshot& operator=(const LinkedSnapshot&) = delete;

  uint64_t version() const { return version_; }
  // Versions compare only within one lineage (Snapshot.lineage).
  const std::string& lineage() const { return lineage_; }
  const std::string& content_hash() const { return content_hash_; }
  // Shard by shard; zones().Sorted() lists them by name.
  const LinkedZones& zones() const { return zones_; }
  // The managed rulesets the snapshot carries, linked once per digest and shared by every zone
  // that executes one (and with the next snapshot while the digest stays).
  const sdk::ManagedRulesetSet& managed_rulesets() const { return *managed_rulesets_; }
  // The account-level lists, by name (a list that did not compile is not here).
  const std::map<std::string, std::shared_ptr<const LinkedList>>& lists() const { return *lists_; }

  // The zone serving `host` (lower-case, without port): an exact host name first, else the
  // longest matching wildcard (*.example.com). Null when no zone serves it, or when two zones
  // claim the deciding name (a store from before claims were checked).
  const LinkedZone* FindZone(std::string_view host) const;

  // How many LinkedSnapshots exist in this process (old ones live until their last request ends).
  static int64_t LiveCount();

 private:
  LinkedSnapshot();

  // Links the snapshot's managed rulesets, reusing `previous`'s for unchanged digests. A ruleset
  // that does not link is left out (and logged): the zones executing it are rejected alone.
  void LinkManagedRulesets(
      const google::protobuf::RepeatedPtrField<snapshot::v1::ManagedRuleset>& rulesets,
      const LinkedSnapshot* previous);
  // Compiles `changed` lists (reusing `previous`'s of the same version and hash) over `base`
  // without `removed`; a list that does not compile is left out and its error kept, so the
  // zones naming it are rejected alone. Returns the names whose content changed.
  std::vector<std::string> LinkLists(
      const std::map<std::string, std::shared_ptr<const LinkedList>>& base,
      const google::protobuf::RepeatedPtrField<snapshot::v1::AccountList>& changed,
      const google::protobuf::RepeatedPtrField<std::string>& removed,
      const LinkedSnapshot* previous);
  // Links `program` against this snapshot's managed rulesets and lists.
  absl::StatusOr<std::shared_ptr<const plan::ZonePlan>> LinkProgram(
      const plan::v1::ZoneProgram& program) const;
  // Whether `zone`'s plan was linked against the lists this snapshot holds.
  bool SameLists(const LinkedZone& zone) const;
  // A snapshot being made: its zones and host index, as edits of the snapshot before.
  struct Edit;
  // Relinks the zones of `edit` (those of `previous` still there) that name one of `lists`,
  // except `skip` (zones the update carries, linked already), recording an outcome for each.
  void RelinkZonesNaming(const std::vector<std::string>& lists,
                         const google::protobuf::RepeatedPtrField<snapshot::v1::CompiledZone>& skip,
                         const LinkedSnapshot& previous, Edit& edit,
                         std::vector<ZoneOutcome>* outcomes);
  // Links one zone into `edit`, recording the outcome.
  void AddZone(const snapshot::v1::CompiledZone& zone, const LinkedSnapshot* previous, Edit& edit,
               std::vector<ZoneOutcome>* outcomes);
  // Serves `name` by `entry` in `edit`, moving the host names of the zone it replaces.
  static void Put(Edit& edit, const std::string& name, std::shared_ptr<const LinkedZone> entry);
  // Drops `name` from `edit` with its host names; returns the version it had (0: none).
  static uint64_t Drop(Edit& edit, const std::string& name);
  // Takes the zones and host index from `edit`, and updates the content hash.
  void Finish(Edit&& edit);

  uint64_t version_ = 0;
  std::string lineage_;
  std::string content_hash_;
  LinkedZones zones_;
  // The content hash's bucket digests (common/content_hash.h), updated by the shards changed.
  ContentHashBuckets hash_buckets_;
  std::shared_ptr<const sdk::ManagedRulesetSet> managed_rulesets_ =
      std::make_shared<const sdk::ManagedRulesetSet>();
  // Why a managed ruleset of the snapshot did not link, by id.
  std::map<std::string, std::string> managed_errors_;
  std::shared_ptr<const std::map<std::string, std::shared_ptr<const LinkedList>>> lists_ =
      std::make_shared<const std::map<std::string, std::shared_ptr<const LinkedList>>>();
  // The lists as zones link them (name -> compiled), and why a list did not compile, by name.
  std::shared_ptr<const rules::ListTable> list_table_ = std::make_shared<const rules::ListTable>();
  std::map<std::string, std::string> list_errors_;
  // The shared definition of which zone serves a Host (common/host_ownership.h).
  HostIndex<const LinkedZone*> hosts_;
};

}  // namespace gatehouse::runtime
