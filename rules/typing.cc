#include "rules/typing.h"

#include "rules/functions.h"
#include "rules/scheme.h"
#include "rules/strings.h"

namespace gatehouse::rules {
namespace {

bool IsOrdered(const Type& t) { return t == Type::Int() || t == Type::Bytes(); }
bool IsScalar(const Type& t) { return !t.is_container() && !t.is_error(); }

// How a node's type reads in a "found" clause: per-element values from [*] say so.
std::string Found(const Expr& e) {
  if (e.mapped) return Cat("per-element ", e.type.ToString(), " from [*]");
  return e.type.ToString();
}

NodeTyping Fail(TypingError::At at, size_t index, std::string message) {
  NodeTyping t;
  t.errors.push_back(TypingError{at, index, std::move(message)});
  return t;
}

NodeTyping Typed(Type type, bool mapped) {
  NodeTyping t;
  t.type = std::move(type);
  t.mapped = mapped;
  return t;
}

bool AnyChildFailed(const Expr& e) {
  for (const auto& child : e.children) {
    if (child->type.is_error()) return true;
  }
  return false;
}

using At = TypingError::At;

}  // namespace

NodeTyping TypeLeaf(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kField: return Typed(e.field->type, false);
    case ExprKind::kStringLiteral: return Typed(Type::Bytes(), false);
    case ExprKind::kIntLiteral: return Typed(Type::Int(), false);
    case ExprKind::kIpLiteral: return Typed(Type::Ip(), false);
    default: return NodeTyping{};
  }
}

NodeTyping TypeCall(const Expr& e, ExpressionKind kind) {
  const FunctionDefinition* f = e.function;
  if (f->value_only && kind == ExpressionKind::kFilter) {
    return Fail(At::kOperator, 0,
                Cat(f->name, "() is only available in value expressions (rewrites and "
                             "redirects), not in filters"));
  }
  if (f->filter_only && kind == ExpressionKind::kValue) {
    return Fail(At::kOperator, 0,
                Cat(f->name, "() is only available in filters, not in value expressions"));
  }
  int n = static_cast<int>(e.children.size());
  if (n < f->min_arguments || (f->max_arguments >= 0 && n > f->max_arguments)) {
    std::string want = f->min_arguments == f->max_arguments ? Cat(f->min_arguments)
                       : f->max_arguments < 0 ? Cat("at least ", f->min_arguments)
                                              : Cat(f->min_arguments, " to ", f->max_arguments);
    return Fail(At::kNode, 0,
                Cat(f->name, "() takes ", want, " argument", want == "1" ? "" : "s", ", found ",
                    n));
  }
  if (AnyChildFailed(e)) return NodeTyping{};
  std::vector<Type> types;
  std::vector<const Expr*> args;
  int mapped = -1;
  for (int i = 0; i < n; ++i) {
    const Expr& arg = *e.children[static_cast<size_t>(i)];
    bool whole = TakesWhole(*f, arg);
    if (arg.mapped && !whole) {
      if (mapped >= 0) {
        return Fail(At::kChild, static_cast<size_t>(i),
                    Cat(f->name, "() can take only one [*] argument"));
      }
      mapped = i;
    }
    // A function that takes an argument whole sees a per-element value as the array it is.
    types.push_back(whole ? Type::Array(arg.type) : arg.type);
    args.push_back(&arg);
  }
  Resolution r = f->resolve(types, args);
  if (!r.error.empty()) {
    if (r.bad_argument >= 0) {
      return Fail(At::kChild, static_cast<size_t>(r.bad_argument),
                  Cat("argument ", r.bad_argument + 1, " of ", f->name, "(): ", r.error));
    }
    return Fail(At::kNode, 0, Cat(f->name, "(): ", r.error));
  }
  return Typed(r.result, mapped >= 0);
}

NodeTyping TypeIndex(const Expr& e) {
  if (AnyChildFailed(e)) return NodeTyping{};
  const Expr& base = *e.children[0];
  const Expr& key = *e.children[1];
  bool by_string = key.kind == ExprKind::kStringLiteral;
  // lower(x[*])[0]: an element of the array the function made, one value (not per element).
  bool function_array = IsArrayFromFunction(base);
  if (base.type.kind() == Type::Kind::kMap && !function_array && !by_string) {
    return Fail(At::kChild, 1, "a map is indexed by a string key, found an integer");
  }
  if ((base.type.kind() == Type::Kind::kArray || function_array) && by_string) {
    return Fail(At::kChild, 1, "an array is indexed by an integer, found a string");
  }
  if (!base.type.is_container() && !function_array) {
    return Fail(At::kOperator, 0,
                Cat("only arrays and maps can be indexed, found ", base.type.ToString()));
  }
  if (!by_string && key.int_value < 0) {
    return Fail(At::kChild, 1, "an array index must not be negative");
  }
  if (function_array) return Typed(base.type, false);
  if (std::string error = HeaderKeyError(base, key); !error.empty()) {
    return Fail(At::kChild, 1, std::move(error));
  }
  return Typed(base.type.element(), base.mapped);
}

NodeTyping TypeMapEach(const Expr& e) {
  if (AnyChildFailed(e)) return NodeTyping{};
  const Expr& base = *e.children[0];
  // lower(x[*])[*]: the array the function made, iterated again (Cloudflare's documented form).
  if (IsArrayFromFunction(base)) return Typed(base.type, true);
  if (!base.type.is_container()) {
    return Fail(At::kOperator, 0, Cat("[*] needs an array or a map, found ", base.type.ToString()));
  }
  if (base.mapped) return Fail(At::kOperator, 0, "[*] cannot be nested inside another [*]");
  return Typed(base.type.element(), true);
}

