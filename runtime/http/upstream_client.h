#pragma once

#include <chrono>

#include "common/host_port.h"
#include "runtime/http/http_types.h"

namespace gatehouse::runtime {

struct UpstreamOptions {
  std::chrono::milliseconds connect_timeout{3000};
  std::chrono::milliseconds response_timeout{30000};
  uint64_t max_response_body_bytes = 64 * 1024 * 1024;
};

struct UpstreamResult {
  enum class Outcome { kResponse, kConnectFailed, kTimedOut, kBadResponse };
  Outcome outcome = Outcome::kBadResponse;
  HttpResponse response;
  std::string error;
};

// Sends one request to one origin server and reads its response.
asio::awaitable<UpstreamResult> SendUpstream(const HostPort& server, const HttpRequest& request,
                                             const UpstreamOptions& options);

}  // namespace gatehouse::runtime
