#pragma once

#include "runtime/http/http_types.h"

namespace gatehouse::runtime {

// Parsing what a connection's buffer already holds, without a read. http::async_read_header and
// http::async_read_some do this too, but complete through the io_context even when no byte was
// read: a scheduler round trip for the common message, whose bytes arrived in one read. Each
// function returns true when it made the progress asked for (or failed: see `error`), and false
// when the parser needs bytes from the socket; the async read then carries on from there.

// Feeds the parser until its header is done.
template <bool kIsRequest>
bool ParseBufferedHeader(http::basic_parser<kIsRequest>& parser, beast::flat_buffer& buffer,
                         beast::error_code& error) {
  while (!parser.is_header_done()) {
    if (buffer.size() == 0) return false;
    const size_t used = parser.put(buffer.data(), error);
    buffer.consume(used);
    if (error == http::error::need_more) {
      error = {};
      return false;
    }
    if (error) return true;
  }
  return true;
}

// Feeds the parser's body once (into its buffer_body, up to that body's room).
template <bool kIsRequest>
bool ParseBufferedBody(http::basic_parser<kIsRequest>& parser, beast::flat_buffer& buffer,
                       beast::error_code& error) {
  if (buffer.size() == 0 || parser.is_done()) return false;
  const size_t used = parser.put(buffer.data(), error);
  buffer.consume(used);
  if (error == http::error::need_more) {
    error = {};
    return used > 0;
  }
  return true;
}

}  // namespace gatehouse::runtime
