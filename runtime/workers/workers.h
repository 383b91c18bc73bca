#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "boost/asio/executor_work_guard.hpp"
#include "boost/asio/io_context.hpp"

namespace gatehouse::runtime {

// The proxy's worker threads as per-worker state sees them: a fixed number of workers, each
// running the tasks posted to it one at a time, in the order posted, on its own thread.
class Workers {
 public:
  virtual ~Workers() = default;

  virtual size_t size() const = 0;
  // Runs `task` on worker `index`'s thread after everything posted to it before. A task posted
  // to a worker that has stopped is destroyed without running.
  virtual void Post(size_t index, std::function<void()> task) = 0;
};

// Workers that own their event loops: `count` threads, each running its own io_context until
// Stop(). For per-worker state outside the proxy's server (tests, tools).
class WorkerThreads final : public Workers {
 public:
  explicit WorkerThreads(size_t count);
  ~WorkerThreads() override;
  WorkerThreads(const WorkerThreads&) = delete;
  WorkerThreads& operator=(const WorkerThreads&) = delete;

  size_t size() const override { return loops_.size(); }
  void Post(size_t index, std::function<void()> task) override;

  // Stops every loop (tasks not yet run are dropped) and joins the threads. Idempotent.
  void Stop();

 private:
  struct Loop {
    boost::asio::io_context context{1};
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work =
        boost::asio::make_work_guard(context);
    std::thread thread;
  };
  std::vector<std::unique_ptr<Loop>> loops_;
};

}  // namespace gatehouse::runtime
