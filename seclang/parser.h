#ifndef GATEHOUSE_SECLANG_PARSER_H_
#define GATEHOUSE_SECLANG_PARSER_H_

#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "seclang/ast.h"
#include "seclang/diagnostics.h"

namespace gatehouse::seclang {

// Parses one SecLang configuration file (ModSecurity's rule language, as ModSecurity 2 reads it
// inside Apache; see config_lexer.h for lines, comments, quoting and escaping, item_list.h for
// target and action lists). Directive names are matched in any letter case; every directive of
// ModSecurity's reference is accepted with its argument count; SecRule, SecAction and SecMarker
// are read into typed directives, the rest kept as name and arguments. A SecRule with `chain`
// takes the following SecRule(s) as its links. Include and IncludeOptional are returned as
// directives: this function reads no other file.
//
// Every error is collected (not only the first); the status then carries all of them, each as
//   file:line:column: error: message
//   <the source line>
//   <caret under the offending text>
absl::StatusOr<ConfigFile> ParseSecLang(std::string_view text, std::string_view file_name);

// The same, returning what could be read together with the diagnostics, for callers that gather
// the errors of many files (the ruleset loader).
struct ParseResult {
  ConfigFile file;
  std::vector<Diagnostic> diagnostics;
};
ParseResult ParseSecLangWithDiagnostics(std::string_view text, std::string_view file_name);

}  // namespace gatehouse::seclang

#endif  // GATEHOUSE_SECLANG_PARSER_H_
