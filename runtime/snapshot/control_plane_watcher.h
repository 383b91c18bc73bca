#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "runtime/snapshot/snapshot_store.h"
#include "schemas/snapshot.pb.h"

namespace grpc {
class ClientContext;
}

namespace gatehouse::api::v1 {
class SnapshotUpdate;
}

namespace gatehouse::runtime {

// Follows the control plane's SnapshotService.Watch stream on its own thread: the full snapshot
// first, then per-zone deltas. Links each update off the request path (a zone that cannot be
// linked is rejected alone; the others apply), swaps it in, and reports per zone what it applied
// or rejected. Reconnects with exponential backoff and jitter whenever the stream ends, saying
// which zone versions it serves and which it rejected, so only what changed is sent again.
class ControlPlaneWatcher {
 public:
  struct Options {
    std::string address;  // HOST:PORT of the control plane
    std::string node_id;
    std::string token;
    int initial_backoff_ms = 100;
    int max_backoff_ms = 5000;
  };
  // Called after an update was swapped in, with the whole snapshot now served (e.g. to persist
  // it). Only assembled when a callback is set.
  using AppliedCallback = std::function<void(const snapshot::v1::Snapshot&)>;

  ControlPlaneWatcher(Options options, SnapshotStore& store, AppliedCallback on_applied);
  ~ControlPlaneWatcher();

  void Start();
  void Stop();

 private:
  void Run();
  // One Watch stream, until it ends.
  void WatchOnce();
  void Apply(const api::v1::SnapshotUpdate& update);

  const Options options_;
  SnapshotStore& store_;
  AppliedCallback on_applied_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::mutex context_mutex_;
  grpc::ClientContext* active_context_ = nullptr;
  struct Stubs;
  std::unique_ptr<Stubs> stubs_;
  // Watcher thread only. Zone versions rejected and not since replaced: sent on reconnect so the
  // control plane does not send them again.
  std::map<std::string, uint64_t> rejected_;
  // Watcher thread only, when on_applied_ is set: the config of every zone served.
  std::map<std::string, snapshot::v1::CompiledZone> served_;
  bool have_full_ = false;
};

}  // namespace gatehouse::runtime
