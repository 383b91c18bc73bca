#include "compiler/seclang_import/regex_rewrite.h"

namespace gatehouse::seclang_import {

std::string PossessiveToGreedy(std::string_view pattern, bool* changed) {
  std::string out;
  out.reserve(pattern.size());
  *changed = false;
  bool in_class = false;
  // Whether the last thing written ends a quantifier (so a '+' now makes it possessive).
  bool after_quantifier = false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      out.push_back(c);
      out.push_back(pattern[++i]);
      after_quantifier = false;
      continue;
    }
    if (in_class) {
      out.push_back(c);
      if (c == ']') in_class = false;
      continue;
    }
    if (c == '[') {
      in_class = true;
      out.push_back(c);
      // A ']' first in a class (or after '^') is a literal.
      if (i + 1 < pattern.size() && pattern[i + 1] == '^') out.push_back(pattern[++i]);
      if (i + 1 < pattern.size() && pattern[i + 1] == ']') out.push_back(pattern[++i]);
      after_quantifier = false;
      continue;
    }
    if (c == '+' && after_quantifier) {
      *changed = true;  // possessive: drop the '+'
      after_quantifier = false;
      continue;
    }
    out.push_back(c);
    if (c == '*' || c == '+' || c == '?' || c == '}') {
      // "X+?" is lazy, not a quantifier followed by a possessive mark; "(?" is a group.
      const bool lazy_or_group = c == '?' && (out.size() >= 2 && (out[out.size() - 2] == '(' ||
                                                                 out[out.size() - 2] == '*' ||
                                                                 out[out.size() - 2] == '+' ||
                                                                 out[out.size() - 2] == '?'));
      after_quantifier = !lazy_or_group;
    } else {
      after_quantifier = false;
    }
  }
  return out;
}

}  // namespace gatehouse::seclang_import
