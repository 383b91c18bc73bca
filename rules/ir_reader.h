#pragma once

#include <memory>

#include "absl/status/statusor.h"
#include "rules/ast.h"
#include "rules/expression_kind.h"
#include "rules/ir.pb.h"
#include "rules/limits.h"
#include "rules/list_table.h"

namespace gatehouse::rules {

// Reads and verifies the IR of one expression into a checked tree, exactly as the checker would
// have left it: fields, functions and lists resolved, every node typed by the shared typing rules
// (rules/typing.h), regexes, wildcards and sets built (rules/resolve.h). Any IR no checked tree
// encodes to is rejected with InvalidArgument naming the node ("IR node 7 (compare), child 1:
// ..."); nothing in the input can make it crash. Works without recursion, so depth is checked
// before anything walks the tree.
absl::StatusOr<std::unique_ptr<Expr>> ReadExpression(const ir::v1::Expression& ir,
                                                     ExpressionKind kind, const ListTable& lists,
                                                     const Limits& limits);

}  // namespace gatehouse::rules
