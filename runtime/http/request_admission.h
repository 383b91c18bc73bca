#pragma once

// What the edge checks in a request's header before any phase runs: the target's form, the
// host that selects the zone, and framing a proxy must not guess at. Requests that two parsers
// could read two ways (duplicate Host, a Transfer-Encoding that does not end in chunked) are
// refused, never forwarded.

#include <string>
#include <string_view>

#include "runtime/http/http_types.h"
#include "runtime/http/request_target.h"

namespace gatehouse::runtime {

struct Admission {
  enum class Verdict {
    kServe,          // run the phases
    kAnswerOptions,  // `OPTIONS *`: the edge answers for itself
    kRefuse,         // answer `status` with `reason` and close
  };
  Verdict verdict = Verdict::kServe;
  http::status status = http::status::ok;
  std::string_view reason;  // a literal: the refusal's body
  std::string_view action;  // a literal: for metrics and the access log

  // kServe: the lower-case host without port that selects the zone; the target's parts.
  std::string host;
  RequestTarget target;
  // Whether the request asks to switch protocols and the edge will tunnel it (an h2c upgrade is
  // served as HTTP/1.1 instead: the upstream side speaks only HTTP/1.1).
  bool tunnel = false;
};

// `upgrade` is the parser's verdict (Connection: upgrade with an Upgrade field).
Admission AdmitRequest(const http::request_header<>& request, bool upgrade);

// The Allow value of the edge's answer to `OPTIONS *`.
inline constexpr std::string_view kAllowedMethods = "GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH";

}  // namespace gatehouse::runtime
