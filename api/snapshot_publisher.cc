#include "api/snapshot_publisher.h"

namespace gatehouse::api {

SnapshotPublisher::SnapshotPublisher(
    std::string lineage, std::shared_ptr<const compiler::ManagedRulesets> managed_rulesets)
    : lineage_(std::move(lineage)), managed_rulesets_(std::move(managed_rulesets)) {
  SetLocked(0, {}, ContentHashBuckets(), std::make_shared<const compiler::AccountLists>());
}

void SnapshotPublisher::SetLocked(uint64_t version, compiler::ZoneSet zones,
                                  ContentHashBuckets hash_buckets,
                                  std::shared_ptr<const compiler::AccountLists> lists) {
  auto state = std::make_shared<PublishedState>();
  // Versions are the store's change sequence, so that a push's sequence names the snapshot that
  // serves it. Only the placeholder (version 0, before anything was stored) may be republished
  // at its own version.
  if (current_ != nullptr && (version < current_->version ||
                              (version == current_->version && version != 0))) {
    version = current_->version + 1;
  }
  state->version = version;
  state->lineage = lineage_;
  state->managed_rulesets = managed_rulesets_;
  state->content_hash =
      compiler::SnapshotContentHash(hash_buckets, managed_rulesets_.get(), lists.get());
  state->lists = std::move(lists);
  state->hash_buckets = std::move(hash_buckets);
  state->zones = std::move(zones);
  current_ = std::move(state);
  changed_.notify_all();
}

void SnapshotPublisher::Publish(uint64_t version, const std::string& zone_name,
                                std::shared_ptr<const snapshot::v1::CompiledZone> zone) {
  {
    std::lock_guard lock(mutex_);
    // Work proportional to the one zone: its shard is copied and its bucket rehashed.
    compiler::ZoneSet::Editor zones(current_->zones);
    if (zone == nullptr) {
      zones.Erase(zone_name);
    } else {
      zones.Set(zone_name, std::move(zone));
    }
    const auto touched = zones.touched();
    ContentHashBuckets buckets = current_->hash_buckets;
    compiler::ZoneSet next = std::move(zones).Finish();
    compiler::UpdateSnapshotHashBuckets(next, touched, &buckets);
    SetLocked(version, std::move(next), std::move(buckets), current_->lists);
  }
  NotifySubscribers();
}

void SnapshotPublisher::PublishAll(uint64_t version, compiler::ZoneSet zones,
                                   compiler::AccountLists lists) {
  {
    std::lock_guard lock(mutex_);
    ContentHashBuckets buckets;
    compiler::UpdateSnapshotHashBuckets(zones, std::bitset<compiler::ZoneSet::kShards>().set(),
                                        &buckets);
    SetLocked(version, std::move(zones), std::move(buckets),
              std::make_shared<const compiler::AccountLists>(std::move(lists)));
  }
  NotifySubscribers();
}

void SnapshotPublisher::PublishList(uint64_t version, const std::string& name,
                                    std::shared_ptr<const snapshot::v1::AccountList> list) {
  {
    std::lock_guard lock(mutex_);
    auto lists = std::make_shared<compiler::AccountLists>(*current_->lists);
    if (list == nullptr) {
      lists->erase(name);
    } else {
      (*lists)[name] = std::move(list);
    }
    SetLocked(version, current_->zones, current_->hash_buckets, std::move(lists));
  }
  NotifySubscribers();
}

int SnapshotPublisher::Subscribe(std::function<void()> changed) {
  std::lock_guard lock(subscribers_mutex_);
  subscribers_.emplace_back(next_subscriber_, std::move(changed));
  return next_subscriber_++;
}

void SnapshotPublisher::Unsubscribe(int id) {
  std::lock_guard lock(subscribers_mutex_);
  std::erase_if(subscribers_, [id](const auto& entry) { return entry.first == id; });
}

void SnapshotPublisher::NotifySubscribers() {
  std::lock_guard lock(subscribers_mutex_);
  for (const auto& [id, changed] : subscribers_) changed();
}

bool SnapshotPublisher::shut_down() const {
  std::lock_guard lock(mutex_);
  return shut_down_;
}

std::shared_ptr<const PublishedState> SnapshotPublisher::Current() const {
  std::lock_guard lock(mutex_);
  return current_;
}

std::shared_ptr<const PublishedState> SnapshotPublisher::WaitNewerThan(
    uint64_t version, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  const bool newer = changed_.wait_for(lock, timeout, [&] {
    return shut_down_ || current_->version > version;
  });
  if (!newer || shut_down_) return nullptr;
  return current_;
}

bool SnapshotPublisher::AwaitPublished(uint64_t version, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] {
    return shut_down_ || current_->version >= version;
  }) && !shut_down_;
}

void SnapshotPublisher::Shutdown() {
  {
    std::lock_guard lock(mutex_);
    shut_down_ = true;
    changed_.notify_all();
  }
  NotifySubscribers();
}

}  // namespace gatehouse::api
