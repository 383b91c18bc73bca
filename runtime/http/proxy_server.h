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
#include "runtime/http2/http2_connection.h"
#include "runtime/tls/sni_selection.h"
#include "runtime/workers/worker_slot.h"

namespace gatehouse::runtime {

namespace tls {
class TlsTermination;
}  // namespace tls

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
  // TLS listeners (--listen-tls), served by the same workers as `listen`; `tls` (required with
  // them, and outliving the server) has their settings and selects their certificates. The
  // PROXY protocol option applies to them too: the header comes before the handshake.
  std::vector<std::string> listen_tls;
  tls::TlsTermination* tls = nullptr;
  // A handshake not done within this is closed.
  std::chrono::milliseconds handshake_timeout{5000};
  // HTTP/2 on the TLS listeners, when ALPN selects "h2" (`tls` must then offer it first).
  bool http2 = true;
  // HTTP/2 with prior knowledge (h2c) on the `listen` listener: a connection that starts with
  // the HTTP/2 preface speaks HTTP/2; any other speaks HTTP/1.1.
  bool http2_cleartext = false;
  http2::Http2Options http2_options;
};

// The client-facing HTTP/1.1 and HTTP/2 server: N worker threads, each with its own io_context and its own
// listening socket on the same port (SO_REUSEPORT), so nothing on the request path is shared
// but the snapshot pointer.
class ProxyServer {
 public:
  // Serves the snapshots `store` publishes; both must outlive the server.
  ProxyServer(ProxyServerOptions options, RequestHandler& handler, SnapshotStore& store);
  ~ProxyServer();

  // Binds every worker's socket and starts the workers.
  absl::Status Start();
  // The listening sockets an upgrade hands over: the plain listener's, one per worker, and for
  // each --listen-tls address (in order) its sockets, one per worker.
  struct ListeningSockets {
    std::vector<int> http;
    std::vector<std::vector<int>> tls;
  };
  // Starts the workers on listening sockets made elsewhere (a predecessor's, or systemd's); the
  // server owns them. There are at least as many workers as sockets; worker i serves
  // http[i % n], and likewise each TLS address's sockets. TLS addresses given no sockets (systemd
  // activates only the plain one) are bound here, joining whoever holds them.
  absl::Status StartWithListeners(const ListeningSockets& listeners);
  // The listening sockets, for handing over to a successor (still owned by this server).
  ListeningSockets Listeners() const;

  // Graceful shutdown: stop accepting at once; every connection's next response carries
  // Connection: close; a connection waiting for its next request is closed only once it has
  // waited `idle_close` (a client's next request may already be on the wire: closing under it
  // would lose it). An HTTP/2 connection gets a GOAWAY at once, and after `idle_close` one
  // naming its last stream taken; it closes when those streams are done. Returns immediately;
  // wait for Drained().
  void BeginDrain(std::chrono::milliseconds idle_close);
  // After BeginDrain: every worker has stopped accepting and every connection has closed, so
  // stopping the server cuts nothing off.
  bool Drained() const {
    return accepting_.load() == 0 && connections_.load(std::memory_order_relaxed) == 0;
  }
  // The bound port (useful with port 0).
  uint16_t port() const { return port_; }
  // The TLS listeners' bound ports, in the order of `listen_tls`.
  const std::vector<uint16_t>& tls_ports() const { return tls_ports_; }
  // TLS connections closed before their handshake completed: refused (no certificate for the
  // name, a protocol version or cipher not offered, not TLS at all) or not done in time.
  int64_t handshakes_failed() const { return handshakes_failed_.load(std::memory_order_relaxed); }
  // TLS handshakes completed, and of them those that resumed a session.
  int64_t handshakes_completed() const {
    return handshakes_completed_.load(std::memory_order_relaxed);
  }
  int64_t handshakes_resumed() const { return handshakes_resumed_.load(std::memory_order_relaxed); }
  int64_t open_connections() const { return connections_.load(std::memory_order_relaxed); }
  // Connections closed for their PROXY protocol header: from an untrusted peer, malformed,
  // or not whole in time.
  int64_t proxy_headers_refused() const {
    return proxy_headers_refused_.load(std::memory_order_relaxed);
  }
  const http2::Http2Counters& http2_counters() const { return http2_counters_; }
  void Stop();

 private:
  struct Worker;
  struct Connection;
  // What a listening socket serves: plain HTTP or TLS, and its port.
  struct Listener {
    bool tls = false;
    uint16_t port = 0;
  };
  class ConnectionSlot;
  class WorkerLoops;

  // The workers' loops, snapshot slot and scratch slot, for `count` workers (made before the
  // workers).
  void PrepareWorkers(size_t count);
  // Binds every worker's TLS listeners, or adopts the sockets `inherited` has for an address
  // (a predecessor's); an address it has none for is bound, joining its holder when
  // `check_free` is false.
  absl::Status BindTlsListeners(bool check_free,
                                const std::vector<std::vector<int>>& inherited = {});
  absl::Status StartWorkers();
  asio::awaitable<void> Accept(Worker& worker, tcp::acceptor& acceptor, Listener listener);
  asio::awaitable<void> Serve(Worker& worker, tcp::socket socket,
                              std::unique_ptr<ConnectionSlot> slot, Listener listener);
  // The requests of one connection, until it closes; then closes it.
  asio::awaitable<void> ServeRequests(Worker& worker, ClientStream& stream,
                                      SocketDeadline& deadline, beast::flat_buffer& buffer,
                                      const ClientInfo& client);
  // An HTTP/2 connection, until it closes; then closes it.
  asio::awaitable<void> ServeHttp2(Worker& worker, ClientStream& stream,
                                   beast::flat_buffer& buffer, const ClientInfo& client);
  // Whether a cleartext connection starts with the HTTP/2 preface (read into `buffer`, within
  // the header timeout; an HTTP/1.1 request's first bytes stay there for it).
  asio::awaitable<bool> ReadsPreface(ClientStream& stream, SocketDeadline& deadline,
                                     beast::flat_buffer& buffer);
  // Closes a client connection: TLS close_notify when `clean`, then a half-close and a short
  // drain of what the client still sends, so a last response is not destroyed by a reset.
  asio::awaitable<void> CloseClient(ClientStream& stream, SocketDeadline& deadline, bool clean);
  // Completes the TLS handshake of `stream` (`buffer` holds bytes already read from it) within
  // the handshake timeout. False: the connection must close.
  asio::awaitable<bool> Handshake(Worker& worker, TlsStream& stream, SocketDeadline& deadline,
                                  beast::flat_buffer& buffer);
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
  // Each worker's certificate index, set with each snapshot (before it); TLS listeners only.
  std::unique_ptr<WorkerSlot<tls::CurrentIndex>> certificates_;
  std::atomic<bool> draining_{false};
  std::atomic<int> accepting_{0};  // workers whose accept loop runs
  std::atomic<int64_t> connections_{0};
  std::atomic<int64_t> proxy_headers_refused_{0};
  std::atomic<int64_t> handshakes_failed_{0};
  std::atomic<int64_t> handshakes_completed_{0};
  std::atomic<int64_t> handshakes_resumed_{0};
  http2::Http2Counters http2_counters_;
  uint16_t port_ = 0;
  std::vector<uint16_t> tls_ports_;
};

}  // namespace gatehouse::runtime
