#pragma once

#include "modules/sdk/product.h"

namespace gatehouse::modules {

// Transform rules: every matching `rewrite` rule of http_request_transform and
// http_request_late_transform rewrites the path, query and request headers;
// http_response_headers_transform rewrites response headers.
sdk::ProductDefinition TransformsProduct();

}  // namespace gatehouse::modules
