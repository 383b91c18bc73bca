#include "runtime/snapshot/control_plane_watcher.h"

#include <chrono>
#include <cstdio>
#include <random>

#include "common/logging.h"
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
  grpc::ChannelArguments args;
  // A full snapshot of many zones is far larger than gRPC's default 4 MB message limit.
  args.SetMaxReceiveMessageSize(-1);
  stubs_->channel = grpc::CreateCustomChannel(options_.address,
                                              grpc::InsecureChannelCredentials(), args);
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
  // The callback needs every served zone's config; until this process has had a full snapshot
  // (the store may hold one loaded from disk) it asks for one instead of a delta.
  if (current != nullptr && (!on_applied_ || have_full_)) {
    request.set_held_version(current->version());
    request.set_held_lineage(current->lineage());
    for (const auto& [name, zone] : current->zones()) {
      (*request.mutable_held_zones())[name] = zone.version;
    }
  }
  for (const auto& [name, version] : rejected_) (*request.mutable_rejected_zones())[name] = version;
  auto reader = stubs_->snapshots->Watch(&context, request);
  api::v1::SnapshotUpdate update;
  while (reader->Read(&update)) Apply(update);
  const grpc::Status status = reader->Finish();
  if (!stopping_ && !status.ok()) {
    GH_LOG(WARNING) << "control plane " << options_.address << ": " << status.error_message();
  }
  std::lock_guard lock(context_mutex_);
  active_context_ = nullptr;
}

void ControlPlaneWatcher::Apply(const api::v1::SnapshotUpdate& update) {
  const auto previous = store_.Current();
  api::v1::ApplyReport report;
  report.set_node_id(options_.node_id);
  std::vector<ZoneOutcome> outcomes;
  std::shared_ptr<const LinkedSnapshot> linked;
  if (update.has_snapshot()) {
    report.set_version(update.snapshot().version());
    auto full = LinkedSnapshot::Link(update.snapshot(), previous.get(), &outcomes);
    if (full.ok()) {
      linked = *std::move(full);
    } else {
      report.set_error(std::string(full.status().message()));
      store_.NoteRefused(report.error());
    }
  } else {
    report.set_version(update.version());
    linked = LinkedSnapshot::LinkDelta(update.version(), update.lineage(), previous.get(),
                                       update.changed_zones(), update.removed_zones(), &outcomes);
  }
  // A full snapshot is the control plane's whole state: it replaces what is served even when
  // behind it (a store restored from an older copy). A delta never goes back.
  if (linked != nullptr && !store_.Swap(linked, /*replace=*/update.has_snapshot())) {
    report.set_error(store_.refusals().last);
    linked = nullptr;
  }
  if (linked == nullptr) {
    GH_LOG(WARNING) << "snapshot " << report.version() << " refused, "
                    << ServingNote(previous.get()) << ": " << report.error();
    for (auto& outcome : outcomes) {
      outcome.applied = false;
      if (outcome.error.empty()) outcome.error = report.error();
    }
  } else {
    report.set_applied(true);
  }
  for (const ZoneOutcome& outcome : outcomes) {
    api::v1::ZoneApplyResult* result = report.add_zones();
    result->set_zone(outcome.zone);
    result->set_version(outcome.version);
    result->set_applied(outcome.applied);
    result->set_removed(outcome.removed);
    result->set_error(outcome.error);
    if (outcome.applied) {
      rejected_.erase(outcome.zone);
    } else {
      rejected_[outcome.zone] = outcome.version;
      GH_LOG(WARNING) << "zone " << outcome.zone << " version " << outcome.version
                      << " rejected, keeping its last good version: " << outcome.error;
    }
  }
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  if (!options_.token.empty()) context.AddMetadata("authorization", "Bearer " + options_.token);
  api::v1::ApplyReportResponse response;
  // Best effort: on a lost report the control plane still learns the proxy's state from the
  // held and rejected zones of its next Watch.
  (void)stubs_->snapshots->ReportApplied(&context, report, &response);

  if (linked != nullptr && on_applied_) {
    // Keep the proto of each served zone so the callback sees the whole served snapshot.
    if (update.has_snapshot()) {
      served_.clear();
      have_full_ = true;
    }
    for (const std::string& name : update.removed_zones()) served_.erase(name);
    const auto& zones = update.has_snapshot() ? update.snapshot().zones() : update.changed_zones();
    for (const auto& zone : zones) {
      const auto it = linked->zones().find(zone.zone());
      if (it != linked->zones().end() && it->second.version == zone.version()) {
        served_[zone.zone()] = zone;
      }
    }
    snapshot::v1::Snapshot whole;
    whole.set_format(snapshot::v1::FORMAT_VERSION_1);
    whole.set_version(linked->version());
    whole.set_lineage(linked->lineage());
    whole.set_content_hash(linked->content_hash());
    for (const auto& [name, zone] : served_) *whole.add_zones() = zone;
    on_applied_(whole);
  }
}

}  // namespace gatehouse::runtime
