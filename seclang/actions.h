#ifndef GATEHOUSE_SECLANG_ACTIONS_H_
#define GATEHOUSE_SECLANG_ACTIONS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "seclang/source_location.h"
#include "seclang/variables.h"

namespace gatehouse::seclang {

// Every action of the SecLang reference (ModSecurity 2 and 3). The parser rejects any other
// name; names are matched without regard to case and kept in the spelling below.
enum class ActionKind {
  kAccuracy,
  kAllow,
  kAppend,
  kAuditLog,
  kBlock,
  kCapture,
  kChain,
  kCtl,
  kDeny,
  kDeprecateVar,
  kDrop,
  kExec,
  kExpireVar,
  kId,
  kInitCol,
  kLog,
  kLogData,
  kMaturity,
  kMsg,
  kMultiMatch,
  kNoAuditLog,
  kNoLog,
  kPass,
  kPause,
  kPhase,
  kPrepend,
  kProxy,
  kRedirect,
  kRev,
  kSanitiseArg,
  kSanitiseMatched,
  kSanitiseMatchedBytes,
  kSanitiseRequestHeader,
  kSanitiseResponseHeader,
  kSetEnv,
  kSetRsc,
  kSetSid,
  kSetUid,
  kSetVar,
  kSeverity,
  kSkip,
  kSkipAfter,
  kStatus,
  kTransformation,  // t:
  kTag,
  kVer,
  kXmlns,
};

// "msg", "t", "sanitiseMatched", ...
std::string_view ActionName(ActionKind kind);
std::optional<ActionKind> ActionByName(std::string_view name);  // any letter case

// One action exactly as written, in the order of the list: what the typed fields below were
// read from, and where (for diagnostics that name an action).
struct RawAction {
  ActionKind kind;
  std::string name;                  // canonical spelling, ActionName(kind)
  std::optional<std::string> value;  // after ':' (quotes removed, \' and \\ unescaped)
  SourceLocation location;           // the action's name
};

// The disruptive actions. ModSecurity keeps only the last one a rule names.
enum class Disruptive { kPass, kBlock, kDeny, kDrop, kAllow, kRedirect, kProxy };
std::string_view DisruptiveName(Disruptive disruptive);

struct DisruptiveAction {
  Disruptive kind = Disruptive::kPass;
  std::string argument;  // redirect's and proxy's URL, allow's "phase"/"request" scope; raw
  SourceLocation location;
};

enum class SetVarOperation {
  kSet,       // setvar:tx.a=v (setvar:tx.a alone sets "1", as ModSecurity does)
  kAdd,       // setvar:tx.a=+v
  kSubtract,  // setvar:tx.a=-v
  kDelete,    // setvar:!tx.a
};

struct SetVar {
  std::string collection;  // upper case: TX, IP, SESSION, USER, GLOBAL, RESOURCE
  std::string name;        // as written; may contain macros ("%{rule.id}-...")
  SetVarOperation operation = SetVarOperation::kSet;
  std::string value;  // raw: macros not expanded; without the + or - of kAdd/kSubtract
  SourceLocation location;
};

// The ctl options of the reference.
enum class CtlOption {
  kAuditEngine,
  kAuditLogParts,
  kDebugLogLevel,
  kForceRequestBodyVariable,
  kHashEnforcement,
  kHashEngine,
  kParseXmlIntoArgs,
  kRequestBodyAccess,
  kRequestBodyInMemoryLimit,
  kRequestBodyLimit,
  kRequestBodyProcessor,
  kResponseBodyAccess,
  kResponseBodyLimit,
  kRuleEngine,
  kRuleRemoveById,
  kRuleRemoveByMsg,
  kRuleRemoveByTag,
  kRuleRemoveTargetById,
  kRuleRemoveTargetByMsg,
  kRuleRemoveTargetByTag,
};
std::string_view CtlOptionName(CtlOption option);
std::optional<CtlOption> CtlOptionByName(std::string_view name);  // any letter case

struct Ctl {
  CtlOption option;
  std::string value;  // raw, after '='
  // For ruleRemoveTargetById/ByTag/ByMsg, "942100;ARGS:password" is read into the rule part
  // ("942100", an id, id range, tag or message) and the target (ARGS:password).
  std::string rule_selector;
  std::optional<Variable> target;
  SourceLocation location;
};

struct ExpireVar {
  std::string collection;  // upper case
  std::string name;        // as written
  std::string seconds;     // raw (may be a macro)
  SourceLocation location;
};

struct InitCol {
  std::string collection;  // upper case: IP, SESSION, USER, GLOBAL, RESOURCE
  std::string key;         // raw, usually a macro expression such as "%{remote_addr}"
  SourceLocation location;
};

struct SetEnv {
  std::string name;
  std::string value;   // raw; "1" when no '=' is given
  bool unset = false;  // setenv:!NAME
  SourceLocation location;
};

// The actions of one SecRule, SecAction or SecDefaultAction, typed. Every action also appears in
// `raw`, in order; the fields hold what the translator needs without reading `raw`. Repeated
// single-valued actions (id, phase, msg, severity, status, ...) keep the last value, as
// ModSecurity does; list actions (tag, setvar, ctl, t, ...) keep every value in order.
struct Actions {
  std::vector<RawAction> raw;

  std::optional<int64_t> id;
  std::optional<int> phase;     // 1..5; "request" is 2, "response" 4, "logging" 5
  std::optional<int> severity;  // 0 EMERGENCY .. 7 DEBUG; names and digits both read
  std::optional<std::string> msg;
  std::optional<std::string> logdata;
  std::vector<std::string> tags;
  std::optional<std::string> ver;
  std::optional<std::string> rev;
  std::optional<int> maturity;
  std::optional<int> accuracy;

  // t: actions. A t:none empties the list read so far and means "do not inherit the
  // SecDefaultAction transformations either"; it is not itself in the list. Names are in their
  // canonical spelling ("urlDecodeUni", "utf8toUnicode").
  std::vector<std::string> transformations;
  bool transformations_reset = false;

  bool chain = false;
  bool capture = false;
  bool multi_match = false;
  std::optional<std::string> skip_after;  // a SecMarker name
  std::optional<int> skip;                // rules to skip, >= 1
  std::optional<DisruptiveAction> disruptive;
  std::optional<int> status;
  std::optional<bool> log;        // log / nolog
  std::optional<bool> audit_log;  // auditlog / noauditlog

  std::vector<SetVar> setvars;
  std::vector<Ctl> ctls;
  std::vector<ExpireVar> expirevars;
  std::vector<InitCol> initcols;
  std::vector<SetEnv> setenvs;
};

// Severity names of the reference ("CRITICAL" is 2); nullopt when unknown.
std::optional<int> SeverityByName(std::string_view name);  // any letter case
std::string_view SeverityName(int severity);               // "" outside 0..7

}  // namespace gatehouse::seclang

#endif  // GATEHOUSE_SECLANG_ACTIONS_H_
