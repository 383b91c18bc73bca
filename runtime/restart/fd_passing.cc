#include "runtime/restart/fd_passing.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace gatehouse::runtime {
namespace {

constexpr size_t kMaxFds = 64;
constexpr size_t kMaxMessage = 4096;

}  // namespace

absl::Status SendFds(int unix_socket, const std::vector<int>& fds, const std::string& message) {
  if (fds.size() > kMaxFds) return absl::InvalidArgumentError("too many descriptors to pass");
  if (message.empty() || message.size() > kMaxMessage) {
    return absl::InvalidArgumentError("the message must be 1 to 4096 bytes");
  }
  iovec iov{const_cast<char*>(message.data()), message.size()};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * kMaxFds)] = {};
  if (!fds.empty()) {
    msg.msg_control = control;
    msg.msg_controllen = CMSG_SPACE(sizeof(int) * fds.size());
    cmsghdr* header = CMSG_FIRSTHDR(&msg);
    header->cmsg_level = SOL_SOCKET;
    header->cmsg_type = SCM_RIGHTS;
    header->cmsg_len = CMSG_LEN(sizeof(int) * fds.size());
    std::memcpy(CMSG_DATA(header), fds.data(), sizeof(int) * fds.size());
  }
  ssize_t sent;
  do {
    sent = sendmsg(unix_socket, &msg, MSG_NOSIGNAL);
  } while (sent < 0 && errno == EINTR);
  if (sent < 0) return absl::UnavailableError(std::string("sendmsg: ") + std::strerror(errno));
  if (static_cast<size_t>(sent) != message.size()) {
    return absl::UnavailableError("sendmsg: short write");
  }
  return absl::OkStatus();
}

absl::StatusOr<ReceivedFds> ReceiveFds(int unix_socket, std::chrono::milliseconds timeout) {
  pollfd waiting{unix_socket, POLLIN, 0};
  int ready;
  do {
    ready = poll(&waiting, 1, static_cast<int>(timeout.count()));
  } while (ready < 0 && errno == EINTR);
  if (ready == 0) return absl::DeadlineExceededError("nothing received in time");
  if (ready < 0) return absl::UnavailableError(std::string("poll: ") + std::strerror(errno));
  std::string buffer(kMaxMessage, '\0');
  iovec iov{buffer.data(), buffer.size()};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * kMaxFds)] = {};
  msg.msg_control = control;
  msg.msg_controllen = sizeof(control);
  ssize_t received;
  do {
    received = recvmsg(unix_socket, &msg, MSG_CMSG_CLOEXEC);
  } while (received < 0 && errno == EINTR);
  if (received < 0) return absl::UnavailableError(std::string("recvmsg: ") + std::strerror(errno));
  if (received == 0) return absl::UnavailableError("the peer closed the socket");
  ReceivedFds out;
  for (cmsghdr* header = CMSG_FIRSTHDR(&msg); header != nullptr;
       header = CMSG_NXTHDR(&msg, header)) {
    if (header->cmsg_level != SOL_SOCKET || header->cmsg_type != SCM_RIGHTS) continue;
    const size_t count = (header->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    const int* data = reinterpret_cast<const int*>(CMSG_DATA(header));
    out.fds.insert(out.fds.end(), data, data + count);
  }
  if ((msg.msg_flags & MSG_CTRUNC) != 0) {
    for (int fd : out.fds) close(fd);
    return absl::ResourceExhaustedError("descriptors were truncated");
  }
  buffer.resize(static_cast<size_t>(received));
  out.message = std::move(buffer);
  return out;
}

}  // namespace gatehouse::runtime
