#pragma once

#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>

#include "runtime/snapshot/snapshot_store.h"
#include "runtime/workers/worker_slot.h"
#include "runtime/workers/workers.h"

namespace gatehouse::testing {

// A SnapshotStore published to worker threads as the proxy's server publishes it: every swap is
// set on each worker's entry of a WorkerSlot, and the store counts it served only once every
// worker switched. For tests of what waits for "served" (the store, the applier).
class WorkerServedStore {
 public:
  using Slot = runtime::WorkerSlot<std::shared_ptr<const runtime::LinkedSnapshot>>;

  explicit WorkerServedStore(size_t workers = 3);
  ~WorkerServedStore();  // unsubscribes, then stops the workers
  WorkerServedStore(const WorkerServedStore&) = delete;
  WorkerServedStore& operator=(const WorkerServedStore&) = delete;

  runtime::SnapshotStore& store() { return store_; }
  runtime::WorkerThreads& workers() { return workers_; }
  // Each worker's snapshot; read it only once the workers stopped or the swap was served.
  const Slot& slot() const { return slot_; }

 private:
  runtime::SnapshotStore store_;
  runtime::WorkerThreads workers_;
  Slot slot_;
  int subscription_ = 0;
};

// Holds one worker busy, as a long request on it would, until released (or destroyed).
class BusyWorker {
 public:
  // Returns once the worker is busy.
  BusyWorker(runtime::Workers& workers, size_t index);
  ~BusyWorker() { Release(); }
  BusyWorker(const BusyWorker&) = delete;
  BusyWorker& operator=(const BusyWorker&) = delete;

  void Release();

 private:
  // Shared with the task on the worker, which may wake after this object is gone.
  struct Gate {
    std::mutex mutex;
    std::condition_variable cv;
    bool released = false;
  };
  const std::shared_ptr<Gate> gate_ = std::make_shared<Gate>();
};

}  // namespace gatehouse::testing
