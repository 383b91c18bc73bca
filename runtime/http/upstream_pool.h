#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/status/statusor.h"
#include "common/host_port.h"
#include "runtime/http/http_types.h"

namespace gatehouse::runtime {

struct UpstreamPoolOptions {
  std::chrono::milliseconds connect_timeout{3000};
  // Idle keep-alive connections kept per origin server; more are closed when released.
  size_t max_idle_per_server = 256;
  // An idle connection older than this is not reused: origins close idle connections too, and a
  // connection the origin is about to close is the one a request fails on.
  std::chrono::milliseconds max_idle_time{20000};
  // Passive health: a server that fails to connect is skipped this long.
  std::chrono::milliseconds eject_time{5000};
};

// One connection to an origin server, owned by one request at a time.
struct UpstreamConnection {
  std::unique_ptr<beast::tcp_stream> stream;
  beast::flat_buffer buffer;  // read buffer; empty whenever the connection is idle
  std::string server;         // host:port, the pool key
  bool reused = false;        // came from the idle pool (and so may turn out stale)
};

// Keep-alive connections to origin servers, and what the proxy has seen of those servers'
// health. One per worker, used only from that worker's thread: the request path takes no lock
// and shares no cache line with other workers (the price is one idle set per worker).
class UpstreamPool {
 public:
  explicit UpstreamPool(UpstreamPoolOptions options) : options_(options) {}

  // The index in `servers` of the next server round robin, skipping ejected servers. When every
  // server is ejected it still picks one: trying is better than failing without a try.
  size_t Pick(const std::vector<HostPort>& servers);

  // An idle connection to `server`, if one is worth reusing. Synchronous: the common case of a
  // request costs no coroutine of its own.
  std::optional<UpstreamConnection> TakeIdle(const HostPort& server);

  // A new connection to `server`. A failed connect ejects the server. Errors: DeadlineExceeded
  // (connect timeout), Unavailable.
  asio::awaitable<absl::StatusOr<UpstreamConnection>> Connect(const HostPort& server);

  // Returns a connection whose last response was read whole and which may be reused.
  void Release(UpstreamConnection connection);

  // Marks a server as failed (e.g. it accepted but reset every request).
  void Eject(const std::string& server);
  bool IsEjected(const std::string& server) const;

  size_t idle_count() const;
  uint64_t connects() const { return connects_; }
  uint64_t reuses() const { return reuses_; }

 private:
  struct Idle {
    UpstreamConnection connection;
    std::chrono::steady_clock::time_point since;
  };
  struct Server {
    std::vector<Idle> idle;  // most recently released last: reused first (warmest)
    std::chrono::steady_clock::time_point ejected_until{};
  };

  Server& Lookup(const std::string& key) { return servers_[key]; }

  const UpstreamPoolOptions options_;
  std::unordered_map<std::string, Server> servers_;
  uint64_t next_ = 0;
  uint64_t connects_ = 0;
  uint64_t reuses_ = 0;
};

}  // namespace gatehouse::runtime
