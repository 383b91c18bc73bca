#pragma once

#include <string_view>

#include "runtime/http/http_types.h"

namespace gatehouse::runtime {

// Removes hop-by-hop headers (RFC 9110 §7.6.1): the fixed list and every header the Connection
// header names. Applied to what is forwarded in both directions.
template <bool kIsRequest>
void RemoveHopByHopHeaders(http::header<kIsRequest>& header);

// The request's Host without its port, lower-cased.
std::string HostWithoutPort(std::string_view host);

}  // namespace gatehouse::runtime
