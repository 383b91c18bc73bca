#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace gatehouse::testing {

// Bounds blocking socket calls a test makes on `fd` (Asio's synchronous reads poll without a
// timeout, so SO_RCVTIMEO alone does not bound them): when `limit` passes before this is
// destroyed, the socket is shut down both ways, the blocked call returns with an error, and
// expired() tells the test why.
class IoDeadline {
 public:
  IoDeadline(int fd, std::chrono::milliseconds limit);
  ~IoDeadline();
  IoDeadline(const IoDeadline&) = delete;
  IoDeadline& operator=(const IoDeadline&) = delete;

  bool expired() const;

 private:
  mutable std::mutex mutex_;
  std::condition_variable done_;
  bool finished_ = false;
  bool expired_ = false;
  std::thread watcher_;
};

}  // namespace gatehouse::testing
