// has_key() and has_value(): membership tests on the map and array fields (headers, query
// arguments, cookies, their .names and .values) without indexing or [*].
#include "rules/function_signatures.h"
#include "rules/ip_address.h"

namespace gatehouse::rules::function_signatures {
namespace {

Resolution ResolveHasKey(const Types& t, const Args& a) {
  if (t[0].kind() != Type::Kind::kMap) return Bad(0, Expected("a map", t[0]));
  if (!(t[1] == Type::Bytes())) return Bad(1, Expected("Bytes (a key)", t[1]));
  if (std::string error = HeaderKeyError(*a[0], *a[1]); !error.empty()) return Bad(1, error);
  return Ok(Type::Bool());
}

// The value is an element of the array or map, or an element of those elements when they are
// arrays themselves (a header's values in http.request.headers).
Resolution ResolveHasValue(const Types& t, const Args&) {
  if (!t[0].is_container()) return Bad(0, Expected("an array or a map", t[0]));
  const Type element = t[0].element();
  const Type& value = t[1];
  bool fits =
      value == element || (element.kind() == Type::Kind::kArray && value == element.element());
  if (value.is_container() || !fits) {
    std::string want =
        element.kind() == Type::Kind::kArray ? element.element().ToString() : element.ToString();
    return Bad(1, Cat("expected ", want, " (an element of ", t[0].ToString(), "), found ",
                      value.ToString()));
  }
  return Ok(Type::Bool());
}

Value HasKey(const Expr&, std::vector<Value>& a) {
  const std::string& key = *a[1].as_bytes();
  for (const auto& [k, v] : *a[0].as_map()) {
    if (k == key) return Value::Bool(true);
  }
  return Value::Bool(false);
}

// Elements are scalars of the value's type (the resolver's rule), or missing.
bool SameScalar(const Value& a, const Value& b) {
  if (const auto* s = a.as_bytes()) return b.as_bytes() != nullptr && *s == *b.as_bytes();
  if (const auto* i = a.as_int()) return b.as_int() != nullptr && *i == *b.as_int();
  if (const auto* f = a.as_bool()) return b.as_bool() != nullptr && *f == *b.as_bool();
  if (const auto* ip = a.as_ip()) return b.as_ip() != nullptr && SameAddress(*ip, *b.as_ip());
  return false;
}

// Searches one level of nested arrays, as the resolver allows.
bool Holds(const Value& element, const Value& value) {
  if (const auto* items = element.as_array()) {
    for (const Value& item : *items) {
      if (SameScalar(item, value)) return true;
    }
    return false;
  }
  return SameScalar(element, value);
}

Value HasValue(const Expr&, std::vector<Value>& a) {
  const Value& value = a[1];
  if (const auto* items = a[0].as_array()) {
    for (const Value& item : *items) {
      if (Holds(item, value)) return Value::Bool(true);
    }
  } else if (const auto* map = a[0].as_map()) {
    for (const auto& [key, item] : *map) {
      if (Holds(item, value)) return Value::Bool(true);
    }
  }
  return Value::Bool(false);
}

}  // namespace

const std::vector<FunctionDefinition>& CollectionFunctions() {
  static const auto* functions = new std::vector<FunctionDefinition>{
      {.name = "has_key",
       .min_arguments = 2,
       .max_arguments = 2,
       .resolve = ResolveHasKey,
       .evaluate = HasKey},
      {.name = "has_value",
       .min_arguments = 2,
       .max_arguments = 2,
       .resolve = ResolveHasValue,
       .evaluate = HasValue,
       .accepts_arrays = true},
  };
  return *functions;
}

}  // namespace gatehouse::rules::function_signatures
