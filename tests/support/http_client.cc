#include "tests/support/http_client.h"

#include <chrono>

#include "absl/strings/ascii.h"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/write.hpp"
#include "boost/beast/core/flat_buffer.hpp"
#include "boost/beast/core/tcp_stream.hpp"
#include "boost/beast/http.hpp"

namespace gatehouse::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

absl::Status ConnectLoopback(asio::io_context& context, beast::tcp_stream& stream, uint16_t port,
                             int deadline_ms) {
  beast::error_code error;
  stream.expires_after(std::chrono::milliseconds(deadline_ms));
  stream.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
                       [&](beast::error_code e) { error = e; });
  context.restart();
  context.run();
  if (error) return absl::UnavailableError("connect: " + error.message());
  return absl::OkStatus();
}

// One request and its response on a connected stream, within `deadline_ms`; `buffer` keeps bytes
// read past the response for the next one.
absl::StatusOr<HttpResult> Exchange(asio::io_context& context, beast::tcp_stream& stream,
                                    beast::flat_buffer& buffer, const HttpCall& call,
                                    int deadline_ms) {
  http::request<http::string_body> request(http::string_to_verb(call.method), call.target, 11);
  if (!call.host.empty()) request.set(http::field::host, call.host);
  for (const auto& [name, value] : call.headers) request.set(name, value);
  request.body() = call.body;
  if (!call.body.empty()) request.prepare_payload();
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  parser.skip(request.method() == http::verb::head);
  beast::error_code error;
  const char* stage = "write";
  // One deadline for the whole exchange: tcp_stream's timer covers the write and the read.
  stream.expires_after(std::chrono::milliseconds(deadline_ms));
  http::async_write(stream, request, [&](beast::error_code e, size_t) {
    error = e;
    if (error) return;
    stage = "read";
    http::async_read(stream, buffer, parser, [&](beast::error_code e, size_t) { error = e; });
  });
  context.restart();
  context.run();
  if (error == beast::error::timeout) {
    return absl::DeadlineExceededError(std::string(stage) + ": no complete response within " +
                                       std::to_string(deadline_ms) + " ms");
  }
  if (error) return absl::UnavailableError(std::string(stage) + ": " + error.message());
  HttpResult result;
  const auto& response = parser.get();
  result.status = static_cast<int>(response.result_int());
  for (const auto& field : response) {
    result.headers[absl::AsciiStrToLower(std::string(field.name_string()))] =
        std::string(field.value());
  }
  result.body = response.body();
  return result;
}

}  // namespace

absl::StatusOr<HttpResult> HttpRequestOnce(uint16_t port, const HttpCall& call, int deadline_ms) {
  asio::io_context context;
  beast::tcp_stream stream(context);
  if (absl::Status connected = ConnectLoopback(context, stream, port, deadline_ms);
      !connected.ok()) {
    return connected;
  }
  beast::flat_buffer buffer;
  return Exchange(context, stream, buffer, call, deadline_ms);
}

absl::StatusOr<HttpResult> HttpGet(uint16_t port, const std::string& host,
                                   const std::string& target) {
  HttpCall call;
  call.host = host;
  call.target = target;
  return HttpRequestOnce(port, call);
}

absl::StatusOr<std::string> RawExchange(uint16_t port, const std::string& bytes, int timeout_ms) {
  asio::io_context context;
  tcp::socket socket(context);
  beast::error_code error;
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), error);
  if (error) return absl::UnavailableError("connect: " + error.message());
  // Bounded too: a server that does not read cannot block the write forever.
  timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  setsockopt(socket.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(socket.native_handle(), bytes.data() + sent, bytes.size() - sent,
                             MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may answer and close before reading everything
    sent += static_cast<size_t>(n);
  }
  std::string out;
  char chunk[4096];
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    const ssize_t n = ::recv(socket.native_handle(), chunk, sizeof(chunk), 0);
    if (n <= 0) break;
    out.append(chunk, static_cast<size_t>(n));
  }
  return out;
}

struct KeepAliveClient::State {
  asio::io_context context;
  beast::tcp_stream stream{context};
  beast::flat_buffer buffer;
};

KeepAliveClient::KeepAliveClient(std::unique_ptr<State> state) : state_(std::move(state)) {}
KeepAliveClient::~KeepAliveClient() = default;

absl::StatusOr<std::unique_ptr<KeepAliveClient>> KeepAliveClient::Connect(uint16_t port) {
  auto state = std::make_unique<State>();
  if (absl::Status connected =
          ConnectLoopback(state->context, state->stream, port, kDefaultDeadlineMs);
      !connected.ok()) {
    return connected;
  }
  return std::unique_ptr<KeepAliveClient>(new KeepAliveClient(std::move(state)));
}

absl::StatusOr<HttpResult> KeepAliveClient::Send(const HttpCall& call, int deadline_ms) {
  return Exchange(state_->context, state_->stream, state_->buffer, call, deadline_ms);
}

}  // namespace gatehouse::testing
