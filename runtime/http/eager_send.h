#pragma once

#include <chrono>
#include <span>

#include "runtime/http/client_stream_fwd.h"
#include "runtime/http/http_types.h"
#include "runtime/http/socket_deadline.h"

namespace gatehouse::runtime {

// Sends `buffers` on `stream`: at once, from the calling coroutine, when the socket takes them
// all (the common case: a head and a small body fit the socket's send buffer), else the rest
// asynchronously with `deadline` armed for `timeout`. An async write costs a trip through the
// io_context even when its first system call sends everything; this skips it. Errors, the
// deadline's included (beast::error::timeout), come back in `error`.
asio::awaitable<void> SendEagerly(beast::tcp_stream& stream,
                                  std::span<const asio::const_buffer> buffers,
                                  SocketDeadline& deadline, std::chrono::milliseconds timeout,
                                  beast::error_code& error);

// The same to a client: eagerly on a plain connection; through TLS (which encrypts before any
// system call) with an asynchronous write.
asio::awaitable<void> SendEagerly(ClientStream& stream,
                                  std::span<const asio::const_buffer> buffers,
                                  SocketDeadline& deadline, std::chrono::milliseconds timeout,
                                  beast::error_code& error);

}  // namespace gatehouse::runtime
