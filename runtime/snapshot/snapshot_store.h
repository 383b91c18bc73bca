#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "runtime/snapshot/linked_snapshot.h"

namespace gatehouse::runtime {

// The snapshot the proxy serves now, and the order in which snapshots replace one another.
// Off the request path (admin endpoints, loaders) Current() reads it. The request path reads
// its worker's own reference instead, which the store publishes to every subscriber on each
// swap (RCU by reference counting): a request pins its worker's snapshot to its end, whatever
// swaps happen meanwhile, and takes no lock to do so.
class SnapshotStore {
 public:
  using Publisher = std::function<void(const std::shared_ptr<const LinkedSnapshot>&)>;

  // Null until the first snapshot is swapped in.
  std::shared_ptr<const LinkedSnapshot> Current() const;

  // Swaps in `next` unless its version is lower than the current one's (a proxy never goes
  // back), and publishes it. Returns whether it swapped.
  bool Swap(std::shared_ptr<const LinkedSnapshot> next);

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
};

}  // namespace gatehouse::runtime
