#pragma once

// One request of a multiplexed connection (an HTTP/2 stream) as the request path reads and
// writes a connection: an in-memory byte stream. The protocol puts the request in as HTTP/1.1
// bytes; the response encoder hands it the response's heads as fields and writes the body's
// bytes unframed (FramedResponseSink), so one request path serves every protocol. Reads and writes
// complete through the executor, never inside the call that unblocks them: the protocol may feed
// the channel from within its own callbacks.

#include <cstddef>
#include <functional>
#include <optional>
#include <string_view>
#include <utility>

#include "boost/asio/any_completion_handler.hpp"
#include "boost/asio/any_io_executor.hpp"
#include "boost/asio/async_result.hpp"
#include "boost/asio/buffer.hpp"
#include "runtime/http/http_types.h"
#include "runtime/http/response_sink.h"
#include "runtime/http/socket_deadline.h"

namespace gatehouse::runtime {

class StreamChannel final : public CancellableIo, public FramedResponseSink {
 public:
  using executor_type = asio::any_io_executor;
  using Handler = asio::any_completion_handler<void(beast::error_code, size_t)>;
  using HeadHandler = std::function<void(const ResponseFields&)>;

  // `output_room`: how many response bytes the channel holds before a write waits for the
  // protocol to take them (the stream's backpressure). `on_head` gets each response head at
  // once; `on_output` runs after each write the handler makes and when the body's end is
  // known; `on_input_drained` once the handler has read every request byte supplied (the
  // protocol then reopens its flow-control window).
  StreamChannel(executor_type executor, size_t output_room, HeadHandler on_head,
                std::function<void()> on_output, std::function<void()> on_input_drained)
      : executor_(std::move(executor)),
        output_room_(output_room),
        on_head_(std::move(on_head)),
        on_output_(std::move(on_output)),
        on_input_drained_(std::move(on_input_drained)) {}
  StreamChannel(const StreamChannel&) = delete;
  StreamChannel& operator=(const StreamChannel&) = delete;

  executor_type get_executor() const { return executor_; }

  // The handler's side (an AsyncStream). A read gets the supplied request bytes, then eof once
  // the input ended; a write appends to the output, waiting while it is full.
  template <typename MutableBuffers, typename Token>
  auto async_read_some(const MutableBuffers& buffers, Token&& token) {
    return asio::async_initiate<Token, void(beast::error_code, size_t)>(
        [this](auto handler, const MutableBuffers& to) {
          StartRead(asio::buffer(*asio::buffer_sequence_begin(to)), Handler(std::move(handler)));
        },
        token, buffers);
  }
  template <typename ConstBuffers, typename Token>
  auto async_write_some(const ConstBuffers& buffers, Token&& token) {
    return asio::async_initiate<Token, void(beast::error_code, size_t)>(
        [this](auto handler, const ConstBuffers& from) {
          // The first non-empty buffer: a write may take part of what it is given.
          asio::const_buffer first;
          for (auto it = asio::buffer_sequence_begin(from); it != asio::buffer_sequence_end(from);
               ++it) {
            first = asio::const_buffer(*it);
            if (first.size() > 0) break;
          }
          StartWrite(first, Handler(std::move(handler)));
        },
        token, buffers);
  }
  // A deadline passed: the pending read and write complete with operation_aborted.
  void CancelPending() override;

  // The response encoder's side (FramedResponseSink).
  void SubmitHead(const ResponseFields& head) override;
  void EndBodyAfter(size_t bytes) override;

  // The protocol's side.
  // Request bytes for the handler.
  void Supply(std::string_view bytes);
  // The request is whole: reads past the supplied bytes get eof.
  void EndInput();
  // The stream is gone (reset, or the connection closed): every pending and later operation
  // fails with connection_reset.
  void Reset();
  bool reset() const { return reset_; }
  // The bytes the handler wrote and the protocol has not taken. The protocol consumes from it,
  // then calls OutputTaken, which lets a waiting write go on.
  beast::flat_buffer& output() { return output_; }
  void OutputTaken() { TryWrite(); }
  // Request bytes supplied and not yet read by the handler.
  size_t input_size() const { return input_.size(); }
  // The response's body is whole in output() (what is still there is its last bytes).
  bool output_ended() const { return output_ended_; }

 private:
  void StartRead(asio::mutable_buffer to, Handler handler);
  void StartWrite(asio::const_buffer from, Handler handler);
  // Completes the pending read or write, if it can now.
  void TryRead();
  void TryWrite();
  void Complete(std::optional<Handler>& pending, beast::error_code error, size_t n);

  executor_type executor_;
  const size_t output_room_;
  HeadHandler on_head_;
  std::function<void()> on_output_;
  std::function<void()> on_input_drained_;
  beast::flat_buffer input_;
  beast::flat_buffer output_;
  bool input_ended_ = false;
  bool output_ended_ = false;
  std::optional<size_t> output_end_after_;  // body bytes still to be written before its end
  bool reset_ = false;
  std::optional<Handler> read_;
  asio::mutable_buffer read_to_;
  std::optional<Handler> write_;
  asio::const_buffer write_from_;
};

}  // namespace gatehouse::runtime