NodeTyping TypeCompare(const Expr& e) {
  if (AnyChildFailed(e)) return NodeTyping{};
  const Expr& lhs = *e.children[0];
  const Expr& rhs = *e.children[1];
  std::string_view op = CompareOpName(e.compare_op);
  if (rhs.mapped) return Fail(At::kChild, 1, "[*] is only allowed on the left of a comparison");
  auto bad_left = [&](std::string_view want) {
    return Fail(At::kChild, 0,
                Cat("'", op, "' expects ", want, " on its left, found ", lhs.type.ToString()));
  };
  switch (e.compare_op) {
    case CompareOp::kEq:
    case CompareOp::kNe:
      if (!IsScalar(lhs.type)) return bad_left("Bytes, Int, Bool or Ip");
      break;
    case CompareOp::kLt:
    case CompareOp::kLe:
    case CompareOp::kGt:
    case CompareOp::kGe:
      if (!IsOrdered(lhs.type)) return bad_left("Int or Bytes");
      break;
    case CompareOp::kContains:
      if (!(lhs.type == Type::Bytes())) return bad_left("Bytes");
      break;
    case CompareOp::kBitAnd:
      if (!(lhs.type == Type::Int())) return bad_left("Int");
      break;
    case CompareOp::kMatches:
    case CompareOp::kWildcard:
    case CompareOp::kStrictWildcard:
      if (!(lhs.type == Type::Bytes())) return bad_left("Bytes");
      if (rhs.kind != ExprKind::kStringLiteral) {
        return Fail(At::kChild, 1,
                    Cat("'", op, "' expects a string literal pattern on its right, found ",
                        rhs.type.ToString()));
      }
      return Typed(Type::Bool(), lhs.mapped);
  }
  if (!(rhs.type == lhs.type)) {
    return Fail(At::kChild, 1,
                Cat("'", op, "' compares ", lhs.type.ToString(), " on its left, so expected ",
                    lhs.type.ToString(), " on its right, found ", rhs.type.ToString()));
  }
  return Typed(Type::Bool(), lhs.mapped);
}

NodeTyping TypeInSet(const Expr& e) {
  if (AnyChildFailed(e)) return NodeTyping{};
  const Expr& lhs = *e.children[0];
  const Type& t = lhs.type;
  if (!(t == Type::Bytes() || t == Type::Int() || t == Type::Ip())) {
    return Fail(At::kChild, 0,
                Cat("'in' expects Bytes, Int or Ip on its left, found ", t.ToString()));
  }
  NodeTyping result = Typed(Type::Bool(), lhs.mapped);
  using K = SetItem::Kind;
  for (size_t i = 0; i < e.set_items.size(); ++i) {
    K kind = e.set_items[i].kind;
    bool fits = t == Type::Bytes() ? kind == K::kString
                : t == Type::Int() ? kind == K::kInt || kind == K::kIntRange
                                   : kind == K::kIp || kind == K::kIpRange;
    if (fits) continue;
    std::string_view want = t == Type::Bytes() ? "a string"
                            : t == Type::Int() ? "an integer or integer range"
                                               : "an IP address, CIDR or IP range";
    std::string_view found = kind == K::kString                        ? "a string"
                             : kind == K::kInt || kind == K::kIntRange ? "an integer"
                                                                       : "an IP address";
    result.type = Type::Error();
    result.errors.push_back(TypingError{
        At::kSetItem, i, Cat("a set of ", t.ToString(), " values needs ", want, ", found ", found)});
  }
  return result;
}

NodeTyping TypeInList(const Expr& e, const CompiledList* list) {
  if (AnyChildFailed(e)) return NodeTyping{};
  const Type& t = e.children[0]->type;
  if (list == nullptr) {
    return Fail(At::kOperator, 0,
                Cat("unknown list $", e.text, "; lists are declared in the zone's \"lists\""));
  }
  if (!(list->element_type == t)) {
    return Fail(At::kChild, 0,
                Cat("list $", e.text, " holds ", list->element_type.ToString(),
                    " values, so expected ", list->element_type.ToString(),
                    " on the left of 'in', found ", t.ToString()));
  }
  return Typed(Type::Bool(), e.children[0]->mapped);
}

std::string LogicalOperandError(const Expr& e, const Expr& operand) {
  if (operand.type.is_error() || (operand.type == Type::Bool() && !operand.mapped)) return "";
  std::string_view op = e.kind == ExprKind::kNot ? "not" : LogicalOpName(e.logical_op);
  return Cat("'", op, "' expects Bool operands, found ", Found(operand),
             operand.mapped ? "; wrap it in any() or all()" : "");
}

NodeTyping TypeLogical(const Expr& e) {
  NodeTyping result = Typed(Type::Bool(), false);
  for (size_t i = 0; i < e.children.size(); ++i) {
    std::string error = LogicalOperandError(e, *e.children[i]);
    if (e.children[i]->type.is_error() || !error.empty()) result.type = Type::Error();
    if (!error.empty()) result.errors.push_back(TypingError{At::kChild, i, std::move(error)});
  }
  return result;
}

std::string CheckRootType(const Expr& root, ExpressionKind kind) {
  if (root.type.is_error()) return "";
  if (kind == ExpressionKind::kFilter) {
    if (!(root.type == Type::Bool()) || root.mapped) {
      return Cat("a filter must be a Bool expression, found ", Found(root),
                 root.mapped ? "; wrap it in any() or all()" : "");
    }
  } else if (!IsScalar(root.type) || root.type == Type::Ip() || root.mapped) {
    return Cat("a value expression must be Bytes, Int or Bool, found ", Found(root));
  }
  return "";
}

}  // namespace gatehouse::rules
