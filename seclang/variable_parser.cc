#include "seclang/variable_parser.h"

#include <string>

#include "seclang/item_list.h"
#include "seclang/text.h"

namespace gatehouse::seclang {
namespace {

bool ReadSelector(const ListItem& item, const VariableInfo& info, Variable* variable,
                  DiagnosticSink& sink) {
  const LocatedText& value = *item.value;
  if (value.text.empty()) {
    sink.Error(item.name, 0, item.name.text.size(),
               Cat("empty selector after \"", info.name, ":\""));
    return false;
  }
  switch (info.shape) {
    case VariableShape::kScalar:
      sink.Error(value, 0, value.text.size(),
                 Cat(info.name,
                     " is a single value, not a collection: it takes no "
                     "selector"));
      return false;
    case VariableShape::kXml:
      variable->selector = {SelectorKind::kXPath, value.text};
      return true;
    case VariableShape::kCollection:
      break;
  }
  const std::string& s = value.text;
  if (s.size() > 2 && s.front() == '/' && s.back() == '/') {
    variable->selector = {SelectorKind::kRegex, s.substr(1, s.size() - 2)};
  } else {
    variable->selector = {SelectorKind::kKey, s};
  }
  return true;
}

}  // namespace

std::vector<Variable> ParseVariableList(const LocatedText& text, DiagnosticSink& sink) {
  std::vector<Variable> variables;
  const int errors_before = sink.error_count();
  for (const ListItem& item : SplitItemList(text, sink)) {
    Variable variable;
    variable.location = sink.Locate(item.name.At(0));
    std::string_view name = item.name.text;
    if (name.starts_with('!')) {
      variable.exclusion = true;
      name.remove_prefix(1);
    }
    if (name.starts_with('&')) {
      variable.count = true;
      name.remove_prefix(1);
    }
    const std::optional<VariableInfo> info = VariableByName(name);
    if (!info.has_value()) {
      const size_t offset = item.name.text.size() - name.size();
      sink.Error(item.name, offset, name.size(),
                 name.empty() ? std::string("a variable name is missing")
                              : Cat("unknown variable \"", name, "\""));
      continue;
    }
    variable.collection = std::string(info->name);
    if (item.value.has_value() && !ReadSelector(item, *info, &variable, sink)) continue;
    variables.push_back(std::move(variable));
  }
  if (variables.empty() && sink.error_count() == errors_before) {
    sink.Error(text.At(0), 1, "the target list is empty");
  }
  return variables;
}

absl::StatusOr<std::vector<Variable>> ParseVariables(std::string_view text) {
  std::vector<Diagnostic> diagnostics;
  DiagnosticSink sink("<variables>", &diagnostics);
  std::vector<Variable> variables = ParseVariableList(LocatedText::OnOneLine(text), sink);
  if (!diagnostics.empty()) return DiagnosticsToStatus(diagnostics, text);
  return variables;
}

}  // namespace gatehouse::seclang
