#pragma once

#include <string_view>

#include "absl/status/statusor.h"
#include "rules/test_request.h"

namespace gatehouse::gatectl {

// Reads the request file of `gatectl eval` (docs/rules.md):
//   {"method": "GET", "url": "https://example.com/a?x=1", "headers": [["User-Agent", "curl/8.0"]],
//    "client_ip": "192.0.2.1", "body": "…", "timestamp": 1700000000,
//    "response_code": 502, "response_headers": [["Content-Type", "text/html"]]}
// Only "url" is required. `ssl` follows the URL's scheme; http.host is the Host header when one
// is given, else the URL's host. Unknown keys are errors that name the key.
absl::StatusOr<rules::TestRequest> ParseRequestJson(std::string_view json);

}  // namespace gatehouse::gatectl
