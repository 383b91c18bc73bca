#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"

namespace gatehouse::api {

// Runs CPU-heavy compiles off the request threads, on a bounded pool, fairly between tenants.
// Each tenant (token) has its own queue; a free thread takes the oldest job of the tenant served
// least recently, and one tenant runs on at most threads - 1 threads (when there are two or
// more), so another tenant finds a thread free. A tenant's burst of big pushes thus delays
// another tenant's push by at most one compile, never by its whole queue. Thread-safe.
class CompileScheduler {
 public:
  struct Options {
    int threads = 1;
    // Jobs one tenant may have waiting; more is RESOURCE_EXHAUSTED (try again later).
    size_t max_queued_per_tenant = 8;
  };

  // Compiles one tenant may run at once with `threads` threads.
  static int MaxRunningPerTenant(int threads) { return threads > 1 ? threads - 1 : 1; }

  explicit CompileScheduler(Options options);
  // Runs what is queued, then joins the threads.
  ~CompileScheduler();
  CompileScheduler(const CompileScheduler&) = delete;
  CompileScheduler& operator=(const CompileScheduler&) = delete;

  // Runs `job` on the pool for `tenant` and waits until it has run. RESOURCE_EXHAUSTED when the
  // tenant has too many jobs waiting; CANCELLED, without running it, when `abandoned` says the
  // caller gave up (its deadline passed) by the time a thread takes the job.
  absl::Status Run(const std::string& tenant, const std::function<void()>& job,
                   const std::function<bool()>& abandoned = nullptr);

 private:
  struct Job {
    const std::function<void()>* run;
    const std::function<bool()>* abandoned;
    uint64_t enqueued = 0;
    bool done = false;
    bool cancelled = false;
  };
  struct Tenant {
    std::vector<Job*> queue;  // oldest first
    uint64_t last_served = 0;
    int running = 0;
  };

  void Work();
  // Under mutex_: the tenant whose job runs next by the fairness rule, or null.
  Tenant* NextLocked();

  const Options options_;
  const int max_running_per_tenant_;
  std::mutex mutex_;
  std::condition_variable work_;
  std::condition_variable finished_;
  std::map<std::string, Tenant> tenants_;
  uint64_t sequence_ = 0;
  size_t queued_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace gatehouse::api
