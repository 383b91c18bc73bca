#pragma once

#include "modules/sdk/product.h"

namespace gatehouse::examples {

// An example product (docs/adding-a-product.md): in http_request_sanitize, every matching
// `stamp` rule sets a request header to a static value or an expression's value, so the origin
// sees which rules a request met.
sdk::ProductDefinition RequestStampProduct();

}  // namespace gatehouse::examples
