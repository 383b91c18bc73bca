#include "tests/support/scripted_origin.h"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "absl/strings/ascii.h"

namespace gatehouse::testing {
namespace {

bool WriteAll(int fd, const std::string& bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

// Reads more bytes into `buffer`; false on close or error.
bool ReadMore(int fd, std::string& buffer) {
  char chunk[8192];
  const ssize_t n = ::recv(fd, chunk, sizeof(chunk), 0);
  if (n <= 0) return false;
  buffer.append(chunk, static_cast<size_t>(n));
  return true;
}

std::string HeaderValue(const std::string& head, const std::string& name) {
  const std::string lower = absl::AsciiStrToLower(head);
  const size_t at = lower.find("\r\n" + name + ":");
  if (at == std::string::npos) return "";
  size_t start = at + 3 + name.size();
  const size_t end = head.find("\r\n", start);
  while (start < end && head[start] == ' ') ++start;
  return head.substr(start, end - start);
}

}  // namespace

ScriptedOrigin::ScriptedOrigin(Responder responder) : responder_(std::move(responder)) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  ::listen(listen_fd_, 64);
  socklen_t length = sizeof(address);
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
  port_ = ntohs(address.sin_port);
  accept_thread_ = std::thread([this] { AcceptLoop(); });
}

ScriptedOrigin::~ScriptedOrigin() {
  stopping_ = true;
  ::shutdown(listen_fd_, SHUT_RDWR);
  ::close(listen_fd_);
  accept_thread_.join();
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mutex_);
    for (int fd : fds_) ::shutdown(fd, SHUT_RDWR);
    threads.swap(threads_);
  }
  for (auto& thread : threads) thread.join();
  for (int fd : fds_) ::close(fd);
}

std::vector<ScriptedOrigin::Request> ScriptedOrigin::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

void ScriptedOrigin::AcceptLoop() {
  while (!stopping_) {
    pollfd poll_fd{listen_fd_, POLLIN, 0};
    if (::poll(&poll_fd, 1, 50) <= 0) continue;
    const int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    const int index = connections_.fetch_add(1);
    std::lock_guard lock(mutex_);
    fds_.push_back(fd);
    threads_.emplace_back([this, fd, index] { Serve(fd, index); });
  }
}

namespace {

// Where the chunked body at the start of `buffer` ends (past its trailer section's empty
// line), walking its chunks; npos while more bytes are needed.
size_t ChunkedBodyEnd(const std::string& buffer) {
  size_t at = 0;
  for (;;) {
    const size_t line_end = buffer.find("\r\n", at);
    if (line_end == std::string::npos) return std::string::npos;
    const size_t size = std::strtoull(buffer.substr(at, line_end - at).c_str(), nullptr, 16);
    if (size == 0) {
      const size_t end = buffer.find("\r\n\r\n", line_end);
      return end == std::string::npos ? std::string::npos : end + 4;
    }
    at = line_end + 2 + size + 2;
    if (at > buffer.size()) return std::string::npos;
  }
}

}  // namespace

void ScriptedOrigin::Serve(int fd, int connection_index) {
  std::string buffer;
  for (int index = 0;; ++index) {
    size_t head_end;
    while ((head_end = buffer.find("\r\n\r\n")) == std::string::npos) {
      if (!ReadMore(fd, buffer)) return;
    }
    Request request;
    request.head = buffer.substr(0, head_end + 4);
    request.connection_index = connection_index;
    request.index_on_connection = index;
    buffer.erase(0, head_end + 4);
    const std::string length = HeaderValue(request.head, "content-length");
    if (!length.empty()) {
      const size_t want = std::strtoull(length.c_str(), nullptr, 10);
      while (buffer.size() < want) {
        if (!ReadMore(fd, buffer)) return;
      }
      request.body = buffer.substr(0, want);
      buffer.erase(0, want);
    } else if (absl::AsciiStrToLower(HeaderValue(request.head, "transfer-encoding")).find("chunked") !=
                   std::string::npos) {
      // Keep the chunked framing as received, trailer section included.
      size_t end;
      while ((end = ChunkedBodyEnd(buffer)) == std::string::npos) {
        if (!ReadMore(fd, buffer)) return;
      }
      request.body = buffer.substr(0, end);
      buffer.erase(0, end);
    }
    {
      std::lock_guard lock(mutex_);
      requests_.push_back(request);
    }
    const Reply reply = responder_(request);
    if (!reply.bytes.empty() && !WriteAll(fd, reply.bytes)) return;
    if (!reply.stray_later.empty()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(reply.stray_delay_ms));
      if (!WriteAll(fd, reply.stray_later)) return;
    }
    if (reply.echo_after) {
      if (!buffer.empty() && !WriteAll(fd, buffer)) return;
      char chunk[4096];
      for (;;) {
        const ssize_t n = ::recv(fd, chunk, sizeof(chunk), 0);
        if (n <= 0) break;
        if (!WriteAll(fd, std::string(chunk, static_cast<size_t>(n)))) break;
      }
      ::shutdown(fd, SHUT_RDWR);
      return;
    }
    if (reply.close_after) {
      ::shutdown(fd, SHUT_RDWR);
      return;
    }
  }
}

}  // namespace gatehouse::testing
