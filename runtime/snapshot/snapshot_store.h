#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "runtime/snapshot/linked_snapshot.h"

namespace gatehouse::runtime {

// The snapshot the proxy serves now, and the order in which snapshots replace one another.
// Off the request path (admin endpoints, loaders) Current() reads it. The request path reads
// its worker's own reference instead, which the store publishes to every subscriber on each
// swap (RCU by reference counting): a request pins its worker's snapshot to its end, whatever
// swaps happen meanwhile, and takes no lock to do so.
// "still serving snapshot N" or "nothing is served yet": what a refusal leaves in place.
std::string ServingNote(const LinkedSnapshot* current);

class SnapshotStore {
 public:
  using Publisher = std::function<void(const std::shared_ptr<const LinkedSnapshot>&)>;

  // Null until the first snapshot is swapped in.
  std::shared_ptr<const LinkedSnapshot> Current() const;

  // Swaps in `next` and publishes it, unless it is of the current snapshot's lineage with a
  // lower version (a proxy never goes back within one source) and `replace` is false: that is
  // refused and counted (NoteRefused). A snapshot of another lineage replaces the current one
  // whatever the versions (a new or restored control plane, a file after the control plane),
  // with a log line. `replace`: the control plane's full snapshot, which is its whole truth.
  // Returns whether it swapped.
  bool Swap(std::shared_ptr<const LinkedSnapshot> next, bool replace = false);

  // An update refused as a whole (older, or not loadable). A proxy that keeps refusing updates
  // says so: /readyz, /snapshot, metrics, and its reports to the control plane.
  void NoteRefused(std::string reason);
  struct Refusals {
    uint64_t in_a_row = 0;  // since the last swap
    uint64_t total = 0;
    std::string last;
  };
  Refusals refusals() const;
  // Refusals in a row after which the proxy is not ready (/readyz 503).
  static constexpr uint64_t kRefusalsBeforeUnready = 3;

  // Calls `publish` with the current snapshot, if any, and then with every snapshot swapped in,
  // in swap order. It runs under the store's lock: it must only hand the snapshot on (post it
  // to an event loop). Returns an id for Unsubscribe.
  int Subscribe(Publisher publish);
  void Unsubscribe(int id);

  uint64_t swap_count() const { return swaps_.load(std::memory_order_relaxed); }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const LinkedSnapshot> current_;
  std::vector<std::pair<int, Publisher>> publishers_;
  int next_subscription_ = 0;
  std::atomic<uint64_t> swaps_{0};
  Refusals refusals_;  // under mutex_
};

}  // namespace gatehouse::runtime
