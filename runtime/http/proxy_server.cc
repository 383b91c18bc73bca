#include "runtime/http/proxy_server.h"

#include <sys/socket.h>

#include <cstdio>

#include "boost/asio/co_spawn.hpp"
#include "boost/asio/detached.hpp"
#include "boost/asio/io_context.hpp"
#include "boost/asio/redirect_error.hpp"
#include "boost/asio/use_awaitable.hpp"
#include "boost/beast/core/flat_buffer.hpp"
#include "boost/beast/http/empty_body.hpp"
#include "boost/beast/http/read.hpp"
#include "boost/beast/http/write.hpp"
#include "common/host_port.h"
#include "runtime/http/socket_watchdog.h"

namespace gatehouse::runtime {

struct ProxyServer::Worker {
  explicit Worker(const UpstreamPoolOptions& options) : context_state(options) {}
  asio::io_context context{1};
  WorkerContext context_state;
  tcp::acceptor acceptor{context};
  std::thread thread;
};

namespace {

using ReusePort = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;

// Counts a connection for as long as it lives.
class ConnectionSlot {
 public:
  explicit ConnectionSlot(std::atomic<int64_t>& count) : count_(count) { count_.fetch_add(1); }
  ~ConnectionSlot() { count_.fetch_sub(1); }
  ConnectionSlot(const ConnectionSlot&) = delete;
  ConnectionSlot& operator=(const ConnectionSlot&) = delete;

