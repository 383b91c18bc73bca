#include "rules/filter_impl.h"

#include "rules/interpreter.h"
#include "rules/strings.h"

namespace gatehouse::rules {

bool FilterImpl::Matches(Evaluation& evaluation) const {
  return Interpret(*expression_, evaluation).IsTrue();
}

std::string ValueExpressionImpl::Evaluate(Evaluation& evaluation) const {
  return RenderValue(EvaluateValue(evaluation));
}

Value ValueExpressionImpl::EvaluateValue(Evaluation& evaluation) const {
  return Interpret(*expression_, evaluation);
}

std::string RenderValue(const Value& value) {
  if (const auto* s = value.as_bytes()) return *s;
  if (const auto* i = value.as_int()) return Cat(*i);
  if (const auto* b = value.as_bool()) return *b ? "true" : "false";
  return "";
}

}  // namespace gatehouse::rules
