#pragma once

#include <string>
#include <vector>

#include "compiler/zone_plan.h"
#include "compiler/rules/evaluation.h"

namespace gatehouse::modules {

// What the custom firewall rules decided for one request.
struct WafOutcome {
  // The rule whose `block` ended the phase, if any.
  const compiler::CompiledRule* block = nullptr;
  // `log` rules that matched, in order.
  std::vector<const compiler::CompiledRule*> logged;
  // Later phases and products that matching `skip` rules turned off for this request.
  std::vector<compiler::Phase> skipped_phases;
  std::vector<std::string> skipped_products;
};

// Runs the http_request_firewall_custom ruleset: rules in order, the first block wins, `log`
// records and continues, `skip` ends this ruleset or turns off later phases or products.
WafOutcome RunWafCustom(const compiler::CompiledRuleset& ruleset, rules::Evaluation& evaluation);

}  // namespace gatehouse::modules
