#include "tests/support/http_client.h"

#include "absl/strings/ascii.h"
#include "boost/asio/connect.hpp"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/read.hpp"
#include "boost/asio/write.hpp"
#include "boost/beast/core/flat_buffer.hpp"
#include "boost/beast/http.hpp"

namespace gatehouse::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

// One request and its response on a connected socket; `buffer` keeps bytes read past the
// response for the next one.
absl::StatusOr<HttpResult> Exchange(tcp::socket& socket, beast::flat_buffer& buffer,
                                    const HttpCall& call) {
  http::request<http::string_body> request(http::string_to_verb(call.method), call.target, 11);
  if (!call.host.empty()) request.set(http::field::host, call.host);
  for (const auto& [name, value] : call.headers) request.set(name, value);
  request.body() = call.body;
  if (!call.body.empty()) request.prepare_payload();
  beast::error_code error;
  http::write(socket, request, error);
  if (error) return absl::UnavailableError("write: " + error.message());
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  parser.skip(request.method() == http::verb::head);
  http::read(socket, buffer, parser, error);
  if (error) return absl::UnavailableError("read: " + error.message());
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

absl::StatusOr<HttpResult> HttpRequestOnce(uint16_t port, const HttpCall& call) {
  asio::io_context context;
  tcp::socket socket(context);
  beast::error_code error;
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), error);
  if (error) return absl::UnavailableError("connect: " + error.message());
  beast::flat_buffer buffer;
  return Exchange(socket, buffer, call);
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
  asio::write(socket, asio::buffer(bytes), error);
  if (error) return absl::UnavailableError("write: " + error.message());
  timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  std::string out;
  char chunk[4096];
  for (;;) {
    const ssize_t n = ::recv(socket.native_handle(), chunk, sizeof(chunk), 0);
    if (n <= 0) break;
    out.append(chunk, static_cast<size_t>(n));
  }
  return out;
}

struct KeepAliveClient::State {
  asio::io_context context;
  tcp::socket socket{context};
  beast::flat_buffer buffer;
};

KeepAliveClient::KeepAliveClient(std::unique_ptr<State> state) : state_(std::move(state)) {}
KeepAliveClient::~KeepAliveClient() = default;

absl::StatusOr<std::unique_ptr<KeepAliveClient>> KeepAliveClient::Connect(uint16_t port) {
  auto state = std::make_unique<State>();
  beast::error_code error;
  state->socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), error);
  if (error) return absl::UnavailableError("connect: " + error.message());
  return std::unique_ptr<KeepAliveClient>(new KeepAliveClient(std::move(state)));
}

absl::StatusOr<HttpResult> KeepAliveClient::Send(const HttpCall& call) {
  return Exchange(state_->socket, state_->buffer, call);
}

}  // namespace gatehouse::testing
