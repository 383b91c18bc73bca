// demo_origin: a small HTTP origin for the demo and the tests. It answers every request with a
// text body that echoes what it received, so a client can see what the proxy forwarded:
//   /status/NNN  answers with status NNN
//   /slow/MS     answers after MS milliseconds
//   anything else: 200
#include <csignal>
#include <cstdio>
#include <string>

#include "boost/asio/signal_set.hpp"
#include "boost/asio/steady_timer.hpp"
#include "boost/asio/use_awaitable.hpp"
#include "common/flags.h"
#include "common/host_port.h"
#include "runtime/http/simple_server.h"

namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using gatehouse::runtime::HttpRequest;
using gatehouse::runtime::HttpResponse;
using gatehouse::runtime::SimpleHttpServer;

std::string g_name = "origin";

int NumberAfter(std::string_view target, std::string_view prefix) {
  if (target.substr(0, prefix.size()) != prefix) return -1;
  return std::atoi(std::string(target.substr(prefix.size())).c_str());
}

asio::awaitable<HttpResponse> Answer(HttpRequest& request) {
  const std::string_view target = request.target();
  int status = 200;
  if (const int code = NumberAfter(target, "/status/"); code >= 100 && code <= 599) status = code;
  if (const int ms = NumberAfter(target, "/slow/"); ms > 0) {
    asio::steady_timer timer(co_await asio::this_coro::executor, std::chrono::milliseconds(ms));
    co_await timer.async_wait(asio::use_awaitable);
  }
  HttpResponse response(static_cast<http::status>(status), request.version());
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
  co_return response;
}

}  // namespace

int main(int argc, char** argv) {
  std::string listen = "127.0.0.1:9001";
  gatehouse::FlagSet flags("demo_origin", "demo_origin [flags]",
                           "A small HTTP origin that echoes what it receives. /status/NNN answers "
                           "with status NNN; /slow/MS answers after MS milliseconds.");
  flags.AddString("listen", &listen, "Address to listen on, HOST:PORT (port 0 picks one).");
  flags.AddString("name", &g_name, "Name echoed in every response (x-origin header and body).");
  flags.ParseOrExit(argc, argv);
  SimpleHttpServer server(listen, Answer);
  if (auto status = server.Bind(); !status.ok()) {
    std::fprintf(stderr, "demo_origin: %s\n", std::string(status.message()).c_str());
    return 1;
  }
  auto address = *gatehouse::ParseHostPort(listen);  // Bind() accepted it
  address.port = server.port();
  std::printf("ready http=%s\n", address.ToString().c_str());
  std::fflush(stdout);
  asio::signal_set signals(server.context(), SIGINT, SIGTERM);
  signals.async_wait([&](auto, auto) { server.context().stop(); });
  server.Run();
  return 0;
}
