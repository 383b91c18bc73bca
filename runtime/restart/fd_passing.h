#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace gatehouse::runtime {

// Sends `fds` and a short message over a connected Unix socket (SCM_RIGHTS): how a running proxy
// hands its listening sockets to the instance that replaces it.
absl::Status SendFds(int unix_socket, const std::vector<int>& fds, const std::string& message);

struct ReceivedFds {
  std::vector<int> fds;  // owned by the caller
  std::string message;
};

// Receives what SendFds sent, waiting up to `timeout`.
absl::StatusOr<ReceivedFds> ReceiveFds(int unix_socket, std::chrono::milliseconds timeout);

}  // namespace gatehouse::runtime
