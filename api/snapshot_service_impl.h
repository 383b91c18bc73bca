#pragma once

#include <map>
#include <mutex>
#include <string>

#include "api/snapshot_publisher.h"
#include "schemas/api.grpc.pb.h"

namespace gatehouse::api {

// gatehouse.api.v1.SnapshotService: streams snapshots to proxies and records what they applied.
class SnapshotServiceImpl final : public v1::SnapshotService::Service {
 public:
  explicit SnapshotServiceImpl(SnapshotPublisher& publisher);

  grpc::Status Watch(grpc::ServerContext* context, const v1::WatchRequest* request,
                     grpc::ServerWriter<v1::SnapshotUpdate>* writer) override;
  grpc::Status ReportApplied(grpc::ServerContext* context, const v1::ApplyReport* request,
                             v1::ApplyReportResponse* response) override;

  // The last report of each proxy, by node id.
  std::map<std::string, v1::ApplyReport> Reports() const;

 private:
  SnapshotPublisher& publisher_;
  mutable std::mutex mutex_;
  std::map<std::string, v1::ApplyReport> reports_;
};

}  // namespace gatehouse::api
