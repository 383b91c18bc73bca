#include "modules/origin_routing/origin_routing.h"

#include <variant>

namespace gatehouse::modules {

RouteChoice ChooseOrigin(const compiler::CompiledRuleset* ruleset, rules::Evaluation& evaluation) {
  RouteChoice choice;
  if (ruleset == nullptr) return choice;
  for (const compiler::CompiledRule& rule : ruleset->rules) {
    const auto* route = std::get_if<compiler::RouteAction>(&rule.action);
    if (route == nullptr || !rule.filter->Matches(evaluation)) continue;
    choice.origin_index = route->origin_index;
    choice.host_header = route->host_header;
    choice.port = route->port;
    choice.rule = &rule;
    break;
  }
  return choice;
}

}  // namespace gatehouse::modules
