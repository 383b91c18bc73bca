#include "seclang/ast.h"

namespace gatehouse::seclang {

const SourceLocation& Directive::location() const {
  return std::visit([](const auto& d) -> const SourceLocation& { return d.location; }, body);
}

std::string_view Directive::name() const {
  if (std::holds_alternative<SecRule>(body)) return "SecRule";
  if (std::holds_alternative<SecAction>(body)) return "SecAction";
  if (std::holds_alternative<SecMarker>(body)) return "SecMarker";
  return std::get<ConfigDirective>(body).name;
}

std::optional<int64_t> Directive::rule_id() const {
  if (const auto* rule = std::get_if<SecRule>(&body)) return rule->actions.id;
  if (const auto* action = std::get_if<SecAction>(&body)) return action->actions.id;
  return std::nullopt;
}

}  // namespace gatehouse::seclang
