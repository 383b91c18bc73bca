#include "runtime/http/proxy_server.h"

#include <sys/socket.h>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <random>
#include <utility>

#include "boost/asio/co_spawn.hpp"
#include "boost/asio/detached.hpp"
#include "boost/asio/io_context.hpp"
#include "boost/asio/post.hpp"
#include "boost/asio/redirect_error.hpp"
#include "boost/asio/steady_timer.hpp"
#include "boost/asio/use_awaitable.hpp"
#include "boost/beast/core/flat_buffer.hpp"
#include "boost/beast/http/empty_body.hpp"
#include "boost/beast/http/read.hpp"
#include "boost/beast/http/write.hpp"
#include "common/host_port.h"
#include "common/logging.h"
#include "runtime/client_address/proxy_protocol.h"
#include "runtime/http/buffered_parse.h"
#include "runtime/http/client_stream.h"
#include "runtime/http/socket_deadline.h"
#include "runtime/tls/session_facts.h"
#include "runtime/tls/tls_termination.h"

namespace gatehouse::runtime {

// A client connection as the drain sees it. Touched only on its worker's thread.
struct ProxyServer::Connection {
  tcp::socket* socket = nullptr;
  bool idle = true;      // waiting for the next request
  std::chrono::steady_clock::time_point idle_since{};
  bool closing = false;  // draining: Connection: close on the next response
  http2::Http2Connection* http2 = nullptr;  // an HTTP/2 connection's session
};

// Counts a connection from its accept to its close: a drained server has none.
class ProxyServer::ConnectionSlot {
 public:
  explicit ConnectionSlot(std::atomic<int64_t>& count) : count_(count) { count_.fetch_add(1); }
  ~ConnectionSlot() { count_.fetch_sub(1); }
  ConnectionSlot(const ConnectionSlot&) = delete;
  ConnectionSlot& operator=(const ConnectionSlot&) = delete;

 private:
  std::atomic<int64_t>& count_;
};

struct ProxyServer::Worker {
  Worker(const UpstreamPoolOptions& options, const std::shared_ptr<const LinkedSnapshot>& snapshot,
         rules::Scratch& scratch, WorkerRecords records)
      : context_state(options, deadlines, snapshot, scratch, records) {
    deadlines.Start(context.get_executor());
  }
  // The timer goes while the io_context is alive; the sweeper outlives it (declared first), for
  // the coroutine frames the io_context destroys unregister their deadlines.
  ~Worker() { deadlines.Stop(); }
  DeadlineSweeper deadlines;
  asio::io_context context{1};
  WorkerContext context_state;
  size_t index = 0;  // in the server's workers
  tcp::acceptor acceptor{context};
  // One per --listen-tls, in its order.
  std::vector<std::unique_ptr<tcp::acceptor>> tls_acceptors;
  std::thread thread;
  std::unordered_set<Connection*> connections;
};

// The server's worker loops as Workers: a fixed count, set before the workers are made (each
// worker's context refers to its slot entries); posted to only once they all exist.
class ProxyServer::WorkerLoops final : public Workers {
 public:
  WorkerLoops(const std::vector<std::unique_ptr<Worker>>& workers, size_t count)
      : workers_(workers), count_(count) {}
  size_t size() const override { return count_; }
  void Post(size_t index, std::function<void()> task) override {
    asio::post(workers_[index]->context, std::move(task));
  }

