#include "runtime/http/stream_channel.h"

#include <algorithm>
#include <cstring>

#include "boost/asio/error.hpp"
#include "boost/asio/post.hpp"

namespace gatehouse::runtime {

void StreamChannel::Complete(std::optional<Handler>& pending, beast::error_code error, size_t n) {
  if (!pending.has_value()) return;
  Handler handler = *std::move(pending);
  pending.reset();
  asio::post(executor_,
             [handler = std::move(handler), error, n]() mutable { std::move(handler)(error, n); });
}

void StreamChannel::StartRead(asio::mutable_buffer to, Handler handler) {
  read_.emplace(std::move(handler));
  read_to_ = to;
  TryRead();
}

void StreamChannel::TryRead() {
  if (!read_.has_value()) return;
  if (reset_) return Complete(read_, asio::error::connection_reset, 0);
  if (input_.size() == 0 && !input_ended_ && read_to_.size() > 0) return;  // wait for bytes
  if (input_.size() == 0 && read_to_.size() > 0) return Complete(read_, asio::error::eof, 0);
  const size_t n = std::min(read_to_.size(), input_.size());
  std::memcpy(read_to_.data(), input_.data().data(), n);
  input_.consume(n);
  Complete(read_, {}, n);
  if (n > 0 && input_.size() == 0 && on_input_drained_) on_input_drained_();
}

void StreamChannel::StartWrite(asio::const_buffer from, Handler handler) {
  write_.emplace(std::move(handler));
  write_from_ = from;
  TryWrite();
}

void StreamChannel::TryWrite() {
  if (!write_.has_value()) return;
  if (reset_) return Complete(write_, asio::error::connection_reset, 0);
  const size_t room = output_room_ > output_.size() ? output_room_ - output_.size() : 0;
  if (room == 0 && write_from_.size() > 0) return;  // wait for the protocol to take some
  const size_t n = std::min(room, write_from_.size());
  asio::buffer_copy(output_.prepare(n), asio::const_buffer(write_from_.data(), n));
  output_.commit(n);
  if (output_end_after_.has_value()) {
    *output_end_after_ -= std::min(*output_end_after_, n);
    if (*output_end_after_ == 0) output_ended_ = true;
  }
  Complete(write_, {}, n);
  if (n > 0 && on_output_) on_output_();
}

void StreamChannel::CancelPending() {
  Complete(read_, asio::error::operation_aborted, 0);
  Complete(write_, asio::error::operation_aborted, 0);
}

void StreamChannel::SubmitHead(const ResponseFields& head) {
  if (!reset_ && on_head_) on_head_(head);
}

void StreamChannel::EndBodyAfter(size_t bytes) {
  if (reset_) return;
  if (bytes > 0) {
    output_end_after_ = bytes;
    return;
  }
  output_ended_ = true;
  if (on_output_) on_output_();
}

void StreamChannel::Supply(std::string_view bytes) {
  if (reset_ || input_ended_) return;
  asio::buffer_copy(input_.prepare(bytes.size()), asio::buffer(bytes));
  input_.commit(bytes.size());
  TryRead();
}

void StreamChannel::EndInput() {
  input_ended_ = true;
  TryRead();
}

void StreamChannel::Reset() {
  reset_ = true;
  input_.clear();
  output_.clear();
  TryRead();
  TryWrite();
}

}  // namespace gatehouse::runtime
