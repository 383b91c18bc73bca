#pragma once

#include "modules/sdk/product.h"

namespace gatehouse::modules {

// Custom error pages (http_custom_errors): the first matching `serve_error` rule replaces the
// response the client gets (the origin's, or one the edge wrote) with its own.
sdk::ProductDefinition CustomErrorsProduct();

}  // namespace gatehouse::modules
