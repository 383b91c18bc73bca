#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include "runtime/snapshot/linked_snapshot.h"

namespace gatehouse::runtime {

// The snapshot the proxy serves now. A request pins it with Current() and keeps it to its end,
// whatever swaps happen meanwhile (RCU by reference counting).
class SnapshotStore {
 public:
  // Null until the first snapshot is swapped in.
  std::shared_ptr<const LinkedSnapshot> Current() const {
    return current_.load(std::memory_order_acquire);
  }

  // Swaps in `next` unless its version is lower than the current one's (a proxy never goes
  // back). Returns whether it swapped.
  bool Swap(std::shared_ptr<const LinkedSnapshot> next);

  uint64_t swap_count() const { return swaps_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::shared_ptr<const LinkedSnapshot>> current_;
  std::atomic<uint64_t> swaps_{0};
};

}  // namespace gatehouse::runtime
