#include "api/snapshot_service_impl.h"

#include <algorithm>
#include <cstdio>

#include "absl/strings/ascii.h"
#include "common/log_text.h"
#include "common/logging.h"

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
  if (auto status = CheckNodeId(request->node_id()); !status.ok()) return ToGrpcStatus(status);
  ZoneFilter filter;
  if (!principal.admin && !principal.zones.empty()) {
    filter = [&principal](const std::string& zone) { return principal.CanWatchZone(zone); };
  }
  const ProxyKey node{principal.id, request->node_id()};
  proxies_.StreamOpened(node, principal.admin ? std::set<std::string>() : principal.zones);
  struct Closer {
    ProxyRegistry& proxies;
    const ProxyKey& node;
    ~Closer() { proxies.StreamClosed(node); }
  } closer{proxies_, node};

  // What the proxy rejected, by its own account and by its reports: not sent again until the
  // zone changes.
  std::map<std::string, uint64_t> rejected = proxies_.Rejected(node);
  for (const auto& [zone, version] : request->rejected_zones()) rejected[zone] = version;
  const std::map<std::string, uint64_t> held(request->held_zones().begin(),
                                             request->held_zones().end());

  std::shared_ptr<const PublishedState> state = publisher_.Current();
  // Versions compare within one lineage only. A proxy of another lineage (a file snapshot, a
  // new store), or one ahead of this control plane (the store was restored from an older
  // copy), gets the full snapshot, which it takes as a replacement.
  uint64_t held_version = request->held_version();
  if (held_version != 0 && request->held_lineage() != state->lineage) held_version = 0;
  if (held_version > state->version) {
    GH_LOG(WARNING) << "proxy " << ForLogLine(node.node_id, 128) << " serves snapshot "
                    << held_version << " of this store, which is only at " << state->version
                    << " (restored from an older copy?): sending it the full snapshot to "
                       "replace it";
    held_version = 0;
  }
  v1::SnapshotUpdate update;
  if (InitialUpdate(*state, held_version, held, rejected, filter, &update)) {
    if (!writer->Write(update)) return grpc::Status::OK;
  }
  uint64_t revocations = authenticator_.revocation_count();
  while (!context->IsCancelled()) {
    // Bounded waits, so a cancelled stream or a revocation is noticed promptly.
    auto next = publisher_.WaitNewerThan(state->version, std::chrono::milliseconds(250));
    // A revoked token's streams end within one wait, and before anything newer is sent: the
    // token authorised the stream, not just its first message.
    if (const uint64_t now = authenticator_.revocation_count(); now != revocations) {
      revocations = now;
      if (!Watcher(authenticator_, *context).ok()) {
        return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                            "the token of this stream was revoked");
      }
    }
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
  if (auto status = CheckNodeId(request->node_id()); !status.ok()) return ToGrpcStatus(status);
  // A token reports only on the proxies whose streams it opened, and only on its zones: the
  // same answer whether another fleet's node or zone exists or not.
  const ProxyKey node{caller->id, request->node_id()};
  if (!proxies_.Known(node)) {
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                        "this token has no Watch stream for node \"" + request->node_id() +
                            "\": a proxy reports on the stream it opened");
  }
  for (const auto& zone : request->zones()) {
    if (!caller->CanWatchZone(zone.zone())) {
      return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                          "this token may not report on zone \"" +
                              ForLogLine(zone.zone(), 256) + "\"");
    }
  }
  // Report text is the proxy's: bounded and escaped, so it cannot flood or forge log lines.
  const std::string name = ForLogLine(request->node_id(), 128);
  for (const auto& zone : request->zones()) {
    if (!zone.applied()) {
      GH_LOG(WARNING) << "proxy " << name << " rejected zone " << ForLogLine(zone.zone(), 256)
                      << " version " << zone.version() << ": "
                      << ForLogLine(zone.error(), ProxyRegistry::kMaxErrorBytes);
    }
  }
  if (!request->applied() && !request->error().empty()) {
    GH_LOG(WARNING) << "proxy " << name << " refused snapshot " << request->version() << ": "
                    << ForLogLine(request->error(), ProxyRegistry::kMaxErrorBytes);
  }
  proxies_.Report(node, *request);
  return grpc::Status::OK;
}

}  // namespace gatehouse::api
