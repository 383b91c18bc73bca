#pragma once

#include "api/authenticator.h"
#include "api/proxy_registry.h"
#include "api/snapshot_publisher.h"
#include "schemas/api.grpc.pb.h"

namespace gatehouse::api {

// gatehouse.api.v1.SnapshotService: streams the full snapshot, then per-zone deltas, to proxies
// and records what they applied or rejected. Callable by node (watch) tokens and the admin; a
// node token scoped to zones sees only those zones.
class SnapshotServiceImpl final : public v1::SnapshotService::Service {
 public:
  SnapshotServiceImpl(SnapshotPublisher& publisher, const Authenticator& authenticator,
                      ProxyRegistry& proxies);

  grpc::Status Watch(grpc::ServerContext* context, const v1::WatchRequest* request,
                     grpc::ServerWriter<v1::SnapshotUpdate>* writer) override;
  grpc::Status ReportApplied(grpc::ServerContext* context, const v1::ApplyReport* request,
                             v1::ApplyReportResponse* response) override;

 private:
  SnapshotPublisher& publisher_;
  const Authenticator& authenticator_;
  ProxyRegistry& proxies_;
};

}  // namespace gatehouse::api
