#pragma once

#include <memory>
#include <string_view>

#include "compiler/rules/diagnostic.h"
#include "rules/ast.h"
#include "rules/limits.h"

namespace gatehouse::rules {

// Parses one expression (filter or value) into a syntax tree. Grammar, loosest first:
//   expr    := xor ( ('or' | '||') xor )*
//   xor     := and ( ('xor' | '^^') and )*
//   and     := unary ( ('and' | '&&') unary )*
//   unary   := ('not' | '!') unary | compare
//   compare := value [ cmp-op value | 'in' set | 'in' $list ]
//   value   := ( field | func '(' args ')' | literal | '(' expr ')' ) ( '[' key | '*' ']' )*
// Errors are reported to `sink`; the parser resynchronises at the next logical operator or
// closing parenthesis, so one call can report several mistakes. The tree is always returned
// (with kError nodes where parsing failed); it is only meaningful if `sink` saw no errors.
// The caller enforces the length limit; the parser enforces the nesting limit.
std::unique_ptr<Expr> Parse(std::string_view source, const Limits& limits, DiagnosticSink& sink);

}  // namespace gatehouse::rules
