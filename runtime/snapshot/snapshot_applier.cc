#include "runtime/snapshot/snapshot_applier.h"

#include <utility>
#include <vector>

#include "common/logging.h"
#include "schemas/api.pb.h"

namespace gatehouse::runtime {

SnapshotApplier::SnapshotApplier(std::string node_id, SnapshotStore& store,
                                 ApplyReporter& reporter, ServedListener on_served)
    : node_id_(std::move(node_id)),
      store_(store),
      reporter_(reporter),
      on_served_(std::move(on_served)) {}

void SnapshotApplier::FillRequest(api::v1::WatchRequest& request, bool ask_full) const {
  request.set_node_id(node_id_);
  const auto current = store_.Current();
  if (current != nullptr && !ask_full) {
    request.set_held_version(current->version());
    request.set_held_lineage(current->lineage());
    for (const auto& [name, zone] : current->zones()) {
      (*request.mutable_held_zones())[name] = zone->version;
    }
    for (const auto& [id, ruleset] : current->managed_rulesets().entries()) {
      (*request.mutable_held_managed_rulesets())[id] = ruleset.digest;
    }
    for (const auto& [name, list] : current->lists()) {
      (*request.mutable_held_lists())[name] = list->version;
    }
  }
  for (const auto& [name, version] : rejected_) {
    (*request.mutable_rejected_zones())[name] = version;
  }
}

void SnapshotApplier::Cancel() {
  {
    std::lock_guard lock(signal_->mutex);
    signal_->cancelled = true;
  }
  signal_->cv.notify_all();
}

bool SnapshotApplier::WaitServed(const std::shared_ptr<bool>& served) {
  std::unique_lock lock(signal_->mutex);
  signal_->cv.wait(lock, [&] { return *served || signal_->cancelled; });
  return *served;
}

void SnapshotApplier::Apply(const api::v1::SnapshotUpdate& update) {
  const auto previous = store_.Current();
  api::v1::ApplyReport report;
  report.set_node_id(node_id_);
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
                                       update.changed_zones(), update.removed_zones(), &outcomes,
                                       update.changed_lists(), update.removed_lists());
  }
  // Set (under the signal's lock) by the last worker to switch to `linked`.
  auto served = std::make_shared<bool>(false);
  auto on_served = [signal = signal_, served] {
    {
      std::lock_guard lock(signal->mutex);
      *served = true;
    }
    signal->cv.notify_all();
  };
  // A full snapshot is the control plane's whole state: it replaces what is served even when
  // behind it (a store restored from an older copy). A delta never goes back.
  if (linked != nullptr &&
      !store_.Swap(linked, /*replace=*/update.has_snapshot(), std::move(on_served))) {
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
    // Applied means served by every worker: until the last one switched, some response may
    // still come from the snapshot before.
    if (!WaitServed(served)) return;
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
  reporter_.Report(report);
  if (linked != nullptr && on_served_) on_served_(update, *linked);
}

}  // namespace gatehouse::runtime
