#include "api/snapshot_service_impl.h"

#include <cstdio>

namespace gatehouse::api {

SnapshotServiceImpl::SnapshotServiceImpl(SnapshotPublisher& publisher) : publisher_(publisher) {}

grpc::Status SnapshotServiceImpl::Watch(grpc::ServerContext* context,
                                        const v1::WatchRequest* request,
                                        grpc::ServerWriter<v1::SnapshotUpdate>* writer) {
  uint64_t held = request->held_version();
  // A proxy that holds a newer version than this control plane (e.g. after a restore) still gets
  // the current snapshot once, so it converges on what the control plane serves.
  auto snapshot = publisher_.Current();
  bool first = true;
  while (!context->IsCancelled()) {
    if (!first || snapshot->version() == held) {
      // Bounded waits, so a cancelled stream is noticed promptly.
      snapshot = publisher_.WaitNewerThan(held, std::chrono::milliseconds(500));
      if (snapshot == nullptr) continue;
    }
    first = false;
    v1::SnapshotUpdate update;
    *update.mutable_snapshot() = *snapshot;
    if (!writer->Write(update)) break;
    held = snapshot->version();
  }
  return grpc::Status::OK;
}

grpc::Status SnapshotServiceImpl::ReportApplied(grpc::ServerContext* context,
                                                const v1::ApplyReport* request,
                                                v1::ApplyReportResponse* response) {
  if (!request->applied()) {
    std::fprintf(stderr, "control: proxy %s rejected snapshot %llu: %s\n",
                 request->node_id().c_str(), static_cast<unsigned long long>(request->version()),
                 request->error().c_str());
  }
  std::lock_guard lock(mutex_);
  reports_[request->node_id()] = *request;
  return grpc::Status::OK;
}

std::map<std::string, v1::ApplyReport> SnapshotServiceImpl::Reports() const {
  std::lock_guard lock(mutex_);
  return reports_;
}

}  // namespace gatehouse::api
