#include "runtime/snapshot/watch_stream.h"

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
  stop_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void WatchStream::Run() {
  for (;;) {
    const auto started = std::chrono::steady_clock::now();
    WatchOnce();
    const auto wait = backoff_.Next(std::chrono::steady_clock::now() - started);
    // A timed wait that Stop() interrupts: a stopping proxy does not sit out the backoff.
    std::unique_lock lock(mutex_);
    if (stop_cv_.wait_for(lock, wait, [this] { return stopping_; })) return;
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
