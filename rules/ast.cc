#include "rules/ast.h"

#include "absl/strings/escaping.h"
#include "rules/strings.h"

namespace gatehouse::rules {

std::string_view CompareOpName(CompareOp op) {
  switch (op) {
    case CompareOp::kEq: return "eq";
    case CompareOp::kNe: return "ne";
    case CompareOp::kLt: return "lt";
    case CompareOp::kLe: return "le";
    case CompareOp::kGt: return "gt";
    case CompareOp::kGe: return "ge";
    case CompareOp::kContains: return "contains";
    case CompareOp::kMatches: return "matches";
    case CompareOp::kWildcard: return "wildcard";
    case CompareOp::kStrictWildcard: return "strict wildcard";
    case CompareOp::kBitAnd: return "&";
  }
  return "?";
}

std::string_view LogicalOpName(LogicalOp op) {
  switch (op) {
    case LogicalOp::kAnd: return "and";
    case LogicalOp::kOr: return "or";
    case LogicalOp::kXor: return "xor";
  }
  return "?";
}

namespace {

std::string SetItemToString(const SetItem& item) {
  switch (item.kind) {
    case SetItem::Kind::kString:
      return Cat("\"", absl::CEscape(item.text), "\"");
    case SetItem::Kind::kInt:
      return Cat(item.low);
    case SetItem::Kind::kIntRange:
      return Cat(item.low, "..", item.high);
    case SetItem::Kind::kIp:
      return FormatIpAddress(item.ip.low);
    case SetItem::Kind::kIpRange:
      return Cat(FormatIpAddress(item.ip.low), "..", FormatIpAddress(item.ip.high));
  }
  return "?";
}

}  // namespace

std::string ExprToString(const Expr& expr) {
  auto child = [&](size_t i) { return ExprToString(*expr.children[i]); };
  auto all_children = [&]() {
    std::string out;
    for (size_t i = 0; i < expr.children.size(); ++i) Append(&out, " ", child(i));
    return out;
  };
  switch (expr.kind) {
    case ExprKind::kError:
      return "<error>";
    case ExprKind::kField:
      return expr.text;
    case ExprKind::kStringLiteral:
      return Cat("\"", absl::CEscape(expr.text), "\"");
    case ExprKind::kIntLiteral:
      return Cat(expr.int_value);
    case ExprKind::kIpLiteral:
      return FormatIpAddress(expr.ip);
    case ExprKind::kCall:
      return Cat("(", expr.text, all_children(), ")");
    case ExprKind::kIndex:
      return Cat(child(0), "[", child(1), "]");
    case ExprKind::kMapEach:
      return Cat(child(0), "[*]");
    case ExprKind::kCompare:
      return Cat("(", CompareOpName(expr.compare_op), " ", child(0), " ", child(1), ")");
    case ExprKind::kInSet: {
      std::string out = Cat("(in ", child(0), " {");
      for (size_t i = 0; i < expr.set_items.size(); ++i) {
        Append(&out, i ? " " : "", SetItemToString(expr.set_items[i]));
      }
      return out + "})";
    }
    case ExprKind::kInList:
      return Cat("(in ", child(0), " $", expr.text, ")");
    case ExprKind::kNot:
      return Cat("(not ", child(0), ")");
    case ExprKind::kLogical:
      return Cat("(", LogicalOpName(expr.logical_op), all_children(), ")");
  }
  return "?";
}

}  // namespace gatehouse::rules
