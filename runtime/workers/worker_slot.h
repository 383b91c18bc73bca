#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <utility>

#include "runtime/workers/workers.h"

namespace gatehouse::runtime {

// One value of type T per worker, which each worker reads as its own without a lock, and which
// is changed only on that worker's thread, by tasks posted to it (as Envoy's thread-local
// slots, runOnAllThreads(cb, complete_cb)). A change reaches every worker in the order changes
// were made; the caller learns when the last worker has it, which is when "every worker uses
// it" is true (a snapshot is reported applied only then).
//
// The slot must outlive the tasks it posted: destroy it only once its workers stopped.
template <typename T>
class WorkerSlot {
 public:
  // Called once every worker has the change, on the thread of the last worker to switch: it
  // must only hand the news on (signal a waiter, post a task), never block the worker.
  using Completion = std::function<void()>;

  // Every worker starts with its own default-made T (which need not be copyable: the rules'
  // scratch is not).
  explicit WorkerSlot(Workers& workers)
      : workers_(workers),
        size_(workers.size()),
        entries_(std::make_unique<Entry[]>(size_)) {}
  // Every worker starts with a copy of `initial`.
  WorkerSlot(Workers& workers, const T& initial) : WorkerSlot(workers) {
    for (size_t i = 0; i < size_; ++i) entries_[i].value = initial;
  }
  WorkerSlot(const WorkerSlot&) = delete;
  WorkerSlot& operator=(const WorkerSlot&) = delete;

  // Gives every worker its own copy of `value`, set on that worker's thread; then
  // `on_all_applied` (may be empty).
  void Set(T value, Completion on_all_applied = {}) {
    auto shared = std::make_shared<const T>(std::move(value));
    RunOnEach([shared](T& mine) { mine = *shared; }, std::move(on_all_applied));
  }

  // Runs `update` on each worker's value, on that worker's thread (a reset of scratch state, a
  // merge of a shard); then `on_all_applied` (may be empty).
  void RunOnEach(std::function<void(T&)> update, Completion on_all_applied = {}) {
    if (size_ == 0) {
      if (on_all_applied) on_all_applied();
      return;
    }
    auto pending = std::make_shared<Pending>(size_, std::move(update), std::move(on_all_applied));
    for (size_t i = 0; i < size_; ++i) {
      workers_.Post(i, [this, i, pending] {
        pending->update(entries_[i].value);
        // acq_rel: the last worker to count down sees every other worker's change happen
        // before it, and so does whoever its completion signals.
        if (pending->left.fetch_sub(1, std::memory_order_acq_rel) == 1 && pending->complete) {
          pending->complete();
        }
      });
    }
  }

  // Worker `index`'s value. Only on that worker's thread, or while no worker runs.
  T& Get(size_t index) { return entries_[index].value; }
  const T& Get(size_t index) const { return entries_[index].value; }

  size_t size() const { return size_; }

 private:
  // A cache line each, so one worker's writes never slow another's reads.
  struct alignas(64) Entry {
    T value;
  };
  struct Pending {
    Pending(size_t count, std::function<void(T&)> update, Completion complete)
        : left(count), update(std::move(update)), complete(std::move(complete)) {}
    std::atomic<size_t> left;
    const std::function<void(T&)> update;
    const Completion complete;
  };

  Workers& workers_;
  const size_t size_;
  const std::unique_ptr<Entry[]> entries_;
};

}  // namespace gatehouse::runtime
