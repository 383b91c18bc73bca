#pragma once

#include <memory>
#include <string>

#include "rules/ast.h"
#include "rules/filter.h"
#include "rules/value.h"

namespace gatehouse::rules {

// Filter backed by the reference interpreter over the checked tree.
class FilterImpl : public Filter {
 public:
  explicit FilterImpl(std::shared_ptr<const Expr> expression)
      : expression_(std::move(expression)) {}

  bool Matches(Evaluation& evaluation) const override;
  const Expr& expression() const { return *expression_; }

 private:
  std::shared_ptr<const Expr> expression_;
};

// ValueExpression backed by the reference interpreter over the checked tree.
class ValueExpressionImpl : public ValueExpression {
 public:
  explicit ValueExpressionImpl(std::shared_ptr<const Expr> expression)
      : expression_(std::move(expression)) {}

  std::string Evaluate(Evaluation& evaluation) const override;
  // The typed value, missing included (tests and `gatectl eval`).
  Value EvaluateValue(Evaluation& evaluation) const;
  const Expr& expression() const { return *expression_; }

 private:
  std::shared_ptr<const Expr> expression_;
};

// Renders a scalar value as a value expression's result ("" for missing).
std::string RenderValue(const Value& value);

}  // namespace gatehouse::rules
