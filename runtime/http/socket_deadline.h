#pragma once

#include <chrono>
#include <optional>

#include "boost/asio/steady_timer.hpp"
#include "runtime/http/http_types.h"

namespace gatehouse::runtime {

class SocketDeadline;

// What a deadline cancels when it is not a socket: an in-memory stream (an HTTP/2 stream's
// channel) whose pending operations complete with operation_aborted.
class CancellableIo {
 public:
  virtual void CancelPending() = 0;

 protected:
  ~CancellableIo() = default;
};

// The deadlines of one worker's sockets, kept by one timer. Arming a deadline is a clock read and
// a store; the timer wakes when the earliest deadline is due and cancels the pending operations
// of every socket whose deadline has passed. Unlike beast::tcp_stream's timeouts this costs no
// timer operation per read or write, and it cancels instead of closing, so the proxy can still
// answer 408. Used from the worker's thread only.
class DeadlineSweeper {
 public:
  DeadlineSweeper() = default;
  DeadlineSweeper(const DeadlineSweeper&) = delete;
  DeadlineSweeper& operator=(const DeadlineSweeper&) = delete;

  // Binds the timer to the worker's executor; deadlines armed before this never fire.
  void Start(const asio::any_io_executor& executor) { timer_.emplace(executor); }
  // Destroys the timer while its io_context is alive. The sweeper itself may outlive the
  // io_context: coroutine frames the io_context destroys still unregister their deadlines.
  void Stop() { timer_.reset(); }

 private:
  friend class SocketDeadline;
  using Clock = std::chrono::steady_clock;

  void Schedule(Clock::time_point at);
  void Sweep();

  SocketDeadline* first_ = nullptr;  // every registered deadline, armed or not
  std::optional<asio::steady_timer> timer_;
  std::optional<Clock::time_point> scheduled_;
};

// A deadline for the operations on one socket. Arm it before an operation, Disarm it after:
// an operation still pending when the deadline passes is cancelled, and Disarm reports it as
// beast::error::timeout.
class SocketDeadline {
 public:
  // `socket` may be null until Watch names one.
  SocketDeadline(DeadlineSweeper& sweeper, tcp::socket* socket);
  ~SocketDeadline();
  SocketDeadline(const SocketDeadline&) = delete;
  SocketDeadline& operator=(const SocketDeadline&) = delete;

  void Watch(tcp::socket& socket) { socket_ = &socket; }
  void Watch(CancellableIo& io) { io_ = &io; }
  void Arm(std::chrono::steady_clock::duration timeout);
  void Disarm() { due_ = DeadlineSweeper::Clock::time_point::max(); }
  // Disarms; when this deadline cancelled the operation that produced `error`, makes it
  // beast::error::timeout.
  void Disarm(beast::error_code& error) {
    Disarm();
    if (error && fired_) error = beast::error::timeout;
  }
  // Whether the last armed deadline passed (and cancelled what was pending).
  bool fired() const { return fired_; }

 private:
  friend class DeadlineSweeper;

  DeadlineSweeper& sweeper_;
  tcp::socket* socket_;
  CancellableIo* io_ = nullptr;  // cancelled instead of a socket (null: none)
  DeadlineSweeper::Clock::time_point due_ = DeadlineSweeper::Clock::time_point::max();
  bool fired_ = false;
  SocketDeadline* previous_ = nullptr;
  SocketDeadline* next_ = nullptr;
};

}  // namespace gatehouse::runtime
