#pragma once

#include "api/authenticator.h"
#include "api/proxy_registry.h"
#include "api/snapshot_publisher.h"
#include "api/watch_hub.h"
#include "schemas/api.grpc.pb.h"

namespace gatehouse::api {

// gatehouse.api.v1.SnapshotService: streams the full snapshot, then per-zone deltas, to proxies
// and records what they applied or rejected. Callable by node (watch) tokens and the admin; a
// node token scoped to zones sees only those zones. On gRPC's callback API: an open stream holds
// no thread; publishes and revocations push to the streams (WatchHub).
class SnapshotServiceImpl final : public v1::SnapshotService::CallbackService {
 public:
  // `catch_up`: WatchReactor::Deps::catch_up (replicas of a shared store).
  SnapshotServiceImpl(SnapshotPublisher& publisher, const Authenticator& authenticator,
                      ProxyRegistry& proxies,
                      std::chrono::milliseconds catch_up = std::chrono::milliseconds(0));
  ~SnapshotServiceImpl() override;

  grpc::ServerWriteReactor<v1::SnapshotUpdate>* Watch(grpc::CallbackServerContext* context,
                                                      const v1::WatchRequest* request) override;
  grpc::ServerUnaryReactor* ReportApplied(grpc::CallbackServerContext* context,
                                          const v1::ApplyReport* request,
                                          v1::ApplyReportResponse* response) override;

  // A token was revoked: every stream checks its token before it sends anything more.
  void TokensRevoked();
  // Streams open now.
  size_t open_streams() const { return hub_.size(); }

 private:
  grpc::Status Report(const grpc::CallbackServerContext& context, const v1::ApplyReport& request);

  SnapshotPublisher& publisher_;
  const Authenticator& authenticator_;
  ProxyRegistry& proxies_;
  WatchHub hub_;
  const std::chrono::milliseconds catch_up_;
  int subscription_ = 0;
};

}  // namespace gatehouse::api
