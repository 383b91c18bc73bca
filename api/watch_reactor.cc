#include "api/watch_reactor.h"

#include <set>
#include <utility>

#include "api/grpc_util.h"
#include "common/log_text.h"
#include "common/logging.h"

namespace gatehouse::api {

absl::StatusOr<Principal> AuthenticateWatcher(const Authenticator& authenticator,
                                              const grpc::ServerContextBase& context) {
  auto principal = AuthenticateCall(authenticator, context);
  if (!principal.ok()) return principal.status();
  if (!principal->CanWatch()) {
    return absl::PermissionDeniedError("only node tokens may watch snapshots");
  }
  return principal;
}

grpc::ServerWriteReactor<v1::SnapshotUpdate>* WatchReactor::Start(
    const Deps& deps, grpc::CallbackServerContext* context, const v1::WatchRequest& request,
    Principal principal) {
  ProxyKey node{principal.id, request.node_id()};
  // Before any write: the stream's end (OnDone) always comes after.
  deps.proxies.StreamOpened(node, principal.admin ? std::set<std::string>() : principal.zones);
  auto reactor =
      std::make_shared<WatchReactor>(deps, context, std::move(principal), std::move(node));
  reactor->self_ = reactor;
  deps.hub.Add(reactor);
  reactor->Begin(request);
  return reactor.get();
}

WatchReactor::WatchReactor(const Deps& deps, grpc::CallbackServerContext* context,
                           Principal principal, ProxyKey node)
    : deps_(deps), context_(context), principal_(std::move(principal)), node_(std::move(node)) {
  if (!principal_.admin && !principal_.zones.empty()) {
    filter_ = [this](const std::string& zone) { return principal_.CanWatchZone(zone); };
  }
}

bool WatchReactor::CaughtUp(const v1::WatchRequest& request) const {
  const auto current = deps_.publisher.Current();
  return request.held_version() <= current->version || request.held_lineage() != current->lineage ||
         deps_.publisher.shut_down();
}

void WatchReactor::Begin(const v1::WatchRequest& request) {
  if (deps_.catch_up.count() <= 0 || CaughtUp(request)) return SendFirst(request);
  // Replicas of one store publish the same versions, each a moment after the store has them: a
  // proxy that failed over may hold a snapshot this replica has not published yet. Waiting a
  // moment for it beats sending an older full snapshot that would take the proxy back. No
  // thread waits: a publish (Wake) or, at the latest, the alarm sends the first update.
  {
    std::lock_guard lock(mutex_);
    waiting_ = request;
  }
  std::weak_ptr<WatchReactor> weak = self_;
  catch_up_alarm_.Set(std::chrono::system_clock::now() + deps_.catch_up, [weak](bool) {
    if (auto self = weak.lock()) self->EndWaiting(/*deadline_passed=*/true);
  });
  EndWaiting(/*deadline_passed=*/false);  // published meanwhile
}

void WatchReactor::EndWaiting(bool deadline_passed) {
  std::unique_lock lock(mutex_);
  if (!waiting_.has_value() || finished_) return;
  if (!deadline_passed && !CaughtUp(*waiting_)) return;
  const v1::WatchRequest request = *std::move(waiting_);
  waiting_.reset();
  lock.unlock();
  SendFirst(request);
}

void WatchReactor::SendFirst(const v1::WatchRequest& request) {
  // What the proxy rejected, by its own account and by its reports: not sent again until the
  // zone changes.
  std::map<std::string, uint64_t> rejected = deps_.proxies.Rejected(node_);
  for (const auto& [zone, version] : request.rejected_zones()) rejected[zone] = version;
  const std::map<std::string, uint64_t> held(request.held_zones().begin(),
                                             request.held_zones().end());
  std::unique_lock lock(mutex_);
  if (finished_) return;  // cancelled already
  // Read before the first look at the publisher: a revocation from here on is seen.
  revocations_ = deps_.authenticator.revocation_count();
  state_ = deps_.publisher.Current();
  // Versions compare within one lineage only. A proxy of another lineage (a file snapshot, a
  // new store), or one ahead of this control plane (the store was restored from an older
  // copy), gets the full snapshot, which it takes as a replacement.
  uint64_t held_version = request.held_version();
  if (held_version != 0 && request.held_lineage() != state_->lineage) held_version = 0;
  if (held_version > state_->version) {
    GH_LOG(WARNING) << "proxy " << ForLogLine(node_.node_id, 128) << " serves snapshot "
                    << held_version << " of this store, which is only at " << state_->version
                    << " (restored from an older copy?): sending it the full snapshot to "
                       "replace it";
    held_version = 0;
  }
  const std::map<std::string, std::string> held_managed(request.held_managed_rulesets().begin(),
                                                        request.held_managed_rulesets().end());
  const std::map<std::string, uint64_t> held_lists(request.held_lists().begin(),
                                                   request.held_lists().end());
  if (InitialUpdate(*state_, held_version, held, rejected, filter_, &update_, held_managed,
                    &visible_buckets_, held_lists)) {
    writing_ = true;
    lock.unlock();
    StartWrite(&update_);
    return;  // its completion looks for anything newer
  }
  lock.unlock();
  Next();
}

void WatchReactor::Wake() { Next(); }

void WatchReactor::Next() {
  std::unique_lock lock(mutex_);
  if (waiting_.has_value()) {
    lock.unlock();
    return EndWaiting(/*deadline_passed=*/false);
  }
  // Before the first update (Begin's) there is nothing to send a delta from.
  if (finished_ || writing_ || state_ == nullptr) return;
  if (cancelled_) return FinishOnce(lock, grpc::Status::CANCELLED);
  // Before anything newer is sent, a revocation since the last look re-checks the token.
  if (const uint64_t now = deps_.authenticator.revocation_count(); now != revocations_) {
    revocations_ = now;
    if (!AuthenticateWatcher(deps_.authenticator, *context_).ok()) {
      return FinishOnce(lock, grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                                           "the token of this stream was revoked"));
    }
  }
  if (deps_.publisher.shut_down()) return FinishOnce(lock, grpc::Status::OK);
  auto next = deps_.publisher.Current();
  if (next->version <= state_->version) return;
  const bool changed = DeltaUpdate(*state_, *next, filter_, &update_, &visible_buckets_);
  state_ = std::move(next);
  if (!changed) return;  // nothing in this proxy's zones
  writing_ = true;
  lock.unlock();
  StartWrite(&update_);
}

void WatchReactor::OnWriteDone(bool ok) {
  std::unique_lock lock(mutex_);
  writing_ = false;
  // The proxy went away.
  if (!ok) return FinishOnce(lock, grpc::Status::OK);
  lock.unlock();
  Next();
}

void WatchReactor::OnCancel() {
  std::unique_lock lock(mutex_);
  cancelled_ = true;
  // With a write in flight, its (failed) completion finishes the stream.
  if (!writing_) FinishOnce(lock, grpc::Status::CANCELLED);
}

void WatchReactor::OnDone() {
  // gRPC runs OnDone after every other callback; taking the lock makes that order visible to
  // ThreadSanitizer too (gRPC's own hand-over is not instrumented).
  { std::lock_guard lock(mutex_); }
  deps_.hub.Remove(this);
  deps_.proxies.StreamClosed(node_);
  // The last reference may be a waker's, which releases it after its Wake returns.
  std::shared_ptr<WatchReactor> self = std::move(self_);
}

void WatchReactor::FinishOnce(std::unique_lock<std::mutex>& lock, grpc::Status status) {
  if (finished_) return;
  finished_ = true;
  lock.unlock();
  Finish(std::move(status));
}

}  // namespace gatehouse::api
