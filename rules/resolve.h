#pragma once

#include <memory>
#include <optional>
#include <string_view>

#include "absl/status/statusor.h"
#include "rules/ast.h"
#include "rules/limits.h"
#include "rules/typing.h"

namespace re2 {
class RE2;
}

namespace gatehouse::rules {

// Compiles the regexes of one expression under its limits: byte-oriented (Latin-1) like
// Cloudflare, at most `max_regexes_per_expression` of them, each within
// `max_regex_program_size`. One per expression being checked or linked.
class RegexCompiler {
 public:
  explicit RegexCompiler(const Limits& limits) : limits_(limits) {}

  // InvalidArgument with the reason (invalid, too complex, too many) on failure.
  absl::StatusOr<std::shared_ptr<const re2::RE2>> Compile(std::string_view pattern);

 private:
  Limits limits_;
  int count_ = 0;
};

// Builds the run-time parts of a node whose type was just computed (typing.h): the regex of
// `matches` and regex_replace(), the wildcard pattern of `wildcard` and wildcard_replace(), the
// set of `in {...}`. Fields, functions and lists are resolved by name before typing and are not
// touched here. The checker and the IR linker both build these parts here and nowhere else.
// Returns the error (a bad regex, a replacement referring to a group the regex lacks), if any.
std::optional<TypingError> BuildRunTimeParts(Expr& e, RegexCompiler& regexes);

}  // namespace gatehouse::rules
