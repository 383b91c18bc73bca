#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "runtime/snapshot/snapshot_store.h"
#include "schemas/snapshot.pb.h"

namespace grpc {
class ClientContext;
}

namespace gatehouse::runtime {

// Follows the control plane's SnapshotService.Watch stream on its own thread: links each
// snapshot off the request path, swaps it in, and reports the outcome. Reconnects with
// exponential backoff and jitter whenever the stream ends.
class ControlPlaneWatcher {
 public:
  struct Options {
    std::string address;  // HOST:PORT of the control plane
    std::string node_id;
    std::string token;
    int initial_backoff_ms = 100;
    int max_backoff_ms = 5000;
  };
  // Called after a snapshot was swapped in (e.g. to persist it).
  using AppliedCallback = std::function<void(const snapshot::v1::Snapshot&)>;

  ControlPlaneWatcher(Options options, SnapshotStore& store, AppliedCallback on_applied);
  ~ControlPlaneWatcher();

  void Start();
  void Stop();

 private:
  void Run();
  // One Watch stream, until it ends.
  void WatchOnce();
  void Apply(const snapshot::v1::Snapshot& snapshot);

  const Options options_;
  SnapshotStore& store_;
  AppliedCallback on_applied_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::mutex context_mutex_;
  grpc::ClientContext* active_context_ = nullptr;
  struct Stubs;
  std::unique_ptr<Stubs> stubs_;
};

}  // namespace gatehouse::runtime
