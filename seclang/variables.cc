#include "seclang/variables.h"

#include <array>

#include "seclang/text.h"

namespace gatehouse::seclang {
namespace {

constexpr VariableShape kScalar = VariableShape::kScalar;
constexpr VariableShape kCollection = VariableShape::kCollection;

// The variables of the SecLang reference (ModSecurity 2.9 and 3).
constexpr std::array kVariables = {
    VariableInfo{"ARGS", kCollection},
    VariableInfo{"ARGS_COMBINED_SIZE", kScalar},
    VariableInfo{"ARGS_GET", kCollection},
    VariableInfo{"ARGS_GET_NAMES", kCollection},
    VariableInfo{"ARGS_NAMES", kCollection},
    VariableInfo{"ARGS_POST", kCollection},
    VariableInfo{"ARGS_POST_NAMES", kCollection},
    VariableInfo{"AUTH_TYPE", kScalar},
    VariableInfo{"DURATION", kScalar},
    VariableInfo{"ENV", kCollection},
    VariableInfo{"FILES", kCollection},
    VariableInfo{"FILES_COMBINED_SIZE", kScalar},
    VariableInfo{"FILES_NAMES", kCollection},
    VariableInfo{"FILES_SIZES", kCollection},
    VariableInfo{"FILES_TMPNAMES", kCollection},
    VariableInfo{"FILES_TMP_CONTENT", kCollection},
    VariableInfo{"FULL_REQUEST", kScalar},
    VariableInfo{"FULL_REQUEST_LENGTH", kScalar},
    VariableInfo{"GEO", kCollection},
    VariableInfo{"GLOBAL", kCollection},
    VariableInfo{"HIGHEST_SEVERITY", kScalar},
    VariableInfo{"INBOUND_DATA_ERROR", kScalar},
    VariableInfo{"IP", kCollection},
    VariableInfo{"MATCHED_VAR", kScalar},
    VariableInfo{"MATCHED_VARS", kCollection},
    VariableInfo{"MATCHED_VAR_NAME", kScalar},
    VariableInfo{"MATCHED_VARS_NAMES", kCollection},
    VariableInfo{"MODSEC_BUILD", kScalar},
    VariableInfo{"MSC_PCRE_LIMITS_EXCEEDED", kScalar},
    VariableInfo{"MULTIPART_BOUNDARY_QUOTED", kScalar},
    VariableInfo{"MULTIPART_BOUNDARY_WHITESPACE", kScalar},
    VariableInfo{"MULTIPART_CRLF_LF_LINES", kScalar},
    VariableInfo{"MULTIPART_DATA_AFTER", kScalar},
    VariableInfo{"MULTIPART_DATA_BEFORE", kScalar},
    VariableInfo{"MULTIPART_FILE_LIMIT_EXCEEDED", kScalar},
    VariableInfo{"MULTIPART_FILENAME", kScalar},
    VariableInfo{"MULTIPART_HEADER_FOLDING", kScalar},
    VariableInfo{"MULTIPART_INVALID_HEADER_FOLDING", kScalar},
    VariableInfo{"MULTIPART_INVALID_PART", kScalar},
    VariableInfo{"MULTIPART_INVALID_QUOTING", kScalar},
    VariableInfo{"MULTIPART_LF_LINE", kScalar},
    VariableInfo{"MULTIPART_MISSING_SEMICOLON", kScalar},
    VariableInfo{"MULTIPART_NAME", kScalar},
    VariableInfo{"MULTIPART_PART_HEADERS", kCollection},
    VariableInfo{"MULTIPART_SEMICOLON_MISSING", kScalar},
    VariableInfo{"MULTIPART_STRICT_ERROR", kScalar},
    VariableInfo{"MULTIPART_UNMATCHED_BOUNDARY", kScalar},
    VariableInfo{"OUTBOUND_DATA_ERROR", kScalar},
    VariableInfo{"PATH_INFO", kScalar},
    VariableInfo{"PERF_ALL", kScalar},
    VariableInfo{"PERF_COMBINED", kScalar},
    VariableInfo{"PERF_GC", kScalar},
    VariableInfo{"PERF_LOGGING", kScalar},
    VariableInfo{"PERF_PHASE1", kScalar},
    VariableInfo{"PERF_PHASE2", kScalar},
    VariableInfo{"PERF_PHASE3", kScalar},
    VariableInfo{"PERF_PHASE4", kScalar},
    VariableInfo{"PERF_PHASE5", kScalar},
    VariableInfo{"PERF_RULES", kCollection},
    VariableInfo{"PERF_SREAD", kScalar},
    VariableInfo{"PERF_SWRITE", kScalar},
    VariableInfo{"QUERY_STRING", kScalar},
    VariableInfo{"REMOTE_ADDR", kScalar},
    VariableInfo{"REMOTE_HOST", kScalar},
    VariableInfo{"REMOTE_PORT", kScalar},
    VariableInfo{"REMOTE_USER", kScalar},
    VariableInfo{"REQBODY_ERROR", kScalar},
    VariableInfo{"REQBODY_ERROR_MSG", kScalar},
    VariableInfo{"REQBODY_PROCESSOR", kScalar},
    VariableInfo{"REQBODY_PROCESSOR_ERROR", kScalar},
    VariableInfo{"REQBODY_PROCESSOR_ERROR_MSG", kScalar},
    VariableInfo{"REQUEST_BASENAME", kScalar},
    VariableInfo{"REQUEST_BODY", kScalar},
    VariableInfo{"REQUEST_BODY_LENGTH", kScalar},
    VariableInfo{"REQUEST_COOKIES", kCollection},
    VariableInfo{"REQUEST_COOKIES_NAMES", kCollection},
    VariableInfo{"REQUEST_FILENAME", kScalar},
    VariableInfo{"REQUEST_HEADERS", kCollection},
    VariableInfo{"REQUEST_HEADERS_NAMES", kCollection},
    VariableInfo{"REQUEST_LINE", kScalar},
    VariableInfo{"REQUEST_METHOD", kScalar},
    VariableInfo{"REQUEST_PROTOCOL", kScalar},
    VariableInfo{"REQUEST_URI", kScalar},
    VariableInfo{"REQUEST_URI_RAW", kScalar},
    VariableInfo{"RESOURCE", kCollection},
    VariableInfo{"RESPONSE_BODY", kScalar},
    VariableInfo{"RESPONSE_CONTENT_LENGTH", kScalar},
    VariableInfo{"RESPONSE_CONTENT_TYPE", kScalar},
    VariableInfo{"RESPONSE_HEADERS", kCollection},
    VariableInfo{"RESPONSE_HEADERS_NAMES", kCollection},
    VariableInfo{"RESPONSE_PROTOCOL", kScalar},
    VariableInfo{"RESPONSE_STATUS", kScalar},
    VariableInfo{"RULE", kCollection},
    VariableInfo{"SCRIPT_BASENAME", kScalar},
    VariableInfo{"SCRIPT_FILENAME", kScalar},
    VariableInfo{"SCRIPT_GID", kScalar},
    VariableInfo{"SCRIPT_GROUPNAME", kScalar},
    VariableInfo{"SCRIPT_MODE", kScalar},
    VariableInfo{"SCRIPT_UID", kScalar},
    VariableInfo{"SCRIPT_USERNAME", kScalar},
    VariableInfo{"SDBM_DELETE_ERROR", kScalar},
    VariableInfo{"SERVER_ADDR", kScalar},
    VariableInfo{"SERVER_NAME", kScalar},
    VariableInfo{"SERVER_PORT", kScalar},
    VariableInfo{"SESSION", kCollection},
    VariableInfo{"SESSIONID", kScalar},
    VariableInfo{"STATUS_LINE", kScalar},
    VariableInfo{"STREAM_INPUT_BODY", kScalar},
    VariableInfo{"STREAM_OUTPUT_BODY", kScalar},
    VariableInfo{"TIME", kScalar},
    VariableInfo{"TIME_DAY", kScalar},
    VariableInfo{"TIME_EPOCH", kScalar},
    VariableInfo{"TIME_HOUR", kScalar},
    VariableInfo{"TIME_MIN", kScalar},
    VariableInfo{"TIME_MON", kScalar},
    VariableInfo{"TIME_SEC", kScalar},
    VariableInfo{"TIME_WDAY", kScalar},
    VariableInfo{"TIME_YEAR", kScalar},
    VariableInfo{"TX", kCollection},
    VariableInfo{"UNIQUE_ID", kScalar},
    VariableInfo{"URLENCODED_ERROR", kScalar},
    VariableInfo{"USER", kCollection},
    VariableInfo{"USERAGENT_IP", kScalar},
    VariableInfo{"USERID", kScalar},
    VariableInfo{"WEBAPPID", kScalar},
    VariableInfo{"WEBSERVER_ERROR_LOG", kScalar},
    VariableInfo{"XML", VariableShape::kXml},
};

}  // namespace

std::optional<VariableInfo> VariableByName(std::string_view name) {
  for (const VariableInfo& info : kVariables) {
    if (EqualsIgnoreCase(info.name, name)) return info;
  }
  return std::nullopt;
}

bool SelectorIgnoresCase(std::string_view collection) {
  return !EqualsIgnoreCase(collection, "XML");
}

std::string FormatVariable(const Variable& variable) {
  std::string out;
  if (variable.exclusion) out.push_back('!');
  if (variable.count) out.push_back('&');
  out.append(variable.collection);
  switch (variable.selector.kind) {
    case SelectorKind::kNone:
      break;
    case SelectorKind::kRegex:
      out.append(":/").append(variable.selector.value).append("/");
      break;
    case SelectorKind::kKey:
    case SelectorKind::kXPath:
      out.append(":").append(variable.selector.value);
      break;
  }
  return out;
}

}  // namespace gatehouse::seclang
