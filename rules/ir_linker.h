#pragma once

#include <memory>

#include "absl/status/statusor.h"
#include "google/protobuf/repeated_field.h"
#include "rules/ast.h"
#include "rules/expression_kind.h"
#include "rules/filter.h"
#include "rules/ir.pb.h"
#include "rules/limits.h"
#include "rules/list_table.h"
#include "rules/phase_matcher.h"
#include "rules/plan.h"

namespace gatehouse::rules {

// Links the IR of a zone's expressions (rules/ir.proto) into plans: what a proxy does instead of
// compiling rule text. Holds the zone's compiled named lists and one plan cache shared by every
// expression it links, as ExpressionCompiler does, so identical sub-expressions, regexes and sets
// are built once per zone. Cheap to copy (copies share both); const methods are thread-safe.
//
// The IR is untrusted: linking verifies it completely and returns InvalidArgument, naming the
// node and what is wrong, for anything a checked tree could not be (an unknown kind, field,
// function or list; a wrong number of children; a child whose type does not fit the node or the
// function's signature; a stored type that disagrees with the checked one; a regex that does not
// compile or is too complex; a tree deeper or larger than the limits allow). It never crashes on
// bad input.
// Compiles one list as the IR carries it (a zone's own, or an account-level list of a
// snapshot): the same checks and errors as the control plane's (rules/list_table.h).
absl::StatusOr<CompiledList> CompileListIr(const ir::v1::NamedList& list, Limits limits);

class ExpressionLinker {
 public:
  // Compiles the zone's named lists (as the control plane did; the same errors, InvalidArgument).
  // `account_lists` (may be null): the account-level lists the zone names, already compiled
  // (shared, not copied); a name the zone defines as well is InvalidArgument.
  static absl::StatusOr<ExpressionLinker> Create(
      const google::protobuf::RepeatedPtrField<ir::v1::NamedList>& lists, Limits limits,
      const ListTable* account_lists = nullptr);

  // A filter, with its checked tree for PhaseMatcher::Build.
  absl::StatusOr<PhaseRule> LinkFilter(const ir::v1::Expression& ir) const;
  // A value expression (rewrites, redirects), as ExpressionCompiler::CompileValue gives it.
  absl::StatusOr<std::shared_ptr<const ValueExpression>> LinkValue(
      const ir::v1::Expression& ir) const;
  // The verified, checked tree itself (for the reference interpreter, tools and tests).
  absl::StatusOr<std::shared_ptr<const Expr>> LinkTree(const ir::v1::Expression& ir,
                                                       ExpressionKind kind) const;

  const Limits& limits() const { return limits_; }

 private:
  ExpressionLinker(Limits limits, std::shared_ptr<const ListTable> lists)
      : limits_(limits), lists_(std::move(lists)), plans_(std::make_shared<PlanCache>()) {}

  Limits limits_;
  std::shared_ptr<const ListTable> lists_;
  // Shared by copies: every expression of the zone shares sub-plans, regexes and sets.
  std::shared_ptr<PlanCache> plans_;
};

}  // namespace gatehouse::rules
