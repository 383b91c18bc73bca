#pragma once

#include "runtime/engine/module_api.h"

namespace gatehouse::modules {

// Transform rules: every matching `rewrite` rule applies, in order. In
// http_request_transform and http_request_late_transform they rewrite the URI path and query and
// set / add / remove request headers (later phases see the result); in
// http_response_headers_transform they set / add / remove response headers.
runtime::Module TransformsModule();

}  // namespace gatehouse::modules
