#include "runtime/snapshot/control_plane_watcher.h"

#include <chrono>
#include <cstdio>
#include <random>

#include "grpcpp/grpcpp.h"
#include "schemas/api.grpc.pb.h"

namespace gatehouse::runtime {

struct ControlPlaneWatcher::Stubs {
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<api::v1::SnapshotService::Stub> snapshots;
};

ControlPlaneWatcher::ControlPlaneWatcher(Options options, SnapshotStore& store,
                                         AppliedCallback on_applied)
    : options_(std::move(options)), store_(store), on_applied_(std::move(on_applied)) {
  stubs_ = std::make_unique<Stubs>();
  stubs_->channel = grpc::CreateChannel(options_.address, grpc::InsecureChannelCredentials());
  stubs_->snapshots = api::v1::SnapshotService::NewStub(stubs_->channel);
}

ControlPlaneWatcher::~ControlPlaneWatcher() { Stop(); }

void ControlPlaneWatcher::Start() { thread_ = std::thread([this] { Run(); }); }

void ControlPlaneWatcher::Stop() {
  stopping_ = true;
  {
    std::lock_guard lock(context_mutex_);
    if (active_context_ != nullptr) active_context_->TryCancel();
  }
  if (thread_.joinable()) thread_.join();
}

void ControlPlaneWatcher::Run() {
  std::mt19937 random(std::random_device{}());
  int backoff_ms = options_.initial_backoff_ms;
  while (!stopping_) {
    const auto started = std::chrono::steady_clock::now();
    WatchOnce();
    if (stopping_) break;
    // A stream that lived a while was healthy: start the backoff over.
    if (std::chrono::steady_clock::now() - started > std::chrono::seconds(10)) {
      backoff_ms = options_.initial_backoff_ms;
    }
    // Full jitter, so a fleet of proxies does not reconnect in lockstep.
    const int sleep_ms = std::uniform_int_distribution<int>(backoff_ms / 2, backoff_ms)(random);
    for (int slept = 0; slept < sleep_ms && !stopping_; slept += 10) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    backoff_ms = std::min(backoff_ms * 2, options_.max_backoff_ms);
  }
}

void ControlPlaneWatcher::WatchOnce() {
  grpc::ClientContext context;
  if (!options_.token.empty()) context.AddMetadata("authorization", "Bearer " + options_.token);
  {
    std::lock_guard lock(context_mutex_);
    if (stopping_) return;
    active_context_ = &context;
  }
  api::v1::WatchRequest request;
  request.set_node_id(options_.node_id);
  const auto current = store_.Current();
  request.set_held_version(current == nullptr ? 0 : current->version());
  auto reader = stubs_->snapshots->Watch(&context, request);
  api::v1::SnapshotUpdate update;
  while (reader->Read(&update)) Apply(update.snapshot());
  const grpc::Status status = reader->Finish();
  if (!stopping_ && !status.ok()) {
    std::fprintf(stderr, "proxy: control plane %s: %s\n", options_.address.c_str(),
                 status.error_message().c_str());
  }
  std::lock_guard lock(context_mutex_);
  active_context_ = nullptr;
}

void ControlPlaneWatcher::Apply(const snapshot::v1::Snapshot& snapshot) {
  const auto previous = store_.Current();
  auto linked = LinkedSnapshot::Link(snapshot, previous.get());
  api::v1::ApplyReport report;
  report.set_node_id(options_.node_id);
  report.set_version(snapshot.version());
  if (!linked.ok()) {
    report.set_error(std::string(linked.status().message()));
    std::fprintf(stderr, "proxy: snapshot %llu rejected, still serving the last good one: %s\n",
                 static_cast<unsigned long long>(snapshot.version()), report.error().c_str());
  } else if (!store_.Swap(*std::move(linked))) {
    report.set_error("older than the snapshot being served");
  } else {
    report.set_applied(true);
    if (on_applied_) on_applied_(snapshot);
  }
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  if (!options_.token.empty()) context.AddMetadata("authorization", "Bearer " + options_.token);
  api::v1::ApplyReportResponse response;
  // Best effort: a lost report is repeated by the next snapshot's.
  (void)stubs_->snapshots->ReportApplied(&context, report, &response);
}

}  // namespace gatehouse::runtime
