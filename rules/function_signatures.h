#pragma once

// What the tables of built-in functions are written with (private to //rules:functions_lib):
// the checks every family's resolvers share, and each family's table. functions.cc joins the
// tables into the one FindFunction() searches.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "rules/ast.h"
#include "rules/functions.h"
#include "rules/strings.h"
#include "rules/types.h"
#include "rules/value.h"

namespace gatehouse::rules::function_signatures {

using Types = std::vector<Type>;
using Args = std::vector<const Expr*>;

inline Resolution Ok(Type t) { return Resolution{std::move(t), -1, ""}; }
inline Resolution Bad(int i, std::string message) {
  return Resolution{Type::Error(), i, std::move(message)};
}

inline std::string Expected(std::string_view want, const Type& found) {
  return Cat("expected ", want, ", found ", found.ToString());
}

// Checks that every argument from `first` on has type `want`; fills `r` on the first mismatch.
inline bool AllOf(const Types& t, size_t first, const Type& want, Resolution& r) {
  for (size_t i = first; i < t.size(); ++i) {
    if (!(t[i] == want)) {
      r = Bad(static_cast<int>(i), Expected(want.ToString(), t[i]));
      return false;
    }
  }
  return true;
}

// Signatures made of fixed scalar parameter types.
template <Type (*R)(), Type (*... P)()>
Resolution Fixed(const Types& t, const Args&) {
  const Type params[] = {P()...};
  for (size_t i = 0; i < t.size() && i < sizeof...(P); ++i) {
    if (!(t[i] == params[i])) return Bad(static_cast<int>(i), Expected(params[i].ToString(), t[i]));
  }
  return Ok(R());
}

inline bool IsStringLiteral(const Expr* e) { return e->kind == ExprKind::kStringLiteral; }

// An integer literal in [low, high].
inline bool IsIntLiteralIn(const Expr* e, int64_t low, int64_t high) {
  return e->kind == ExprKind::kIntLiteral && e->int_value >= low && e->int_value <= high;
}

// Argument i, when given, must be a string literal of flag letters from `allowed`, which
// `meaning` describes; fills `r` otherwise.
inline bool FlagsLiteral(const Args& a, size_t i, std::string_view allowed,
                         std::string_view meaning, Resolution& r) {
  if (a.size() <= i) return true;
  if (!IsStringLiteral(a[i])) {
    r = Bad(static_cast<int>(i), "the flags must be a string literal");
    return false;
  }
  if (a[i]->text.find_first_not_of(allowed) != std::string::npos) {
    r = Bad(static_cast<int>(i), Cat("unknown flag; expected ", meaning));
    return false;
  }
  return true;
}

inline const std::string& BytesArg(const std::vector<Value>& a, size_t i) {
  return *a[i].as_bytes();
}

// The families, one table each.
const std::vector<FunctionDefinition>& StringFunctions();      // functions.cc: strings, URLs, JSON
const std::vector<FunctionDefinition>& IpFunctions();          // functions_ip.cc
const std::vector<FunctionDefinition>& CollectionFunctions();  // functions_collections.cc
const std::vector<FunctionDefinition>& CryptoFunctions();      // functions_crypto.cc

}  // namespace gatehouse::rules::function_signatures
