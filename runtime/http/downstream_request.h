#pragma once

// Reading the client's request body once its header is read: piece by piece into the caller's
// storage, within each read's timeout, the whole body's deadline and the body limit, and what a
// failed read means for the client.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "runtime/http/client_exchange.h"
#include "runtime/http/http_types.h"
#include "runtime/http/socket_deadline.h"
#include "runtime/http/wire_format.h"

namespace gatehouse::runtime {

inline constexpr Refusal kBodyTooLarge{http::status::payload_too_large,
                                       "Request body too large.\n", "body_too_large"};

// The body length the request's header declared (Content-Length), if it declared one.
std::optional<uint64_t> DeclaredBodyLength(const RequestParser& parser);

// What a failed read of a request body means for the client: a timeout is 408, a chunk header or
// trailer block past the read buffer's bound 400 / 431, a framing error 400. Null: the client
// went away (nothing to answer). `buffer` holds the bytes not yet parsed.
std::optional<Refusal> BodyReadRefusal(const beast::error_code& error,
                                       const beast::flat_buffer& buffer);

struct BodyTimeouts {
  std::chrono::milliseconds per_read{30000};  // each read of the body
  // The whole body, however it trickles: `whole`, plus one second for every `min_rate` bytes
  // received (as Apache's mod_reqtimeout MinRate); min_rate 0: no extension.
  std::chrono::milliseconds whole{60000};
  uint64_t min_rate = 1024;
};

// The deadline of one request's body, counted from the request's start: a slow sender cannot
// hold a connection past it (408).
class BodyDeadline {
 public:
  using Clock = std::chrono::steady_clock;

  BodyDeadline(Clock::time_point started, const BodyTimeouts& timeouts)
      : started_(started), timeouts_(timeouts) {}

  // How long the next read may wait, `received` bytes of the body read: the per-read timeout,
  // cut to what is left of the whole body's deadline (<= 0: no time left).
  std::chrono::milliseconds NextRead(uint64_t received, Clock::time_point now = Clock::now()) const;

 private:
  Clock::time_point started_;
  BodyTimeouts timeouts_;
};

// How reading (part of) a request body ended.
struct BodyReadResult {
  bool ok() const { return !client_gone && !refusal.has_value(); }
  bool client_gone = false;        // the client went away: nothing to answer
  std::optional<Refusal> refusal;  // the body cannot be read or is too large: answer, then close
};

// The body of one client request, read after its header through the connection's buffer and
// the parser that read the header.
class DownstreamBody {
 public:
  DownstreamBody(ClientStream& stream, SocketDeadline& socket_deadline, beast::flat_buffer& buffer,
                 RequestParser& parser, BodyDeadline deadline, uint64_t limit)
      : stream_(stream),
        socket_deadline_(socket_deadline),
        buffer_(buffer),
        parser_(parser),
        deadline_(deadline),
        limit_(limit) {
    if (parser.chunked()) header_fields_.emplace(parser.get());
  }
  DownstreamBody(ClientExchange& exchange, BodyDeadline deadline, uint64_t limit)
      : DownstreamBody(exchange.stream, exchange.deadline, exchange.buffer, exchange.parser,
                       deadline, limit) {}
  DownstreamBody(const DownstreamBody&) = delete;
  DownstreamBody& operator=(const DownstreamBody&) = delete;

  // Whether the whole body has been read (or there is none).
  bool done() const { return parser_.is_done(); }
  // Bytes of the body read so far.
  uint64_t received() const { return received_; }
  // The trailer fields of a chunked body read whole, as forwarded (WriteTrailerFields), in
  // `storage`; empty when there are none.
  std::string_view Trailers(std::string& storage) const;
  // The request's header fields, when a chunked body's trailer fields may join them once it
  // is read; null: every field is the header's.
  const HeaderFieldSet* header_fields() const {
    return header_fields_.has_value() ? &*header_fields_ : nullptr;
  }

  // Reads the next piece of the body into [data, data + capacity). Returns its size, which may
  // be 0 when a read parsed only chunk framing. Past the limit: kBodyTooLarge.
  asio::awaitable<size_t> ReadPiece(char* data, size_t capacity, BodyReadResult& result);

  // Reads up to `want` bytes of the body into `prefix` (the part the rules inspect), first
  // answering `Expect: 100-continue` (the write bounded by `send_timeout`).
  asio::awaitable<BodyReadResult> ReadPrefix(size_t want, std::chrono::milliseconds send_timeout,
                                             std::string& prefix);

 private:
  // One read, without the limit: errors come back in `error`.
  asio::awaitable<size_t> Read(char* data, size_t capacity, beast::error_code& error);
  BodyReadResult Failed(const beast::error_code& error) const;

  ClientStream& stream_;
  SocketDeadline& socket_deadline_;
  beast::flat_buffer& buffer_;
  RequestParser& parser_;
  const BodyDeadline deadline_;
  const uint64_t limit_;
  uint64_t received_ = 0;
  // The request's fields when its header was read (a chunked body's only): those the parser
  // adds later are the body's trailer fields.
  std::optional<HeaderFieldSet> header_fields_;
};

}  // namespace gatehouse::runtime
