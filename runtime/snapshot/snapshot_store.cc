#include "runtime/snapshot/snapshot_store.h"

namespace gatehouse::runtime {

bool SnapshotStore::Swap(std::shared_ptr<const LinkedSnapshot> next) {
  auto current = current_.load(std::memory_order_acquire);
  // Compare-and-swap so two sources cannot interleave into a downgrade.
  while (current == nullptr || current->version() <= next->version()) {
    if (current_.compare_exchange_weak(current, next, std::memory_order_acq_rel)) {
      swaps_.fetch_add(1, std::memory_order_relaxed);
      return true;
    }
  }
  return false;
}

}  // namespace gatehouse::runtime