 private:
  const std::vector<std::unique_ptr<Worker>>& workers_;
  const size_t count_;
};

namespace {

using ReusePort = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;

// Room past the header limit in a connection's read buffer, so a read of a body piece is not
// cut short; also the bound of a chunk-size line and of a trailer block beyond that limit.
constexpr size_t kReadBufferSlack = 16 * 1024;

constexpr Refusal kUriTooLong{http::status::uri_too_long, "URI too long.\n", "uri_too_long"};

// The workers' sockets join one SO_REUSEPORT group, and so would a second proxy's (or any
// process's that sets the option under the same user): it would silently take a share of the
// connections with its own state. A plain bind of the address first fails when anything holds
// it. Only an upgrade hands the same sockets over (StartWithListeners), without binding.
absl::Status CheckAddressFree(const tcp::endpoint& endpoint, const std::string& listen) {
  beast::error_code error;
  asio::io_context context;
  tcp::acceptor probe(context);
  probe.open(endpoint.protocol(), error);
  // Without SO_REUSEADDR a recently closed connection's TIME_WAIT would block a restart.
  if (!error) probe.set_option(asio::socket_base::reuse_address(true), error);
  if (!error) probe.bind(endpoint, error);
  if (error) {
    return absl::UnavailableError("cannot listen on " + listen + ": " + error.message() +
                                  " (another process holds it; to replace a running proxy "
                                  "use `proxy upgrade`)");
  }
  return absl::OkStatus();
}

// The address `listen` names (HOST:PORT; a host name is resolved to its first address).
absl::StatusOr<tcp::endpoint> ResolveListen(const std::string& listen, std::string_view flag) {
  auto address = ParseHostPort(listen);
  if (!address.ok()) return address.status();
  beast::error_code error;
  asio::ip::address ip = asio::ip::make_address(address->host, error);
  if (error) {
    // A name (localhost, say), as the control plane accepts: its first address.
    asio::io_context context;
    tcp::resolver resolver(context);
    const auto resolved = resolver.resolve(address->host, "", error);
    if (error || resolved.empty()) {
      return absl::InvalidArgumentError(std::string(flag) + ": cannot resolve " + address->host +
                                        ": " + error.message());
    }
    ip = resolved.begin()->endpoint().address();
  }
  return tcp::endpoint(ip, address->port);
}

// Opens `acceptor` on `endpoint`, in the SO_REUSEPORT group of the address.
absl::Status BindListener(tcp::acceptor& acceptor, const tcp::endpoint& endpoint,
                          const std::string& listen) {
  beast::error_code error;
  acceptor.open(endpoint.protocol(), error);
  if (!error) acceptor.set_option(asio::socket_base::reuse_address(true), error);
  if (!error) acceptor.set_option(ReusePort(true), error);
  if (!error) acceptor.bind(endpoint, error);
  if (!error) acceptor.listen(asio::socket_base::max_listen_connections, error);
  if (error) return absl::UnavailableError("cannot listen on " + listen + ": " + error.message());
  return absl::OkStatus();
}

// Takes over `fd`, a listening socket made elsewhere, as `acceptor`.
absl::Status AdoptListener(tcp::acceptor& acceptor, int fd) {
  sockaddr_storage address{};
  socklen_t length = sizeof(address);
  if (fd < 0 || getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    return absl::InvalidArgumentError("descriptor " + std::to_string(fd) + " is not a socket");
  }
  beast::error_code error;
  acceptor.assign(address.ss_family == AF_INET6 ? tcp::v6() : tcp::v4(), fd, error);
  if (error) {
    return absl::InvalidArgumentError("descriptor " + std::to_string(fd) +
                                      " is not a listening socket: " + error.message());
  }
  return absl::OkStatus();
}

// Beast reports every version but 1.0 and 1.1 as bad_version. A request line that names a
// well-formed HTTP version the edge does not speak (HTTP/2.0 without a preface, HTTP/0.9,
// HTTP/1.2) is 505, not a malformed request.
bool NamesAnotherHttpVersion(std::string_view received) {
  const std::string_view line = received.substr(0, received.find("\r\n"));
  const size_t space = line.rfind(' ');
  if (space == std::string_view::npos) return false;
  const std::string_view version = line.substr(space + 1);
  return version.size() == 8 && version.substr(0, 5) == "HTTP/" && version[5] >= '0' &&
         version[5] <= '9' && version[6] == '.' && version[7] >= '0' && version[7] <= '9';
}

// The answer to a request whose header could not be read. Null: the connection is gone.
std::optional<Refusal> ReadErrorRefusal(const beast::error_code& error, bool timed_out,
                                        const RequestParser& parser,
                                        const beast::flat_buffer& buffer,
                                        size_t max_uri_bytes) {
  if (timed_out) {
    return Refusal{http::status::request_timeout, "Request timed out.\n", "header_timeout"};
  }
  const std::string_view received(static_cast<const char*>(buffer.data().data()),
                                  buffer.size());
  if (error == http::error::header_limit) {
    // Beast consumes the request line once it has parsed it. A request line that was never
    // parsed and is longer than the URI limit overflowed the header block by itself: that is
    // a URI too long, not a header block too large.
    if (parser.get().target().empty() && received.find("\r\n") > max_uri_bytes) {
      return kUriTooLong;
    }
    return Refusal{http::status::request_header_fields_too_large,
                   "Request header fields too large.\n", "header_too_large"};
  }
  if (error == http::error::bad_version && NamesAnotherHttpVersion(received)) {
    return Refusal{http::status::http_version_not_supported, "HTTP version not supported.\n",
                   "version_not_supported"};
  }
  if (error.category() == http::make_error_code(http::error::bad_target).category()) {
    return Refusal{http::status::bad_request, "Malformed request.\n", "bad_request"};
  }
  return std::nullopt;
}

}  // namespace

ProxyServer::ProxyServer(ProxyServerOptions options, RequestHandler& handler,
                         SnapshotStore& store)
    : options_(std::move(options)), handler_(handler), store_(store) {}

ProxyServer::~ProxyServer() { Stop(); }

absl::Status ProxyServer::Start() {
  auto endpoint = ResolveListen(options_.listen, "--listen");
  if (!endpoint.ok()) return endpoint.status();
  if (endpoint->port() != 0) {
    if (absl::Status free = CheckAddressFree(*endpoint, options_.listen); !free.ok()) return free;
  }
  PrepareWorkers(std::max(1, options_.workers));
  for (int i = 0; i < std::max(1, options_.workers); ++i) {
    auto worker = std::make_unique<Worker>(handler_.options().upstream_pool, snapshots_->Get(i),
                                           scratches_->Get(i), handler_.AddWorker());
    worker->index = static_cast<size_t>(i);
    if (absl::Status bound = BindListener(worker->acceptor, *endpoint, options_.listen);
        !bound.ok()) {
      return bound;
    }
    // Port 0: the first socket picks the port, the others join it.
    endpoint->port(worker->acceptor.local_endpoint().port());
    workers_.push_back(std::move(worker));
  }
  if (absl::Status bound = BindTlsListeners(/*check_free=*/true); !bound.ok()) return bound;
  return StartWorkers();
}

absl::Status ProxyServer::BindTlsListeners(bool check_free,
                                           const std::vector<std::vector<int>>& inherited) {
  if (!options_.listen_tls.empty() && options_.tls == nullptr) {
    return absl::InvalidArgumentError("TLS listeners need their settings (ProxyServerOptions::tls)");
  }
  tls_ports_.clear();
  for (size_t address = 0; address < options_.listen_tls.size(); ++address) {
    const std::string& listen = options_.listen_tls[address];
    if (address < inherited.size() && !inherited[address].empty()) {
      // A predecessor's sockets: connections queued on them are accepted here, not reset.
      const std::vector<int>& fds = inherited[address];
      for (size_t i = 0; i < workers_.size(); ++i) {
        auto acceptor = std::make_unique<tcp::acceptor>(workers_[i]->context);
        const int fd = i < fds.size() ? fds[i] : dup(fds[i % fds.size()]);
        if (absl::Status adopted = AdoptListener(*acceptor, fd); !adopted.ok()) return adopted;
        workers_[i]->tls_acceptors.push_back(std::move(acceptor));
      }
      beast::error_code error;
      tls_ports_.push_back(workers_.front()->tls_acceptors.back()->local_endpoint(error).port());
      continue;
    }
    auto endpoint = ResolveListen(listen, "--listen-tls");
    if (!endpoint.ok()) return endpoint.status();
    if (check_free && endpoint->port() != 0) {
      if (absl::Status free = CheckAddressFree(*endpoint, listen); !free.ok()) return free;
    }
    for (auto& worker : workers_) {
      auto acceptor = std::make_unique<tcp::acceptor>(worker->context);
      if (absl::Status bound = BindListener(*acceptor, *endpoint, listen); !bound.ok()) {
        return bound;
      }
      endpoint->port(acceptor->local_endpoint().port());
      worker->tls_acceptors.push_back(std::move(acceptor));
    }
    tls_ports_.push_back(endpoint->port());
  }
  return absl::OkStatus();
}

absl::Status ProxyServer::StartWithListeners(const ListeningSockets& listeners) {
  const std::vector<int>& http = listeners.http;
  if (http.empty()) return absl::InvalidArgumentError("no listening sockets were given");
  // Every socket gets a worker: a socket nobody accepts from would still be given connections
  // by the kernel (SO_REUSEPORT spreads them over the group), and they would hang.
  size_t count = std::max(http.size(), static_cast<size_t>(std::max(1, options_.workers)));
  for (const std::vector<int>& tls : listeners.tls) count = std::max(count, tls.size());
  PrepareWorkers(count);
  for (size_t i = 0; i < count; ++i) {
    auto worker = std::make_unique<Worker>(handler_.options().upstream_pool, snapshots_->Get(i),
                                           scratches_->Get(i), handler_.AddWorker());
    worker->index = i;
    const int fd = i < http.size() ? http[i] : dup(http[i % http.size()]);
    if (absl::Status adopted = AdoptListener(worker->acceptor, fd); !adopted.ok()) return adopted;
    workers_.push_back(std::move(worker));
  }
  // A TLS address with no inherited sockets joins its holder's group (SO_REUSEPORT).
  if (absl::Status bound = BindTlsListeners(/*check_free=*/false, listeners.tls); !bound.ok()) {
    return bound;
  }
  return StartWorkers();
}

ProxyServer::ListeningSockets ProxyServer::Listeners() const {
  ListeningSockets sockets;
  sockets.tls.resize(options_.listen_tls.size());
  for (const auto& worker : workers_) {
    if (worker->acceptor.is_open()) sockets.http.push_back(worker->acceptor.native_handle());
    for (size_t i = 0; i < worker->tls_acceptors.size() && i < sockets.tls.size(); ++i) {
      if (worker->tls_acceptors[i]->is_open()) {
        sockets.tls[i].push_back(worker->tls_acceptors[i]->native_handle());
      }
    }
  }
  return sockets;
}

void ProxyServer::PrepareWorkers(size_t count) {
  loops_ = std::make_unique<WorkerLoops>(workers_, count);
  snapshots_ = std::make_unique<WorkerSlot<std::shared_ptr<const LinkedSnapshot>>>(*loops_);
  scratches_ = std::make_unique<WorkerSlot<rules::Scratch>>(*loops_);
  certificates_ = std::make_unique<WorkerSlot<tls::CurrentIndex>>(*loops_);
}

absl::Status ProxyServer::StartWorkers() {
  beast::error_code error;
  port_ = workers_.front()->acceptor.local_endpoint(error).port();
  // Each worker gets its own reference to every snapshot, in swap order, through its event loop;
  // posted before the accept loop starts, so the first connection already sees the snapshot.
  // The store hears once every worker has switched: only then is the snapshot served.
  // A snapshot's certificates are loaded here, off the request path, and reach each worker
  // before the snapshot does (posted first).
  subscription_ = store_.Subscribe(
      [this](const std::shared_ptr<const LinkedSnapshot>& snapshot, SnapshotStore::Done done) {
        if (!options_.listen_tls.empty()) certificates_->Set(options_.tls->IndexFor(*snapshot));
        snapshots_->Set(snapshot, std::move(done));
      });
  accepting_.store(static_cast<int>(workers_.size() * (1 + options_.listen_tls.size())));
  for (auto& worker : workers_) {
    asio::co_spawn(worker->context, Accept(*worker, worker->acceptor, Listener{false, port_}),
                   asio::detached);
    for (size_t i = 0; i < worker->tls_acceptors.size(); ++i) {
      asio::co_spawn(worker->context,
                     Accept(*worker, *worker->tls_acceptors[i], Listener{true, tls_ports_[i]}),
                     asio::detached);
    }
    worker->thread = std::thread([context = &worker->context] { context->run(); });
  }
  return absl::OkStatus();
}

void ProxyServer::BeginDrain(std::chrono::milliseconds idle_close) {
  draining_.store(true, std::memory_order_relaxed);
  for (auto& worker : workers_) {
    asio::co_spawn(worker->context, Drain(*worker, idle_close), asio::detached);
  }
}

asio::awaitable<void> ProxyServer::Drain(Worker& worker, std::chrono::milliseconds idle_close) {
  beast::error_code error;
  // Only stop accepting: a successor holds the same sockets and goes on accepting from them.
  worker.acceptor.cancel(error);
  for (auto& acceptor : worker.tls_acceptors) acceptor->cancel(error);
  for (Connection* connection : worker.connections) connection->closing = true;
  // Close connections that have waited long enough for a next request; the rest end with their
  // next response (Connection: close), their GOAWAY (HTTP/2) or when the process's drain
  // deadline passes.
  asio::steady_timer timer(worker.context);
  const auto tick = std::clamp(idle_close / 4, std::chrono::milliseconds(10),
                               std::chrono::milliseconds(250));
  // Runs until the server stops: a connection accepted just before the drain may join later.
  for (;;) {
    const auto now = std::chrono::steady_clock::now();
    for (Connection* connection : worker.connections) {
      if (connection->http2 != nullptr) connection->http2->Drain(idle_close);
      if (connection->idle && now - connection->idle_since >= idle_close) {
        connection->socket->cancel(error);
      }
    }
    timer.expires_after(tick);
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, error));
  }
}

