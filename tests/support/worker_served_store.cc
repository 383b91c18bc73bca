#include "tests/support/worker_served_store.h"

#include <future>
#include <utility>

namespace gatehouse::testing {

WorkerServedStore::WorkerServedStore(size_t workers) : workers_(workers), slot_(workers_) {
  subscription_ = store_.Subscribe(
      [this](const std::shared_ptr<const runtime::LinkedSnapshot>& snapshot,
             runtime::SnapshotStore::Done done) { slot_.Set(snapshot, std::move(done)); });
}

WorkerServedStore::~WorkerServedStore() {
  store_.Unsubscribe(subscription_);
  workers_.Stop();
}

BusyWorker::BusyWorker(runtime::Workers& workers, size_t index) {
  std::promise<void> entered;
  workers.Post(index, [gate = gate_, &entered] {
    entered.set_value();
    std::unique_lock lock(gate->mutex);
    gate->cv.wait(lock, [&gate] { return gate->released; });
  });
  entered.get_future().wait();
}

void BusyWorker::Release() {
  std::lock_guard lock(gate_->mutex);
  gate_->released = true;
  gate_->cv.notify_all();
}

}  // namespace gatehouse::testing
