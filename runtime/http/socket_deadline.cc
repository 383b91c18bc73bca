#include "runtime/http/socket_deadline.h"

#include <algorithm>

namespace gatehouse::runtime {
namespace {

// Deadlines due within this of each other are handled by one wake-up.
constexpr std::chrono::milliseconds kCoalesce{5};

}  // namespace

void DeadlineSweeper::Schedule(Clock::time_point at) {
  if (!timer_.has_value()) return;
  at = std::max(at, Clock::now() + kCoalesce);
  scheduled_ = at;
  // Re-arming cancels the pending wait; its handler sees operation_aborted and does nothing.
  timer_->expires_at(at);
  timer_->async_wait([this](const beast::error_code& error) {
    if (error) return;
    scheduled_.reset();
    Sweep();
  });
}

void DeadlineSweeper::Sweep() {
  const Clock::time_point now = Clock::now();
  Clock::time_point earliest = Clock::time_point::max();
  for (SocketDeadline* deadline = first_; deadline != nullptr; deadline = deadline->next_) {
    if (deadline->due_ == Clock::time_point::max()) continue;
    if (deadline->due_ <= now) {
      deadline->due_ = Clock::time_point::max();
      deadline->fired_ = true;
      beast::error_code ignored;
      // Completes the pending operations with operation_aborted, later, from the io_context:
      // nothing runs inside this loop.
      if (deadline->socket_ != nullptr) deadline->socket_->cancel(ignored);
      if (deadline->io_ != nullptr) deadline->io_->CancelPending();
    } else {
      earliest = std::min(earliest, deadline->due_);
    }
  }
  if (earliest != Clock::time_point::max()) Schedule(earliest);
}

SocketDeadline::SocketDeadline(DeadlineSweeper& sweeper, tcp::socket* socket)
    : sweeper_(sweeper), socket_(socket), next_(sweeper.first_) {
  if (next_ != nullptr) next_->previous_ = this;
  sweeper_.first_ = this;
}

SocketDeadline::~SocketDeadline() {
  if (previous_ != nullptr) {
    previous_->next_ = next_;
  } else {
    sweeper_.first_ = next_;
  }
  if (next_ != nullptr) next_->previous_ = previous_;
}

void SocketDeadline::Arm(std::chrono::steady_clock::duration timeout) {
  fired_ = false;
  due_ = DeadlineSweeper::Clock::now() + timeout;
  // The timer moves only for a deadline earlier than every other: rare in steady state, where
  // deadlines are armed later than the ones before them.
  if (!sweeper_.scheduled_.has_value() || due_ < *sweeper_.scheduled_) sweeper_.Schedule(due_);
}

}  // namespace gatehouse::runtime
