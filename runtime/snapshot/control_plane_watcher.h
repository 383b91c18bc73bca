#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "runtime/snapshot/snapshot_store.h"
#include "schemas/snapshot.pb.h"

namespace grpc {
class Channel;
class ChannelCredentials;
}

namespace gatehouse::runtime {

class SnapshotApplier;
class ServedSnapshotPersister;
class WatchStream;

// Follows the control plane: the full snapshot first, then per-zone deltas. Three parts, each
// in its own file: the Watch stream (WatchStream: connect, read, reconnect with backoff), the
// apply (SnapshotApplier: link, swap, report once every worker serves it) and the persist
// (ServedSnapshotPersister: the whole served snapshot to the state directory). On reconnect it
// says which zone versions it serves and which it rejected, so only what changed is sent again.
class ControlPlaneWatcher {
 public:
  struct Options {
    std::string address;  // HOST:PORT of the control plane
    std::string node_id;
    std::string token;
    int initial_backoff_ms = 100;
    int max_backoff_ms = 5000;
    // How the channel is secured (ClientTls::Credentials); null: plaintext.
    std::shared_ptr<grpc::ChannelCredentials> credentials;
  };
  // Called after an update is served by every worker and reported, with the whole snapshot now
  // served, serialized (a snapshot::v1::Snapshot), to persist it. On the persister's thread, not
  // the watcher's; a call may cover several updates (only the last one served is written).
  // Without a callback nothing is kept or assembled.
  using AppliedCallback = std::function<void(uint64_t version, const std::string& payload)>;

  ControlPlaneWatcher(Options options, SnapshotStore& store, AppliedCallback on_applied);
  ~ControlPlaneWatcher();

  void Start();
  void Stop();

 private:
  class Reporter;
  class StreamDelegate;

  const Options options_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<Reporter> reporter_;
  std::unique_ptr<ServedSnapshotPersister> persister_;  // null without a callback
  std::unique_ptr<SnapshotApplier> applier_;
  std::unique_ptr<StreamDelegate> delegate_;
  std::unique_ptr<WatchStream> stream_;
};

}  // namespace gatehouse::runtime
