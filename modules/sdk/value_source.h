#pragma once

#include <memory>
#include <string>

#include "rules/evaluation.h"
#include "rules/filter.h"

namespace gatehouse::sdk {

// A linked value: fixed text, or a rules-language value expression evaluated per request.
struct ValueSource {
  std::string text;
  std::shared_ptr<const rules::ValueExpression> expression;  // set when not fixed text

  std::string Resolve(rules::Evaluation& evaluation) const {
    return expression != nullptr ? expression->Evaluate(evaluation) : text;
  }
};

}  // namespace gatehouse::sdk
