#include "api/snapshot_service_impl.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "api/grpc_util.h"
#include "api/watch_reactor.h"
#include "common/log_text.h"
#include "common/logging.h"

namespace gatehouse::api {
namespace {

// Node names are shown in listings and logs: short and plain.
absl::Status CheckNodeId(const std::string& node) {
  const bool plain = std::all_of(node.begin(), node.end(), [](char c) {
    return absl::ascii_isalnum(c) || c == '.' || c == '_' || c == '-' || c == ':' || c == '@';
  });
  if (node.empty() || node.size() > 128 || !plain) {
    return absl::InvalidArgumentError(
        "node_id must be 1 to 128 letters, digits and . _ - : @ (proxy --node-id)");
  }
  return absl::OkStatus();
}

// A stream refused before it started: finishes at once.
class RefusedWatch final : public grpc::ServerWriteReactor<v1::SnapshotUpdate> {
 public:
  explicit RefusedWatch(grpc::Status status) { Finish(std::move(status)); }
  void OnDone() override { delete this; }
};

}  // namespace

SnapshotServiceImpl::SnapshotServiceImpl(SnapshotPublisher& publisher,
                                         const Authenticator& authenticator, ProxyRegistry& proxies,
                                         std::chrono::milliseconds catch_up)
    : publisher_(publisher), authenticator_(authenticator), proxies_(proxies), catch_up_(catch_up) {
  subscription_ = publisher_.Subscribe([this] { hub_.WakeAll(); });
}

SnapshotServiceImpl::~SnapshotServiceImpl() { publisher_.Unsubscribe(subscription_); }

void SnapshotServiceImpl::TokensRevoked() { hub_.WakeAll(); }

grpc::ServerWriteReactor<v1::SnapshotUpdate>* SnapshotServiceImpl::Watch(
    grpc::CallbackServerContext* context, const v1::WatchRequest* request) {
  auto caller = AuthenticateWatcher(authenticator_, *context);
  if (!caller.ok()) return new RefusedWatch(ToGrpcStatus(caller.status()));
  if (auto status = CheckNodeId(request->node_id()); !status.ok()) {
    return new RefusedWatch(ToGrpcStatus(status));
  }
  return WatchReactor::Start({publisher_, authenticator_, proxies_, hub_, catch_up_}, context,
                             *request, *std::move(caller));
}

grpc::ServerUnaryReactor* SnapshotServiceImpl::ReportApplied(grpc::CallbackServerContext* context,
                                                             const v1::ApplyReport* request,
                                                             v1::ApplyReportResponse* response) {
  // Quick (a registry update and log lines): done on the callback thread.
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(Report(*context, *request));
  return reactor;
}

grpc::Status SnapshotServiceImpl::Report(const grpc::CallbackServerContext& context,
                                         const v1::ApplyReport& request) {
  auto caller = AuthenticateWatcher(authenticator_, context);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  if (auto status = CheckNodeId(request.node_id()); !status.ok()) return ToGrpcStatus(status);
  // A token reports only on the proxies whose streams it opened, and only on its zones: the
  // same answer whether another fleet's node or zone exists or not.
  const ProxyKey node{caller->id, request.node_id()};
  if (!proxies_.Known(node)) {
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                        "this token has no Watch stream for node \"" + request.node_id() +
                            "\": a proxy reports on the stream it opened");
  }
  for (const auto& zone : request.zones()) {
    if (!caller->CanWatchZone(zone.zone())) {
      return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                          "this token may not report on zone \"" +
                              ForLogLine(zone.zone(), 256) + "\"");
    }
  }
  // Report text is the proxy's: bounded and escaped, so it cannot flood or forge log lines.
  const std::string name = ForLogLine(request.node_id(), 128);
  for (const auto& zone : request.zones()) {
    if (!zone.applied()) {
      GH_LOG(WARNING) << "proxy " << name << " rejected zone " << ForLogLine(zone.zone(), 256)
                      << " version " << zone.version() << ": "
                      << ForLogLine(zone.error(), ProxyRegistry::kMaxErrorBytes);
    }
  }
  if (!request.applied() && !request.error().empty()) {
    GH_LOG(WARNING) << "proxy " << name << " refused snapshot " << request.version() << ": "
                    << ForLogLine(request.error(), ProxyRegistry::kMaxErrorBytes);
  }
  proxies_.Report(node, request);
  return grpc::Status::OK;
}

}  // namespace gatehouse::api
