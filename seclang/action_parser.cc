#include "seclang/action_parser.h"

#include <algorithm>
#include <array>
#include <string>

#include "absl/strings/numbers.h"
#include "seclang/item_list.h"
#include "seclang/text.h"
#include "seclang/transformation_names.h"
#include "seclang/variable_parser.h"

namespace gatehouse::seclang {
namespace {

enum class ValueRule { kNone, kRequired, kOptional };

// Whether an action takes a value (the reference's argument counts).
ValueRule ValueRuleOf(ActionKind kind) {
  switch (kind) {
    case ActionKind::kAuditLog:
    case ActionKind::kBlock:
    case ActionKind::kCapture:
    case ActionKind::kChain:
    case ActionKind::kDeny:
    case ActionKind::kDrop:
    case ActionKind::kLog:
    case ActionKind::kMultiMatch:
    case ActionKind::kNoAuditLog:
    case ActionKind::kNoLog:
    case ActionKind::kPass:
    case ActionKind::kSanitiseMatched:
      return ValueRule::kNone;
    case ActionKind::kAllow:                 // allow, allow:phase, allow:request
    case ActionKind::kSanitiseMatchedBytes:  // sanitiseMatchedBytes, sanitiseMatchedBytes:1/4
      return ValueRule::kOptional;
    default:
      return ValueRule::kRequired;
  }
}

// Collections setvar, expirevar and initcol may name.
constexpr std::array<std::string_view, 6> kWritableCollections = {"TX",   "IP",     "SESSION",
                                                                  "USER", "GLOBAL", "RESOURCE"};

bool IsWritableCollection(std::string_view upper) {
  for (std::string_view c : kWritableCollections) {
    if (c == upper) return true;
  }
  return false;
}

class ActionReader {
 public:
  ActionReader(DiagnosticSink& sink, Actions* out) : sink_(sink), out_(*out) {}

  void Read(const ListItem& item) {
    const std::optional<ActionKind> kind = ActionByName(item.name.text);
    if (!kind.has_value()) {
      sink_.Error(item.name, 0, item.name.text.size(),
                  item.name.text.empty() ? std::string("an action name is missing")
                                         : Cat("unknown action \"", item.name.text, "\""));
      return;
    }
    const std::string_view name = ActionName(*kind);
    const ValueRule rule = ValueRuleOf(*kind);
    if (rule == ValueRule::kNone && item.value.has_value()) {
      sink_.Error(item.name, 0, item.name.text.size(), Cat("the action ", name, " takes no value"));
      return;
    }
    if (rule == ValueRule::kRequired && (!item.value.has_value() || item.value->text.empty())) {
      sink_.Error(item.name, 0, item.name.text.size(),
                  Cat("the action ", name, " needs a value (", name, ":...)"));
      return;
    }
    RawAction raw{*kind, std::string(name), std::nullopt, sink_.Locate(item.name.At(0))};
    if (item.value.has_value()) raw.value = item.value->text;
    out_.raw.push_back(raw);
    Apply(*kind, raw.location, item);
  }

 private:
  // The value as an integer in [min, max]; reports and returns nullopt otherwise.
  std::optional<int64_t> Integer(const ListItem& item, int64_t min, int64_t max,
                                 std::string_view what) {
    int64_t value = 0;
    const std::string& text = item.value->text;
    const bool digits =
        !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return IsDigit(c); });
    if (!digits || !absl::SimpleAtoi(text, &value) || value < min || value > max) {
      sink_.Error(
          *item.value, 0, text.size(),
          Cat(what, " must be a whole number from ", min, " to ", max, ", not \"", text, "\""));
      return std::nullopt;
    }
    return value;
  }

  void SetDisruptive(Disruptive kind, const SourceLocation& location, const ListItem& item) {
    out_.disruptive = DisruptiveAction{kind, item.value ? item.value->text : "", location};
  }

