#ifndef GATEHOUSE_SECLANG_VARIABLE_PARSER_H_
#define GATEHOUSE_SECLANG_VARIABLE_PARSER_H_

#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "seclang/located_text.h"
#include "seclang/variables.h"

namespace gatehouse::seclang {

// Reads a rule's target list, "REQUEST_COOKIES|!REQUEST_COOKIES:/__utm/|&ARGS|XML:/*": items of
// the list syntax (item_list.h) separated by '|' (or ','). Each item is [!][&]NAME[:SELECTOR]:
// '!' makes it an exclusion, '&' a count; NAME is a variable of the reference (any case); a
// selector longer than two bytes that starts and ends with '/' is a regex, XML's selector is an
// XPath expression, any other selector is a key. A selector with '|' or ',' in it must be
// single-quoted ("TX:'/a|b/'"). Scalar variables take no selector.
std::vector<Variable> ParseVariableList(const LocatedText& text, DiagnosticSink& sink);

// The same for text given directly (SecRuleUpdateTargetById's argument, a ctl target); errors
// point at columns of `text` on line 1 of "<variables>".
absl::StatusOr<std::vector<Variable>> ParseVariables(std::string_view text);

}  // namespace gatehouse::seclang

#endif  // GATEHOUSE_SECLANG_VARIABLE_PARSER_H_
