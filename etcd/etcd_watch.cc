#include "etcd/etcd_watch.h"

#include <random>
#include <utility>

#include "common/logging.h"
#include "grpcpp/grpcpp.h"

namespace gatehouse::etcd {

PrefixWatch::PrefixWatch(const Client& client, std::string prefix, int64_t start_revision,
                         OnEvents on_events, Resync resync)
    : client_(client),
      prefix_(std::move(prefix)),
      next_revision_(start_revision),
      on_events_(std::move(on_events)),
      resync_(std::move(resync)) {}

PrefixWatch::~PrefixWatch() { Stop(); }

void PrefixWatch::Start() {
  thread_ = std::thread([this] { Run(); });
}

void PrefixWatch::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    if (active_context_ != nullptr) active_context_->TryCancel();
  }
  stop_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void PrefixWatch::Run() {
  std::mt19937 random(std::random_device{}());
  int backoff_ms = 50;
  while (true) {
    const auto started = std::chrono::steady_clock::now();
    if (!WatchOnce()) return;
    // A stream that lived a while was healthy: start the backoff over.
    if (std::chrono::steady_clock::now() - started > std::chrono::seconds(5)) backoff_ms = 50;
    // Full jitter, so the replicas do not reconnect in lockstep.
    const int wait_ms = std::uniform_int_distribution<int>(backoff_ms / 2, backoff_ms)(random);
    backoff_ms = std::min(backoff_ms * 2, 1000);
    std::unique_lock lock(mutex_);
    if (stop_cv_.wait_for(lock, std::chrono::milliseconds(wait_ms), [&] { return stopping_; })) {
      return;
    }
  }
}

bool PrefixWatch::WatchOnce() {
  size_t member = 0;
  auto stub = etcdserverpb::Watch::NewStub(client_.Channel(&member));
  grpc::ClientContext context;
  client_.PrepareStream(&context);
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return false;
    active_context_ = &context;
  }
  auto stream = stub->Watch(&context);
  etcdserverpb::WatchRequest request;
  auto* create = request.mutable_create_request();
  create->set_key(prefix_);
  create->set_range_end(PrefixEnd(prefix_));
  create->set_start_revision(next_revision_);
  bool compacted = false;
  std::string cancel_reason;
  if (stream->Write(request)) {
    etcdserverpb::WatchResponse response;
    while (stream->Read(&response)) {
      if (response.compact_revision() > 0) {
        compacted = true;
        cancel_reason =
            "etcd compacted the revisions up to " + std::to_string(response.compact_revision());
        break;
      }
      if (response.canceled()) {
        cancel_reason = "etcd cancelled the watch: " + response.cancel_reason();
        break;
      }
      if (response.events_size() == 0) continue;
      on_events_(response.events());
      next_revision_ = response.events(response.events_size() - 1).kv().mod_revision() + 1;
    }
  }
  context.TryCancel();
  const grpc::Status status = stream->Finish();
  {
    std::lock_guard lock(mutex_);
    active_context_ = nullptr;
    if (stopping_) return false;
  }
  if (compacted) {
    // The changes in between are gone: the state they led to is read instead.
    auto resynced = resync_();
    if (!resynced.ok()) {
      GH_LOG(ERROR) << "etcd watch of " << prefix_ << ": " << cancel_reason
                    << "; reloading the state failed (" << resynced.status().message()
                    << "), trying again";
      return true;
    }
    GH_LOG(WARNING) << "etcd watch of " << prefix_ << ": " << cancel_reason << " (it needed "
                    << next_revision_ << "); reloaded the state at revision " << *resynced
                    << " and following from there";
    next_revision_ = *resynced + 1;
    return true;
  }
  GH_LOG(WARNING) << "etcd watch of " << prefix_ << " ended ("
                  << (cancel_reason.empty() ? status.error_message() : cancel_reason)
                  << "); resuming from revision " << next_revision_;
  client_.MemberFailed(member);
  return true;
}

}  // namespace gatehouse::etcd
