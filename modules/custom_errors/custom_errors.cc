#include "modules/custom_errors/custom_errors.h"

#include <variant>

namespace gatehouse::modules {

const compiler::CompiledRule* ChooseErrorPage(const compiler::CompiledRuleset& ruleset,
                                              rules::Evaluation& evaluation) {
  for (const compiler::CompiledRule& rule : ruleset.rules) {
    if (std::holds_alternative<compiler::ServeErrorAction>(rule.action) &&
        rule.filter->Matches(evaluation)) {
      return &rule;
    }
  }
  return nullptr;
}

}  // namespace gatehouse::modules
