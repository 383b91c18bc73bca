#include "modules/waf_custom/waf_custom.h"

#include <variant>

namespace gatehouse::modules {

WafOutcome RunWafCustom(const compiler::CompiledRuleset& ruleset, rules::Evaluation& evaluation) {
  WafOutcome outcome;
  for (const compiler::CompiledRule& rule : ruleset.rules) {
    if (!rule.filter->Matches(evaluation)) continue;
    if (std::holds_alternative<compiler::BlockAction>(rule.action)) {
      outcome.block = &rule;
      return outcome;
    }
    if (std::holds_alternative<compiler::LogAction>(rule.action)) {
      outcome.logged.push_back(&rule);
      continue;
    }
    if (const auto* skip = std::get_if<compiler::SkipAction>(&rule.action)) {
      outcome.skipped_phases.insert(outcome.skipped_phases.end(), skip->phases.begin(),
                                    skip->phases.end());
      outcome.skipped_products.insert(outcome.skipped_products.end(), skip->products.begin(),
                                      skip->products.end());
      if (skip->rest_of_ruleset) return outcome;
    }
  }
  return outcome;
}

}  // namespace gatehouse::modules
