#include "seclang/operator_parser.h"

#include <string>

#include "seclang/text.h"

namespace gatehouse::seclang {
namespace {}  // namespace

Operator ParseOperatorText(const LocatedText& text, DiagnosticSink& sink) {
  const std::string& s = text.text;
  Operator op;
  op.location = sink.Locate(text.At(0));
  size_t i = 0;
  if (i < s.size() && s[i] == '!') {
    op.negated = true;
    ++i;
    while (i < s.size() && IsSpace(s[i])) ++i;
  }
  if (i >= s.size() || s[i] != '@') {
    op.name = "rx";
    op.argument = s.substr(i);
    op.argument_location = sink.Locate(text.At(i));
    if (op.argument.empty()) sink.Error(text.At(i), 1, "the regular expression is missing");
    return op;
  }
  const size_t name_start = ++i;
  while (i < s.size() && !IsSpace(s[i])) ++i;
  const std::string name = s.substr(name_start, i - name_start);
  op.name = ToLower(name);
  while (i < s.size() && IsSpace(s[i])) ++i;
  op.argument = s.substr(i);
  op.argument_location = sink.Locate(text.At(i));
  if (name.empty()) {
    sink.Error(text, name_start - 1, 1, "an operator name must follow '@'");
  } else if (!IsKnownOperator(op.name)) {
    sink.Error(text, name_start - 1, name.size() + 1, Cat("unknown operator @", name));
  } else if (op.argument.empty() && !OperatorTakesNoArgument(op.name)) {
    sink.Error(text, name_start - 1, name.size() + 1,
               Cat("@", OperatorDisplayName(op.name), " needs an argument"));
  }
  return op;
}

absl::StatusOr<Operator> ParseOperator(std::string_view text) {
  std::vector<Diagnostic> diagnostics;
  DiagnosticSink sink("<operator>", &diagnostics);
  Operator op = ParseOperatorText(LocatedText::OnOneLine(text), sink);
  if (!diagnostics.empty()) return DiagnosticsToStatus(diagnostics, text);
  return op;
}

}  // namespace gatehouse::seclang
