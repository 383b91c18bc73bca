#ifndef GATEHOUSE_SECLANG_CONFIG_LEXER_H_
#define GATEHOUSE_SECLANG_CONFIG_LEXER_H_

#include <string>
#include <string_view>
#include <vector>

#include "seclang/located_text.h"

namespace gatehouse::seclang {

// The first reading of a SecLang file, the one ModSecurity leaves to its host (Apache httpd for
// ModSecurity 2, the reference implementation): lines, comments and arguments, before any
// ModSecurity syntax is looked at.
//
//  - A physical line whose last byte (before "\n" or "\r\n") is a backslash continues on the
//    next line: backslash and line break are removed, the next line's leading whitespace is
//    kept. A backslash followed by trailing spaces does not continue the line. Joining happens
//    before comments are recognised, so a comment ending in a backslash swallows the next line
//    (as in Apache; CRS's commented-out rules are commented on every line).
//  - The joined line loses its leading and trailing whitespace; an empty line, or one whose
//    first byte is '#', is skipped. A '#' anywhere else is ordinary text.
//  - The line is split into words at whitespace. A word that starts with '"' or '\'' runs to the
//    matching unescaped quote, may contain whitespace, and loses its quotes; inside it a
//    backslash before that same quote or before a backslash is removed ("\\" is one backslash,
//    "\"" a quote), every other backslash stays. In an unquoted word "\\" is one backslash too;
//    every other backslash stays. A closing quote ends the word even when text follows it.
struct ConfigWord {
  LocatedText text;   // the word after quote removal and unescaping
  // The word as the file spells it: quotes removed, continuation lines joined, nothing
  // unescaped. libmodsecurity 3 hands operator arguments on in this form (it does not halve
  // backslashes); see Operator::raw_argument.
  std::string raw;
  Position start;     // the first byte of the word in the file (its opening quote if quoted)
  int source_length;  // bytes the word took on its first line, quotes included
  char quote = '\0';  // '"', '\'' or '\0' when unquoted
};

struct ConfigLine {
  std::vector<ConfigWord> words;  // never empty: words[0] is the directive name
};

// Splits `text` into directive lines. Errors (an unterminated quote, a NUL byte) go to `sink`;
// the line is still returned with what could be read.
std::vector<ConfigLine> SplitConfigLines(std::string_view text, DiagnosticSink& sink);

}  // namespace gatehouse::seclang

#endif  // GATEHOUSE_SECLANG_CONFIG_LEXER_H_