  void Apply(ActionKind kind, const SourceLocation& location, const ListItem& item) {
    switch (kind) {
      case ActionKind::kId:
        if (auto id = Integer(item, 1, 2147483647, "a rule id")) out_.id = *id;
        return;
      case ActionKind::kPhase:
        ReadPhase(item);
        return;
      case ActionKind::kSeverity:
        ReadSeverity(item);
        return;
      case ActionKind::kMsg:
        out_.msg = item.value->text;
        return;
      case ActionKind::kLogData:
        out_.logdata = item.value->text;
        return;
      case ActionKind::kTag:
        out_.tags.push_back(item.value->text);
        return;
      case ActionKind::kVer:
        out_.ver = item.value->text;
        return;
      case ActionKind::kRev:
        out_.rev = item.value->text;
        return;
      case ActionKind::kMaturity:
        if (auto v = Integer(item, 0, 9, "maturity")) out_.maturity = static_cast<int>(*v);
        return;
      case ActionKind::kAccuracy:
        if (auto v = Integer(item, 0, 9, "accuracy")) out_.accuracy = static_cast<int>(*v);
        return;
      case ActionKind::kTransformation:
        ReadTransformation(item);
        return;
      case ActionKind::kChain:
        out_.chain = true;
        return;
      case ActionKind::kCapture:
        out_.capture = true;
        return;
      case ActionKind::kMultiMatch:
        out_.multi_match = true;
        return;
      case ActionKind::kSkipAfter:
        out_.skip_after = item.value->text;
        return;
      case ActionKind::kSkip:
        if (auto v = Integer(item, 1, 1000000, "skip")) out_.skip = static_cast<int>(*v);
        return;
      case ActionKind::kStatus:
        if (auto v = Integer(item, 100, 999, "an HTTP status")) out_.status = static_cast<int>(*v);
        return;
      case ActionKind::kPass:
        return SetDisruptive(Disruptive::kPass, location, item);
      case ActionKind::kBlock:
        return SetDisruptive(Disruptive::kBlock, location, item);
      case ActionKind::kDeny:
        return SetDisruptive(Disruptive::kDeny, location, item);
      case ActionKind::kDrop:
        return SetDisruptive(Disruptive::kDrop, location, item);
      case ActionKind::kAllow:
        ReadAllow(location, item);
        return;
      case ActionKind::kRedirect:
        return SetDisruptive(Disruptive::kRedirect, location, item);
      case ActionKind::kProxy:
        return SetDisruptive(Disruptive::kProxy, location, item);
      case ActionKind::kLog:
        out_.log = true;
        return;
      case ActionKind::kNoLog:
        out_.log = false;
        return;
      case ActionKind::kAuditLog:
        out_.audit_log = true;
        return;
      case ActionKind::kNoAuditLog:
        out_.audit_log = false;
        return;
      case ActionKind::kSetVar:
        ReadSetVar(location, item);
        return;
      case ActionKind::kCtl:
        ReadCtl(location, item);
        return;
      case ActionKind::kExpireVar:
        ReadExpireVar(location, item);
        return;
      case ActionKind::kInitCol:
        ReadInitCol(location, item);
        return;
      case ActionKind::kSetEnv:
        ReadSetEnv(location, item);
        return;
      default:
        // Kept in `raw` only: append, prepend, deprecatevar, exec, pause, sanitise*, setrsc,
        // setsid, setuid, xmlns.
        return;
    }
  }

  void ReadPhase(const ListItem& item) {
    const std::string& text = item.value->text;
    if (EqualsIgnoreCase(text, "request")) {
      out_.phase = 2;
    } else if (EqualsIgnoreCase(text, "response")) {
      out_.phase = 4;
    } else if (EqualsIgnoreCase(text, "logging")) {
      out_.phase = 5;
    } else if (text.size() == 1 && text[0] >= '1' && text[0] <= '5') {
      out_.phase = text[0] - '0';
    } else {
      sink_.Error(*item.value, 0, text.size(),
                  Cat("a phase is 1 to 5, request, response or logging, not \"", text, "\""));
    }
  }

  void ReadSeverity(const ListItem& item) {
    const std::string& text = item.value->text;
    if (text.size() == 1 && text[0] >= '0' && text[0] <= '7') {
      out_.severity = text[0] - '0';
    } else if (std::optional<int> severity = SeverityByName(text)) {
      out_.severity = *severity;
    } else {
      sink_.Error(*item.value, 0, text.size(),
                  Cat("a severity is 0 to 7 or EMERGENCY, ALERT, CRITICAL, ERROR, "
                      "WARNING, NOTICE, INFO, DEBUG, not \"",
                      text, "\""));
    }
  }