 private:
  std::atomic<int64_t>& count_;
};

// The answer to a request that could not be read: status, and a reason in the body.
std::optional<HttpResponse> ReadErrorResponse(const beast::error_code& error,
                                              bool timed_out, const RequestParser& parser,
                                              const beast::flat_buffer& buffer,
                                              size_t max_uri_bytes) {
  if (timed_out) {
    return MakeEdgeResponse(http::status::request_timeout, 11, "Request timed out.\n");
  }
  if (error == http::error::header_limit) {
    // Beast consumes the request line once it has parsed it. A request line that was never
    // parsed and is longer than the URI limit overflowed the header block by itself: that is
    // a URI too long, not a header block too large.
    const std::string_view received(static_cast<const char*>(buffer.data().data()),
                                    buffer.size());
    if (parser.get().target().empty() && received.find("\r\n") > max_uri_bytes) {
      return MakeEdgeResponse(http::status::uri_too_long, 11, "URI too long.\n");
    }
    return MakeEdgeResponse(http::status::request_header_fields_too_large, 11,
                            "Request header fields too large.\n");
  }
  if (error.category() == http::make_error_code(http::error::bad_target).category()) {
    return MakeEdgeResponse(http::status::bad_request, 11, "Malformed request.\n");
  }
  return std::nullopt;  // the connection is gone: nothing to answer
}

}  // namespace

ProxyServer::ProxyServer(ProxyServerOptions options, RequestHandler& handler)
    : options_(std::move(options)), handler_(handler) {}

ProxyServer::~ProxyServer() { Stop(); }

absl::Status ProxyServer::Start() {
  auto address = ParseHostPort(options_.listen);
  if (!address.ok()) return address.status();
  beast::error_code error;
  const auto ip = asio::ip::make_address(address->host, error);
  if (error) return absl::InvalidArgumentError("--listen: " + address->host + " is not an IP");
  uint16_t port = address->port;
  for (int i = 0; i < std::max(1, options_.workers); ++i) {
    auto worker = std::make_unique<Worker>(handler_.options().upstream_pool);
    tcp::acceptor& acceptor = worker->acceptor;
    const tcp::endpoint endpoint(ip, port);
    acceptor.open(endpoint.protocol(), error);
    if (!error) acceptor.set_option(asio::socket_base::reuse_address(true), error);
    if (!error) acceptor.set_option(ReusePort(true), error);
    if (!error) acceptor.bind(endpoint, error);
    if (!error) acceptor.listen(asio::socket_base::max_listen_connections, error);
    if (error) {
      return absl::UnavailableError("cannot listen on " + options_.listen + ": " +
                                    error.message());
    }
    // Port 0: the first socket picks the port, the others join it.
    port = acceptor.local_endpoint().port();
    workers_.push_back(std::move(worker));
  }
  port_ = port;
  for (auto& worker : workers_) {
    asio::co_spawn(worker->context, Accept(*worker), asio::detached);
    worker->thread = std::thread([context = &worker->context] { context->run(); });
  }
  return absl::OkStatus();
}

void ProxyServer::Stop() {
  for (auto& worker : workers_) worker->context.stop();
  for (auto& worker : workers_) {
    if (worker->thread.joinable()) worker->thread.join();
  }
  workers_.clear();
}

asio::awaitable<void> ProxyServer::Accept(Worker& worker) {
  for (;;) {
    beast::error_code error;
    tcp::socket socket = co_await worker.acceptor.async_accept(
        asio::redirect_error(asio::use_awaitable, error));
    if (error) {
      if (error == asio::error::operation_aborted) co_return;
      continue;  // e.g. EMFILE: keep accepting once descriptors free up
    }
    if (connections_.load(std::memory_order_relaxed) >= options_.max_connections) {
      socket.close(error);
      continue;
    }
    asio::co_spawn(worker.context, Serve(worker, std::move(socket)), asio::detached);
  }
}

asio::awaitable<void> ProxyServer::Serve(Worker& worker, tcp::socket socket) {
  ConnectionSlot slot(connections_);
  beast::error_code error;
  ClientInfo client;
  client.address = socket.remote_endpoint(error).address();
  if (error) co_return;
  socket.set_option(tcp::no_delay(true), error);
  beast::tcp_stream stream(std::move(socket));
  SocketWatchdog watchdog(stream.socket());
  beast::flat_buffer buffer;
  std::unique_ptr<char[]> relay_buffer;
  for (;;) {
    // Between requests the idle timeout applies. Once the first byte of a request arrives, the
    // whole header must follow within the header timeout: a client dripping bytes (slowloris)
    // cannot hold the connection longer than that.
    if (buffer.size() == 0) {
      stream.expires_after(options_.idle_timeout);
      const size_t n = co_await stream.async_read_some(buffer.prepare(4096),
                                                       asio::redirect_error(asio::use_awaitable, error));
      if (error) break;  // idle timeout or the client closed: nothing to answer
      buffer.commit(n);
    }
    RequestParser parser;
    parser.header_limit(options_.max_header_bytes);
    parser.body_limit(boost::none);  // bodies are streamed; the handler applies the zone's limit
    // The watchdog, not the stream's own timeout, bounds client reads: a stream timeout closes
    // the socket, and a 408 could not be sent.
    stream.expires_never();
    watchdog.Arm(options_.header_timeout);
    co_await http::async_read_header(stream, buffer, parser,
                                     asio::redirect_error(asio::use_awaitable, error));
    watchdog.Disarm();
    std::optional<HttpResponse> refusal;
    if (error == http::error::end_of_stream) {
      // Closed mid-header: nothing can be answered.
      break;
    } else if (error) {
      refusal = ReadErrorResponse(error, watchdog.fired(), parser, buffer, options_.max_uri_bytes);
      if (!refusal.has_value()) break;
    } else if (parser.get().target().size() > options_.max_uri_bytes) {
      refusal = MakeEdgeResponse(http::status::uri_too_long, 11, "URI too long.\n");
    } else if (parser.get().version() != 10 && parser.get().version() != 11) {
      refusal = MakeEdgeResponse(http::status::http_version_not_supported, 11,
                                 "HTTP version not supported.\n");
    }
    if (refusal.has_value()) {
      // The request could not be read whole, so the connection cannot be reused.
      refusal->keep_alive(false);
      stream.expires_after(options_.header_timeout);
      co_await http::async_write(stream, *refusal, asio::redirect_error(asio::use_awaitable, error));
      break;
    }
    ClientExchange exchange{stream, watchdog, buffer, parser, client, worker.context_state,
                            relay_buffer};
    const bool again = co_await handler_.Handle(exchange);
    if (!again) break;
  }
  // Half-close, then drain briefly: closing a socket with unread request bytes sends a reset,
  // which can destroy the response (a 413, say) before the client has read it.
  stream.socket().shutdown(tcp::socket::shutdown_send, error);
  if (!error) {
    stream.expires_after(std::chrono::seconds(1));
    char discard[4096];
    size_t drained = 0;
    while (drained < 1024 * 1024) {
      const size_t n = co_await stream.async_read_some(
          asio::buffer(discard), asio::redirect_error(asio::use_awaitable, error));
      if (error) break;
      drained += n;
    }
  }
  stream.socket().close(error);
}

}  // namespace gatehouse::runtime
