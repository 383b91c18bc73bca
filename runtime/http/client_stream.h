#pragma once

// The client's connection as the request path reads and writes it: plain TCP or TLS over it,
// one code path for both. Include only where bytes move (it brings in OpenSSL); elsewhere
// a forward declaration of ClientStream does.

#include <span>
#include <string>
#include <utility>

#include "boost/asio/async_result.hpp"
#include "runtime/http/client_stream_fwd.h"
#include "runtime/http/http_types.h"
#include "runtime/http/stream_channel.h"
#include "runtime/http/tls_stream.h"

namespace gatehouse::runtime {

// A view of a client connection, plain or TLS (which the connection's owner holds), or of one
// stream of a multiplexed connection (HTTP/2), as an AsyncStream: Beast's reads and writes take
// it as they take the stream itself. A plain connection costs one predictable branch per
// operation over the tcp_stream itself.
class ClientStream {
 public:
  using executor_type = beast::tcp_stream::executor_type;

  explicit ClientStream(beast::tcp_stream& plain) : tcp_(&plain) {}
  explicit ClientStream(TlsStream& tls) : tcp_(&tls.next_layer()), tls_(&tls) {}
  explicit ClientStream(StreamChannel& channel) : channel_(&channel) {}
  ClientStream(const ClientStream&) = delete;
  ClientStream& operator=(const ClientStream&) = delete;

  executor_type get_executor() {
    return channel_ != nullptr ? channel_->get_executor() : tcp_->get_executor();
  }
  // The TCP connection under TLS, or the plain one: deadlines, shutdown and close act on it.
  // Not for a channel (a stream has no connection of its own).
  beast::tcp_stream& tcp() { return *tcp_; }
  // Null on a plain connection.
  TlsStream* tls() { return tls_; }
  // Non-null for one stream of a multiplexed connection.
  StreamChannel* channel() { return channel_; }

  // `buffers` as one buffer when they are several and small together: TLS writes one record
  // (and one system call) per buffer, so a head and a small body would cost two.
  // Valid until the next call.
  std::span<const asio::const_buffer> Coalesce(std::span<const asio::const_buffer> buffers) {
    static constexpr size_t kMaxCoalesced = 16 * 1024;  // one TLS record
    if (buffers.size() < 2 || asio::buffer_size(buffers) > kMaxCoalesced) return buffers;
    coalesced_.clear();
    for (const asio::const_buffer& buffer : buffers) {
      coalesced_.append(static_cast<const char*>(buffer.data()), buffer.size());
    }
    coalesced_buffer_ = asio::buffer(coalesced_);
    return {&coalesced_buffer_, 1};
  }

  template <typename MutableBuffers, typename Token>
  auto async_read_some(const MutableBuffers& buffers, Token&& token) {
    return asio::async_initiate<Token, void(beast::error_code, size_t)>(
        [this](auto handler, const MutableBuffers& to) {
          if (channel_ != nullptr) {
            channel_->async_read_some(to, std::move(handler));
          } else if (tls_ != nullptr) {
            tls_->async_read_some(to, std::move(handler));
          } else {
            tcp_->async_read_some(to, std::move(handler));
          }
        },
        token, buffers);
  }

  template <typename ConstBuffers, typename Token>
  auto async_write_some(const ConstBuffers& buffers, Token&& token) {
    return asio::async_initiate<Token, void(beast::error_code, size_t)>(
        [this](auto handler, const ConstBuffers& from) {
          if (channel_ != nullptr) {
            channel_->async_write_some(from, std::move(handler));
          } else if (tls_ != nullptr) {
            tls_->async_write_some(from, std::move(handler));
          } else {
            tcp_->async_write_some(from, std::move(handler));
          }
        },
        token, buffers);
  }

 private:
  beast::tcp_stream* tcp_ = nullptr;
  TlsStream* tls_ = nullptr;
  StreamChannel* channel_ = nullptr;
  std::string coalesced_;  // Coalesce's, reused by the connection's writes
  asio::const_buffer coalesced_buffer_;
};

}  // namespace gatehouse::runtime
