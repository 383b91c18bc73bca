#include "runtime/snapshot/snapshot_store.h"

#include <algorithm>
#include <cstdio>

#include "common/logging.h"

namespace gatehouse::runtime {

struct SnapshotStore::Publication {
  std::shared_ptr<const LinkedSnapshot> snapshot;
  uint64_t sequence = 0;
  std::atomic<size_t> left{0};  // subscribers that do not use it yet
  Done on_served;
};

std::shared_ptr<const LinkedSnapshot> SnapshotStore::Current() const {
  std::lock_guard lock(mutex_);
  return current_;
}

std::shared_ptr<const LinkedSnapshot> SnapshotStore::Served() const {
  std::lock_guard lock(served_mutex_);
  return served_;
}

std::shared_ptr<SnapshotStore::Publication> SnapshotStore::NewPublicationLocked(Done on_served) {
  auto publication = std::make_shared<Publication>();
  publication->snapshot = current_;
  publication->sequence = sequence_;
  publication->left.store(publishers_.size(), std::memory_order_relaxed);
  publication->on_served = std::move(on_served);
  return publication;
}

void SnapshotStore::Arrived(const std::shared_ptr<Publication>& publication) {
  if (publication->left.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
  {
    // Subscribers switch in swap order, so publications complete in order too; the sequence
    // check keeps Served() from going back all the same.
    std::lock_guard lock(served_mutex_);
    if (publication->sequence > served_sequence_) {
      served_ = publication->snapshot;
      served_sequence_ = publication->sequence;
    }
  }
  if (publication->on_served) publication->on_served();
}

bool SnapshotStore::Swap(std::shared_ptr<const LinkedSnapshot> next, bool replace,
                         Done on_served) {
  std::unique_lock lock(mutex_);
  // One lock orders swaps from every source: two cannot interleave into a downgrade, and
  // subscribers see them in the order they happened.
  if (current_ != nullptr && current_->version() > next->version()) {
    if (current_->lineage() == next->lineage() && !replace) {
      const std::string reason = "snapshot " + std::to_string(next->version()) +
                                 " is older than snapshot " +
                                 std::to_string(current_->version()) + " being served";
      lock.unlock();
      NoteRefused(reason);
      return false;
    }
  }
  if (current_ != nullptr && (current_->lineage() != next->lineage() ||
                              current_->version() > next->version())) {
    GH_LOG(WARNING) << "snapshot " << next->version() << " (lineage "
                    << (next->lineage().empty() ? "none" : next->lineage())
                    << ") replaces snapshot " << current_->version() << " (lineage "
                    << (current_->lineage().empty() ? "none" : current_->lineage()) << "): "
                    << (current_->lineage() != next->lineage()
                            ? "another source, versions not comparable"
                            : "the control plane's whole state, behind this one (store "
                              "restored?)");
  }
  current_ = std::move(next);
  ++sequence_;
  refusals_.in_a_row = 0;
  swaps_.fetch_add(1, std::memory_order_relaxed);
  auto publication = NewPublicationLocked(std::move(on_served));
  for (const auto& [id, publish] : publishers_) {
    publish(current_, [this, publication] { Arrived(publication); });
  }
  const bool no_subscribers = publishers_.empty();
  lock.unlock();
  if (no_subscribers) {
    publication->left.store(1, std::memory_order_relaxed);
    Arrived(publication);
  }
  return true;
}

std::string ServingNote(const LinkedSnapshot* current) {
  if (current == nullptr) return "nothing is served yet";
  return "still serving snapshot " + std::to_string(current->version());
}

void SnapshotStore::NoteRefused(std::string reason) {
  std::lock_guard lock(mutex_);
  ++refusals_.in_a_row;
  ++refusals_.total;
  refusals_.last = std::move(reason);
}

SnapshotStore::Refusals SnapshotStore::refusals() const {
  std::lock_guard lock(mutex_);
  return refusals_;
}

int SnapshotStore::Subscribe(Publisher publish) {
  std::lock_guard lock(mutex_);
  if (current_ != nullptr) {
    if (publishers_.empty()) {
      // The only subscriber: the snapshot is served once it uses it.
      auto publication = NewPublicationLocked({});
      publication->left.store(1, std::memory_order_relaxed);
      publish(current_, [this, publication] { Arrived(publication); });
    } else {
      // The others' use of it decides (or decided) when it is served.
      publish(current_, [] {});
    }
  }
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
