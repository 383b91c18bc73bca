#pragma once

#include <functional>
#include <map>
#include <string>

#include "runtime/snapshot/linked_snapshot.h"
#include "schemas/snapshot.pb.h"

namespace gatehouse::api::v1 {
class SnapshotUpdate;
}

namespace gatehouse::runtime {

// Keeps the config of every zone the proxy serves, as the control plane sent it, and writes the
// whole served snapshot (the state directory's last good snapshot) after each applied update:
// deltas carry only what changed.
class ServedSnapshotPersister {
 public:
  using Writer = std::function<void(const snapshot::v1::Snapshot&)>;

  explicit ServedSnapshotPersister(Writer write);

  // Whether a full snapshot has been seen. Until then the zones served (perhaps loaded from
  // disk) have no config here, so the stream asks for a full snapshot rather than a delta.
  bool has_full() const { return have_full_; }

  // `update` was applied; `served` is the snapshot now served. Writes the whole snapshot.
  void OnServed(const api::v1::SnapshotUpdate& update, const LinkedSnapshot& served);

 private:
  const Writer write_;
  std::map<std::string, snapshot::v1::CompiledZone> zones_;
  // The last full snapshot's managed rulesets (deltas carry none).
  google::protobuf::RepeatedPtrField<snapshot::v1::ManagedRuleset> managed_rulesets_;
  bool have_full_ = false;
};

}  // namespace gatehouse::runtime