void ProxyServer::Stop() {
  if (subscription_.has_value()) store_.Unsubscribe(*std::exchange(subscription_, std::nullopt));
  for (auto& worker : workers_) worker->context.stop();
  for (auto& worker : workers_) {
    if (worker->thread.joinable()) worker->thread.join();
  }
  // The workers first: their contexts (and the coroutine frames their io_contexts destroy) refer
  // to the slots' entries.
  workers_.clear();
  scratches_.reset();
  certificates_.reset();
  snapshots_.reset();
  loops_.reset();
}

asio::awaitable<void> ProxyServer::Accept(Worker& worker, tcp::acceptor& acceptor,
                                          Listener listener) {
  struct StopsAccepting {
    std::atomic<int>& accepting;
    ~StopsAccepting() { accepting.fetch_sub(1); }
  } stops_accepting{accepting_};
  // The drain's cancel ends a pending accept; an accept that completed just before it is served
  // (its connection is owed an answer), and then no other is begun. Drain runs on this worker's
  // thread, after BeginDrain set draining_: this thread sees the flag from then on.
  while (acceptor.is_open() && !draining_.load(std::memory_order_relaxed)) {
    beast::error_code error;
    tcp::socket socket = co_await acceptor.async_accept(
        asio::redirect_error(asio::use_awaitable, error));
    if (error) {
      if (error == asio::error::operation_aborted) co_return;
      continue;  // e.g. EMFILE: keep accepting once descriptors free up
    }
    if (connections_.load(std::memory_order_relaxed) >= options_.max_connections) {
      socket.close(error);
      continue;
    }
    // Counted from now, not from when Serve first runs: a drain that sees no connection and no
    // accepting worker may stop the server, and this one must not be cut off unanswered.
    auto slot = std::make_unique<ConnectionSlot>(connections_);
    asio::co_spawn(worker.context,
                   Serve(worker, std::move(socket), std::move(slot), listener), asio::detached);
  }
}

