#include "runtime/http/eager_send.h"

#include <sys/socket.h>
#include <sys/uio.h>

#include <array>
#include <cerrno>

#include "boost/asio/redirect_error.hpp"
#include "boost/asio/use_awaitable.hpp"
#include "boost/asio/write.hpp"
#include "boost/beast/core/buffers_suffix.hpp"
#include "runtime/http/client_stream.h"

namespace gatehouse::runtime {
namespace {

// One non-blocking sendmsg of as many buffers as an iovec array here holds. Returns the bytes
// sent; 0 with no error when the socket would block.
size_t SendNow(int fd, std::span<const asio::const_buffer> buffers, beast::error_code& error) {
  std::array<iovec, 8> vectors;
  size_t count = 0;
  for (const asio::const_buffer& buffer : buffers) {
    if (count == vectors.size()) break;
    if (buffer.size() == 0) continue;
    vectors[count++] = {const_cast<void*>(buffer.data()), buffer.size()};
  }
  if (count == 0) return 0;
  msghdr message{};
  message.msg_iov = vectors.data();
  message.msg_iovlen = count;
  for (;;) {
    const ssize_t sent = ::sendmsg(fd, &message, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (sent >= 0) return static_cast<size_t>(sent);
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) {
      error = beast::error_code(errno, asio::error::get_system_category());
    }
    return 0;
  }
}


// After the bytes the socket took at once (`sent`), the rest through Asio, within `timeout`.
template <typename Stream>
asio::awaitable<void> SendRest(Stream& stream, std::span<const asio::const_buffer> buffers,
                               size_t sent, SocketDeadline& deadline,
                               std::chrono::milliseconds timeout, beast::error_code& error) {
  beast::buffers_suffix<std::span<const asio::const_buffer>> rest(buffers);
  rest.consume(sent);
  if (error || beast::buffer_bytes(rest) == 0) co_return;
  deadline.Arm(timeout);
  co_await asio::async_write(stream, rest, asio::redirect_error(asio::use_awaitable, error));
  deadline.Disarm(error);
}

}  // namespace

asio::awaitable<void> SendEagerly(beast::tcp_stream& stream,
                                  std::span<const asio::const_buffer> buffers,
                                  SocketDeadline& deadline, std::chrono::milliseconds timeout,
                                  beast::error_code& error) {
  const size_t sent = SendNow(stream.socket().native_handle(), buffers, error);
  return SendRest(stream, buffers, sent, deadline, timeout, error);
}

asio::awaitable<void> SendEagerly(ClientStream& stream,
                                  std::span<const asio::const_buffer> buffers,
                                  SocketDeadline& deadline, std::chrono::milliseconds timeout,
                                  beast::error_code& error) {
  // Returns the plain path's awaitable itself: no coroutine frame of its own per response.
  if (StreamChannel* channel = stream.channel(); channel != nullptr) {
    return SendRest(*channel, buffers, 0, deadline, timeout, error);
  }
  if (stream.tls() == nullptr) return SendEagerly(stream.tcp(), buffers, deadline, timeout, error);
  // TLS the same way: the records the socket takes now, then the rest.
  const std::span<const asio::const_buffer> coalesced = stream.Coalesce(buffers);
  const size_t sent = stream.tls()->WriteNow(coalesced, error);
  return SendRest(*stream.tls(), coalesced, sent, deadline, timeout, error);
}

}  // namespace gatehouse::runtime
