#include "runtime/http/upstream_pool.h"

#include <sys/socket.h>

#include "boost/asio/redirect_error.hpp"
#include "boost/asio/this_coro.hpp"
#include "boost/asio/use_awaitable.hpp"

namespace gatehouse::runtime {
namespace {

// A pooled connection the origin has closed (or sent unsolicited bytes on) reads as ready. A
// non-blocking peek tells without consuming anything; only a quiet socket is worth reusing.
bool LooksAlive(beast::tcp_stream& stream) {
  char byte;
  const ssize_t n = ::recv(stream.socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

}  // namespace

size_t UpstreamPool::Pick(const std::vector<HostPort>& servers) {
  const size_t count = servers.size();
  if (count <= 1) return 0;
  const size_t start = next_++ % count;
  const auto now = std::chrono::steady_clock::now();
  for (size_t i = 0; i < count; ++i) {
    const size_t index = (start + i) % count;
    const auto it = servers_.find(servers[index].ToString());
    if (it == servers_.end() || it->second.ejected_until <= now) return index;
  }
  return start;
}

std::optional<UpstreamConnection> UpstreamPool::TakeIdle(const HostPort& server) {
  const auto found = servers_.find(server.ToString());
  if (found == servers_.end()) return std::nullopt;
  std::vector<Idle>& idle = found->second.idle;
  const auto now = std::chrono::steady_clock::now();
  while (!idle.empty()) {
    Idle candidate = std::move(idle.back());
    idle.pop_back();
    // Every connection is peeked before reuse (one non-blocking system call): bytes an origin
    // sent while the connection sat idle would otherwise be read as the answer to the next
    // client's request.
    if (now - candidate.since < options_.max_idle_time &&
        LooksAlive(*candidate.connection.stream)) {
      candidate.connection.reused = true;
      ++reuses_;
      return std::move(candidate.connection);
    }
  }
  return std::nullopt;
}

asio::awaitable<absl::StatusOr<UpstreamConnection>> UpstreamPool::Connect(const HostPort& server) {
  UpstreamConnection connection;
  connection.server = server.ToString();
  const auto executor = co_await asio::this_coro::executor;
  beast::error_code error;
  std::vector<tcp::endpoint> endpoints;
  const auto ip = asio::ip::make_address(server.host, error);
  if (!error) {
    endpoints.emplace_back(ip, server.port);
  } else {
    // A host name: resolved per new connection, so DNS changes take effect as connections turn
    // over. The resolver runs on Asio's internal thread, not on the worker.
    tcp::resolver resolver(executor);
    const auto results =
        co_await resolver.async_resolve(server.host, std::to_string(server.port),
                                        asio::redirect_error(asio::use_awaitable, error));
    if (error) {
      Eject(connection.server);
      co_return absl::UnavailableError("resolve " + connection.server + ": " + error.message());
    }
    for (const auto& entry : results) endpoints.push_back(entry.endpoint());
  }
  connection.stream = std::make_unique<beast::tcp_stream>(executor);
  connection.stream->expires_after(options_.connect_timeout);
  co_await connection.stream->async_connect(endpoints,
                                            asio::redirect_error(asio::use_awaitable, error));
  if (error) {
    Eject(connection.server);
    const std::string message = "connect " + connection.server + ": " + error.message();
    if (error == beast::error::timeout) co_return absl::DeadlineExceededError(message);
    co_return absl::UnavailableError(message);
  }
  // From here the request's own deadlines bound the connection, not the stream's timer.
  connection.stream->expires_never();
  connection.stream->socket().set_option(tcp::no_delay(true), error);
  ++connects_;
  co_return connection;
}

void UpstreamPool::Release(UpstreamConnection connection) {
  if (connection.stream == nullptr || connection.buffer.size() != 0) return;  // closes it
  Server& state = Lookup(connection.server);
  if (state.idle.size() >= options_.max_idle_per_server) return;
  connection.stream->expires_never();
  state.idle.push_back({std::move(connection), std::chrono::steady_clock::now()});
}

void UpstreamPool::Eject(const std::string& server) {
  Server& state = Lookup(server);
  state.ejected_until = std::chrono::steady_clock::now() + options_.eject_time;
  state.idle.clear();  // connections to a failing server are suspect too
}

bool UpstreamPool::IsEjected(const std::string& server) const {
  const auto it = servers_.find(server);
  return it != servers_.end() && it->second.ejected_until > std::chrono::steady_clock::now();
}

size_t UpstreamPool::idle_count() const {
  size_t count = 0;
  for (const auto& [key, state] : servers_) count += state.idle.size();
  return count;
}

}  // namespace gatehouse::runtime