// `slot` counts the connection until this returns.
asio::awaitable<void> ProxyServer::Serve(Worker& worker, tcp::socket socket,
                                         std::unique_ptr<ConnectionSlot> slot,
                                         Listener listener) {
  beast::error_code error;
  socket.set_option(tcp::no_delay(true), error);
  beast::tcp_stream tcp(std::move(socket));
  SocketDeadline deadline(worker.deadlines, &tcp.socket());
  // Bounded: the parser needs a whole header block, chunk-size line or trailer block in it, and
  // nothing a client sends may grow it further (431 / 400 past the bound, see BodyReadRefusal).
  beast::flat_buffer buffer(options_.max_header_bytes + kReadBufferSlack);
  // Before the connection joins the drain's list: a PROXY header is bounded by its own
  // deadline, and a connection that has not sent one is owed nothing.
  std::optional<ClientInfo> client = co_await IdentifyClient(tcp, buffer, deadline);
  if (!client.has_value()) co_return;
  client->server_port = listener.port;
  if (!listener.tls) {
    ClientStream stream(tcp);
    if (options_.http2_cleartext && co_await ReadsPreface(stream, deadline, buffer)) {
      co_await ServeHttp2(worker, stream, buffer, *client);
    } else {
      co_await ServeRequests(worker, stream, deadline, buffer, *client);
    }
    co_return;
  }
  SSL* ssl = SSL_new(options_.tls->base_context());
  if (ssl == nullptr) co_return;
  tls::BindCertificateIndex(ssl, &certificates_->Get(worker.index));
  TlsStream tls(std::move(tcp), ssl);  // owns `ssl`
  deadline.Watch(tls.next_layer().socket());
  if (!co_await Handshake(worker, tls, deadline, buffer)) {
    tls.next_layer().socket().close(error);
    co_return;
  }
  client->tls = tls::FactsOf(ssl);
  ClientStream stream(tls);
  const unsigned char* alpn = nullptr;
  unsigned int alpn_length = 0;
  SSL_get0_alpn_selected(ssl, &alpn, &alpn_length);
  const std::string_view protocol(reinterpret_cast<const char*>(alpn), alpn_length);
  if (options_.http2 && protocol == "h2") {
    co_await ServeHttp2(worker, stream, buffer, *client);
  } else {
    co_await ServeRequests(worker, stream, deadline, buffer, *client);
  }
}

