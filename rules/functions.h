#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "rules/ast.h"
#include "rules/types.h"
#include "rules/value.h"

namespace gatehouse::rules {

// What the checker learns from a call's argument types: its result type, or which argument is
// wrong and why.
struct Resolution {
  Type result;
  int bad_argument = -1;  // -1: the error (if any) concerns the whole call
  std::string error;      // empty on success
};

// A built-in function. Arguments reach `resolve` and `evaluate` as scalars: when an argument is
// a per-element array from `[*]`, the checker passes its element type and the interpreter calls
// `evaluate` once per element, unless the function takes the argument whole (TakesWhole()).
struct FunctionDefinition {
  std::string_view name;
  int min_arguments;
  int max_arguments;  // -1: any number
  bool consumes_arrays = false;  // any(), all(), join(): take a [*] array whole
  bool value_only = false;       // only in value expressions (rewrites), not in filters
  bool missing_aware = false;    // called with missing arguments (otherwise the result is missing)
  int regex_argument = -1;       // this argument is a regex literal the checker compiles
  int wildcard_argument = -1;    // this argument is a wildcard literal the checker compiles
  Resolution (*resolve)(const std::vector<Type>& types, const std::vector<const Expr*>& args);
  Value (*evaluate)(const Expr& call, std::vector<Value>& args);
  bool filter_only = false;     // only in filters, not in value expressions
  bool accepts_arrays = false;  // len(), has_value(): a function's array is taken whole
};

// A function applied to a [*] value (lower(x[*])) makes an array, as Cloudflare reads it: `[*]`
// iterates it again, `[0]` indexes it, and a function that accepts arrays takes it whole. Where
// a scalar is expected it still applies element by element (the shorter form).
bool IsArrayFromFunction(const Expr& e);

// Whether `f` takes the per-element argument `arg` whole, as an array, rather than once per
// element: always for functions that consume arrays (any, all, join), and for a function's array
// when `f` accepts arrays (len(lower(x[*])) counts the elements).
bool TakesWhole(const FunctionDefinition& f, const Expr& arg);

// The error for a literal key that can never match in a header map (whose names are lower-cased),
// or empty. Shared by indexing (typing.cc) and has_key().
std::string HeaderKeyError(const Expr& map, const Expr& key);

// nullptr if unknown.
const FunctionDefinition* FindFunction(std::string_view name);
// The closest function name, or empty.
std::string_view SuggestFunction(std::string_view name);

// Expands ${N} in a replacement with groups[N] (group 0 is the whole match); other bytes are
// copied. Shared by regex_replace() and wildcard_replace().
std::string ExpandReplacement(std::string_view replacement,
                              const std::vector<std::string_view>& groups);
// The highest ${N} a replacement refers to, or -1; N > 9 returns 10 (always invalid).
int HighestReplacementReference(std::string_view replacement);

}  // namespace gatehouse::rules
