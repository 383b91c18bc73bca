#include "runtime/http/upstream_exchange.h"

#include <utility>

#include "absl/status/status.h"
#include "boost/asio/redirect_error.hpp"
#include "boost/asio/use_awaitable.hpp"
#include "boost/beast/http/read.hpp"
#include "runtime/http/buffered_parse.h"
#include "runtime/http/eager_send.h"

namespace gatehouse::runtime {
namespace {

auto Redirect(beast::error_code& error) { return asio::redirect_error(asio::use_awaitable, error); }

// An error of Beast's HTTP parser (the bytes were not HTTP), not of the socket.
bool IsParseError(const beast::error_code& error) {
  return error.category() == http::make_error_code(http::error::bad_chunk).category() &&
         error != http::error::end_of_stream && error != http::error::partial_message;
}

}  // namespace

OriginFailure DescribeOriginFailure(const beast::error_code& error) {
  if (error == beast::error::timeout) {
    return {http::status::gateway_timeout, "The origin did not answer in time.\n",
            "origin_timeout"};
  }
  if (IsParseError(error)) {
    return {http::status::bad_gateway, "The origin sent a malformed response.\n",
            "origin_error"};
  }
  return {http::status::bad_gateway, "The origin closed the connection without an answer.\n",
          "origin_error"};
}

bool IsIdempotent(http::verb method) {
  switch (method) {
    case http::verb::get:
    case http::verb::head:
    case http::verb::options:
    case http::verb::trace:
    case http::verb::put:
    case http::verb::delete_:
      return true;
    default:
      return false;
  }
}

asio::awaitable<UpstreamExchange::Outcome> UpstreamExchange::Send(const Request& request,
                                                                  DownstreamBody& body,
                                                                  char* relay) {
  const bool body_buffered = body.done();
  const auto started = Clock::now();
  Outcome outcome = Outcome::kResponse;
  for (int attempt = 0;; ++attempt) {
    std::optional<UpstreamConnection> idle;
    if (attempt == 0) idle = pool_.TakeIdle(request.server);
    if (idle.has_value()) {
      connection_ = *std::move(idle);
    } else {
      auto connected = co_await pool_.Connect(request.server);
      if (!connected.ok()) {
        const bool timed_out = absl::IsDeadlineExceeded(connected.status());
        outcome = timed_out ? Outcome::kTimeout : Outcome::kConnectFailed;
        origin_error_ = beast::error::timeout;  // read only with kTimeout
        break;
      }
      connection_ = *std::move(connected);
    }
    deadline_.Watch(connection_.stream->socket());
    beast::error_code upstream_error;
    BodyReadResult client;
    co_await SendBody(request, body, relay, upstream_error, client);
    if (client.client_gone) {
      outcome = Outcome::kClientGone;
      break;
    }
    if (client.refusal.has_value()) {
      client_refusal_ = client.refusal;
      outcome = Outcome::kClientRefused;
      break;
    }
    if (!upstream_error) co_await ReadHeader(request.head_request, upstream_error);
    if (!upstream_error) break;
    const bool stale = connection_.reused && attempt == 0 && request.retry_safe &&
                       body_buffered && connection_.buffer.size() == 0 &&
                       upstream_error != beast::error::timeout;
    if (stale) continue;
    outcome = upstream_error == beast::error::timeout ? Outcome::kTimeout : Outcome::kBadResponse;
    origin_error_ = upstream_error;
    break;
  }
  elapsed_ = Clock::now() - started;
  if (outcome != Outcome::kResponse) Close();
  co_return outcome;
}

asio::awaitable<void> UpstreamExchange::SendBody(const Request& request, DownstreamBody& body,
                                                 char* relay, beast::error_code& upstream_error,
                                                 BodyReadResult& client) {
  beast::tcp_stream& upstream = *connection_.stream;
  BodyFramer framer(request.head, request.framing);
  // A chunked body's trailer fields go on with its last chunk.
  std::string trailers;
  const auto first = framer.Frame(request.body_prefix, body.done(), body.Trailers(trailers));
  co_await SendEagerly(upstream, first, deadline_, response_timeout_, upstream_error);
  // The rest of a body larger than the inspected prefix streams through.
  while (!upstream_error && !body.done()) {
    const size_t n = co_await body.ReadPiece(relay, kRelayChunk, client);
    if (!client.ok()) co_return;
    // A read may parse only chunk framing: nothing to send yet.
    const auto buffers =
        framer.Frame(std::string_view(relay, n), body.done(), body.Trailers(trailers));
    if (buffers.empty()) continue;
    co_await SendEagerly(upstream, buffers, deadline_, response_timeout_, upstream_error);
  }
}

asio::awaitable<void> UpstreamExchange::ReadHeader(bool head_request, beast::error_code& error) {
  beast::tcp_stream& upstream = *connection_.stream;
  deadline_.Arm(response_timeout_);
  do {
    parser_.emplace();
    parser_->body_limit(boost::none);  // streamed: no buffer to bound
    parser_->skip(head_request);
    co_await http::async_read_header(upstream, connection_.buffer, *parser_, Redirect(error));
  } while (!error && parser_->get().result_int() / 100 == 1 &&
           parser_->get().result() != http::status::switching_protocols);
  deadline_.Disarm(error);
}

std::optional<uint64_t> UpstreamExchange::content_length() const {
  const auto length = parser_->content_length();
  return length.has_value() ? std::optional<uint64_t>(*length) : std::nullopt;
}

asio::awaitable<size_t> UpstreamExchange::ReadBodyPiece(char* data, size_t capacity,
                                                        beast::error_code& error) {
  auto& body = parser_->get().body();
  body.data = data;
  body.size = capacity;
  deadline_.Arm(response_timeout_);
  if (!ParseBufferedBody(*parser_, connection_.buffer, error)) {
    co_await http::async_read_some(*connection_.stream, connection_.buffer, *parser_,
                                   Redirect(error));
  }
  deadline_.Disarm(error);
  if (error == http::error::need_buffer) error = {};
  co_return capacity - body.size;
}

void UpstreamExchange::Finish() {
  if (connection_.stream != nullptr && parser_.has_value() && parser_->is_done() &&
      !parser_->need_eof() && parser_->keep_alive()) {
    pool_.Release(std::move(connection_));
  }
  Close();
}

}  // namespace gatehouse::runtime