  void ReadTransformation(const ListItem& item) {
    const std::optional<std::string_view> name = CanonicalTransformationName(item.value->text);
    if (!name.has_value()) {
      sink_.Error(*item.value, 0, item.value->text.size(),
                  Cat("unknown transformation \"", item.value->text, "\""));
      return;
    }
    if (*name == "none") {
      out_.transformations.clear();
      out_.transformations_reset = true;
      return;
    }
    out_.transformations.emplace_back(*name);
  }

  void ReadAllow(const SourceLocation& location, const ListItem& item) {
    if (item.value.has_value() && !EqualsIgnoreCase(item.value->text, "phase") &&
        !EqualsIgnoreCase(item.value->text, "request")) {
      sink_.Error(
          *item.value, 0, item.value->text.size(),
          Cat("allow takes no value, \"phase\" or \"request\", not \"", item.value->text, "\""));
      return;
    }
    SetDisruptive(Disruptive::kAllow, location, item);
  }

  // Splits "COLLECTION.NAME" at its first '.'; reports and returns false when it has no
  // collection, no name or a collection that cannot be written.
  bool SplitCollectionName(const LocatedText& text, size_t begin, size_t end,
                           std::string* collection, std::string* name) {
    const std::string_view s = std::string_view(text.text).substr(begin, end - begin);
    const size_t dot = s.find('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 1 == s.size()) {
      sink_.Error(text, begin, s.size(),
                  Cat("expected COLLECTION.NAME (tx.score), not \"", s, "\""));
      return false;
    }
    *collection = ToUpper(s.substr(0, dot));
    if (!IsWritableCollection(*collection)) {
      sink_.Error(text, begin, dot,
                  Cat("unknown collection \"", s.substr(0, dot),
                      "\": TX, IP, SESSION, USER, GLOBAL or RESOURCE"));
      return false;
    }
    *name = std::string(s.substr(dot + 1));
    return true;
  }

  void ReadSetVar(const SourceLocation& location, const ListItem& item) {
    const LocatedText& value = *item.value;
    const std::string& s = value.text;
    SetVar setvar;
    setvar.location = location;
    size_t begin = 0;
    if (s[0] == '!') {
      setvar.operation = SetVarOperation::kDelete;
      begin = 1;
    }
    const size_t equals = s.find('=', begin);
    const size_t name_end = equals == std::string::npos ? s.size() : equals;
    if (!SplitCollectionName(value, begin, name_end, &setvar.collection, &setvar.name)) return;
    if (setvar.operation == SetVarOperation::kDelete) {
      if (equals != std::string::npos) {
        sink_.Error(value, equals, s.size() - equals, "setvar:!NAME deletes a variable: no '='");
        return;
      }
    } else if (equals == std::string::npos) {
      // ModSecurity sets a variable named without a value to 1. (assign(count, char), not
      // = "1": GCC 12 -O2 reports a false -Wrestrict on the latter.)
      setvar.value.assign(1, '1');
    } else {
      std::string_view v = std::string_view(s).substr(equals + 1);
      if (v.starts_with('+')) {
        setvar.operation = SetVarOperation::kAdd;
        v.remove_prefix(1);
      } else if (v.starts_with('-')) {
        setvar.operation = SetVarOperation::kSubtract;
        v.remove_prefix(1);
      }
      setvar.value = std::string(v);
    }
    out_.setvars.push_back(std::move(setvar));
  }

