#include "runtime/http/downstream_request.h"

#include <algorithm>

#include "boost/asio/redirect_error.hpp"
#include "boost/asio/use_awaitable.hpp"
#include "boost/beast/core/string.hpp"
#include "boost/beast/http/empty_body.hpp"
#include "boost/beast/http/read.hpp"
#include "boost/beast/http/write.hpp"
#include "runtime/http/buffered_parse.h"
#include "runtime/http/client_stream.h"
#include "runtime/http/wire_format.h"

namespace gatehouse::runtime {

std::optional<uint64_t> DeclaredBodyLength(const RequestParser& parser) {
  if (!parser.get().has_content_length()) return std::nullopt;
  const boost::optional<uint64_t> length = parser.content_length();
  return length.has_value() ? std::optional<uint64_t>(*length) : std::nullopt;
}

std::optional<Refusal> BodyReadRefusal(const beast::error_code& error,
                                       const beast::flat_buffer& buffer) {
  if (error == beast::error::timeout) {
    return Refusal{http::status::request_timeout, "Request body timed out.\n", "body_timeout"};
  }
  if (error == http::error::buffer_overflow) {
    // The parser needs a whole chunk-size line, or the whole trailer block after the last
    // chunk, in the connection's bounded read buffer. Which one overflowed: the last chunk is
    // all zeros.
    std::string_view pending(static_cast<const char*>(buffer.data().data()), buffer.size());
    if (pending.substr(0, 2) == "\r\n") pending.remove_prefix(2);
    const size_t zeros = pending.find_first_not_of('0');
    if (zeros > 0 && zeros != std::string_view::npos &&
        (pending[zeros] == ';' || pending[zeros] == '\r')) {
      return Refusal{http::status::request_header_fields_too_large,
                     "Request trailer fields too large.\n", "trailer_too_large"};
    }
    return Refusal{http::status::bad_request, "Chunk header too large.\n", "bad_request"};
  }
  if (error.category() == http::make_error_code(http::error::bad_chunk).category()) {
    return Refusal{http::status::bad_request, "Malformed request body.\n", "bad_request"};
  }
  return std::nullopt;
}

std::chrono::milliseconds BodyDeadline::NextRead(uint64_t received, Clock::time_point now) const {
  auto deadline = started_ + timeouts_.whole;
  if (timeouts_.min_rate > 0) {
    deadline += std::chrono::milliseconds(received * 1000 / timeouts_.min_rate);
  }
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - now);
  return std::min(left, timeouts_.per_read);
}

asio::awaitable<size_t> DownstreamBody::Read(char* data, size_t capacity,
                                             beast::error_code& error) {
  auto& body = parser_.get().body();
  body.data = data;
  body.size = capacity;
  // Bytes already in the buffer need no read, and no time: only a read that has to wait is
  // bounded (and refused at once when the deadline has passed).
  if (!ParseBufferedBody(parser_, buffer_, error)) {
    const std::chrono::milliseconds timeout = deadline_.NextRead(received_);
    if (timeout <= std::chrono::milliseconds::zero()) {
      error = beast::error::timeout;
      co_return 0;
    }
    socket_deadline_.Arm(timeout);
    co_await http::async_read_some(stream_, buffer_, parser_,
                                   asio::redirect_error(asio::use_awaitable, error));
    socket_deadline_.Disarm(error);
  }
  if (error == http::error::need_buffer) error = {};
  co_return capacity - body.size;
}

BodyReadResult DownstreamBody::Failed(const beast::error_code& error) const {
  BodyReadResult result;
  result.refusal = BodyReadRefusal(error, buffer_);
  result.client_gone = !result.refusal.has_value();
  return result;
}

asio::awaitable<size_t> DownstreamBody::ReadPiece(char* data, size_t capacity,
                                                  BodyReadResult& result) {
  beast::error_code error;
  const size_t n = co_await Read(data, capacity, error);
  if (error) {
    result = Failed(error);
    co_return 0;
  }
  received_ += n;
  if (received_ > limit_) result.refusal = kBodyTooLarge;
  co_return n;
}

std::string_view DownstreamBody::Trailers(std::string& storage) const {
  storage.clear();
  if (!done() || !header_fields_.has_value()) return {};
  WriteTrailerFields(parser_.get(), *header_fields_, storage);
  return storage;
}

asio::awaitable<BodyReadResult> DownstreamBody::ReadPrefix(size_t want,
                                                           std::chrono::milliseconds send_timeout,
                                                           std::string& prefix) {
  prefix.clear();
  if (done()) co_return BodyReadResult{};
  beast::error_code error;
  auto& request = parser_.get();
  if (beast::iequals(request[http::field::expect], "100-continue") &&
      stream_.channel() != nullptr) {
    // A protocol that frames heads itself (HTTP/2) sends the interim head as its own.
    ResponseFields go_on;
    go_on.status = static_cast<int>(http::status::continue_);
    stream_.channel()->SubmitHead(go_on);
  } else if (beast::iequals(request[http::field::expect], "100-continue")) {
    http::response<http::empty_body> go_on(http::status::continue_, request.version());
    socket_deadline_.Arm(send_timeout);
    co_await http::async_write(stream_, go_on, asio::redirect_error(asio::use_awaitable, error));
    socket_deadline_.Disarm(error);
    if (error) co_return BodyReadResult{.client_gone = true};
  }
  prefix.resize(want);
  size_t have = 0;
  while (have < want && !done()) {
    const size_t n = co_await Read(prefix.data() + have, want - have, error);
    have += n;
    received_ += n;
    if (error) break;
  }
  prefix.resize(have);
  if (error) co_return Failed(error);
  if (received_ > limit_) co_return BodyReadResult{.refusal = kBodyTooLarge};
  co_return BodyReadResult{};
}

}  // namespace gatehouse::runtime
