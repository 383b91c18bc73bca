#include "seclang/actions.h"

#include <array>
#include <utility>

#include "seclang/text.h"

namespace gatehouse::seclang {
namespace {

constexpr std::array<std::pair<ActionKind, std::string_view>, 47> kActionNames = {{
    {ActionKind::kAccuracy, "accuracy"},
    {ActionKind::kAllow, "allow"},
    {ActionKind::kAppend, "append"},
    {ActionKind::kAuditLog, "auditlog"},
    {ActionKind::kBlock, "block"},
    {ActionKind::kCapture, "capture"},
    {ActionKind::kChain, "chain"},
    {ActionKind::kCtl, "ctl"},
    {ActionKind::kDeny, "deny"},
    {ActionKind::kDeprecateVar, "deprecatevar"},
    {ActionKind::kDrop, "drop"},
    {ActionKind::kExec, "exec"},
    {ActionKind::kExpireVar, "expirevar"},
    {ActionKind::kId, "id"},
    {ActionKind::kInitCol, "initcol"},
    {ActionKind::kLog, "log"},
    {ActionKind::kLogData, "logdata"},
    {ActionKind::kMaturity, "maturity"},
    {ActionKind::kMsg, "msg"},
    {ActionKind::kMultiMatch, "multiMatch"},
    {ActionKind::kNoAuditLog, "noauditlog"},
    {ActionKind::kNoLog, "nolog"},
    {ActionKind::kPass, "pass"},
    {ActionKind::kPause, "pause"},
    {ActionKind::kPhase, "phase"},
    {ActionKind::kPrepend, "prepend"},
    {ActionKind::kProxy, "proxy"},
    {ActionKind::kRedirect, "redirect"},
    {ActionKind::kRev, "rev"},
    {ActionKind::kSanitiseArg, "sanitiseArg"},
    {ActionKind::kSanitiseMatched, "sanitiseMatched"},
    {ActionKind::kSanitiseMatchedBytes, "sanitiseMatchedBytes"},
    {ActionKind::kSanitiseRequestHeader, "sanitiseRequestHeader"},
    {ActionKind::kSanitiseResponseHeader, "sanitiseResponseHeader"},
    {ActionKind::kSetEnv, "setenv"},
    {ActionKind::kSetRsc, "setrsc"},
    {ActionKind::kSetSid, "setsid"},
    {ActionKind::kSetUid, "setuid"},
    {ActionKind::kSetVar, "setvar"},
    {ActionKind::kSeverity, "severity"},
    {ActionKind::kSkip, "skip"},
    {ActionKind::kSkipAfter, "skipAfter"},
    {ActionKind::kStatus, "status"},
    {ActionKind::kTransformation, "t"},
    {ActionKind::kTag, "tag"},
    {ActionKind::kVer, "ver"},
    {ActionKind::kXmlns, "xmlns"},
}};

constexpr std::array<std::pair<CtlOption, std::string_view>, 20> kCtlOptions = {{
    {CtlOption::kAuditEngine, "auditEngine"},
    {CtlOption::kAuditLogParts, "auditLogParts"},
    {CtlOption::kDebugLogLevel, "debugLogLevel"},
    {CtlOption::kForceRequestBodyVariable, "forceRequestBodyVariable"},
    {CtlOption::kHashEnforcement, "hashEnforcement"},
    {CtlOption::kHashEngine, "hashEngine"},
    {CtlOption::kParseXmlIntoArgs, "parseXmlIntoArgs"},
    {CtlOption::kRequestBodyAccess, "requestBodyAccess"},
    {CtlOption::kRequestBodyInMemoryLimit, "requestBodyInMemoryLimit"},
    {CtlOption::kRequestBodyLimit, "requestBodyLimit"},
    {CtlOption::kRequestBodyProcessor, "requestBodyProcessor"},
    {CtlOption::kResponseBodyAccess, "responseBodyAccess"},
    {CtlOption::kResponseBodyLimit, "responseBodyLimit"},
    {CtlOption::kRuleEngine, "ruleEngine"},
    {CtlOption::kRuleRemoveById, "ruleRemoveById"},
    {CtlOption::kRuleRemoveByMsg, "ruleRemoveByMsg"},
    {CtlOption::kRuleRemoveByTag, "ruleRemoveByTag"},
    {CtlOption::kRuleRemoveTargetById, "ruleRemoveTargetById"},
    {CtlOption::kRuleRemoveTargetByMsg, "ruleRemoveTargetByMsg"},
    {CtlOption::kRuleRemoveTargetByTag, "ruleRemoveTargetByTag"},
}};

constexpr std::array<std::string_view, 8> kSeverities = {
    "EMERGENCY", "ALERT", "CRITICAL", "ERROR", "WARNING", "NOTICE", "INFO", "DEBUG"};

}  // namespace

std::string_view ActionName(ActionKind kind) {
  for (const auto& [k, name] : kActionNames) {
    if (k == kind) return name;
  }
  return "";
}

std::optional<ActionKind> ActionByName(std::string_view name) {
  for (const auto& [kind, known] : kActionNames) {
    if (EqualsIgnoreCase(known, name)) return kind;
  }
  return std::nullopt;
}

std::string_view DisruptiveName(Disruptive disruptive) {
  switch (disruptive) {
    case Disruptive::kPass:
      return "pass";
    case Disruptive::kBlock:
      return "block";
    case Disruptive::kDeny:
      return "deny";
    case Disruptive::kDrop:
      return "drop";
    case Disruptive::kAllow:
      return "allow";
    case Disruptive::kRedirect:
      return "redirect";
    case Disruptive::kProxy:
      return "proxy";
  }
  return "";
}

std::string_view CtlOptionName(CtlOption option) {
  for (const auto& [o, name] : kCtlOptions) {
    if (o == option) return name;
  }
  return "";
}

std::optional<CtlOption> CtlOptionByName(std::string_view name) {
  for (const auto& [option, known] : kCtlOptions) {
    if (EqualsIgnoreCase(known, name)) return option;
  }
  return std::nullopt;
}

std::optional<int> SeverityByName(std::string_view name) {
  for (size_t i = 0; i < kSeverities.size(); ++i) {
    if (EqualsIgnoreCase(kSeverities[i], name)) return static_cast<int>(i);
  }
  return std::nullopt;
}

std::string_view SeverityName(int severity) {
  if (severity < 0 || severity >= static_cast<int>(kSeverities.size())) return "";
  return kSeverities[static_cast<size_t>(severity)];
}

}  // namespace gatehouse::seclang