asio::awaitable<bool> ProxyServer::ReadsPreface(ClientStream& stream, SocketDeadline& deadline,
                                                beast::flat_buffer& buffer) {
  const std::string_view preface = http2::kConnectionPreface;
  beast::error_code error;
  for (;;) {
    const std::string_view received(static_cast<const char*>(buffer.data().data()),
                                    buffer.size());
    const size_t compared = std::min(received.size(), preface.size());
    if (received.substr(0, compared) != preface.substr(0, compared)) co_return false;
    if (compared == preface.size()) co_return true;
    deadline.Arm(options_.header_timeout);
    const size_t n = co_await stream.async_read_some(
        buffer.prepare(preface.size() - received.size()),
        asio::redirect_error(asio::use_awaitable, error));
    deadline.Disarm(error);
    // HTTP/1.1 answers what there is (a 408, or nothing to a closed connection).
    if (error) co_return false;
    buffer.commit(n);
  }
}

asio::awaitable<void> ProxyServer::ServeHttp2(Worker& worker, ClientStream& stream,
                                              beast::flat_buffer& buffer,
                                              const ClientInfo& tcp_client) {
  ClientInfo client = tcp_client;
  client.http2 = true;
  Connection connection;
  connection.socket = &stream.tcp().socket();
  connection.idle = false;  // the drain closes it with GOAWAY, not as an idle connection
  connection.closing = draining_.load(std::memory_order_relaxed);
  http2::Http2Connection session(stream, options_.http2_options, handler_, worker.context_state,
                                 client, connection.closing, http2_counters_);
  connection.http2 = &session;
  worker.connections.insert(&connection);
  struct Unregister {
    Worker& worker;
    Connection* connection;
    ~Unregister() { worker.connections.erase(connection); }
  } unregister{worker, &connection};
  co_await session.Serve(buffer);
  SocketDeadline deadline(worker.deadlines, &stream.tcp().socket());
  co_await CloseClient(stream, deadline, /*clean=*/true);
}

