// demo_origin: a small HTTP origin for the demo and the tests. It answers every request with a
// text body that echoes what it received, so a client can see what the proxy forwarded:
//   /status/NNN  answers with status NNN
//   /slow/MS     answers after MS milliseconds
//   anything else: 200
#include <csignal>
#include <cstdio>
#include <string>

#include "boost/asio/co_spawn.hpp"
#include "boost/asio/detached.hpp"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/redirect_error.hpp"
#include "boost/asio/signal_set.hpp"
#include "boost/asio/steady_timer.hpp"
#include "boost/asio/use_awaitable.hpp"
#include "boost/beast/core/flat_buffer.hpp"
#include "boost/beast/core/tcp_stream.hpp"
#include "boost/beast/http.hpp"
#include "common/flags.h"
#include "common/host_port.h"

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

std::string g_name = "origin";

int StatusFromPath(std::string_view target, std::string_view prefix) {
  if (target.substr(0, prefix.size()) != prefix) return -1;
  return std::atoi(std::string(target.substr(prefix.size())).c_str());
}

asio::awaitable<void> Serve(tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  beast::error_code error;
  for (;;) {
    http::request<http::string_body> request;
    co_await http::async_read(stream, buffer, request,
                              asio::redirect_error(asio::use_awaitable, error));
    if (error) break;
    const std::string_view target = request.target();
    int status = 200;
    if (const int code = StatusFromPath(target, "/status/"); code >= 100 && code <= 599) {
      status = code;
    }
    if (const int ms = StatusFromPath(target, "/slow/"); ms > 0) {
      asio::steady_timer timer(stream.get_executor(), std::chrono::milliseconds(ms));
      co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, error));
    }
    http::response<http::string_body> response(static_cast<http::status>(status),
                                               request.version());
    response.set(http::field::content_type, "text/plain");
    response.set("x-origin", g_name);
    std::string body = "origin " + g_name + ": " + std::string(request.method_string()) + " " +
                       std::string(target) + "\n";
    for (const std::string_view name : {"host", "x-forwarded-for", "x-forwarded-proto", "via"}) {
      if (request.count(name) != 0) {
        body += std::string(name) + ": " + std::string(request[name]) + "\n";
      }
    }
    if (!request.body().empty()) body += "body: " + request.body() + "\n";
    response.body() = std::move(body);
    response.keep_alive(request.keep_alive());
    response.prepare_payload();
    co_await http::async_write(stream, response, asio::redirect_error(asio::use_awaitable, error));
    if (error || !response.keep_alive()) break;
  }
  stream.socket().shutdown(tcp::socket::shutdown_send, error);
}

asio::awaitable<void> Accept(tcp::acceptor& acceptor) {
  for (;;) {
    beast::error_code error;
    tcp::socket socket =
        co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, error));
    if (error) co_return;
    asio::co_spawn(acceptor.get_executor(), Serve(std::move(socket)), asio::detached);
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string listen = "127.0.0.1:9001";
  gatehouse::FlagSet flags("demo_origin", "demo_origin [flags]",
                           "A small HTTP origin that echoes what it receives.");
  flags.AddString("listen", &listen, "Address to listen on, HOST:PORT (port 0 picks one).");
  flags.AddString("name", &g_name, "Name echoed in every response (x-origin header and body).");
  flags.ParseOrExit(argc, argv);
  auto address = gatehouse::ParseHostPort(listen);
  if (!address.ok()) {
    std::fprintf(stderr, "demo_origin: %s\n", std::string(address.status().message()).c_str());
    return 2;
  }
  asio::io_context context(1);
  tcp::acceptor acceptor(context);
  beast::error_code error;
  const tcp::endpoint endpoint(asio::ip::make_address(address->host, error), address->port);
  if (!error) acceptor.open(endpoint.protocol(), error);
  if (!error) acceptor.set_option(asio::socket_base::reuse_address(true), error);
  if (!error) acceptor.bind(endpoint, error);
  if (!error) acceptor.listen(asio::socket_base::max_listen_connections, error);
  if (error) {
    std::fprintf(stderr, "demo_origin: cannot listen on %s: %s\n", listen.c_str(),
                 error.message().c_str());
    return 1;
  }
  address->port = acceptor.local_endpoint().port();
  std::printf("ready http=%s\n", address->ToString().c_str());
  std::fflush(stdout);
  asio::signal_set signals(context, SIGINT, SIGTERM);
  signals.async_wait([&](auto, auto) { context.stop(); });
  asio::co_spawn(context, Accept(acceptor), asio::detached);
  context.run();
  return 0;
}
