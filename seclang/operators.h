#ifndef GATEHOUSE_SECLANG_OPERATORS_H_
#define GATEHOUSE_SECLANG_OPERATORS_H_

#include <optional>
#include <string>
#include <string_view>

#include "seclang/source_location.h"

namespace gatehouse::seclang {

// A rule's operator: "@rx ^a", "!@eq 0", or a bare "^a" (which means @rx).
struct Operator {
  std::string name;      // lower case, without '@': "rx", "pmfromfile", "detectsqli", ...
  bool negated = false;  // "!@eq 0"
  // The argument as written (after the configuration file's own unescaping, see config_lexer.h):
  // leading whitespace removed, macros such as %{tx.foo} NOT expanded (see macros.h).
  std::string argument;
  // The argument as the file spells it, before that unescaping. The two differ only where the
  // operator string holds a backslash pair (\\) or an escaped quote (\"): ModSecurity 2
  // (Apache's reader, the reference) turns them into one backslash and a quote, libmodsecurity 3
  // keeps both bytes. CRS 3.3.4 was written for both; docs/managed-waf.md lists the rules where
  // the two readings differ in meaning.
  std::string raw_argument;
  SourceLocation location;           // the operator string
  SourceLocation argument_location;  // the argument's first byte
};

// Whether `name` (lower case, without '@') is an operator of the SecLang reference:
// beginsWith contains containsWord detectSQLi detectXSS endsWith eq fuzzyHash ge geoLookup
// gsbLookup gt inspectFile ipMatch ipMatchF ipMatchFromFile le lt noMatch pm pmf pmFromFile rbl
// rsub rx rxGlobal streq strmatch unconditionalMatch validateByteRange validateDTD validateHash
// validateSchema validateUrlEncoding validateUtf8Encoding verifyCC verifyCPF verifySSN within.
bool IsKnownOperator(std::string_view name);

// The reference's spelling of a known lower-case name ("pmfromfile" -> "pmFromFile"); the name
// itself when unknown.
std::string_view OperatorDisplayName(std::string_view name);

// Operators whose argument names data files (space-separated, relative to the directory of the
// file the rule is in): pmFromFile, pmf, ipMatchFromFile, ipMatchF.
bool OperatorReadsDataFiles(std::string_view name);

// Operators that take no argument (detectSQLi, detectXSS, geoLookup, unconditionalMatch, noMatch,
// validateUrlEncoding, validateUtf8Encoding); every other one needs one.
bool OperatorTakesNoArgument(std::string_view name);

}  // namespace gatehouse::seclang

#endif  // GATEHOUSE_SECLANG_OPERATORS_H_
