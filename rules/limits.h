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

}  // namespace gatehouse::rules
