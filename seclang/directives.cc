#include "seclang/directives.h"

#include <array>

#include "seclang/text.h"

namespace gatehouse::seclang {
namespace {

constexpr std::array kDirectives = {
    DirectiveInfo{"Include", 1, 1},
    DirectiveInfo{"IncludeOptional", 1, 1},
    DirectiveInfo{"SecAction", 1, 1},
    DirectiveInfo{"SecArgumentSeparator", 1, 1},
    DirectiveInfo{"SecArgumentsLimit", 1, 1},
    DirectiveInfo{"SecAuditEngine", 1, 1},
    DirectiveInfo{"SecAuditLog", 1, 1},
    DirectiveInfo{"SecAuditLog2", 1, 1},
    DirectiveInfo{"SecAuditLogDirMode", 1, 1},
    DirectiveInfo{"SecAuditLogFileMode", 1, 1},
    DirectiveInfo{"SecAuditLogFormat", 1, 1},
    DirectiveInfo{"SecAuditLogParts", 1, 1},
    DirectiveInfo{"SecAuditLogRelevantStatus", 1, 1},
    DirectiveInfo{"SecAuditLogStorageDir", 1, 1},
    DirectiveInfo{"SecAuditLogType", 1, 1},
    DirectiveInfo{"SecCacheTransformations", 1, 2},
    DirectiveInfo{"SecChrootDir", 1, 1},
    DirectiveInfo{"SecCollectionTimeout", 1, 1},
    DirectiveInfo{"SecComponentSignature", 1, 1},
    DirectiveInfo{"SecConnEngine", 1, 1},
    DirectiveInfo{"SecConnReadStateLimit", 1, 2},
    DirectiveInfo{"SecConnWriteStateLimit", 1, 2},
    DirectiveInfo{"SecContentInjection", 1, 1},
    DirectiveInfo{"SecCookieFormat", 1, 1},
    DirectiveInfo{"SecCookieV0Separator", 1, 1},
    DirectiveInfo{"SecDataDir", 1, 1},
    DirectiveInfo{"SecDebugLog", 1, 1},
    DirectiveInfo{"SecDebugLogLevel", 1, 1},
    DirectiveInfo{"SecDefaultAction", 1, 1},
    DirectiveInfo{"SecDisableBackendCompression", 1, 1},
    DirectiveInfo{"SecGeoLookupDb", 1, 1},
    DirectiveInfo{"SecGsbLookupDb", 1, 1},
    DirectiveInfo{"SecGuardianLog", 1, 2},
    DirectiveInfo{"SecHashEngine", 1, 1},
    DirectiveInfo{"SecHashKey", 1, 2},
    DirectiveInfo{"SecHashMethodPm", 2, 2},
    DirectiveInfo{"SecHashMethodRx", 2, 2},
    DirectiveInfo{"SecHashParam", 1, 1},
    DirectiveInfo{"SecHttpBlKey", 1, 1},
    DirectiveInfo{"SecInterceptOnError", 1, 1},
    DirectiveInfo{"SecMarker", 1, 1},
    DirectiveInfo{"SecParseXmlIntoArgs", 1, 1},
    DirectiveInfo{"SecPcreMatchLimit", 1, 1},
    DirectiveInfo{"SecPcreMatchLimitRecursion", 1, 1},
    DirectiveInfo{"SecReadStateLimit", 1, 1},
    DirectiveInfo{"SecRemoteRules", 2, 3},
    DirectiveInfo{"SecRemoteRulesFailAction", 1, 1},
    DirectiveInfo{"SecRequestBodyAccess", 1, 1},
    DirectiveInfo{"SecRequestBodyInMemoryLimit", 1, 1},
    DirectiveInfo{"SecRequestBodyJsonDepthLimit", 1, 1},
    DirectiveInfo{"SecRequestBodyLimit", 1, 1},
    DirectiveInfo{"SecRequestBodyLimitAction", 1, 1},
    DirectiveInfo{"SecRequestBodyNoFilesLimit", 1, 1},
    DirectiveInfo{"SecResponseBodyAccess", 1, 1},
    DirectiveInfo{"SecResponseBodyLimit", 1, 1},
    DirectiveInfo{"SecResponseBodyLimitAction", 1, 1},
    DirectiveInfo{"SecResponseBodyMimeType", 1, kUnlimited},
    DirectiveInfo{"SecResponseBodyMimeTypesClear", 0, 0},
    DirectiveInfo{"SecRule", 2, 3},
    DirectiveInfo{"SecRuleEngine", 1, 1},
    DirectiveInfo{"SecRuleInheritance", 1, 1},
    DirectiveInfo{"SecRulePerfTime", 1, 1},
    DirectiveInfo{"SecRuleRemoveById", 1, kUnlimited},
    DirectiveInfo{"SecRuleRemoveByMsg", 1, kUnlimited},
    DirectiveInfo{"SecRuleRemoveByTag", 1, kUnlimited},
    DirectiveInfo{"SecRuleScript", 1, 2},
    DirectiveInfo{"SecRuleUpdateActionById", 2, 2},
    DirectiveInfo{"SecRuleUpdateTargetById", 2, 3},
    DirectiveInfo{"SecRuleUpdateTargetByMsg", 2, 3},
    DirectiveInfo{"SecRuleUpdateTargetByTag", 2, 3},
    DirectiveInfo{"SecSensorId", 1, 1},
    DirectiveInfo{"SecServerSignature", 1, 1},
    DirectiveInfo{"SecStatusEngine", 1, 1},
    DirectiveInfo{"SecStreamInBodyInspection", 1, 1},
    DirectiveInfo{"SecStreamOutBodyInspection", 1, 1},
    DirectiveInfo{"SecTmpDir", 1, 1},
    DirectiveInfo{"SecTmpSaveUploadedFiles", 1, 1},
    DirectiveInfo{"SecUnicodeCodePage", 1, 1},
    DirectiveInfo{"SecUnicodeMapFile", 1, 2},
    DirectiveInfo{"SecUploadDir", 1, 1},
    DirectiveInfo{"SecUploadFileLimit", 1, 1},
    DirectiveInfo{"SecUploadFileMode", 1, 1},
    DirectiveInfo{"SecUploadKeepFiles", 1, 1},
    DirectiveInfo{"SecWebAppId", 1, 1},
    DirectiveInfo{"SecWriteStateLimit", 1, 1},
    DirectiveInfo{"SecXmlExternalEntity", 1, 1},
};

}  // namespace

std::optional<DirectiveInfo> DirectiveByName(std::string_view name) {
  for (const DirectiveInfo& info : kDirectives) {
    if (EqualsIgnoreCase(info.name, name)) return info;
  }
  return std::nullopt;
}

}  // namespace gatehouse::seclang
