#include "seclang/inventory.h"

#include <set>

#include "seclang/macros.h"
#include "seclang/text.h"

namespace gatehouse::seclang {
namespace {

std::string_view BaseNameOf(std::string_view path) {
  const size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string_view SetVarOperationText(SetVarOperation operation) {
  switch (operation) {
    case SetVarOperation::kSet:
      return "=";
    case SetVarOperation::kAdd:
      return "=+";
    case SetVarOperation::kSubtract:
      return "=-";
    case SetVarOperation::kDelete:
      return "!";
  }
  return "";
}

std::string_view SelectorKindName(SelectorKind kind) {
  switch (kind) {
    case SelectorKind::kNone:
      return "none";
    case SelectorKind::kKey:
      return "key";
    case SelectorKind::kRegex:
      return "regex";
    case SelectorKind::kXPath:
      return "xpath";
  }
  return "";
}

// `text` with every \" made a plain quote.
std::string WithPlainQuotes(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size() && text[i + 1] == '"') continue;
    out.push_back(text[i]);
  }
  return out;
}

class Counter {
 public:
  explicit Counter(Inventory* out) : out_(*out) {}

  void CountMacros(std::string_view text) {
    for (const MacroPart& part : SplitMacros(text)) {
      if (part.is_macro) ++out_.macros[part.collection];
    }
  }

  void CountActions(const Actions& actions) {
    for (const RawAction& action : actions.raw) {
      ++out_.action_names[action.name];
      if (action.kind == ActionKind::kTransformation) ++out_.transformations[*action.value];
      if (action.value.has_value() && action.kind != ActionKind::kTransformation) {
        CountMacros(*action.value);
      }
    }
    for (const Ctl& ctl : actions.ctls) ++out_.ctl_options[std::string(CtlOptionName(ctl.option))];
    for (const SetVar& setvar : actions.setvars) {
      ++out_.setvar_collections[Cat(setvar.collection, " ", SetVarOperationText(setvar.operation))];
    }
  }

  void CountRule(const SecRule& rule, int64_t id) {
    ++out_.operators[Cat(rule.op.negated ? "!" : "", rule.op.name)];
    if (rule.op.argument != rule.op.raw_argument) {
      if (WithPlainQuotes(rule.op.raw_argument) == rule.op.argument) {
        ++out_.quote_only_reading_differences;
      } else {
        out_.reading_differences.push_back(
            Cat(id, " ", BaseNameOf(rule.location.file), ":", rule.location.line));
      }
    }
    CountMacros(rule.op.argument);
    std::vector<std::string_view> names(rule.actions.transformations.begin(),
                                        rule.actions.transformations.end());
    ++out_.pipelines[Cat(rule.actions.transformations_reset ? "" : "+", Join(names, ","))];
    for (const Variable& variable : rule.variables) {
      ++out_.collections[Cat(variable.exclusion ? "!" : "", variable.count ? "&" : "",
                             variable.collection)];
      ++out_.selectors[std::string(SelectorKindName(variable.selector.kind))];
    }
    CountActions(rule.actions);
  }

 private:
  Inventory& out_;
};

}  // namespace

Inventory TakeInventory(const LoadedRuleset& ruleset, std::string_view file_prefix) {
  Inventory inventory;
  Counter counter(&inventory);
  for (const LoadedFile& file : ruleset.files) {
    if (file.name.starts_with(file_prefix)) ++inventory.files;
  }
  for (const Directive& directive : ruleset.directives) {
    if (!BaseNameOf(directive.location().file).starts_with(file_prefix)) continue;
    ++inventory.directives[std::string(directive.name())];
    if (const auto* rule = std::get_if<SecRule>(&directive.body)) {
      ++inventory.rules;
      const std::optional<int> phase = rule->actions.phase;
      ++inventory.phases[phase.has_value() ? std::to_string(*phase) : "unset"];
      const int64_t id = rule->actions.id.value_or(0);
      counter.CountRule(*rule, id);
      for (const SecRule& link : rule->chain) {
        ++inventory.chain_links;
        counter.CountRule(link, id);
      }
    } else if (const auto* action = std::get_if<SecAction>(&directive.body)) {
      ++inventory.actions;
      const std::optional<int> phase = action->actions.phase;
      ++inventory.phases[phase.has_value() ? std::to_string(*phase) : "unset"];
      counter.CountActions(action->actions);
    } else if (std::holds_alternative<SecMarker>(directive.body)) {
      ++inventory.markers;
    }
  }
  return inventory;
}

std::string FormatInventory(const Inventory& inventory) {
  std::string out = Cat("files ", inventory.files, "\nSecRule chains and rules ", inventory.rules,
                        "\nchain links ", inventory.chain_links, "\nSecAction ", inventory.actions,
                        "\nSecMarker ", inventory.markers, "\n");
  auto section = [&out](std::string_view title, const std::map<std::string, int>& counts) {
    out += Cat("\n", title, " (", counts.size(), " distinct)\n");
    for (const auto& [name, count] : counts) {
      out += Cat("  ", name.empty() ? std::string_view("(empty)") : std::string_view(name), " ",
                 count, "\n");
    }
  };
  section("directives", inventory.directives);
  section("phases of SecRule/SecAction heads", inventory.phases);
  section("operators", inventory.operators);
  section("transformations", inventory.transformations);
  section("transformation pipelines", inventory.pipelines);
  section("variable collections", inventory.collections);
  section("selectors", inventory.selectors);
  section("actions", inventory.action_names);
  section("ctl options", inventory.ctl_options);
  section("setvar", inventory.setvar_collections);
  section("macro collections", inventory.macros);
  out += Cat("\noperator arguments ModSecurity 2 and libmodsecurity 3 read differently: ",
             inventory.quote_only_reading_differences, " only by \\\" (alike as regexes), ",
             inventory.reading_differences.size(), " by backslash pairs\n");
  for (const std::string& rule : inventory.reading_differences) out += Cat("  ", rule, "\n");
  return out;
}

}  // namespace gatehouse::seclang
