#include "api/snapshot_service_impl.h"

#include <cstdio>

#include "api/grpc_util.h"
#include "api/snapshot_delta.h"

namespace gatehouse::api {
namespace {

absl::StatusOr<Principal> Watcher(const Authenticator& authenticator,
                                  const grpc::ServerContext& context) {
  auto principal = AuthenticateCall(authenticator, context);
  if (!principal.ok()) return principal.status();
  if (!principal->CanWatch()) {
    return absl::PermissionDeniedError("only node tokens may watch snapshots");
  }
  return principal;
}

}  // namespace

SnapshotServiceImpl::SnapshotServiceImpl(SnapshotPublisher& publisher,
                                         const Authenticator& authenticator,
                                         ProxyRegistry& proxies)
    : publisher_(publisher), authenticator_(authenticator), proxies_(proxies) {}

grpc::Status SnapshotServiceImpl::Watch(grpc::ServerContext* context,
                                        const v1::WatchRequest* request,
                                        grpc::ServerWriter<v1::SnapshotUpdate>* writer) {
  auto caller = Watcher(authenticator_, *context);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  const Principal principal = *std::move(caller);
  ZoneFilter filter;
  if (!principal.admin && !principal.zones.empty()) {
    filter = [&principal](const std::string& zone) { return principal.CanWatchZone(zone); };
  }
  const std::string& node = request->node_id();
  proxies_.StreamOpened(node);
  struct Closer {
    ProxyRegistry& proxies;
    const std::string& node;
    ~Closer() { proxies.StreamClosed(node); }
  } closer{proxies_, node};

  // What the proxy rejected, by its own account and by its reports: not sent again until the
  // zone changes.
  std::map<std::string, uint64_t> rejected = proxies_.Rejected(node);
  for (const auto& [zone, version] : request->rejected_zones()) rejected[zone] = version;
  const std::map<std::string, uint64_t> held(request->held_zones().begin(),
                                             request->held_zones().end());

  std::shared_ptr<const PublishedState> state = publisher_.Current();
  v1::SnapshotUpdate update;
  if (InitialUpdate(*state, request->held_version(), held, rejected, filter, &update)) {
    if (!writer->Write(update)) return grpc::Status::OK;
  }
  while (!context->IsCancelled()) {
    // Bounded waits, so a cancelled stream is noticed promptly.
    auto next = publisher_.WaitNewerThan(state->version, std::chrono::milliseconds(500));
    if (next == nullptr) continue;
    if (DeltaUpdate(*state, *next, filter, &update) && !writer->Write(update)) break;
    state = std::move(next);
  }
  return grpc::Status::OK;
}

grpc::Status SnapshotServiceImpl::ReportApplied(grpc::ServerContext* context,
                                                const v1::ApplyReport* request,
                                                v1::ApplyReportResponse* response) {
  auto caller = Watcher(authenticator_, *context);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  for (const auto& zone : request->zones()) {
    if (!zone.applied()) {
      std::fprintf(stderr, "control: proxy %s rejected zone %s version %llu: %s\n",
                   request->node_id().c_str(), zone.zone().c_str(),
                   static_cast<unsigned long long>(zone.version()), zone.error().c_str());
    }
  }
  if (!request->applied() && !request->error().empty()) {
    std::fprintf(stderr, "control: proxy %s rejected snapshot %llu: %s\n",
                 request->node_id().c_str(), static_cast<unsigned long long>(request->version()),
                 request->error().c_str());
  }
  if (caller->admin || caller->zones.empty()) {
    proxies_.Report(*request);
    return grpc::Status::OK;
  }
  // A node token scoped to zones reports only on those.
  v1::ApplyReport scoped = *request;
  scoped.clear_zones();
  for (const auto& zone : request->zones()) {
    if (caller->CanWatchZone(zone.zone())) *scoped.add_zones() = zone;
  }
  proxies_.Report(scoped);
  return grpc::Status::OK;
}

}  // namespace gatehouse::api
