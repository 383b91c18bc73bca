#include "tests/fuzz/seclang_parser_fuzz.h"

#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "seclang/action_parser.h"
#include "seclang/diagnostics.h"
#include "seclang/macros.h"
#include "seclang/operator_parser.h"
#include "seclang/parser.h"
#include "seclang/variable_parser.h"

namespace gatehouse::testing {
namespace {

// Checks that locations point into the input's lines.
class LocationCheck {
 public:
  explicit LocationCheck(std::string_view input) : input_(input), lines_(input) {
    line_count_ = 1;
    for (char c : input) line_count_ += c == '\n';
  }

  void Check(const seclang::SourceLocation& location, std::string_view what) const {
    RequireInvariant(location.line >= 1 && location.line <= line_count_, what, input_);
    // Inside the line or just past it (the place of "missing ..."); a line that ends in "\r\n"
    // is one byte longer than what SourceLines returns.
    const int length = static_cast<int>(lines_.Line(location.line).size());
    RequireInvariant(location.column >= 1 && location.column <= length + 2, what, input_);
  }

 private:
  std::string_view input_;
  seclang::SourceLines lines_;
  int line_count_;
};

void CheckActions(const seclang::Actions& actions, const LocationCheck& check) {
  for (const seclang::RawAction& action : actions.raw) {
    check.Check(action.location, "an action's location is outside the input");
  }
}

void CheckRule(const seclang::SecRule& rule, bool is_link, const LocationCheck& check,
               std::string_view input) {
  check.Check(rule.location, "a rule's location is outside the input");
  check.Check(rule.op.location, "an operator's location is outside the input");
  for (const seclang::Variable& variable : rule.variables) {
    check.Check(variable.location, "a target's location is outside the input");
  }
  CheckActions(rule.actions, check);
  if (is_link) {
    RequireInvariant(rule.chain.empty(), "a chain link has links", input);
  } else {
    RequireInvariant(rule.chain.empty() || rule.actions.chain, "a rule without chain has links",
                     input);
  }
  for (const seclang::SecRule& link : rule.chain) CheckRule(link, true, check, input);
}

void CheckFile(std::string_view input) {
  const seclang::ParseResult result = seclang::ParseSecLangWithDiagnostics(input, "fuzz.conf");
  const absl::StatusOr<seclang::ConfigFile> parsed = seclang::ParseSecLang(input, "fuzz.conf");
  RequireInvariant(parsed.ok() == result.diagnostics.empty(), "status and diagnostics disagree",
                   input);
  if (parsed.ok()) {
    RequireInvariant(parsed->directives.size() == result.file.directives.size(),
                     "two parses of one input differ", input);
  }
  const LocationCheck check(input);
  for (const seclang::Diagnostic& diagnostic : result.diagnostics) {
    check.Check(diagnostic.location, "a diagnostic points outside the input");
    RequireInvariant(diagnostic.length >= 1, "a diagnostic has no length", input);
  }
  RequireInvariant(
      seclang::FormatDiagnostics(result.diagnostics, input).size() >= result.diagnostics.size(),
      "diagnostics do not format", input);
  for (const seclang::Directive& directive : result.file.directives) {
    check.Check(directive.location(), "a directive's location is outside the input");
    if (const auto* rule = std::get_if<seclang::SecRule>(&directive.body)) {
      CheckRule(*rule, false, check, input);
      for (const seclang::SecRule& link : rule->chain) {
        RequireInvariant(!link.actions.id.has_value(), "a chain link has an id", input);
      }
    } else if (const auto* action = std::get_if<seclang::SecAction>(&directive.body)) {
      CheckActions(action->actions, check);
    }
  }
}

void CheckParts(std::string_view input) {
  // One line of text as a target list, an operator and an action list.
  const std::string_view line = input.substr(0, input.find('\n'));
  absl::StatusOr<std::vector<seclang::Variable>> variables = seclang::ParseVariables(line);
  if (variables.ok()) {
    std::string formatted;
    bool plain = true;
    for (const seclang::Variable& variable : *variables) {
      if (!formatted.empty()) formatted.push_back('|');
      formatted += seclang::FormatVariable(variable);
      plain = plain && variable.selector.value.find_first_of(",| \t\n\v\f\r'") == std::string::npos;
    }
    if (plain) {
      absl::StatusOr<std::vector<seclang::Variable>> again = seclang::ParseVariables(formatted);
      RequireInvariant(again.ok() && again->size() == variables->size(),
                       "a formatted variable list does not read back", input);
      for (size_t i = 0; again.ok() && i < again->size(); ++i) {
        RequireInvariant((*again)[i].selector == (*variables)[i].selector &&
                             (*again)[i].collection == (*variables)[i].collection &&
                             (*again)[i].count == (*variables)[i].count &&
                             (*again)[i].exclusion == (*variables)[i].exclusion,
                         "a formatted variable reads back differently", input);
      }
    }
  }
  (void)seclang::ParseOperator(line);
  (void)seclang::ParseActions(line);

  std::string joined;
  for (const seclang::MacroPart& part : seclang::SplitMacros(input)) joined += part.text;
  RequireInvariant(joined == input, "macro parts do not join back to the text", input);
}

}  // namespace
}  // namespace gatehouse::testing

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  gatehouse::testing::CheckFile(input);
  gatehouse::testing::CheckParts(input);
  return 0;
}

namespace gatehouse::testing {

FuzzTarget SeclangParserFuzzTarget() {
  static constexpr std::string_view kTokens[] = {
      "SecRule ",
      "SecAction ",
      "SecMarker ",
      "SecDefaultAction ",
      "Include ",
      "SecRuleUpdateTargetById 1 ",
      "\"",
      "'",
      "\\",
      "\\\n",
      "\\\\",
      "\\\"",
      "\\'",
      "\n",
      "\r\n",
      " ",
      "#",
      "|",
      ",",
      ":",
      "!",
      "&",
      "@rx ",
      "!@eq 0",
      "@pmFromFile x.data",
      "ARGS",
      "REQUEST_HEADERS:User-Agent",
      "ARGS:/^a/",
      "XML:/*",
      "TX:'/a|b/'",
      "id:1,",
      "phase:2,",
      "chain",
      "t:none,t:urlDecodeUni,",
      "msg:'a, b',",
      "setvar:'tx.a=+%{tx.b}',",
      "ctl:ruleRemoveTargetById=1;ARGS:x,",
      "severity:CRITICAL,",
      "skipAfter:END,",
      "%{",
      "%{tx.a}",
      "}",
      std::string_view("\0", 1),
  };
  return {[](std::string_view input) {
            LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(input.data()), input.size());
          },
          std::vector<std::string_view>(std::begin(kTokens), std::end(kTokens))};
}

}  // namespace gatehouse::testing
