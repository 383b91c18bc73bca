#include "tests/support/io_deadline.h"

#include <sys/socket.h>

namespace gatehouse::testing {

IoDeadline::IoDeadline(int fd, std::chrono::milliseconds limit) {
  watcher_ = std::thread([this, fd, limit] {
    std::unique_lock lock(mutex_);
    if (done_.wait_for(lock, limit, [this] { return finished_; })) return;
    expired_ = true;
    ::shutdown(fd, SHUT_RDWR);
  });
}

IoDeadline::~IoDeadline() {
  {
    std::lock_guard lock(mutex_);
    finished_ = true;
  }
  done_.notify_all();
  watcher_.join();
}

bool IoDeadline::expired() const {
  std::lock_guard lock(mutex_);
  return expired_;
}

}  // namespace gatehouse::testing
