#pragma once

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "runtime/http/http_types.h"

namespace gatehouse::runtime {

// A small single-threaded HTTP/1.1 server with keep-alive, for side ports (the proxy's admin
// listener, the demo origin). Not the proxy's client-facing server: that is ProxyServer.
class SimpleHttpServer {
 public:
  using Handler = std::function<asio::awaitable<HttpResponse>(HttpRequest&)>;

  SimpleHttpServer(std::string listen, Handler handler);
  ~SimpleHttpServer();

  // Binds; then serves on its own thread (Start) or on the caller's (Run, until Stop).
  absl::Status Bind();
  // Serves an already listening socket instead (handed over by a predecessor); owns it.
  absl::Status Adopt(int listening_fd);
  // The listening socket, for handing over to a successor.
  int listener_fd();
  void Start();
  void Run();
  void Stop();

  uint16_t port() const { return port_; }
  asio::io_context& context();

 private:
  struct State;
  std::unique_ptr<State> state_;
  uint16_t port_ = 0;
};

}  // namespace gatehouse::runtime
