#pragma once

#include "runtime/engine/module_api.h"

namespace gatehouse::modules {

// Custom firewall rules (http_request_firewall_custom). Rules run in order: `block` answers and
// ends the request phases, `log` records and continues, `skip` ends this ruleset or turns off
// later phases or products for the request.
runtime::Module WafCustomModule();

// The response a `block` without a custom response gets.
const compiler::CustomResponse& DefaultBlockResponse();

}  // namespace gatehouse::modules
