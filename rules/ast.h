#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "rules/ip_address.h"
#include "rules/span.h"
#include "rules/types.h"

namespace re2 {
class RE2;
}

namespace gatehouse::rules {

struct FieldDefinition;
struct FunctionDefinition;
class ValueSet;
class WildcardPattern;

enum class ExprKind {
  kError,        // a part that failed to parse; already reported
  kField,        // name
  kStringLiteral,
  kIntLiteral,
  kIpLiteral,
  kCall,         // name(children...)
  kIndex,        // children[0][children[1]]; the key is a string or int literal
  kMapEach,      // children[0][*]
  kCompare,      // children[0] <op> children[1]
  kInSet,        // children[0] in { set_items }
  kInList,       // children[0] in $name
  kNot,          // not children[0]
  kLogical,      // children joined by one logical op (flattened: a and b and c)
};

enum class CompareOp { kEq, kNe, kLt, kLe, kGt, kGe, kContains, kMatches, kWildcard,
                       kStrictWildcard, kBitAnd };
enum class LogicalOp { kAnd, kOr, kXor };

std::string_view CompareOpName(CompareOp op);

// Applies an ordering comparison (eq ne lt le gt ge) to two values of one type; false for the
// other operators. Shared by the reference interpreter and the plan so both order alike.
template <typename T>
bool Ordered(CompareOp op, const T& a, const T& b) {
  switch (op) {
    case CompareOp::kEq: return a == b;
    case CompareOp::kNe: return a != b;
    case CompareOp::kLt: return a < b;
    case CompareOp::kLe: return a <= b;
    case CompareOp::kGt: return a > b;
    case CompareOp::kGe: return a >= b;
    default: return false;
  }
}
std::string_view LogicalOpName(LogicalOp op);

// One element of a set literal: a string, an int or int range, or an IP, CIDR or IP range.
struct SetItem {
  enum class Kind { kString, kInt, kIntRange, kIp, kIpRange };
  Kind kind = Kind::kString;
  Span span;
  std::string text;
  int64_t low = 0;
  int64_t high = 0;
  IpRange ip;
};

// A node of the syntax tree. The parser fills the syntactic part; the checker fills the typed
// part (type, mapped, and the resolved field, function, regex, set or pattern), after which the
// tree is immutable and is what the reference interpreter walks.
struct Expr {
  ExprKind kind = ExprKind::kError;
  Span span;
  std::string text;  // field / function / list name, or string literal bytes
  int64_t int_value = 0;
  IpAddress ip;
  CompareOp compare_op = CompareOp::kEq;
  LogicalOp logical_op = LogicalOp::kAnd;
  Span op_span;  // the operator token of kCompare / kInSet / kInList / kLogical
  std::vector<std::unique_ptr<Expr>> children;
  std::vector<SetItem> set_items;

  // Filled by the checker.
  Type type;
  // True when the value is a per-element array produced by `[*]`: operations on it apply to every
  // element, and only any() / all() (or a function) collapse it.
  bool mapped = false;
  const FieldDefinition* field = nullptr;
  const FunctionDefinition* function = nullptr;
  std::shared_ptr<const re2::RE2> regex;
  std::shared_ptr<const ValueSet> set;
  std::shared_ptr<const WildcardPattern> wildcard;
};

// A compact prefix rendering for tests and debugging: (and (eq http.host "a") (not ssl)).
std::string ExprToString(const Expr& expr);

}  // namespace gatehouse::rules
