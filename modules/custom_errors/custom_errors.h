#pragma once

#include "runtime/engine/module_api.h"

namespace gatehouse::modules {

// Custom error pages (http_custom_errors): the first matching `serve_error` rule replaces the
// response, whether the origin or the edge produced it (a block, a 502, a 504).
runtime::Module CustomErrorsModule();

}  // namespace gatehouse::modules
