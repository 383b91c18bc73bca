#pragma once

#include "runtime/engine/module_api.h"

namespace gatehouse::modules {

// Origin routing (http_request_origin): the first matching `route` rule chooses the zone's
// origin pool, and optionally the Host header and port sent to it. Without a match the zone's
// first origin serves. A matching `fallback` rule marks the request not handled instead: the
// runtime forwards it unchanged to the zone's fallback (legacy) proxy.
runtime::Module OriginRoutingModule();

}  // namespace gatehouse::modules
