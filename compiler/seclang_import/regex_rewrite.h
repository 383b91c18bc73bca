#pragma once

// Rewrites of PCRE patterns (as CRS writes them for ModSecurity) into what RE2 runs, each exact
// for the patterns it accepts: a pattern it cannot rewrite exactly is returned unchanged, so
// RE2 rejects it and the translator leaves the rule out with RE2's reason.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "waf/operators.h"

namespace gatehouse::seclang_import {

// How the managed WAF runs one @rx pattern.
struct RegexForRe2 {
  std::string pattern;
  // kRx, or kRxWordBackref (waf/operators.h) when the pattern compares words with an earlier
  // captured word.
  waf::OperatorKind kind = waf::OperatorKind::kRx;
  // What was rewritten, for the program's `adjusted` list; empty when nothing was.
  std::vector<std::string> notes;
};

// Every rewrite below that applies to `pattern`. `captures`: the rule captures (TX:0..9), so a
// rewrite that would change a match's span or groups is not made.
RegexForRe2 RewriteForRe2(std::string_view pattern, bool captures);

// PCRE's possessive quantifiers (X*+, X++, X?+, X{n,m}+) read as greedy ones, which RE2 runs.
// A possessive quantifier never gives back what it took; RE2 has no backtracking to give back,
// it matches when any reading of the pattern matches. The two agree whenever what follows the
// quantified item cannot start with what the item consumed — true of the CRS 3.3.4 patterns
// that use them (920600's `\s*+;`, `\s*+=`, `\s*+,`; 942260's `[^?\w\s=.,;)(]++\s*?[(@"'\x60]`,
// whose next class's characters end the possessive run's class anyway). Returns the pattern
// unchanged when it has none; `changed` says whether it had.
std::string PossessiveToGreedy(std::string_view pattern, bool* changed);

// A negative lookbehind over a finite set of strings, `(?<!&amp|&[aA]uml);` (CRS 920120), as an
// alternation RE2 runs: the context before the position is matched instead of looked at. For
// the set's strings read backwards as a trie, the text before the position either starts there
// (\A), or its last byte leaves the trie, or it follows a branch that does not end a string:
// `(?:\A|[^pl]|(?:\A|[^m]|…)p|…);`. Exact for whether the pattern matches; the match then starts
// up to the longest string's length earlier, so it is made only where the lookbehind begins a
// top-level alternative (nothing before it is consumed) and never for a capturing rule. The
// strings may be written with literals, escapes, classes of literals and ranges, and (?:…)
// groups. Returns nullopt when the pattern has no lookbehind this applies to.
std::optional<std::string> NegativeLookbehindToAlternation(std::string_view pattern,
                                                           bool captures);

// PCRE back-references to a captured word, in the two forms CRS 942130 (SQL tautologies,
// `1=1`, `a<>b`) uses them, as named groups waf's rxWordBackref operator confirms in code:
//  - `\b\N\b` (the same word again) becomes `\b(?P<same_N_K>\w+)\b`;
//  - `(?!\b\N\b)[\d\w]+` (any other word) becomes `(?P<differ_N_K>[\d\w]+)`;
// where group N is itself a whole word, `\b([\d\w]+)\b` or `\b(\w+)\b`, and K numbers the
// references (group names are unique). A caseless pattern (`(?i:` or `(?i)` first) compares
// words ignoring case, as PCRE compares a back-reference under (?i). Returns nullopt when the
// pattern has no back-reference, or one in another form.
std::optional<std::string> WordBackrefsToNamedGroups(std::string_view pattern);

}  // namespace gatehouse::seclang_import
