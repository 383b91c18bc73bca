#pragma once

#include <cstddef>

namespace gatehouse::rules {

// Compile-time limits on one expression and on a zone's named lists. Each is enforced with a
// diagnostic when an expression or list is compiled, never on the data plane. Rules per phase is
// checked by the zone compiler.
struct Limits {
  size_t max_expression_bytes = 4096;
  int max_nesting_depth = 128;
  int max_regexes_per_expression = 64;
  // RE2's ProgramSize() of one compiled regex (a proxy for its memory and matching cost).
  int max_regex_program_size = 10000;
  // Items of one named list, and of one set literal `{...}`.
  size_t max_list_items = 100000;
};

// How deep (in nodes, root to leaf) a checked tree may be: the bound the IR linker enforces so a
// hostile IR cannot exhaust the stack of the plan builder or the interpreter, which recurse. A
// parsed tree stays well inside it: each of the parser's nesting levels adds at most a chain of
// logical operators (one per precedence level), a `not`, a comparison and a call, and a value
// below a comparison is at most an index, a [*] and a field deep.
constexpr int MaxTreeDepth(const Limits& limits) {
  return 8 * (limits.max_nesting_depth + 1);
}

// How many nodes a checked tree may have: every node comes from at least one byte of source.
constexpr size_t MaxTreeNodes(const Limits& limits) { return limits.max_expression_bytes; }

}  // namespace gatehouse::rules
