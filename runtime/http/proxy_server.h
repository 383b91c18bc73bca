#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "absl/status/status.h"
#include "rules/scratch.h"
#include "runtime/http/request_handler.h"
#include "runtime/workers/worker_slot.h"

namespace gatehouse::runtime {

struct ProxyServerOptions {
  std::string listen = "127.0.0.1:8080";
  int workers = 1;
  std::chrono::milliseconds header_timeout{10000};
  std::chrono::milliseconds body_timeout{30000};
  std::chrono::milliseconds idle_timeout{60000};
  uint32_t max_header_bytes = 32 * 1024;
  uint32_t max_uri_bytes = 8 * 1024;
  int64_t max_connections = 10000;
  // Every connection starts with a PROXY protocol header (v1 or v2) from a trusted proxy
  // (RequestHandlerOptions::trusted_proxies): a connection from any other peer, or whose
  // header is malformed or not whole within `proxy_header_timeout`, is closed unanswered.
  bool proxy_protocol = false;
  std::chrono::milliseconds proxy_header_timeout{3000};
};

// The client-facing HTTP/1.1 server: N worker threads, each with its own io_context and its own
// listening socket on the same port (SO_REUSEPORT), so nothing on the request path is shared
// but the snapshot pointer.
class ProxyServer {
 public:
  // Serves the snapshots `store` publishes; both must outlive the server.
  ProxyServer(ProxyServerOptions options, RequestHandler& handler, SnapshotStore& store);
  ~ProxyServer();

  // Binds every worker's socket and starts the workers.
  absl::Status Start();
  // Starts the workers on listening sockets made elsewhere (a predecessor's, or systemd's); the
  // server owns them. There are at least as many workers as sockets; worker i serves
  // listeners[i % n].
  absl::Status StartWithListeners(const std::vector<int>& listeners);
  // The listening sockets, for handing over to a successor (still owned by this server).
  std::vector<int> ListenerFds() const;

  // Graceful shutdown: stop accepting at once; every connection's next response carries
  // Connection: close; a connection waiting for its next request is closed only once it has
  // waited `idle_close` (a client's next request may already be on the wire: closing under it
  // would lose it). Returns immediately; wait for Drained().
  void BeginDrain(std::chrono::milliseconds idle_close);
  // After BeginDrain: every worker has stopped accepting and every connection has closed, so
  // stopping the server cuts nothing off.
  bool Drained() const {
    return accepting_.load() == 0 && connections_.load(std::memory_order_relaxed) == 0;
  }
  // The bound port (useful with port 0).
  uint16_t port() const { return port_; }
  int64_t open_connections() const { return connections_.load(std::memory_order_relaxed); }
  // Connections closed for their PROXY protocol header: from an untrusted peer, malformed,
  // or not whole in time.
  int64_t proxy_headers_refused() const {
    return proxy_headers_refused_.load(std::memory_order_relaxed);
  }
  void Stop();

 private:
  struct Worker;
  struct Connection;
  class ConnectionSlot;
  class WorkerLoops;

  // The workers' loops, snapshot slot and scratch slot, for `count` workers (made before the
  // workers).
  void PrepareWorkers(size_t count);
  absl::Status StartWorkers();
  asio::awaitable<void> Accept(Worker& worker);
  asio::awaitable<void> Serve(Worker& worker, tcp::socket socket,
                              std::unique_ptr<ConnectionSlot> slot);
  // Where a connection comes from: its TCP peer, or on a PROXY protocol listener the source
  // its header names (any bytes after the header are left in `buffer`). Null: close it.
  asio::awaitable<std::optional<ClientInfo>> IdentifyClient(beast::tcp_stream& stream,
                                                            beast::flat_buffer& buffer,
                                                            SocketDeadline& deadline);
  asio::awaitable<void> Drain(Worker& worker, std::chrono::milliseconds idle_close);

  const ProxyServerOptions options_;
  RequestHandler& handler_;
  SnapshotStore& store_;
  std::optional<int> subscription_;  // the workers' snapshot publication, while they run
  std::vector<std::unique_ptr<Worker>> workers_;
  std::unique_ptr<WorkerLoops> loops_;  // workers_ as Workers
  // Each worker's snapshot; the store counts a swap served once every worker switched.
  std::unique_ptr<WorkerSlot<std::shared_ptr<const LinkedSnapshot>>> snapshots_;
  // Each worker's rules' scratch (Hyperscan scratch, Evaluations to reuse).
  std::unique_ptr<WorkerSlot<rules::Scratch>> scratches_;
  std::atomic<bool> draining_{false};
  std::atomic<int> accepting_{0};  // workers whose accept loop runs
  std::atomic<int64_t> connections_{0};
  std::atomic<int64_t> proxy_headers_refused_{0};
  uint16_t port_ = 0;
};

}  // namespace gatehouse::runtime
