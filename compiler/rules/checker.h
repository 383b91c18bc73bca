#pragma once

#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "compiler/rules/ast.h"
#include "compiler/rules/diagnostic.h"
#include "compiler/rules/limits.h"
#include "compiler/rules/value_set.h"

namespace gatehouse::rules {

using ListTable = absl::flat_hash_map<std::string, CompiledList>;

enum class ExpressionKind {
  kFilter,  // must be Bool
  kValue,   // Bytes, Int or Bool; rewrites and redirects
};

struct CheckContext {
  std::string_view phase;
  ExpressionKind kind = ExpressionKind::kFilter;
  Limits limits;
  const ListTable* lists = nullptr;
};

// Type-checks a parsed tree in place: resolves fields (phase-aware), functions and lists, gives
// every node its type, and compiles regexes, wildcards and sets. Reports every error it finds;
// a failed node takes the Error type so it causes no further diagnostics. Returns true if the
// tree is valid.
bool Check(Expr& root, const CheckContext& context, DiagnosticSink& sink);

}  // namespace gatehouse::rules
