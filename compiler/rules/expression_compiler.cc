#include "compiler/rules/expression_compiler.h"

#include "compiler/rules/parser.h"
#include "rules/filter_impl.h"
#include "rules/ir_writer.h"
#include "rules/strings.h"

namespace gatehouse::rules {

absl::StatusOr<ExpressionCompiler> ExpressionCompiler::Create(
    std::vector<NamedListDefinition> lists, Limits limits, std::vector<std::string>* list_errors,
    std::shared_ptr<const ListTable> account_lists) {
  absl::StatusOr<std::shared_ptr<const ListTable>> table =
      CompileListTable(lists, limits, list_errors);
  if (!table.ok()) return table.status();
  auto uses = std::make_shared<AccountListUses>();
  if (account_lists == nullptr || account_lists->empty()) {
    return ExpressionCompiler(limits, *std::move(table), std::move(uses));
  }
  // The account lists' sets are shared, not copied: a 100,000-item list costs a pointer here.
  auto merged = std::make_shared<ListTable>(**table);
  for (const auto& [name, list] : *account_lists) {
    if (merged->emplace(name, list).second) uses->account_names.insert(name);
  }
  return ExpressionCompiler(limits, std::move(merged), std::move(uses));
}

std::vector<std::string> ExpressionCompiler::UsedAccountLists() const {
  std::lock_guard lock(uses_->mutex);
  return {uses_->used.begin(), uses_->used.end()};
}

void ExpressionCompiler::NoteAccountLists(const Expr& tree) const {
  if (tree.kind == ExprKind::kInList && uses_->account_names.count(tree.text) != 0) {
    std::lock_guard lock(uses_->mutex);
    uses_->used.insert(tree.text);
  }
  for (const auto& child : tree.children) NoteAccountLists(*child);
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
  if (!uses_->account_names.empty()) NoteAccountLists(*tree);
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

std::optional<ir::v1::Expression> ExpressionCompiler::CompileIr(
    std::string_view source, std::string_view phase, ExpressionKind kind,
    std::vector<Diagnostic>* diagnostics) const {
  std::shared_ptr<const Expr> tree = CompileTree(source, phase, kind, diagnostics);
  if (tree == nullptr) return std::nullopt;
  return EncodeExpression(*tree);
}

}  // namespace gatehouse::rules