asio::awaitable<bool> ProxyServer::Handshake(Worker& worker, TlsStream& stream,
                                             SocketDeadline& deadline,
                                             beast::flat_buffer& buffer) {
  beast::error_code error;
  deadline.Arm(options_.handshake_timeout);
  if (buffer.size() > 0) {
    // Bytes read with a PROXY header are the start of the handshake.
    stream.PrependReceived(
        std::string_view(static_cast<const char*>(buffer.data().data()), buffer.size()));
    buffer.consume(buffer.size());
  }
  co_await stream.async_handshake(asio::redirect_error(asio::use_awaitable, error));
  deadline.Disarm(error);
  if (error) {
    handshakes_failed_.fetch_add(1, std::memory_order_relaxed);
    co_return false;
  }
  handshakes_completed_.fetch_add(1, std::memory_order_relaxed);
  if (SSL_session_reused(stream.native_handle()) == 1) {
    handshakes_resumed_.fetch_add(1, std::memory_order_relaxed);
  }
  co_return true;
}

asio::awaitable<void> ProxyServer::ServeRequests(Worker& worker, ClientStream& stream,
                                                 SocketDeadline& deadline,
                                                 beast::flat_buffer& buffer,
                                                 const ClientInfo& client) {
  beast::error_code error;
  ConnectionBuffers buffers;
  Connection connection;
  connection.socket = &stream.tcp().socket();
  // Not idle: its first request may be on the wire, or already in the buffer after a PROXY
  // header.
  connection.idle = false;
  // A connection accepted just before the drain began is owed its first answer.
  connection.closing = draining_.load(std::memory_order_relaxed);
  worker.connections.insert(&connection);
  struct Unregister {
    Worker& worker;
    Connection* connection;
    ~Unregister() { worker.connections.erase(connection); }
  } unregister{worker, &connection};
  // A new connection is owed an answer to its first request, which may be on the wire: the
  // drain closes only connections idle between requests.
  bool served_one = false;
  for (;;) {
    // Between requests the idle timeout applies. Once the first byte of a request arrives, the
    // whole header must follow within the header timeout: a client dripping bytes (slowloris)
    // cannot hold the connection longer than that.
    if (buffer.size() == 0) {
      deadline.Arm(options_.idle_timeout);
      connection.idle = served_one;
      connection.idle_since = std::chrono::steady_clock::now();
      const size_t n = co_await stream.async_read_some(buffer.prepare(4096),
                                                       asio::redirect_error(asio::use_awaitable, error));
      connection.idle = false;
      deadline.Disarm();
      // Idle timeout, the client closed, or the drain closed an idle connection.
      if (error) break;
      buffer.commit(n);
    }
    RequestParser parser;
    parser.header_limit(options_.max_header_bytes);
    parser.body_limit(boost::none);  // bodies are streamed; the handler applies the zone's limit
    error = {};
    if (!ParseBufferedHeader(parser, buffer, error)) {
      deadline.Arm(options_.header_timeout);
      co_await http::async_read_header(stream, buffer, parser,
                                       asio::redirect_error(asio::use_awaitable, error));
      deadline.Disarm(error);
    }
    std::optional<Refusal> refusal;
    if (error == http::error::end_of_stream) {
      // Closed mid-header: nothing can be answered.
      break;
    } else if (error) {
      refusal = ReadErrorRefusal(error, error == beast::error::timeout, parser, buffer,
                                 options_.max_uri_bytes);
      if (!refusal.has_value()) break;
    } else if (parser.get().target().size() > options_.max_uri_bytes) {
      refusal = kUriTooLong;
    }
    ClientExchange exchange{stream, deadline, buffer, parser, client, worker.context_state,
                            buffers, connection.closing};
    if (refusal.has_value()) {
      // The request could not be read whole, so the connection cannot be reused.
      co_await handler_.RefuseUnread(exchange, *refusal);
      break;
    }
    const bool again = co_await handler_.Handle(exchange);
    served_one = true;
    if (!again) break;
  }
  co_await CloseClient(stream, deadline, !error);
}

