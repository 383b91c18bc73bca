#ifndef GATEHOUSE_SECLANG_OPERATOR_PARSER_H_
#define GATEHOUSE_SECLANG_OPERATOR_PARSER_H_

#include <string_view>

#include "absl/status/statusor.h"
#include "seclang/located_text.h"
#include "seclang/operators.h"

namespace gatehouse::seclang {

// Reads a rule's operator string as ModSecurity does: an optional '!' (negation, whitespace may
// follow it); then either '@', the operator's name up to whitespace and, after that whitespace,
// the argument (the rest of the string, kept byte for byte: trailing spaces included); or, with
// no '@', the whole rest of the string as the argument of @rx. The name must be a known operator
// (any letter case, stored lower case); an operator that needs an argument must have one.
Operator ParseOperatorText(const LocatedText& text, DiagnosticSink& sink);

// The same for text given directly; errors point at "<operator>":1:column.
absl::StatusOr<Operator> ParseOperator(std::string_view text);

}  // namespace gatehouse::seclang

#endif  // GATEHOUSE_SECLANG_OPERATOR_PARSER_H_
