#include "runtime/http/simple_server.h"

#include <sys/socket.h>

#include "boost/asio/co_spawn.hpp"
#include "boost/asio/detached.hpp"
#include "boost/asio/io_context.hpp"
#include "boost/asio/redirect_error.hpp"
#include "boost/asio/use_awaitable.hpp"
#include "boost/beast/core/flat_buffer.hpp"
#include "boost/beast/http/read.hpp"
#include "boost/beast/http/write.hpp"
#include "common/host_port.h"

namespace gatehouse::runtime {

struct SimpleHttpServer::State {
  std::string listen;
  Handler handler;
  asio::io_context context{1};
  tcp::acceptor acceptor{context};
  std::thread thread;
};

namespace {

asio::awaitable<void> Serve(tcp::socket socket, const SimpleHttpServer::Handler& handler) {
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  beast::error_code error;
  for (;;) {
    stream.expires_after(std::chrono::seconds(60));
    HttpRequest request;
    co_await http::async_read(stream, buffer, request,
                              asio::redirect_error(asio::use_awaitable, error));
    if (error) break;
    HttpResponse response = co_await handler(request);
    response.version(request.version());
    response.keep_alive(request.keep_alive());
    response.prepare_payload();
    co_await http::async_write(stream, response, asio::redirect_error(asio::use_awaitable, error));
    if (error || !response.keep_alive()) break;
  }
  stream.socket().shutdown(tcp::socket::shutdown_send, error);
}

asio::awaitable<void> Accept(tcp::acceptor& acceptor, const SimpleHttpServer::Handler& handler) {
  for (;;) {
    beast::error_code error;
    tcp::socket socket =
        co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, error));
    if (error == asio::error::operation_aborted) co_return;
    if (error) continue;
    asio::co_spawn(acceptor.get_executor(), Serve(std::move(socket), handler), asio::detached);
  }
}

}  // namespace

SimpleHttpServer::SimpleHttpServer(std::string listen, Handler handler)
    : state_(std::make_unique<State>()) {
  state_->listen = std::move(listen);
  state_->handler = std::move(handler);
}

SimpleHttpServer::~SimpleHttpServer() { Stop(); }

asio::io_context& SimpleHttpServer::context() { return state_->context; }

absl::Status SimpleHttpServer::Bind() {
  auto address = ParseHostPort(state_->listen);
  if (!address.ok()) return address.status();
  beast::error_code error;
  const auto ip = asio::ip::make_address(address->host, error);
  if (error) return absl::InvalidArgumentError(address->host + " is not an IP address");
  const tcp::endpoint endpoint(ip, address->port);
  tcp::acceptor& acceptor = state_->acceptor;
  acceptor.open(endpoint.protocol(), error);
  if (!error) acceptor.set_option(asio::socket_base::reuse_address(true), error);
  if (!error) acceptor.bind(endpoint, error);
  if (!error) acceptor.listen(asio::socket_base::max_listen_connections, error);
  if (error) {
    return absl::UnavailableError("cannot listen on " + state_->listen + ": " + error.message());
  }
  port_ = acceptor.local_endpoint().port();
  asio::co_spawn(state_->context, Accept(acceptor, state_->handler), asio::detached);
  return absl::OkStatus();
}

absl::Status SimpleHttpServer::Adopt(int listening_fd) {
  sockaddr_storage address{};
  socklen_t length = sizeof(address);
  if (getsockname(listening_fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    return absl::InvalidArgumentError("descriptor " + std::to_string(listening_fd) +
                                      " is not a socket");
  }
  beast::error_code error;
  state_->acceptor.assign(address.ss_family == AF_INET6 ? tcp::v6() : tcp::v4(), listening_fd,
                          error);
  if (error) return absl::InvalidArgumentError("cannot adopt a listener: " + error.message());
  port_ = state_->acceptor.local_endpoint(error).port();
  asio::co_spawn(state_->context, Accept(state_->acceptor, state_->handler), asio::detached);
  return absl::OkStatus();
}

int SimpleHttpServer::listener_fd() { return state_->acceptor.native_handle(); }

void SimpleHttpServer::Start() {
  state_->thread = std::thread([this] { state_->context.run(); });
}

void SimpleHttpServer::Run() { state_->context.run(); }

void SimpleHttpServer::Stop() {
  state_->context.stop();
  if (state_->thread.joinable()) state_->thread.join();
}

}  // namespace gatehouse::runtime
