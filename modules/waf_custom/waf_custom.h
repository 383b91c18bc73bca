#pragma once

#include "modules/sdk/custom_response.h"
#include "modules/sdk/product.h"

namespace gatehouse::modules {

// Custom firewall rules (http_request_firewall_custom). Rules run in order: `block` answers and
// ends the request phases, `log` records and continues, `skip` ends this ruleset or turns off
// later phases or products for the request.
sdk::ProductDefinition WafCustomProduct();

// The response a `block` without a custom response gets.
const sdk::ResponseConfig& DefaultBlockResponse();

}  // namespace gatehouse::modules
