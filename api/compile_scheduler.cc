#include "api/compile_scheduler.h"

#include <algorithm>

namespace gatehouse::api {

CompileScheduler::CompileScheduler(Options options)
    : options_(options),
      max_running_per_tenant_(MaxRunningPerTenant(std::max(1, options.threads))) {
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
  std::unique_lock lock(mutex_);
  Tenant& queue = tenants_[tenant];
  Job entry{&job, abandoned ? &abandoned : nullptr};
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

CompileScheduler::Tenant* CompileScheduler::NextLocked() {
  Tenant* next = nullptr;
  for (auto& [name, tenant] : tenants_) {
    if (tenant.queue.empty() || tenant.running >= max_running_per_tenant_) continue;
    // Served least recently first; between equals, the older job.
    if (next == nullptr || tenant.last_served < next->last_served ||
        (tenant.last_served == next->last_served &&
         tenant.queue.front()->enqueued < next->queue.front()->enqueued)) {
      next = &tenant;
    }
  }
  return next;
}

void CompileScheduler::Work() {
  std::unique_lock lock(mutex_);
  while (true) {
    Tenant* tenant = nullptr;
    // Stopping waits for the queue to drain: every caller gets its answer.
    work_.wait(lock, [&] {
      tenant = NextLocked();
      return tenant != nullptr || (stopping_ && queued_ == 0);
    });
    if (tenant == nullptr) return;
    Job* job = tenant->queue.front();
    tenant->queue.erase(tenant->queue.begin());
    tenant->last_served = ++sequence_;
    ++tenant->running;
    --queued_;
    lock.unlock();
    const bool cancelled = job->abandoned != nullptr && (*job->abandoned)();
    if (!cancelled) (*job->run)();
    lock.lock();
    --tenant->running;
    job->cancelled = cancelled;
    job->done = true;
    finished_.notify_all();
    // The tenant may run another job now.
    work_.notify_all();
  }
}

}  // namespace gatehouse::api
