#pragma once

#include "modules/sdk/product.h"

namespace gatehouse::modules {

// Origin routing (http_request_origin): the first matching rule either picks the origin, Host and
// port the request goes to (`route`), or hands the request unchanged to the zone's fallback
// proxy (`fallback`).
sdk::ProductDefinition OriginRoutingProduct();

}  // namespace gatehouse::modules
