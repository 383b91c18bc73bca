#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "runtime/snapshot/snapshot_store.h"

namespace gatehouse::api::v1 {
class ApplyReport;
class SnapshotUpdate;
class WatchRequest;
}  // namespace gatehouse::api::v1

namespace gatehouse::runtime {

// Tells the control plane what the proxy applied or rejected (ReportApplied).
class ApplyReporter {
 public:
  virtual ~ApplyReporter() = default;
  // Best effort: a lost report is made up for by the next Watch request's held and rejected
  // zones.
  virtual void Report(const api::v1::ApplyReport& report) = 0;
};

// Applies the control plane's updates: links each off the request path (a zone that cannot be
// linked is rejected alone; the others apply), swaps it in, and reports per zone what it
// applied or rejected. A swapped-in update is reported applied only once every worker serves it,
// so "applied" in the control plane means every response of the proxy comes from it.
class SnapshotApplier {
 public:
  // Called after an update is served and reported, with the update and the snapshot served.
  using ServedListener =
      std::function<void(const api::v1::SnapshotUpdate& update, const LinkedSnapshot& served)>;

  SnapshotApplier(std::string node_id, SnapshotStore& store, ApplyReporter& reporter,
                  ServedListener on_served = {});

  // What the next Watch asks for: the version and zones served (unless `ask_full`, which asks
  // for the full snapshot) and the zone versions rejected and not since replaced, so only what
  // changed is sent again.
  void FillRequest(api::v1::WatchRequest& request, bool ask_full) const;

  // Applies one update and reports it; returns once it is reported (or cancelled while waiting
  // for the workers). One caller at a time.
  void Apply(const api::v1::SnapshotUpdate& update);

  // Ends the wait for the workers in progress, and every later one, without a report: the proxy
  // is stopping (its workers may already have).
  void Cancel();

 private:
  // Waits until `served` is set or the applier is cancelled; returns whether served.
  bool WaitServed(const std::shared_ptr<bool>& served);

  const std::string node_id_;
  SnapshotStore& store_;
  ApplyReporter& reporter_;
  const ServedListener on_served_;
  // Zone versions rejected and not since replaced. Apply's and FillRequest's caller only.
  std::map<std::string, uint64_t> rejected_;
  // The workers' completion signals the waiting Apply. Shared with the completion, which may
  // run after the applier is gone.
  struct Signal {
    std::mutex mutex;
    std::condition_variable cv;
    bool cancelled = false;
  };
  const std::shared_ptr<Signal> signal_ = std::make_shared<Signal>();
};

}  // namespace gatehouse::runtime
