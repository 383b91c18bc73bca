#pragma once

#include <string>
#include <string_view>

#include "compiler/rules/diagnostic.h"
#include "rules/ast.h"
#include "rules/expression_kind.h"
#include "rules/limits.h"
#include "rules/list_table.h"

namespace gatehouse::rules {

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