  void ReadCtl(const SourceLocation& location, const ListItem& item) {
    const LocatedText& value = *item.value;
    const std::string& s = value.text;
    const size_t equals = s.find('=');
    const std::string_view option_name =
        std::string_view(s).substr(0, equals == std::string::npos ? s.size() : equals);
    const std::optional<CtlOption> option = CtlOptionByName(option_name);
    if (!option.has_value()) {
      sink_.Error(value, 0, option_name.size(), Cat("unknown ctl option \"", option_name, "\""));
      return;
    }
    if (equals == std::string::npos || equals + 1 == s.size()) {
      sink_.Error(value, 0, s.size(),
                  Cat("ctl:", CtlOptionName(*option), " needs a value after '='"));
      return;
    }
    Ctl ctl;
    ctl.option = *option;
    ctl.value = s.substr(equals + 1);
    ctl.location = location;
    switch (*option) {
      case CtlOption::kRuleRemoveById:
      case CtlOption::kRuleRemoveByMsg:
      case CtlOption::kRuleRemoveByTag:
        ctl.rule_selector = ctl.value;
        break;
      case CtlOption::kRuleRemoveTargetById:
      case CtlOption::kRuleRemoveTargetByMsg:
      case CtlOption::kRuleRemoveTargetByTag: {
        const size_t semicolon = s.find(';', equals + 1);
        if (semicolon == std::string::npos || semicolon == equals + 1 ||
            semicolon + 1 == s.size()) {
          sink_.Error(
              value, equals + 1, s.size() - equals - 1,
              Cat("ctl:", CtlOptionName(*option), " takes RULE;TARGET (942100;ARGS:password)"));
          return;
        }
        ctl.rule_selector = s.substr(equals + 1, semicolon - equals - 1);
        const int errors_before = sink_.error_count();
        std::vector<Variable> targets = ParseVariableList(value.Substr(semicolon + 1), sink_);
        if (sink_.error_count() != errors_before) return;
        if (targets.size() != 1) {
          sink_.Error(value, semicolon + 1, s.size() - semicolon - 1,
                      "a ctl removes one target at a time");
          return;
        }
        ctl.target = std::move(targets[0]);
        break;
      }
      default:
        break;
    }
    out_.ctls.push_back(std::move(ctl));
  }

  void ReadExpireVar(const SourceLocation& location, const ListItem& item) {
    const LocatedText& value = *item.value;
    const size_t equals = value.text.find('=');
    ExpireVar expirevar;
    expirevar.location = location;
    if (equals == std::string::npos || equals + 1 == value.text.size()) {
      sink_.Error(value, 0, value.text.size(), "expirevar takes COLLECTION.NAME=SECONDS");
      return;
    }
    if (!SplitCollectionName(value, 0, equals, &expirevar.collection, &expirevar.name)) return;
    expirevar.seconds = value.text.substr(equals + 1);
    out_.expirevars.push_back(std::move(expirevar));
  }

  void ReadInitCol(const SourceLocation& location, const ListItem& item) {
    const LocatedText& value = *item.value;
    const size_t equals = value.text.find('=');
    if (equals == std::string::npos || equals == 0 || equals + 1 == value.text.size()) {
      sink_.Error(value, 0, value.text.size(), "initcol takes COLLECTION=KEY");
      return;
    }
    InitCol initcol;
    initcol.collection = ToUpper(value.text.substr(0, equals));
    initcol.key = value.text.substr(equals + 1);
    initcol.location = location;
    if (!IsWritableCollection(initcol.collection) || initcol.collection == "TX") {
      sink_.Error(value, 0, equals,
                  Cat("initcol opens IP, SESSION, USER, GLOBAL or RESOURCE, not \"",
                      value.text.substr(0, equals), "\""));
      return;
    }
    out_.initcols.push_back(std::move(initcol));
  }

  void ReadSetEnv(const SourceLocation& location, const ListItem& item) {
    std::string_view s = item.value->text;
    SetEnv setenv;
    setenv.location = location;
    if (s.starts_with('!')) {
      setenv.unset = true;
      s.remove_prefix(1);
    }
    const size_t equals = s.find('=');
    setenv.name = std::string(s.substr(0, equals));
    setenv.value = equals == std::string_view::npos ? "1" : std::string(s.substr(equals + 1));
    if (setenv.name.empty()) {
      sink_.Error(*item.value, 0, item.value->text.size(), "setenv takes NAME=VALUE");
      return;
    }
    out_.setenvs.push_back(std::move(setenv));
  }

  DiagnosticSink& sink_;
  Actions& out_;
};

}  // namespace

Actions ParseActionList(const LocatedText& text, DiagnosticSink& sink) {
  Actions actions;
  ActionReader reader(sink, &actions);
  for (const ListItem& item : SplitItemList(text, sink)) reader.Read(item);
  return actions;
}

absl::StatusOr<Actions> ParseActions(std::string_view text) {
  std::vector<Diagnostic> diagnostics;
  DiagnosticSink sink("<actions>", &diagnostics);
  Actions actions = ParseActionList(LocatedText::OnOneLine(text), sink);
  if (!diagnostics.empty()) return DiagnosticsToStatus(diagnostics, text);
  return actions;
}

}  // namespace gatehouse::seclang
