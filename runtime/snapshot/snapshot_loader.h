#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "runtime/snapshot/snapshot_store.h"
#include "schemas/snapshot.pb.h"

namespace gatehouse::runtime {

// Applies snapshots from files (the persisted last good one, --snapshot-file) to the store:
// links them off the request path, swaps them in, and persists what was applied. A snapshot
// that fails is counted and reported; the store keeps serving the last good one.
class SnapshotLoader {
 public:
  // `state_dir` empty: nothing is persisted.
  SnapshotLoader(SnapshotStore& store, std::string state_dir);

  // Links and swaps in `snapshot`. A snapshot with the content already served is a no-op. Fails
  // (and counts a load failure) when it does not link or is older than the one served.
  absl::Status Apply(const snapshot::v1::Snapshot& snapshot);
  // Reads, links and swaps in a snapshot file.
  absl::Status ApplyFile(const std::string& path);

  // Loads the snapshot persisted in the state directory, if there is one (NotFound if not).
  absl::Status LoadPersisted();
  // Writes `snapshot` as the state directory's last good snapshot (atomically). Called for every
  // applied snapshot, whatever its source.
  void Persist(const snapshot::v1::Snapshot& snapshot);
  // The same from a serialized snapshot (`version` names it in a log line on failure).
  void PersistPayload(uint64_t version, std::string_view payload);

  std::string persisted_path() const;
  uint64_t load_failures() const { return failures_.load(std::memory_order_relaxed); }
  uint64_t persist_failures() const { return persist_failures_.load(std::memory_order_relaxed); }

 private:
  absl::Status Fail(absl::Status status);

  SnapshotStore& store_;
  const std::string state_dir_;
  std::mutex apply_mutex_;    // one link-and-swap at a time
  std::mutex persist_mutex_;  // one writer of the state file at a time
  std::atomic<uint64_t> failures_{0};
  std::atomic<uint64_t> persist_failures_{0};
};

}  // namespace gatehouse::runtime
