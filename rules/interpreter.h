#pragma once

#include "rules/ast.h"
#include "rules/evaluation.h"
#include "rules/value.h"

namespace gatehouse::rules {

// The reference interpreter: walks a checked tree directly, as plainly as possible. It defines
// the language's semantics; optimised plans are tested against it.
//   - A missing operand makes every comparison false (`ne` included); functions given a missing
//     argument return missing (except any()/all(), which return false).
//   - `not`, `and`, `or`, `xor` read missing as false.
//   - A [*] value is an array; comparisons and functions on it apply element by element.
Value Interpret(const Expr& expr, Evaluation& evaluation);

}  // namespace gatehouse::rules
