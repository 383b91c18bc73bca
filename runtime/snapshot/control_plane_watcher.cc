#include "runtime/snapshot/control_plane_watcher.h"

#include <chrono>
#include <utility>

#include "grpcpp/grpcpp.h"
#include "runtime/snapshot/served_snapshot_persister.h"
#include "runtime/snapshot/snapshot_applier.h"
#include "runtime/snapshot/watch_stream.h"
#include "schemas/api.grpc.pb.h"

namespace gatehouse::runtime {
namespace {

// What one attempt to connect to the control plane may take: gRPC's own default.
constexpr int kConnectAttemptTimeoutMs = 20000;

}  // namespace

// Reports over the control plane's channel, one call at a time, in apply order.
class ControlPlaneWatcher::Reporter final : public ApplyReporter {
 public:
  Reporter(const std::shared_ptr<grpc::Channel>& channel, std::string token)
      : stub_(api::v1::SnapshotService::NewStub(channel)), token_(std::move(token)) {}

  void Report(const api::v1::ApplyReport& report) override {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    if (!token_.empty()) context.AddMetadata("authorization", "Bearer " + token_);
    api::v1::ApplyReportResponse response;
    (void)stub_->ReportApplied(&context, report, &response);
  }

 private:
  const std::unique_ptr<api::v1::SnapshotService::Stub> stub_;
  const std::string token_;
};

class ControlPlaneWatcher::StreamDelegate final : public WatchStream::Delegate {
 public:
  StreamDelegate(SnapshotApplier& applier, const ServedSnapshotPersister* persister)
      : applier_(applier), persister_(persister) {}

  void FillRequest(api::v1::WatchRequest& request) override {
    // The persister needs every served zone's config; until this process has had a full
    // snapshot (the store may hold one loaded from disk) it asks for one instead of a delta.
    applier_.FillRequest(request, persister_ != nullptr && !persister_->has_full());
  }
  void OnUpdate(const api::v1::SnapshotUpdate& update) override { applier_.Apply(update); }

 private:
  SnapshotApplier& applier_;
  const ServedSnapshotPersister* const persister_;
};

ControlPlaneWatcher::ControlPlaneWatcher(Options options, SnapshotStore& store,
                                         AppliedCallback on_applied)
    : options_(std::move(options)) {
  grpc::ChannelArguments args;
  // A full snapshot of many zones is far larger than gRPC's default 4 MB message limit.
  args.SetMaxReceiveMessageSize(-1);
  // gRPC's own reconnection backoff grows to 120 s: a control plane back after a few seconds
  // would then wait that long for the proxy. Capped at the watch stream's own backoff instead.
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, options_.initial_backoff_ms);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, options_.max_backoff_ms);
  // Despite its name, gRPC takes this as the least time one connection attempt (TCP, TLS
  // handshake, HTTP/2 SETTINGS) is given. At the initial backoff's 100 ms, a TLS handshake on a
  // busy host or a distant control plane was cut off attempt after attempt.
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, kConnectAttemptTimeoutMs);
  channel_ = grpc::CreateCustomChannel(
      options_.address,
      options_.credentials != nullptr ? options_.credentials : grpc::InsecureChannelCredentials(),
      args);
  reporter_ = std::make_unique<Reporter>(channel_, options_.token);
  SnapshotApplier::ServedListener on_served;
  if (on_applied) {
    persister_ = std::make_unique<ServedSnapshotPersister>(std::move(on_applied));
    on_served = [persister = persister_.get()](const api::v1::SnapshotUpdate& update,
                                                const LinkedSnapshot& served) {
      persister->OnServed(update, served);
    };
  }
  applier_ = std::make_unique<SnapshotApplier>(options_.node_id, store, *reporter_,
                                               std::move(on_served));
  delegate_ = std::make_unique<StreamDelegate>(*applier_, persister_.get());
  stream_ = std::make_unique<WatchStream>(
      WatchStream::Options{options_.address, options_.token,
                           std::chrono::milliseconds(options_.initial_backoff_ms),
                           std::chrono::milliseconds(options_.max_backoff_ms)},
      channel_, *delegate_);
}

ControlPlaneWatcher::~ControlPlaneWatcher() { Stop(); }

void ControlPlaneWatcher::Start() { stream_->Start(); }

void ControlPlaneWatcher::Stop() {
  // An update may be waiting for workers that have stopped: end that wait first.
  applier_->Cancel();
  stream_->Stop();
}

}  // namespace gatehouse::runtime
