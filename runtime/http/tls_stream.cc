#include "runtime/http/tls_stream.h"

#include <openssl/err.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>

#include "boost/asio/ssl/error.hpp"

namespace gatehouse::runtime {

// OpenSSL's reads and writes on the connection's socket: first the bytes read before the
// handshake, then the kernel's, never blocking (the socket's own mode is Asio's).
struct SocketBio {
  static TlsStream& StreamOf(BIO* bio) { return *static_cast<TlsStream*>(BIO_get_data(bio)); }

  static int Read(BIO* bio, char* out, int size) {
    BIO_clear_retry_flags(bio);
    if (size <= 0) return 0;
    TlsStream& stream = StreamOf(bio);
    if (stream.received_offset_ < stream.received_.size()) {
      const size_t n =
          std::min(static_cast<size_t>(size), stream.received_.size() - stream.received_offset_);
      std::memcpy(out, stream.received_.data() + stream.received_offset_, n);
      stream.received_offset_ += n;
      if (stream.received_offset_ == stream.received_.size()) {
        stream.received_.clear();
        stream.received_.shrink_to_fit();
        stream.received_offset_ = 0;
      }
      return static_cast<int>(n);
    }
    const int fd = stream.tcp_.socket().native_handle();
    for (;;) {
      const ssize_t n = ::recv(fd, out, static_cast<size_t>(size), MSG_DONTWAIT);
      if (n >= 0) return static_cast<int>(n);
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) BIO_set_retry_read(bio);
      return -1;
    }
  }

  static int Write(BIO* bio, const char* in, int size) {
    BIO_clear_retry_flags(bio);
    if (size <= 0) return 0;
    const int fd = StreamOf(bio).tcp_.socket().native_handle();
    for (;;) {
      const ssize_t n = ::send(fd, in, static_cast<size_t>(size), MSG_DONTWAIT | MSG_NOSIGNAL);
      if (n >= 0) return static_cast<int>(n);
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) BIO_set_retry_write(bio);
      return -1;
    }
  }

  // Writes go out at once: there is nothing to flush.
  static long Control(BIO*, int command, long, void*) {  // NOLINT(runtime/int): OpenSSL's type
    return command == BIO_CTRL_FLUSH ? 1 : 0;
  }

  static int Create(BIO* bio) {
    BIO_set_init(bio, 1);
    return 1;
  }

  static const BIO_METHOD* Method() {
    static const BIO_METHOD* const method = [] {
      BIO_METHOD* made = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "gatehouse");
      BIO_meth_set_read(made, &Read);
      BIO_meth_set_write(made, &Write);
      BIO_meth_set_ctrl(made, &Control);
      BIO_meth_set_create(made, &Create);
      return made;
    }();
    return method;
  }
};

TlsStream::TlsStream(beast::tcp_stream&& tcp, SSL* ssl) : tcp_(std::move(tcp)), ssl_(ssl) {
  BIO* bio = BIO_new(SocketBio::Method());
  BIO_set_data(bio, this);
  SSL_set_bio(ssl_, bio, bio);  // one reference, for both directions
  // Partial writes as async_write_some reports them; a retried write may come from another
  // buffer holding the same bytes; buffers go back to the pool while the connection is idle.
  SSL_set_mode(ssl_, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
                         SSL_MODE_RELEASE_BUFFERS);
  // Read as much as the kernel has, not one record header and then its body.
  SSL_set_read_ahead(ssl_, 1);
  SSL_set_accept_state(ssl_);
}

TlsStream::~TlsStream() { SSL_free(ssl_); }

namespace {

// Before each OpenSSL call: Failed reads errno and the error queue, which a previous call (on
// any connection of this thread) may have left set.
void ClearErrors() {
  errno = 0;
  ERR_clear_error();
}

}  // namespace

void TlsStream::PrependReceived(std::string_view received) {
  received_.insert(received_offset_, received);
}

size_t TlsStream::WriteNow(std::span<const asio::const_buffer> buffers, beast::error_code& error) {
  size_t written = 0;
  for (const asio::const_buffer& buffer : buffers) {
    size_t offset = 0;
    while (offset < buffer.size()) {
      const Attempt attempt =
          Write(static_cast<const char*>(buffer.data()) + offset, buffer.size() - offset);
      if (attempt.error) error = attempt.error;
      if (attempt.wait != Wait::kNone || attempt.error) return written;
      offset += attempt.bytes;
      written += attempt.bytes;
    }
  }
  return written;
}

TlsStream::Attempt TlsStream::Handshake() {
  ClearErrors();
  const int result = SSL_do_handshake(ssl_);
  return result == 1 ? Attempt{} : Failed(result);
}

TlsStream::Attempt TlsStream::Read(void* data, size_t size) {
  if (size == 0) return {};
  ClearErrors();
  size_t read = 0;
  const int result = SSL_read_ex(ssl_, data, size, &read);
  return result == 1 ? Attempt{Wait::kNone, {}, read} : Failed(result);
}

TlsStream::Attempt TlsStream::Write(const void* data, size_t size) {
  if (size == 0) return {};
  ClearErrors();
  size_t written = 0;
  const int result = SSL_write_ex(ssl_, data, size, &written);
  return result == 1 ? Attempt{Wait::kNone, {}, written} : Failed(result);
}

TlsStream::Attempt TlsStream::Shutdown() {
  ClearErrors();
  const int result = SSL_shutdown(ssl_);
  if (result == 1) return {};
  // Ours is sent; the next call reads the client's.
  if (result == 0) return {Wait::kRead, {}, 0};
  return Failed(result);
}

TlsStream::Attempt TlsStream::Failed(int result) {
  const int saved_errno = errno;
  switch (SSL_get_error(ssl_, result)) {
    case SSL_ERROR_WANT_READ:
      return {Wait::kRead, {}, 0};
    case SSL_ERROR_WANT_WRITE:
      return {Wait::kWrite, {}, 0};
    case SSL_ERROR_ZERO_RETURN:  // the client's close_notify
      return {Wait::kNone, asio::error::eof, 0};
    case SSL_ERROR_SYSCALL:
      ERR_clear_error();
      if (saved_errno == 0) return {Wait::kNone, asio::ssl::error::stream_truncated, 0};
      return {Wait::kNone, beast::error_code(saved_errno, asio::error::get_system_category()), 0};
    default: {
      const unsigned long code = ERR_get_error();  // NOLINT(runtime/int): OpenSSL's type
      ERR_clear_error();
      // The client closed without close_notify, as Asio's stream says it.
      if (ERR_GET_REASON(code) == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
        return {Wait::kNone, asio::ssl::error::stream_truncated, 0};
      }
      return {Wait::kNone,
              beast::error_code(static_cast<int>(code), asio::error::get_ssl_category()), 0};
    }
  }
}

}  // namespace gatehouse::runtime
