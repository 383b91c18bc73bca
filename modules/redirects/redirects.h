#pragma once

#include <string>
#include <string_view>

#include "modules/sdk/product.h"

namespace gatehouse::modules {

// Dynamic redirects (http_request_dynamic_redirect): the first matching `redirect` rule answers
// with its status (301, 302, 303, 307, 308) and a Location built from a static URL or a value
// expression, keeping the query string when asked.
sdk::ProductDefinition RedirectsProduct();

// The Location for `target`, with `query` appended when it is kept and not empty.
std::string RedirectLocation(std::string target, std::string_view query, bool keep_query);

}  // namespace gatehouse::modules
