#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "absl/status/statusor.h"
#include "common/host_ownership.h"
#include "modules/sdk/managed_ruleset.h"
#include "plan/zone_plan.h"
#include "schemas/snapshot.pb.h"

namespace gatehouse::runtime {

// A zone of a linked snapshot: its compiled plan and the version it was compiled from.
struct LinkedZone {
  uint64_t version = 0;
  std::shared_ptr<const plan::ZonePlan> plan;
};

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
      std::vector<ZoneOutcome>* outcomes);

  ~LinkedSnapshot();
  LinkedSnapshot(const LinkedSnapshot&) = delete;
  LinkedSnapshot& operator=(const LinkedSnapshot&) = delete;

  uint64_t version() const { return version_; }
  // Versions compare only within one lineage (Snapshot.lineage).
  const std::string& lineage() const { return lineage_; }
  const std::string& content_hash() const { return content_hash_; }
  const std::map<std::string, LinkedZone>& zones() const { return zones_; }
  // The managed rulesets the snapshot carries, linked once per digest and shared by every zone
  // that executes one (and with the next snapshot while the digest stays).
  const sdk::ManagedRulesetSet& managed_rulesets() const { return *managed_rulesets_; }

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
  // Links one zone into `zones_`, recording the outcome.
  void AddZone(const snapshot::v1::CompiledZone& zone, const LinkedSnapshot* previous,
               std::vector<ZoneOutcome>* outcomes);
  // Builds the host index and the content hash once zones_ is complete.
  void Finish();

  uint64_t version_ = 0;
  std::string lineage_;
  std::string content_hash_;
  std::map<std::string, LinkedZone> zones_;
  std::shared_ptr<const sdk::ManagedRulesetSet> managed_rulesets_ =
      std::make_shared<const sdk::ManagedRulesetSet>();
  // Why a managed ruleset of the snapshot did not link, by id.
  std::map<std::string, std::string> managed_errors_;
  // The shared definition of which zone serves a Host (common/host_ownership.h).
  HostIndex<const LinkedZone*> hosts_;
};

}  // namespace gatehouse::runtime
