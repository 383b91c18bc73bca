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

namespace gatehouse::runtime {

struct ProxyServer::Worker {
  asio::io_context context{1};
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
std::optional<HttpResponse> ReadErrorResponse(const beast::error_code& error) {
  if (error == http::error::header_limit) {
    return MakeEdgeResponse(http::status::request_header_fields_too_large, 11,
                            "Request header fields too large.\n");
  }
  if (error == http::error::body_limit) {
    return MakeEdgeResponse(http::status::payload_too_large, 11, "Request body too large.\n");
  }
  if (error == beast::error::timeout) {
    return MakeEdgeResponse(http::status::request_timeout, 11, "Request timed out.\n");
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
    auto worker = std::make_unique<Worker>();
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
    asio::co_spawn(worker.context, Serve(std::move(socket)), asio::detached);
  }
}

asio::awaitable<void> ProxyServer::Serve(tcp::socket socket) {
  ConnectionSlot slot(connections_);
  beast::error_code error;
  ClientInfo client;
  client.address = socket.remote_endpoint(error).address();
  if (error) co_return;
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(options_.max_header_bytes);
    parser.body_limit(options_.max_body_bytes);
    // Between requests the idle timeout applies; once bytes arrive, the header timeout.
    stream.expires_after(buffer.size() == 0 ? options_.idle_timeout : options_.header_timeout);
    co_await http::async_read_header(stream, buffer, parser,
                                     asio::redirect_error(asio::use_awaitable, error));
    if (error == http::error::end_of_stream) break;
    std::optional<HttpResponse> refusal;
    if (error) {
      refusal = ReadErrorResponse(error);
      if (!refusal.has_value()) break;
    } else if (parser.get().target().size() > options_.max_uri_bytes) {
      refusal = MakeEdgeResponse(http::status::uri_too_long, 11, "URI too long.\n");
    } else {
      if (parser.get()[http::field::expect] == "100-continue" && !parser.is_done()) {
        http::response<http::empty_body> go_on(http::status::continue_, 11);
        co_await http::async_write(stream, go_on, asio::redirect_error(asio::use_awaitable, error));
        if (error) break;
      }
      stream.expires_after(options_.body_timeout);
      co_await http::async_read(stream, buffer, parser,
                                asio::redirect_error(asio::use_awaitable, error));
      if (error) {
        refusal = ReadErrorResponse(error);
        if (!refusal.has_value()) break;
      }
    }
    if (refusal.has_value()) {
      // The request could not be read whole, so the connection cannot be reused.
      refusal->keep_alive(false);
      stream.expires_after(options_.body_timeout);
      co_await http::async_write(stream, *refusal, asio::redirect_error(asio::use_awaitable, error));
      break;
    }
    HttpRequest request = parser.release();
    HttpResponse response = co_await handler_.Handle(request, client);
    const bool head = request.method() == http::verb::head;
    response.keep_alive(request.keep_alive());
    if (!head) response.prepare_payload();
    stream.expires_after(options_.body_timeout);
    co_await http::async_write(stream, response, asio::redirect_error(asio::use_awaitable, error));
    if (error || !response.keep_alive()) break;
  }
  stream.socket().shutdown(tcp::socket::shutdown_send, error);
}

}  // namespace gatehouse::runtime
