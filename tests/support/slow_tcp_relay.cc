#include "tests/support/slow_tcp_relay.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

#include "absl/status/status.h"

namespace gatehouse::testing {
namespace {

sockaddr_in Loopback(uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

bool WriteAll(int fd, const char* data, size_t size) {
  while (size > 0) {
    const ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

absl::StatusOr<std::unique_ptr<SlowTcpRelay>> SlowTcpRelay::Start(uint16_t target_port,
                                                                  std::chrono::milliseconds delay) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::InternalError(std::string("socket: ") + std::strerror(errno));
  sockaddr_in address = Loopback(0);
  socklen_t length = sizeof(address);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      ::listen(fd, 64) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    const std::string error = std::strerror(errno);
    ::close(fd);
    return absl::InternalError("relay listen: " + error);
  }
  return std::unique_ptr<SlowTcpRelay>(
      new SlowTcpRelay(fd, ntohs(address.sin_port), target_port, delay));
}

SlowTcpRelay::SlowTcpRelay(int listen_fd, uint16_t port, uint16_t target_port,
                           std::chrono::milliseconds delay)
    : listen_fd_(listen_fd), port_(port), target_port_(target_port), delay_(delay) {
  acceptor_ = std::thread([this] { AcceptLoop(); });
}

SlowTcpRelay::~SlowTcpRelay() {
  stopping_ = true;
  acceptor_.join();
  ::close(listen_fd_);
  std::vector<std::thread> pumps;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    // Ends every blocked read; the pumps see `stopping_` and return.
    for (int fd : fds_) ::shutdown(fd, SHUT_RDWR);
    pumps.swap(pumps_);
  }
  for (std::thread& pump : pumps) pump.join();
  for (int fd : fds_) ::close(fd);
}

void SlowTcpRelay::AcceptLoop() {
  while (!stopping_) {
    pollfd readable{listen_fd_, POLLIN, 0};
    if (::poll(&readable, 1, 50) <= 0) continue;
    const int client = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    ++connections_;
    const int target = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const sockaddr_in address = Loopback(target_port_);
    std::lock_guard<std::mutex> lock(mutex_);
    fds_.push_back(client);
    if (target < 0) continue;
    fds_.push_back(target);
    if (::connect(target, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
      ::shutdown(client, SHUT_RDWR);
      continue;
    }
    pumps_.emplace_back([this, client, target] { Pump(client, target); });
    pumps_.emplace_back([this, client, target] { Pump(target, client); });
  }
}

void SlowTcpRelay::Pump(int from, int to) {
  char chunk[16384];
  for (;;) {
    const ssize_t n = ::recv(from, chunk, sizeof(chunk), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    std::this_thread::sleep_for(delay_);
    if (stopping_ || !WriteAll(to, chunk, static_cast<size_t>(n))) break;
  }
  // The other side learns of the end as it would from the peer itself.
  ::shutdown(to, SHUT_WR);
}

}  // namespace gatehouse::testing
