#include "runtime/http/upstream_client.h"

#include "boost/asio/redirect_error.hpp"
#include "boost/asio/this_coro.hpp"
#include "boost/asio/use_awaitable.hpp"
#include "boost/beast/core/flat_buffer.hpp"
#include "boost/beast/http/read.hpp"
#include "boost/beast/http/write.hpp"

namespace gatehouse::runtime {

asio::awaitable<UpstreamResult> SendUpstream(const HostPort& server, const HttpRequest& request,
                                             const UpstreamOptions& options) {
  UpstreamResult result;
  const auto executor = co_await asio::this_coro::executor;
  beast::error_code error;
  tcp::resolver resolver(executor);
  const auto endpoints = co_await resolver.async_resolve(
      server.host, std::to_string(server.port), asio::redirect_error(asio::use_awaitable, error));
  if (error) {
    result.outcome = UpstreamResult::Outcome::kConnectFailed;
    result.error = "resolve " + server.ToString() + ": " + error.message();
    co_return result;
  }
  beast::tcp_stream stream(executor);
  stream.expires_after(options.connect_timeout);
  co_await stream.async_connect(endpoints, asio::redirect_error(asio::use_awaitable, error));
  if (error) {
    result.outcome = error == beast::error::timeout ? UpstreamResult::Outcome::kTimedOut
                                                    : UpstreamResult::Outcome::kConnectFailed;
    result.error = "connect " + server.ToString() + ": " + error.message();
    co_return result;
  }
  stream.expires_after(options.response_timeout);
  co_await http::async_write(stream, request, asio::redirect_error(asio::use_awaitable, error));
  if (error) {
    result.outcome = error == beast::error::timeout ? UpstreamResult::Outcome::kTimedOut
                                                    : UpstreamResult::Outcome::kConnectFailed;
    result.error = "send to " + server.ToString() + ": " + error.message();
    co_return result;
  }
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(options.max_response_body_bytes);
  // A response to HEAD has headers only, whatever its Content-Length says.
  parser.skip(request.method() == http::verb::head);
  co_await http::async_read(stream, buffer, parser,
                            asio::redirect_error(asio::use_awaitable, error));
  if (error) {
    result.outcome = error == beast::error::timeout ? UpstreamResult::Outcome::kTimedOut
                                                    : UpstreamResult::Outcome::kBadResponse;
    result.error = "response from " + server.ToString() + ": " + error.message();
    co_return result;
  }
  result.outcome = UpstreamResult::Outcome::kResponse;
  result.response = parser.release();
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  co_return result;
}

}  // namespace gatehouse::runtime