asio::awaitable<void> ProxyServer::CloseClient(ClientStream& stream, SocketDeadline& deadline,
                                               bool clean) {
  beast::error_code error;
  beast::tcp_stream& tcp = stream.tcp();
  if (TlsStream* tls = stream.tls(); tls != nullptr && clean) {
    // close_notify, so the client can tell the end from a cut; then the client's own, or its
    // close, or the deadline.
    deadline.Arm(std::chrono::seconds(1));
    co_await tls->async_shutdown(asio::redirect_error(asio::use_awaitable, error));
    deadline.Disarm();
    error = {};
  }
  // Half-close, then drain briefly: closing a socket with unread request bytes sends a reset,
  // which can destroy the response (a 413, say) before the client has read it.
  tcp.socket().shutdown(tcp::socket::shutdown_send, error);
  if (!error) {
    tcp.expires_after(std::chrono::seconds(1));
    char discard[4096];
    size_t drained = 0;
    while (drained < 1024 * 1024) {
      const size_t n = co_await tcp.async_read_some(
          asio::buffer(discard), asio::redirect_error(asio::use_awaitable, error));
      if (error) break;
      drained += n;
    }
  }
  tcp.socket().close(error);
}

asio::awaitable<std::optional<ClientInfo>> ProxyServer::IdentifyClient(
    beast::tcp_stream& stream, beast::flat_buffer& buffer, SocketDeadline& deadline) {
  beast::error_code error;
  const tcp::endpoint peer = stream.socket().remote_endpoint(error);
  if (error) co_return std::nullopt;
  ClientInfo client{ClientAddress::Of(peer.address())};
  const tcp::endpoint local = stream.socket().local_endpoint(error);
  if (!error) client.server_ip = ClientAddress::Of(local.address()).ip();
  error.clear();
  if (!options_.proxy_protocol) co_return client;

  // The header is believed only from the proxies the operator named: from anyone else it
  // would let a client choose its own address. Such a peer is not read from at all.
  absl::Status refused;
  if (!handler_.options().trusted_proxies.Contains(client.address.ip())) {
    refused = absl::PermissionDeniedError("the peer is not in --trusted-proxies");
  } else {
    // The whole header within one deadline: a sender dripping bytes cannot hold the
    // connection.
    deadline.Arm(options_.proxy_header_timeout);
    for (;;) {
      const std::string_view received(static_cast<const char*>(buffer.data().data()),
                                      buffer.size());
      const absl::StatusOr<std::optional<ProxyHeader>> parsed = ParseProxyHeader(received);
      if (!parsed.ok()) {
        refused = parsed.status();
        break;
      }
      if (parsed->has_value()) {
        const ProxyHeader& header = **parsed;
        // LOCAL, UNKNOWN and families without an IP address: the peer is the client.
        if (header.endpoints.has_value()) {
          client.address = ClientAddress(header.endpoints->source);
          client.server_ip = ClientAddress(header.endpoints->destination).ip();
        }
        buffer.consume(header.size);
        break;
      }
      if (buffer.size() >= kMaxProxyHeaderBytes) {  // the parser decides before this
        refused = absl::InvalidArgumentError("PROXY protocol: header too long");
        break;
      }
      const size_t room = std::min<size_t>(4096, buffer.max_size() - buffer.size());
      const size_t n = co_await stream.async_read_some(
          buffer.prepare(room), asio::redirect_error(asio::use_awaitable, error));
      if (error) {
        deadline.Disarm(error);
        refused = error == beast::error::timeout
                      ? absl::DeadlineExceededError("PROXY protocol: header not whole in time")
                      : absl::UnavailableError("PROXY protocol: closed before the header was "
                                               "whole");
        break;
      }
      buffer.commit(n);
    }
    deadline.Disarm();
  }
  if (refused.ok()) co_return client;
  proxy_headers_refused_.fetch_add(1, std::memory_order_relaxed);
  GH_LOG(DEBUG) << "connection from " << client.address.text() << " closed: "
                << refused.message();
  co_return std::nullopt;
}

}  // namespace gatehouse::runtime
