#include "rules/interpreter.h"

#include <functional>

#include "re2/re2.h"
#include "rules/functions.h"
#include "rules/ip_address.h"
#include "rules/value_set.h"
#include "rules/wildcard.h"

namespace gatehouse::rules {
namespace {

bool CompareScalars(const Expr& e, const Value& lhs, const Value& rhs) {
  if (lhs.is_missing() || rhs.is_missing()) return false;
  CompareOp op = e.compare_op;
  if (const auto* s = lhs.as_bytes()) {
    const std::string& pattern = *rhs.as_bytes();
    switch (op) {
      case CompareOp::kContains: return s->find(pattern) != std::string::npos;
      case CompareOp::kMatches: return re2::RE2::PartialMatch(*s, *e.regex);
      case CompareOp::kWildcard: return e.wildcard->Matches(*s, false);
      case CompareOp::kStrictWildcard: return e.wildcard->Matches(*s, true);
      default: return Ordered(op, std::string_view(*s), std::string_view(pattern));
    }
  }
  if (const auto* i = lhs.as_int()) {
    if (op == CompareOp::kBitAnd) return (*i & *rhs.as_int()) != 0;
    return Ordered(op, *i, *rhs.as_int());
  }
  if (const auto* b = lhs.as_bool()) return Ordered(op, *b, *rhs.as_bool());
  if (const auto* ip = lhs.as_ip()) {
    bool same = SameAddress(*ip, *rhs.as_ip());
    return op == CompareOp::kEq ? same : op == CompareOp::kNe && !same;
  }
  return false;
}

// Linear scan over the literal's items: deliberately naive, the oracle for ValueSet.
bool InSetLiteral(const Expr& e, const Value& v) {
  for (const SetItem& item : e.set_items) {
    switch (item.kind) {
      case SetItem::Kind::kString:
        if (v.as_bytes() != nullptr && *v.as_bytes() == item.text) return true;
        break;
      case SetItem::Kind::kInt:
      case SetItem::Kind::kIntRange:
        if (v.as_int() != nullptr && *v.as_int() >= item.low && *v.as_int() <= item.high) return true;
        break;
      case SetItem::Kind::kIp:
      case SetItem::Kind::kIpRange:
        if (v.as_ip() != nullptr && !AddressLess(*v.as_ip(), item.ip.low) &&
            !AddressLess(item.ip.high, *v.as_ip())) {
          return true;
        }
        break;
    }
  }
  return false;
}

bool InList(const Expr& e, const Value& v) {
  if (const auto* s = v.as_bytes()) return e.set->ContainsBytes(*s);
  if (const auto* i = v.as_int()) return e.set->ContainsInt(*i);
  if (const auto* ip = v.as_ip()) return e.set->ContainsIp(*ip);
  return false;
}

// Applies `f` to a value, or to each element of it when the node is a [*] value.
Value MapIfNeeded(bool mapped, const Value& v, const std::function<Value(const Value&)>& f) {
  if (!mapped) return f(v);
  const Value::Array* items = v.as_array();
  if (items == nullptr) return Value::Missing();
  Value::Array out;
  out.reserve(items->size());
  for (const Value& item : *items) out.push_back(f(item));
  return Value::MakeArray(std::move(out));
}

Value IndexValue(const Value& base, const Expr& key) {
  if (const auto* a = base.as_array()) {
    if (key.int_value >= 0 && static_cast<size_t>(key.int_value) < a->size()) {
      return (*a)[static_cast<size_t>(key.int_value)];
    }
    return Value::Missing();
  }
  if (const auto* m = base.as_map()) {
    for (const auto& [k, v] : *m) {
      if (k == key.text) return v;
    }
  }
  return Value::Missing();
}

Value Call(const Expr& e, Evaluation& evaluation) {
  const FunctionDefinition& f = *e.function;
  std::vector<Value> args;
  args.reserve(e.children.size());
  int mapped = -1;
  for (size_t i = 0; i < e.children.size(); ++i) {
    args.push_back(Interpret(*e.children[i], evaluation));
    if (e.children[i]->mapped && !TakesWhole(f, *e.children[i])) mapped = static_cast<int>(i);
  }
  auto apply = [&](std::vector<Value>& call_args) {
    if (!f.missing_aware) {
      for (const Value& a : call_args) {
        if (a.is_missing()) return Value::Missing();
      }
    }
    return f.evaluate(e, call_args);
  };
  if (mapped < 0) return apply(args);
  Value each = std::move(args[static_cast<size_t>(mapped)]);
  return MapIfNeeded(true, each, [&](const Value& element) {
    args[static_cast<size_t>(mapped)] = element;
    return apply(args);
  });
}

}  // namespace

Value Interpret(const Expr& e, Evaluation& evaluation) {
  switch (e.kind) {
    case ExprKind::kError:
      return Value::Missing();
    case ExprKind::kField:
      return evaluation.Field(e.field->id);
    case ExprKind::kStringLiteral:
      return Value::Bytes(e.text);
    case ExprKind::kIntLiteral:
      return Value::Int(e.int_value);
    case ExprKind::kIpLiteral:
      return Value::Ip(e.ip);
    case ExprKind::kCall:
      return Call(e, evaluation);
    case ExprKind::kIndex: {
      Value base = Interpret(*e.children[0], evaluation);
      return MapIfNeeded(e.mapped, base, [&](const Value& v) { return IndexValue(v, *e.children[1]); });
    }
    case ExprKind::kMapEach: {
      Value base = Interpret(*e.children[0], evaluation);
      if (const auto* m = base.as_map()) {
        Value::Array values;
        for (const auto& [k, v] : *m) values.push_back(v);
        return Value::MakeArray(std::move(values));
      }
      return base;  // an array already, or missing
    }
    case ExprKind::kCompare: {
      Value lhs = Interpret(*e.children[0], evaluation);
      Value rhs = Interpret(*e.children[1], evaluation);
      return MapIfNeeded(e.mapped, lhs,
                         [&](const Value& v) { return Value::Bool(CompareScalars(e, v, rhs)); });
    }
    case ExprKind::kInSet:
    case ExprKind::kInList: {
      Value lhs = Interpret(*e.children[0], evaluation);
      bool literal = e.kind == ExprKind::kInSet;
      return MapIfNeeded(e.mapped, lhs, [&](const Value& v) {
        return Value::Bool(literal ? InSetLiteral(e, v) : InList(e, v));
      });
    }
    case ExprKind::kNot:
      return Value::Bool(!Interpret(*e.children[0], evaluation).IsTrue());
    case ExprKind::kLogical: {
      switch (e.logical_op) {
        case LogicalOp::kAnd:
          for (const auto& child : e.children) {
            if (!Interpret(*child, evaluation).IsTrue()) return Value::Bool(false);
          }
          return Value::Bool(true);
        case LogicalOp::kOr:
          for (const auto& child : e.children) {
            if (Interpret(*child, evaluation).IsTrue()) return Value::Bool(true);
          }
          return Value::Bool(false);
        case LogicalOp::kXor: {
          bool result = false;
          for (const auto& child : e.children) result ^= Interpret(*child, evaluation).IsTrue();
          return Value::Bool(result);
        }
      }
    }
  }
  return Value::Missing();
}

}  // namespace gatehouse::rules
