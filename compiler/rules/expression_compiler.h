#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "compiler/rules/checker.h"
#include "compiler/rules/diagnostic.h"
#include "rules/ast.h"
#include "rules/filter.h"
#include "rules/ir.pb.h"
#include "rules/limits.h"
#include "rules/named_list.h"
#include "rules/phase_matcher.h"
#include "rules/plan.h"

namespace gatehouse::rules {

// Compiles expressions of one zone. Holds the zone's compiled named lists and its plan cache,
// shared (not copied) by every expression it compiles, so identical sub-expressions, regexes and
// sets of different rules are built once. Cheap to copy (copies share both); const methods are
// thread-safe. Filters and value expressions run the optimised plan (plan.h).
class ExpressionCompiler {
 public:
  // Compiles the zone's named lists once. Every list error (bad IP/CIDR, bad int, unknown kind,
  // too many items, duplicate name) is appended to `list_errors` (if not null), naming the list
  // and item; the status is then InvalidArgument with the first of them.
  // `account_lists` (may be null): the account-level lists the zone may name, compiled; a name
  // the zone defines too is left to the zone's list (the zone compiler reports the clash).
  static absl::StatusOr<ExpressionCompiler> Create(
      std::vector<NamedListDefinition> lists, Limits limits, std::vector<std::string>* list_errors,
      std::shared_ptr<const ListTable> account_lists = nullptr);

  // `phase` is a Cloudflare phase name; http.response.* is in scope only in response phases
  // (plan::IsResponsePhase). On error returns nullptr and appends one or more diagnostics.
  std::shared_ptr<const Filter> CompileFilter(std::string_view source, std::string_view phase,
                                              std::vector<Diagnostic>* diagnostics) const;
  std::shared_ptr<const ValueExpression> CompileValue(std::string_view source,
                                                      std::string_view phase,
                                                      std::vector<Diagnostic>* diagnostics) const;

  // The same, run by the reference interpreter instead of the optimised plan (the semantic
  // oracle: differential tests, `gatectl eval --reference`).
  std::shared_ptr<const Filter> CompileReferenceFilter(std::string_view source,
                                                       std::string_view phase,
                                                       std::vector<Diagnostic>* diagnostics) const;
  std::shared_ptr<const ValueExpression> CompileReferenceValue(
      std::string_view source, std::string_view phase, std::vector<Diagnostic>* diagnostics) const;

  // A filter together with its checked tree, as PhaseMatcher::Build takes it; both null on error.
  PhaseRule CompileRule(std::string_view source, std::string_view phase,
                        std::vector<Diagnostic>* diagnostics) const;

  // The checked tree itself (for the optimiser, tools and tests); nullptr on error.
  std::shared_ptr<const Expr> CompileTree(std::string_view source, std::string_view phase,
                                          ExpressionKind kind,
                                          std::vector<Diagnostic>* diagnostics) const;

  // The IR of the checked tree (rules/ir.proto), what the zone compiler stores for proxies to
  // link (rules/ir_linker.h) without this front end; nullopt on error, with diagnostics.
  std::optional<ir::v1::Expression> CompileIr(std::string_view source, std::string_view phase,
                                              ExpressionKind kind,
                                              std::vector<Diagnostic>* diagnostics) const;

  const Limits& limits() const { return limits_; }

  // The account-level lists the expressions compiled so far name, sorted.
  std::vector<std::string> UsedAccountLists() const;

 private:
  // Names of account lists that checked trees used; shared by copies.
  struct AccountListUses {
    std::set<std::string> account_names;
    mutable std::mutex mutex;
    std::set<std::string> used;
  };

  ExpressionCompiler(Limits limits, std::shared_ptr<const ListTable> lists,
                     std::shared_ptr<AccountListUses> uses)
      : limits_(limits),
        lists_(std::move(lists)),
        uses_(std::move(uses)),
        plans_(std::make_shared<PlanCache>()) {}

  // Records the account lists `tree` names.
  void NoteAccountLists(const Expr& tree) const;

  Limits limits_;
  std::shared_ptr<const ListTable> lists_;
  std::shared_ptr<AccountListUses> uses_;
  // Shared by copies: every expression of the zone shares sub-plans, regexes and sets.
  std::shared_ptr<PlanCache> plans_;
};

}  // namespace gatehouse::rules
