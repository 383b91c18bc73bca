#pragma once

// The origin's side of one request: a connection from the worker's pool (or a new one), the
// request's head and body sent on it, the response header read back (a stale pooled connection
// retried once when that is safe), then the response body piece by piece, and the connection
// returned to the pool when it may carry another request.

#include <chrono>
#include <optional>
#include <string_view>

#include "common/host_port.h"
#include "runtime/http/client_exchange.h"
#include "runtime/http/downstream_request.h"
#include "runtime/http/http_types.h"
#include "runtime/http/socket_deadline.h"
#include "runtime/http/upstream_pool.h"
#include "runtime/http/wire_format.h"

namespace gatehouse::runtime {

// What the client gets when the origin failed before any byte of its response was relayed: the
// answer says what happened.
struct OriginFailure {
  http::status status;
  std::string_view text;    // a literal: the body
  std::string_view action;  // a literal: for metrics and the access log
};

// A failed read of the origin's response (its header or its body's first piece): 504 for a
// timeout, else 502, malformed or closed.
OriginFailure DescribeOriginFailure(const beast::error_code& error);
// An origin that could not be reached: 502.
inline constexpr OriginFailure kOriginUnreachable{
    http::status::bad_gateway, "The origin could not be reached.\n", "origin_error"};

// Safe to send twice: a request that failed on a stale pooled connection may be retried once.
bool IsIdempotent(http::verb method);

class UpstreamExchange {
 public:
  using Clock = std::chrono::steady_clock;

  enum class Outcome {
    kResponse,       // the response header arrived: response(), then ReadBodyPiece
    kConnectFailed,  // the origin could not be reached
    kTimeout,        // connect or response header timed out (origin_error(): timeout)
    kBadResponse,    // the origin closed or sent no HTTP (origin_error())
    kClientGone,     // the client went away while its body streamed
    kClientRefused,  // the client's body cannot be read or is too large (client_refusal())
  };

  // What is sent.
  struct Request {
    HostPort server;
    std::string_view head;         // written by WriteUpstreamRequestHead
    BodyFraming framing;           // the body's framing, as the head declares it
    std::string_view body_prefix;  // the part of the body already read
    bool retry_safe = false;       // idempotent: may be sent twice
    bool head_request = false;     // the response has no body, whatever its head says
  };

  // `response_timeout` bounds the wait for the response header, each send, and each read of
  // the response body.
  UpstreamExchange(UpstreamPool& pool, DeadlineSweeper& deadlines,
                   std::chrono::milliseconds response_timeout)
      : pool_(pool), deadline_(deadlines, nullptr), response_timeout_(response_timeout) {}
  UpstreamExchange(const UpstreamExchange&) = delete;
  UpstreamExchange& operator=(const UpstreamExchange&) = delete;

  // Sends `request`, the rest of `body` streamed after its prefix through `relay` (kRelayChunk
  // bytes), and reads the response header; interim responses (100, 103) are skipped, as the
  // edge answered the client's Expect itself. A request that fails on a pooled connection
  // before any response byte arrived is sent once more on a new connection when that is safe:
  // the method is idempotent and the whole body is still at hand.
  asio::awaitable<Outcome> Send(const Request& request, DownstreamBody& body, char* relay);

  // After kTimeout and kBadResponse: why.
  const beast::error_code& origin_error() const { return origin_error_; }
  // After kClientRefused: the answer.
  const Refusal& client_refusal() const { return *client_refusal_; }
  // How long connecting, sending and reading the header took.
  Clock::duration elapsed() const { return elapsed_; }

  // After kResponse: the response's header; its Content-Length, if it declared one.
  ResponseParser::value_type& response() { return parser_->get(); }
  std::optional<uint64_t> content_length() const;
  // The whole response has been read.
  bool response_done() const { return parser_->is_done(); }
  // Reads the next piece of the response body into [data, data + capacity); its size may be 0
  // when a read parsed only chunk framing.
  asio::awaitable<size_t> ReadBodyPiece(char* data, size_t capacity, beast::error_code& error);

  // The connection and what it already read past the response header, for a tunnel after 101.
  beast::tcp_stream& stream() { return *connection_.stream; }
  beast::flat_buffer& buffer() { return connection_.buffer; }

  // Returns the connection to the pool if its response was read whole, nothing follows it and
  // the origin keeps it open; else closes it.
  void Finish();
  // Closes the connection: its response was not read whole.
  void Close() { connection_ = {}; }

 private:
  asio::awaitable<void> SendBody(const Request& request, DownstreamBody& body, char* relay,
                                 beast::error_code& upstream_error, BodyReadResult& client);
  asio::awaitable<void> ReadHeader(bool head_request, beast::error_code& error);

  UpstreamPool& pool_;
  UpstreamConnection connection_;
  // Bounds every operation on the origin connection (it follows the connection on a retry).
  SocketDeadline deadline_;
  const std::chrono::milliseconds response_timeout_;
  std::optional<ResponseParser> parser_;
  beast::error_code origin_error_;
  std::optional<Refusal> client_refusal_;
  Clock::duration elapsed_{};
};

}  // namespace gatehouse::runtime
