#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "compiler/zone_plan.h"
#include "compiler/rules/evaluation.h"

namespace gatehouse::modules {

// Where a request goes: an origin pool of the zone, and optional overrides.
struct RouteChoice {
  size_t origin_index = 0;           // the zone's default origin unless a rule routes elsewhere
  std::string_view host_header;      // empty: the request's own Host
  uint16_t port = 0;                 // 0: the server's own port
  const compiler::CompiledRule* rule = nullptr;  // the rule that chose the route, if any
};

// Runs the http_request_origin ruleset (may be null): the first matching `route` rule decides.
RouteChoice ChooseOrigin(const compiler::CompiledRuleset* ruleset, rules::Evaluation& evaluation);

}  // namespace gatehouse::modules
