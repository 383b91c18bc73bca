#pragma once

#include <string>
#include <string_view>

namespace gatehouse::seclang_import {

// PCRE's possessive quantifiers (X*+, X++, X?+, X{n,m}+) read as greedy ones, which RE2 runs.
// A possessive quantifier never gives back what it took; RE2 has no backtracking to give back,
// it matches when any reading of the pattern matches. The two agree whenever what follows the
// quantified item cannot start with what the item consumed — true of the CRS 3.3.4 patterns
// that use them (920600's `\s*+;`, `\s*+=`, `\s*+,`; 942260's `[^?\w\s=.,;)(]++\s*?[(@"'\x60]`,
// whose next class's characters end the possessive run's class anyway). Returns the pattern
// unchanged when it has none; `changed` says whether it had.
std::string PossessiveToGreedy(std::string_view pattern, bool* changed);

}  // namespace gatehouse::seclang_import
