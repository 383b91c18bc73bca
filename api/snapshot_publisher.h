#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>

#include "compiler/snapshot_assembly.h"
#include "schemas/snapshot.pb.h"

namespace gatehouse::api {

// The current snapshot of the deployment and a way to wait for the next one. Each published
// snapshot is immutable; publishing a zone replaces only that zone's entry.
class SnapshotPublisher {
 public:
  // Publishes `zone` (or removes `zone_name` when `zone` is null) as snapshot `version`.
  void Publish(uint64_t version, const std::string& zone_name,
               std::shared_ptr<const snapshot::v1::CompiledZone> zone);

  std::shared_ptr<const snapshot::v1::Snapshot> Current() const;

  // Waits until a snapshot newer than `version` is published, up to `timeout`. Returns it, or null
  // on timeout or shutdown.
  std::shared_ptr<const snapshot::v1::Snapshot> WaitNewerThan(uint64_t version,
                                                              std::chrono::milliseconds timeout);

  // Wakes every waiter; later waits return at once.
  void Shutdown();

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  compiler::ZoneSet zones_;
  std::shared_ptr<const snapshot::v1::Snapshot> current_ =
      std::make_shared<snapshot::v1::Snapshot>();
  bool shut_down_ = false;
};

}  // namespace gatehouse::api
