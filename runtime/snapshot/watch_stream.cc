#include "runtime/snapshot/watch_stream.h"

#include <algorithm>
#include <utility>

#include "common/logging.h"
#include "grpcpp/grpcpp.h"
#include "schemas/api.grpc.pb.h"

namespace gatehouse::runtime {

WatchStream::WatchStream(Options options, std::shared_ptr<grpc::Channel> channel,
                         Delegate& delegate)
    : options_(std::move(options)),
      channel_(std::move(channel)),
      delegate_(delegate),
      backoff_(options_.initial_backoff, options_.max_backoff) {}

WatchStream::~WatchStream() { Stop(); }

void WatchStream::Start() { thread_ = std::thread([this] { Run(); }); }

void WatchStream::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    if (active_context_ != nullptr) active_context_->TryCancel();
  }
  if (thread_.joinable()) thread_.join();
}

void WatchStream::Run() {
  for (;;) {
    const auto started = std::chrono::steady_clock::now();
    WatchOnce();
    if (!AwaitRetry(backoff_.Next(std::chrono::steady_clock::now() - started))) return;
  }
}

bool WatchStream::AwaitRetry(std::chrono::milliseconds wait) {
  // Short slices, so a stopping proxy does not sit out the backoff.
  constexpr auto kPollSlice = std::chrono::milliseconds(50);
  const auto deadline = std::chrono::system_clock::now() + wait;
  // A stream that failed on a connected channel (refused by the server) waits out its backoff.
  const bool was_ready = channel_->GetState(false) == GRPC_CHANNEL_READY;
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return false;
    }
    const auto now = std::chrono::system_clock::now();
    if (now >= deadline) return true;
    const grpc_connectivity_state state = channel_->GetState(/*try_to_connect=*/true);
    if (state == GRPC_CHANNEL_READY && !was_ready) return true;
    channel_->WaitForStateChange(state, std::min(deadline, now + kPollSlice));
  }
}

void WatchStream::WatchOnce() {
  grpc::ClientContext context;
  if (!options_.token.empty()) context.AddMetadata("authorization", "Bearer " + options_.token);
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    active_context_ = &context;
  }
  api::v1::WatchRequest request;
  delegate_.FillRequest(request);
  auto stub = api::v1::SnapshotService::NewStub(channel_);
  auto reader = stub->Watch(&context, request);
  api::v1::SnapshotUpdate update;
  while (reader->Read(&update)) delegate_.OnUpdate(update);
  const grpc::Status status = reader->Finish();
  std::lock_guard lock(mutex_);
  active_context_ = nullptr;
  if (!stopping_ && !status.ok()) {
    GH_LOG(WARNING) << "control plane " << options_.address << ": " << status.error_message();
  }
}

}  // namespace gatehouse::runtime
