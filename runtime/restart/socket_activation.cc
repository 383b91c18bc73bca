#include "runtime/restart/socket_activation.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

namespace gatehouse::runtime {

std::vector<int> TakeSocketActivationFds() {
  constexpr int kFirstFd = 3;  // SD_LISTEN_FDS_START
  std::vector<int> fds;
  const char* pid = std::getenv("LISTEN_PID");
  const char* count = std::getenv("LISTEN_FDS");
  if (pid != nullptr && count != nullptr && std::atol(pid) == static_cast<long>(getpid())) {
    const int n = std::atoi(count);
    for (int fd = kFirstFd; n > 0 && fd < kFirstFd + n; ++fd) {
      fcntl(fd, F_SETFD, FD_CLOEXEC);
      fds.push_back(fd);
    }
  }
  unsetenv("LISTEN_PID");
  unsetenv("LISTEN_FDS");
  unsetenv("LISTEN_FDNAMES");
  return fds;
}

}  // namespace gatehouse::runtime
