#ifndef GATEHOUSE_SECLANG_ACTION_PARSER_H_
#define GATEHOUSE_SECLANG_ACTION_PARSER_H_

#include <string_view>

#include "absl/status/statusor.h"
#include "seclang/actions.h"
#include "seclang/located_text.h"

namespace gatehouse::seclang {

// Reads an action list, "id:1,phase:2,t:none,msg:'a, b',setvar:'tx.x=+%{tx.y}'", into typed
// Actions: the list syntax of item_list.h (values single-quoted when they hold ',', '|' or
// whitespace; inside quotes only \' and \\ are escapes). Every error is reported with its
// position: an unknown action, a missing or unexpected value, a value of the wrong form (id,
// phase, severity, skip, status, maturity, accuracy), an unknown transformation or ctl option,
// a setvar/expirevar/initcol without COLLECTION.NAME, a ctl:ruleRemoveTarget* without
// "rule;TARGET".
Actions ParseActionList(const LocatedText& text, DiagnosticSink& sink);

// The same for text given directly; errors point at "<actions>":1:column.
absl::StatusOr<Actions> ParseActions(std::string_view text);

}  // namespace gatehouse::seclang

#endif  // GATEHOUSE_SECLANG_ACTION_PARSER_H_
