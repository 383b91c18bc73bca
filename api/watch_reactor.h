#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "api/authenticator.h"
#include "api/principal.h"
#include "api/proxy_registry.h"
#include "api/snapshot_delta.h"
#include "api/snapshot_publisher.h"
#include "api/watch_hub.h"
#include "grpcpp/alarm.h"
#include "grpcpp/grpcpp.h"
#include "schemas/api.grpc.pb.h"

namespace gatehouse::api {

// The caller of a SnapshotService call, who must hold a node (watch) token or be the admin.
absl::StatusOr<Principal> AuthenticateWatcher(const Authenticator& authenticator,
                                              const grpc::ServerContextBase& context);

// One proxy's Watch stream on gRPC's callback API: the full snapshot (or what the proxy lacks)
// first, then a delta whenever a newer state is published, one write at a time. No thread is
// held between writes; a publish or a revocation wakes it through the WatchHub. A revoked token
// ends its streams (UNAUTHENTICATED) before anything newer is sent: the token authorised the
// stream, not just its first message.
class WatchReactor final : public grpc::ServerWriteReactor<v1::SnapshotUpdate>,
                           public Wakeable {
 public:
  struct Deps {
    SnapshotPublisher& publisher;
    const Authenticator& authenticator;
    ProxyRegistry& proxies;
    WatchHub& hub;
    // Replicas of a shared store (etcd): how long a stream from a proxy that holds a newer
    // snapshot of this lineage waits for this replica to publish it (it failed over from a
    // replica that was ahead). Zero with a store of one writer: there it means a restore.
    std::chrono::milliseconds catch_up{0};
  };

  // Starts a stream for an authenticated caller; the reactor lives until gRPC is done with it.
  static grpc::ServerWriteReactor<v1::SnapshotUpdate>* Start(
      const Deps& deps, grpc::CallbackServerContext* context, const v1::WatchRequest& request,
      Principal principal);

  WatchReactor(const Deps& deps, grpc::CallbackServerContext* context, Principal principal,
               ProxyKey node);

  void Wake() override;
  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

 private:
  // Sends the first update, if any, then whatever was published meanwhile; with a catch-up
  // wait, once this replica has published the version the proxy holds.
  void Begin(const v1::WatchRequest& request);
  // Whether this replica has published what `request`'s proxy holds (or never will).
  bool CaughtUp(const v1::WatchRequest& request) const;
  // Sends the first update of a waiting stream once caught up, or once `deadline_passed`.
  void EndWaiting(bool deadline_passed);
  void SendFirst(const v1::WatchRequest& request);
  // Writes the next delta, or ends the stream, unless a write is in flight (its completion looks
  // again).
  void Next();
  // Ends the stream once; `lock` is released first.
  void FinishOnce(std::unique_lock<std::mutex>& lock, grpc::Status status);

  const Deps deps_;
  grpc::CallbackServerContext* const context_;
  const Principal principal_;
  const ProxyKey node_;
  ZoneFilter filter_;
  std::shared_ptr<WatchReactor> self_;  // until OnDone

  std::mutex mutex_;
  std::shared_ptr<const PublishedState> state_;  // what the proxy has been sent
  v1::SnapshotUpdate update_;                    // the write in flight
  // With a filter: the content-hash buckets of the zones this stream may see, as of state_.
  ContentHashBuckets visible_buckets_;
  uint64_t revocations_ = 0;
  bool writing_ = false;
  bool cancelled_ = false;
  bool finished_ = false;
  // The stream's request while it waits for this replica to catch up (Deps::catch_up).
  std::optional<v1::WatchRequest> waiting_;
  // Ends the wait at the latest; holds no reference to the reactor.
  grpc::Alarm catch_up_alarm_;
};

}  // namespace gatehouse::api
