#include "runtime/snapshot/served_snapshot_persister.h"

#include <utility>

#include "schemas/api.pb.h"

namespace gatehouse::runtime {

ServedSnapshotPersister::ServedSnapshotPersister(Writer write) : write_(std::move(write)) {}

void ServedSnapshotPersister::OnServed(const api::v1::SnapshotUpdate& update,
                                       const LinkedSnapshot& served) {
  if (update.has_snapshot()) {
    zones_.clear();
    managed_rulesets_ = update.snapshot().managed_rulesets();
    have_full_ = true;
  }
  for (const std::string& name : update.removed_zones()) zones_.erase(name);
  const auto& zones = update.has_snapshot() ? update.snapshot().zones() : update.changed_zones();
  for (const auto& zone : zones) {
    // A zone rejected alone keeps its last good config.
    const auto it = served.zones().find(zone.zone());
    if (it != served.zones().end() && it->second.version == zone.version()) {
      zones_[zone.zone()] = zone;
    }
  }
  snapshot::v1::Snapshot whole;
  whole.set_format(snapshot::v1::FORMAT_VERSION_1);
  whole.set_version(served.version());
  whole.set_lineage(served.lineage());
  whole.set_content_hash(served.content_hash());
  for (const auto& [name, zone] : zones_) *whole.add_zones() = zone;
  *whole.mutable_managed_rulesets() = managed_rulesets_;
  write_(whole);
}

}  // namespace gatehouse::runtime
