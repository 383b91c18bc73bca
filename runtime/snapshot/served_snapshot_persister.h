#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "common/sharded_map.h"
#include "runtime/snapshot/linked_snapshot.h"

namespace gatehouse::api::v1 {
class SnapshotUpdate;
}

namespace gatehouse::runtime {

// Keeps every zone the proxy serves as the control plane sent it, and writes the whole served
// snapshot (the state directory's last good snapshot) after each applied update: deltas carry
// only what changed.
//
// What an update costs the watcher is proportional to what it changed: each changed zone is
// serialized once, when it arrives, into a map whose unchanged shards are shared from one
// update to the next. The file itself is written on the persister's own thread, which puts the
// kept zones together in name order; updates served while a write runs are written once,
// together (only the last one served matters). A watcher never waits for the disk.
class ServedSnapshotPersister {
 public:
  // Writes a snapshot file whose payload (a serialized snapshot::v1::Snapshot) is `payload`, the
  // snapshot served at `version`. On the persister's thread.
  using Writer = std::function<void(uint64_t version, const std::string& payload)>;

  explicit ServedSnapshotPersister(Writer write);
  // Writes what was served and not yet written, then stops the thread.
  ~ServedSnapshotPersister();
  ServedSnapshotPersister(const ServedSnapshotPersister&) = delete;
  ServedSnapshotPersister& operator=(const ServedSnapshotPersister&) = delete;

  // Whether a full snapshot has been seen. Until then the zones served (perhaps loaded from
  // disk) have no config here, so the stream asks for a full snapshot rather than a delta.
  // The watcher's thread only.
  bool has_full() const { return have_full_; }

  // `update` was applied; `served` is the snapshot now served. Hands the whole snapshot to the
  // writer thread. The watcher's thread only (one caller at a time).
  void OnServed(const api::v1::SnapshotUpdate& update, const LinkedSnapshot& served);

  // Waits until every snapshot handed over so far is written.
  void Flush();

 private:
  // Zones by name, each serialized (a snapshot::v1::CompiledZone).
  using ZoneBytes = ShardedMap<std::shared_ptr<const std::string>>;
  // One served snapshot, as the writer needs it; cheap to copy (shared shards and bytes).
  struct Served {
    uint64_t version = 0;
    std::string lineage;
    std::string content_hash;
    ZoneBytes zones;
    // The managed rulesets, encoded as Snapshot's field 7 (each a length-delimited entry).
    std::shared_ptr<const std::string> managed;
    // The account-level lists by name, each serialized (a snapshot::v1::AccountList).
    std::shared_ptr<const std::map<std::string, std::string>> lists;
  };

  // The serialized snapshot::v1::Snapshot of `served`, its zones in name order.
  static std::string Payload(const Served& served);
  void Run();

  const Writer write_;
  // The watcher's thread only.
  ZoneBytes zones_;
  std::shared_ptr<const std::string> managed_ = std::make_shared<const std::string>();
  std::shared_ptr<const std::map<std::string, std::string>> lists_ =
      std::make_shared<const std::map<std::string, std::string>>();
  bool have_full_ = false;

  // Handed from the watcher to the writer thread.
  std::mutex mutex_;
  std::condition_variable changed_;
  std::optional<Served> pending_;
  bool writing_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace gatehouse::runtime
