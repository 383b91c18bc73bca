#include "api/snapshot_publisher.h"

namespace gatehouse::api {

void SnapshotPublisher::Publish(uint64_t version, const std::string& zone_name,
                                std::shared_ptr<const snapshot::v1::CompiledZone> zone) {
  std::lock_guard lock(mutex_);
  if (zone == nullptr) {
    zones_.erase(zone_name);
  } else {
    zones_[zone_name] = std::move(zone);
  }
  if (version <= current_->version()) version = current_->version() + 1;
  current_ = std::make_shared<const snapshot::v1::Snapshot>(
      compiler::AssembleSnapshot(version, zones_));
  changed_.notify_all();
}

std::shared_ptr<const snapshot::v1::Snapshot> SnapshotPublisher::Current() const {
  std::lock_guard lock(mutex_);
  return current_;
}

std::shared_ptr<const snapshot::v1::Snapshot> SnapshotPublisher::WaitNewerThan(
    uint64_t version, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  const bool newer = changed_.wait_for(lock, timeout, [&] {
    return shut_down_ || current_->version() > version;
  });
  if (!newer || shut_down_) return nullptr;
  return current_;
}

void SnapshotPublisher::Shutdown() {
  std::lock_guard lock(mutex_);
  shut_down_ = true;
  changed_.notify_all();
}

}  // namespace gatehouse::api
