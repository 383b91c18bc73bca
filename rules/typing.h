#pragma once

#include <string>
#include <vector>

#include "rules/ast.h"
#include "rules/expression_kind.h"
#include "rules/list_table.h"
#include "rules/types.h"

namespace gatehouse::rules {

// The typing rules of the language, node by node. Shared by the checker (which reports their
// errors as diagnostics at source spans) and the IR linker (which reports them as errors at node
// indices), so a tree read from IR is held to exactly the rules a parsed one is.

// Where a typing error points.
struct TypingError {
  enum class At {
    kNode,      // the whole node
    kOperator,  // the node's operator (or a call's name)
    kChild,     // children[index]
    kSetItem,   // set_items[index]
  };
  At at = At::kNode;
  size_t index = 0;
  std::string message;
};

// The checked type of one node, computed from its children's checked types. On failure `type` is
// Error and `errors` says why; an Error type with no errors means a child had already failed
// (which was reported where it failed).
struct NodeTyping {
  Type type = Type::Error();
  bool mapped = false;
  std::vector<TypingError> errors;

  bool ok() const { return !type.is_error(); }
};

// Each expects `e.kind` to be the one it names and `e.children` to be typed. The field, function
// and list must already be resolved (e.field, e.function non-null; `list` may be null).
NodeTyping TypeCall(const Expr& e, ExpressionKind kind);
NodeTyping TypeIndex(const Expr& e);
NodeTyping TypeMapEach(const Expr& e);
NodeTyping TypeCompare(const Expr& e);
NodeTyping TypeInSet(const Expr& e);
NodeTyping TypeInList(const Expr& e, const CompiledList* list);
// kNot and kLogical: one error per operand that is not a plain Bool.
NodeTyping TypeLogical(const Expr& e);
// The error TypeLogical gives for one operand of `e`, or empty (the checker reports operand by
// operand, as it checks them).
std::string LogicalOperandError(const Expr& e, const Expr& operand);
// The literal kinds and kField (whose field must be resolved).
NodeTyping TypeLeaf(const Expr& e);

// What the whole expression must be: a Bool filter, or a Bytes, Int or Bool value. Empty when
// the root fits.
std::string CheckRootType(const Expr& root, ExpressionKind kind);

}  // namespace gatehouse::rules
