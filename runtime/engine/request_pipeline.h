#pragma once

#include <string_view>
#include <vector>

#include "compiler/rules/evaluation.h"
#include "compiler/zone_plan.h"
#include "modules/origin_routing/origin_routing.h"

namespace gatehouse::runtime {

// The outcome of a request's phases. Pure data: the caller does the IO it asks for.
struct RequestVerdict {
  // Set when the edge answers itself instead of going to the origin.
  const compiler::CustomResponse* local_response = nullptr;
  const compiler::CompiledRule* terminating_rule = nullptr;
  modules::RouteChoice route;
  // Every rule that matched and acted, in order (for logs).
  std::vector<const compiler::CompiledRule*> matched;
};

// Runs the zone's request phases in their fixed order.
RequestVerdict RunRequestPhases(const compiler::ZonePlan& zone, rules::Evaluation& evaluation);

// Runs the response phases against a response (the evaluation's request data carries its
// status). Returns the error page to serve instead, or null to pass the response through.
const compiler::CustomResponse* RunResponsePhases(const compiler::ZonePlan& zone,
                                                  rules::Evaluation& evaluation,
                                                  const compiler::CompiledRule** rule);

// The response a `block` without a custom response gets.
const compiler::CustomResponse& DefaultBlockResponse();

}  // namespace gatehouse::runtime
