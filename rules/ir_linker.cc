#include "rules/ir_linker.h"

#include <vector>

#include "rules/ir_codes.h"
#include "rules/ir_reader.h"
#include "rules/named_list.h"
#include "rules/strings.h"

namespace gatehouse::rules {

namespace {

absl::StatusOr<NamedListDefinition> DecodeList(const ir::v1::NamedList& list) {
  std::string_view kind = ir_codes::DecodeListKind(list.kind());
  if (kind.empty()) {
    return absl::InvalidArgumentError(
        Cat("list $", list.name(), ": unknown kind ", list.kind(), " in the IR"));
  }
  return NamedListDefinition{list.name(), std::string(kind),
                             std::vector<std::string>(list.items().begin(), list.items().end())};
}

}  // namespace

absl::StatusOr<CompiledList> CompileListIr(const ir::v1::NamedList& list, Limits limits) {
  absl::StatusOr<NamedListDefinition> definition = DecodeList(list);
  if (!definition.ok()) return definition.status();
  return CompileNamedList(*definition, limits);
}

absl::StatusOr<ExpressionLinker> ExpressionLinker::Create(
    const google::protobuf::RepeatedPtrField<ir::v1::NamedList>& lists, Limits limits,
    const ListTable* account_lists) {
  std::vector<NamedListDefinition> definitions;
  definitions.reserve(static_cast<size_t>(lists.size()));
  for (const ir::v1::NamedList& list : lists) {
    absl::StatusOr<NamedListDefinition> definition = DecodeList(list);
    if (!definition.ok()) return definition.status();
    definitions.push_back(*std::move(definition));
  }
  absl::StatusOr<std::shared_ptr<const ListTable>> table =
      CompileListTable(definitions, limits, nullptr);
  if (!table.ok()) return table.status();
  if (account_lists == nullptr || account_lists->empty()) {
    return ExpressionLinker(limits, *std::move(table));
  }
  auto merged = std::make_shared<ListTable>(**table);
  for (const auto& [name, list] : *account_lists) {
    if (!merged->emplace(name, list).second) {
      return absl::InvalidArgumentError(
          Cat("list $", name, " is defined both in the zone and at the account level"));
    }
  }
  return ExpressionLinker(limits, std::move(merged));
}

absl::StatusOr<std::shared_ptr<const Expr>> ExpressionLinker::LinkTree(
    const ir::v1::Expression& ir, ExpressionKind kind) const {
  absl::StatusOr<std::unique_ptr<Expr>> tree = ReadExpression(ir, kind, *lists_, limits_);
  if (!tree.ok()) return tree.status();
  return std::shared_ptr<const Expr>(*std::move(tree));
}

absl::StatusOr<PhaseRule> ExpressionLinker::LinkFilter(const ir::v1::Expression& ir) const {
  absl::StatusOr<std::shared_ptr<const Expr>> tree = LinkTree(ir, ExpressionKind::kFilter);
  if (!tree.ok()) return tree.status();
  return PhaseRule{*tree, std::make_shared<const PlanFilter>(plans_->BuildFilter(*tree))};
}

absl::StatusOr<std::shared_ptr<const ValueExpression>> ExpressionLinker::LinkValue(
    const ir::v1::Expression& ir) const {
  absl::StatusOr<std::shared_ptr<const Expr>> tree = LinkTree(ir, ExpressionKind::kValue);
  if (!tree.ok()) return tree.status();
  return plans_->BuildValue(*std::move(tree));
}

}  // namespace gatehouse::rules
