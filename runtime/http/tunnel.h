#pragma once

#include <chrono>

#include "runtime/http/client_stream_fwd.h"
#include "runtime/http/http_types.h"

namespace gatehouse::runtime {

// A connection upgraded by an origin's 101 (WebSocket and the like): first what either side had
// already sent past the upgrade (left in its read buffer), then raw bytes both ways until one
// side closes, an error, or `idle_timeout` without a byte in a direction. An end of stream is
// passed on as a half-close, so the other direction can finish.
asio::awaitable<void> RunTunnel(ClientStream& client, beast::flat_buffer& client_buffered,
                                beast::tcp_stream& origin, beast::flat_buffer& origin_buffered,
                                std::chrono::milliseconds idle_timeout);

}  // namespace gatehouse::runtime
