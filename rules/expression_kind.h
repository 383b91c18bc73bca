#pragma once

namespace gatehouse::rules {

// What a rule expression is used as; decides which root types and functions are allowed.
enum class ExpressionKind {
  kFilter,  // must be Bool
  kValue,   // Bytes, Int or Bool; rewrites and redirects
};

}  // namespace gatehouse::rules
