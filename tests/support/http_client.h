#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace gatehouse::testing {

struct HttpResult {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names; last value wins
  std::string body;
};

struct HttpCall {
  std::string method = "GET";
  std::string target = "/";
  std::string host;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

// Every exchange below has a deadline: a server that stalls fails the test with
// DEADLINE_EXCEEDED instead of slowing the suite.
inline constexpr int kDefaultDeadlineMs = 5000;

// One HTTP/1.1 request on a fresh loopback connection to `port`.
absl::StatusOr<HttpResult> HttpRequestOnce(uint16_t port, const HttpCall& call,
                                           int deadline_ms = kDefaultDeadlineMs);

// Shorthand for a GET with a Host header.
absl::StatusOr<HttpResult> HttpGet(uint16_t port, const std::string& host,
                                   const std::string& target);

// Sends raw bytes and returns whatever comes back until the server closes or `timeout_ms`
// (a server that keeps the connection open is not an error here; callers check the bytes).
absl::StatusOr<std::string> RawExchange(uint16_t port, const std::string& bytes, int timeout_ms);

// One keep-alive connection that carries request after request.
class KeepAliveClient {
 public:
  static absl::StatusOr<std::unique_ptr<KeepAliveClient>> Connect(uint16_t port);
  ~KeepAliveClient();

  absl::StatusOr<HttpResult> Send(const HttpCall& call, int deadline_ms = kDefaultDeadlineMs);

 private:
  struct State;
  explicit KeepAliveClient(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace gatehouse::testing
