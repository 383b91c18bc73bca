#include "compiler/rules/expression_compiler.h"

#include "absl/container/flat_hash_set.h"
#include "compiler/rules/strings.h"
#include "compiler/rules/filter_impl.h"
#include "compiler/rules/parser.h"

namespace gatehouse::rules {

absl::StatusOr<ExpressionCompiler> ExpressionCompiler::Create(
    std::vector<NamedListDefinition> lists, Limits limits, std::vector<std::string>* list_errors) {
  auto table = std::make_shared<ListTable>();
  std::vector<std::string> errors;
  absl::flat_hash_set<std::string> seen;
  for (const NamedListDefinition& definition : lists) {
    if (!seen.insert(definition.name).second) {
      errors.push_back(Cat("list $", definition.name, ": defined more than once"));
      continue;
    }
    absl::StatusOr<CompiledList> compiled = CompileNamedList(definition, limits);
    if (!compiled.ok()) {
      errors.push_back(std::string(compiled.status().message()));
      continue;
    }
    table->emplace(definition.name, *std::move(compiled));
  }
  if (!errors.empty()) {
    absl::Status status = absl::InvalidArgumentError(errors.front());
    if (list_errors != nullptr) {
      list_errors->insert(list_errors->end(), errors.begin(), errors.end());
    }
    return status;
  }
  return ExpressionCompiler(limits, std::move(table));
}

std::shared_ptr<const Expr> ExpressionCompiler::CompileTree(
    std::string_view source, std::string_view phase, ExpressionKind kind,
    std::vector<Diagnostic>* diagnostics) const {
  DiagnosticSink sink(source, diagnostics);
  if (source.size() > limits_.max_expression_bytes) {
    sink.Error(Span{limits_.max_expression_bytes, 1},
               Cat("expression is ", source.size(), " bytes long; the limit is ",
                            limits_.max_expression_bytes, " bytes"));
    return nullptr;
  }
  std::unique_ptr<Expr> tree = Parse(source, limits_, sink);
  CheckContext context{phase, kind, limits_, lists_.get()};
  // Checked even after parse errors: error nodes are silent, so this only adds real mistakes.
  Check(*tree, context, sink);
  if (sink.error_count() > 0) return nullptr;
  return std::shared_ptr<const Expr>(std::move(tree));
}

std::shared_ptr<const Filter> ExpressionCompiler::CompileFilter(
    std::string_view source, std::string_view phase, std::vector<Diagnostic>* diagnostics) const {
  std::shared_ptr<const Expr> tree = CompileTree(source, phase, ExpressionKind::kFilter, diagnostics);
  if (tree == nullptr) return nullptr;
  return std::make_shared<const PlanFilter>(plans_->BuildFilter(std::move(tree)));
}

PhaseRule ExpressionCompiler::CompileRule(std::string_view source, std::string_view phase,
                                          std::vector<Diagnostic>* diagnostics) const {
  std::shared_ptr<const Expr> tree = CompileTree(source, phase, ExpressionKind::kFilter, diagnostics);
  if (tree == nullptr) return PhaseRule{};
  return PhaseRule{tree, std::make_shared<const PlanFilter>(plans_->BuildFilter(tree))};
}

std::shared_ptr<const Filter> ExpressionCompiler::CompileReferenceFilter(
    std::string_view source, std::string_view phase, std::vector<Diagnostic>* diagnostics) const {
  std::shared_ptr<const Expr> tree = CompileTree(source, phase, ExpressionKind::kFilter, diagnostics);
  if (tree == nullptr) return nullptr;
  return std::make_shared<const FilterImpl>(std::move(tree));
}

std::shared_ptr<const ValueExpression> ExpressionCompiler::CompileReferenceValue(
    std::string_view source, std::string_view phase, std::vector<Diagnostic>* diagnostics) const {
  std::shared_ptr<const Expr> tree = CompileTree(source, phase, ExpressionKind::kValue, diagnostics);
  if (tree == nullptr) return nullptr;
  return std::make_shared<const ValueExpressionImpl>(std::move(tree));
}

std::shared_ptr<const ValueExpression> ExpressionCompiler::CompileValue(
    std::string_view source, std::string_view phase, std::vector<Diagnostic>* diagnostics) const {
  std::shared_ptr<const Expr> tree = CompileTree(source, phase, ExpressionKind::kValue, diagnostics);
  if (tree == nullptr) return nullptr;
  return plans_->BuildValue(std::move(tree));
}

}  // namespace gatehouse::rules
