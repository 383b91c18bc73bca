#pragma once

#include <chrono>

#include "boost/asio/steady_timer.hpp"
#include "runtime/http/http_types.h"

namespace gatehouse::runtime {

// A deadline for reads from a client that, unlike beast::tcp_stream's, cancels the pending
// operation without closing the socket, so the proxy can still answer 408. One per connection;
// used from the connection's own strand only.
class SocketWatchdog {
 public:
  explicit SocketWatchdog(tcp::socket& socket) : socket_(socket), timer_(socket.get_executor()) {}

  // Cancels the socket's pending operations after `timeout`, unless disarmed first.
  void Arm(std::chrono::steady_clock::duration timeout) {
    fired_ = false;
    timer_.expires_after(timeout);
    timer_.async_wait([this](const beast::error_code& error) {
      // Aborted: disarmed, re-armed or destroyed; `this` must not be touched then.
      if (error) return;
      fired_ = true;
      beast::error_code ignored;
      socket_.cancel(ignored);
    });
  }
  void Disarm() { timer_.cancel(); }
  // Whether the last armed deadline passed (the operation it cancelled failed for that reason).
  bool fired() const { return fired_; }

 private:
  tcp::socket& socket_;
  asio::steady_timer timer_;
  bool fired_ = false;
};

}  // namespace gatehouse::runtime
