#ifndef GATEHOUSE_SECLANG_AST_H_
#define GATEHOUSE_SECLANG_AST_H_

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "seclang/actions.h"
#include "seclang/operators.h"
#include "seclang/source_location.h"
#include "seclang/variables.h"

namespace gatehouse::seclang {

// SecRule VARIABLES OPERATOR [ACTIONS]. A rule whose actions include `chain` owns the rules that
// follow it as `chain`, in order: the chain matches when every link matches (an AND). Links
// carry no id, phase, disruptive action, skip or metadata of their own (the parser rejects
// them): those belong to the head. A link's `chain` is always empty; whether a link had the
// `chain` action is in its actions (every link but the last has it).
struct SecRule {
  std::vector<Variable> variables;
  Operator op;
  Actions actions;
  std::vector<SecRule> chain;
  SourceLocation location;  // the "SecRule" word
};

// SecAction ACTIONS: a rule that always matches.
struct SecAction {
  Actions actions;
  SourceLocation location;
};

// SecMarker NAME: the target of skipAfter.
struct SecMarker {
  std::string name;
  SourceLocation location;
};

// Any other directive, kept as its name and arguments: SecRuleEngine, SecComponentSignature,
// SecDefaultAction, SecRuleRemoveById, SecRuleUpdateTargetById, Include, ...
struct ConfigDirective {
  std::string name;               // canonical spelling ("SecRuleEngine" for "secruleengine")
  std::vector<std::string> args;  // unquoted and unescaped as the configuration reader does
  std::vector<SourceLocation> arg_locations;
  // Read for the directives whose argument is an action list: SecDefaultAction (args[0]) and
  // SecRuleUpdateActionById (args[1]).
  std::optional<Actions> actions;
  // Read for the directives whose argument is a target list: SecRuleUpdateTargetById, ByTag and
  // ByMsg (args[1]; args[2], the optional replacement, stays raw).
  std::vector<Variable> variables;
  SourceLocation location;
};

using DirectiveBody = std::variant<SecRule, SecAction, SecMarker, ConfigDirective>;

struct Directive {
  DirectiveBody body;

  const SourceLocation& location() const;
  // "SecRule", "SecAction", "SecMarker" or the config directive's name.
  std::string_view name() const;
  // The rule id of a SecRule or SecAction head, if it has one.
  std::optional<int64_t> rule_id() const;
};

// One parsed file: its directives in order. Include directives are kept as directives; the
// parser never reads another file.
struct ConfigFile {
  std::string file_name;
  std::vector<Directive> directives;
};

}  // namespace gatehouse::seclang

#endif  // GATEHOUSE_SECLANG_AST_H_
