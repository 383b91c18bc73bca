#include "api/compile_scheduler.h"

#include <algorithm>

namespace gatehouse::api {

CompileScheduler::CompileScheduler(Options options) : options_(options) {
  const int threads = std::max(1, options_.threads);
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Work(); });
}

CompileScheduler::~CompileScheduler() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  work_.notify_all();
  for (std::thread& thread : threads_) thread.join();
}

absl::Status CompileScheduler::Run(const std::string& tenant, const std::function<void()>& job,
                                   const std::function<bool()>& abandoned) {
  Job entry{&job, abandoned ? &abandoned : nullptr};
  std::unique_lock lock(mutex_);
  Tenant& queue = tenants_[tenant];
  if (queue.queue.size() >= options_.max_queued_per_tenant) {
    return absl::ResourceExhaustedError(
        "this token already has " + std::to_string(queue.queue.size()) +
        " configs waiting to compile; retry when they are done");
  }
  entry.enqueued = ++sequence_;
  queue.queue.push_back(&entry);
  ++queued_;
  work_.notify_one();
  finished_.wait(lock, [&] { return entry.done; });
  if (entry.cancelled) return absl::CancelledError("the caller gave up before the compile ran");
  return absl::OkStatus();
}

CompileScheduler::Job* CompileScheduler::TakeLocked() {
  Tenant* next = nullptr;
  for (auto& [name, tenant] : tenants_) {
    if (tenant.queue.empty()) continue;
    // Served least recently first; between equals, the older job.
    if (next == nullptr || tenant.last_served < next->last_served ||
        (tenant.last_served == next->last_served &&
         tenant.queue.front()->enqueued < next->queue.front()->enqueued)) {
      next = &tenant;
    }
  }
  if (next == nullptr) return nullptr;
  Job* job = next->queue.front();
  next->queue.erase(next->queue.begin());
  next->last_served = ++sequence_;
  --queued_;
  return job;
}

void CompileScheduler::Work() {
  std::unique_lock lock(mutex_);
  while (true) {
    work_.wait(lock, [&] { return stopping_ || queued_ > 0; });
    Job* job = TakeLocked();
    if (job == nullptr) {
      if (stopping_) return;
      continue;
    }
    lock.unlock();
    const bool cancelled = job->abandoned != nullptr && (*job->abandoned)();
    if (!cancelled) (*job->run)();
    lock.lock();
    job->cancelled = cancelled;
    job->done = true;
    finished_.notify_all();
  }
}

}  // namespace gatehouse::api
