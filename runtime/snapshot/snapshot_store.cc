#include "runtime/snapshot/snapshot_store.h"

#include <algorithm>

namespace gatehouse::runtime {

std::shared_ptr<const LinkedSnapshot> SnapshotStore::Current() const {
  std::lock_guard lock(mutex_);
  return current_;
}

bool SnapshotStore::Swap(std::shared_ptr<const LinkedSnapshot> next) {
  std::lock_guard lock(mutex_);
  // One lock orders swaps from every source: two cannot interleave into a downgrade, and
  // subscribers see them in the order they happened.
  if (current_ != nullptr && current_->version() > next->version()) return false;
  current_ = std::move(next);
  swaps_.fetch_add(1, std::memory_order_relaxed);
  for (const auto& [id, publish] : publishers_) publish(current_);
  return true;
}

int SnapshotStore::Subscribe(Publisher publish) {
  std::lock_guard lock(mutex_);
  if (current_ != nullptr) publish(current_);
  publishers_.emplace_back(next_subscription_, std::move(publish));
  return next_subscription_++;
}

void SnapshotStore::Unsubscribe(int id) {
  std::lock_guard lock(mutex_);
  publishers_.erase(std::remove_if(publishers_.begin(), publishers_.end(),
                                   [id](const auto& entry) { return entry.first == id; }),
                    publishers_.end());
}

}  // namespace gatehouse::runtime
