#pragma once

// A server's TLS connection that reads and writes its socket itself: OpenSSL's records go
// straight to and from the kernel (one recv per read, read ahead; one send per record written)
// and Asio only waits for the socket to be ready, as nginx drives OpenSSL. Asio's ssl::stream
// runs OpenSSL over a memory BIO pair instead: every byte is copied twice more and every read
// and write is a composed operation of several steps, which on keep-alive HTTPS left the proxy
// behind nginx (bench/RESULTS.md, "TLS").

#include <openssl/ssl.h>

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "boost/asio/append.hpp"
#include "boost/asio/buffer.hpp"
#include "boost/asio/compose.hpp"
#include "boost/asio/post.hpp"
#include "boost/beast/core/tcp_stream.hpp"
#include "runtime/http/http_types.h"

namespace gatehouse::runtime {

class TlsStream {
 public:
  using executor_type = beast::tcp_stream::executor_type;

  // A server-side connection over the accepted `tcp`; takes `ssl` (freed with the stream).
  TlsStream(beast::tcp_stream&& tcp, SSL* ssl);
  ~TlsStream();
  TlsStream(const TlsStream&) = delete;
  TlsStream& operator=(const TlsStream&) = delete;

  beast::tcp_stream& next_layer() { return tcp_; }
  SSL* native_handle() { return ssl_; }
  executor_type get_executor() { return tcp_.get_executor(); }

  // Bytes read from the socket before the handshake (after a PROXY protocol header): OpenSSL
  // reads them first.
  void PrependReceived(std::string_view received);

  // Writes what the socket takes now, never waiting: whole buffers in order, then stops at the
  // first the socket does not take (write the rest with async_write_some, starting there).
  // Returns the bytes written; `error` is set when the connection failed.
  size_t WriteNow(std::span<const asio::const_buffer> buffers, beast::error_code& error);

  // The AsyncStream operations, each complete through the executor (never inside the call).
  template <typename Token>
  auto async_handshake(Token&& token) {
    return Run([this] { return Handshake(); }, std::forward<Token>(token));
  }
  template <typename MutableBuffers, typename Token>
  auto async_read_some(const MutableBuffers& buffers, Token&& token) {
    const asio::mutable_buffer first = FirstNonEmpty<asio::mutable_buffer>(buffers);
    return Run([this, first] { return Read(first.data(), first.size()); },
               std::forward<Token>(token));
  }
  template <typename ConstBuffers, typename Token>
  auto async_write_some(const ConstBuffers& buffers, Token&& token) {
    const asio::const_buffer first = FirstNonEmpty<asio::const_buffer>(buffers);
    return Run([this, first] { return Write(first.data(), first.size()); },
               std::forward<Token>(token));
  }
  // close_notify, then the client's (or its close).
  template <typename Token>
  auto async_shutdown(Token&& token) {
    return Run([this] { return Shutdown(); }, std::forward<Token>(token));
  }

 private:
  enum class Wait { kNone, kRead, kWrite };
  // One non-blocking try of an OpenSSL call: finished (`error` set or not), or waiting.
  struct Attempt {
    Wait wait = Wait::kNone;
    beast::error_code error;
    size_t bytes = 0;
  };

  // Retries `step` each time the socket is ready for what it waits for.
  template <typename Step>
  class Operation {
   public:
    Operation(TlsStream& stream, Step step) : stream_(stream), step_(std::move(step)) {}

    template <typename Self>
    void operator()(Self& self) {
      Try(self);
    }
    // The socket is ready (or the wait failed: a deadline cancels it).
    template <typename Self>
    void operator()(Self& self, beast::error_code error) {
      if (error) {
        self.complete(error, 0);
      } else {
        Try(self);
      }
    }
    // Finished at once, completed through the executor.
    template <typename Self>
    void operator()(Self& self, beast::error_code error, size_t bytes) {
      self.complete(error, bytes);
    }

   private:
    template <typename Self>
    void Try(Self& self) {
      const Attempt attempt = step_();
      if (attempt.wait != Wait::kNone) {
        waited_ = true;
        stream_.tcp_.socket().async_wait(
            attempt.wait == Wait::kRead ? tcp::socket::wait_read : tcp::socket::wait_write,
            std::move(self));
      } else if (!waited_) {
        asio::post(stream_.get_executor(),
                   asio::append(std::move(self), attempt.error, attempt.bytes));
      } else {
        self.complete(attempt.error, attempt.bytes);
      }
    }

    TlsStream& stream_;
    Step step_;
    bool waited_ = false;
  };

  template <typename Step, typename Token>
  auto Run(Step step, Token&& token) {
    return asio::async_compose<Token, void(beast::error_code, size_t)>(
        Operation<Step>(*this, std::move(step)), token, tcp_);
  }

  template <typename Buffer, typename Buffers>
  static Buffer FirstNonEmpty(const Buffers& buffers) {
    for (auto it = asio::buffer_sequence_begin(buffers); it != asio::buffer_sequence_end(buffers);
         ++it) {
      if (Buffer(*it).size() > 0) return Buffer(*it);
    }
    return Buffer();
  }

  Attempt Handshake();
  Attempt Read(void* data, size_t size);
  Attempt Write(const void* data, size_t size);
  Attempt Shutdown();
  // What an OpenSSL call that returned `result` asks for, or how it failed.
  Attempt Failed(int result);

  // The BIO OpenSSL reads and writes through (tls_stream.cc).
  friend struct SocketBio;

  beast::tcp_stream tcp_;
  SSL* ssl_;
  std::string received_;  // PrependReceived's bytes, from received_offset_ on unread
  size_t received_offset_ = 0;
};

}  // namespace gatehouse::runtime
