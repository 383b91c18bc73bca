#include "waf_inputs/collection.h"

#include <array>

#include "body/ascii.h"

namespace gatehouse::waf_inputs {
namespace {

struct CollectionInfo {
  Collection collection;
  std::string_view name;
  bool scalar;
};

// In enum order; the static_assert below keeps the two in step.
constexpr std::array<CollectionInfo, kCollectionCount> kCollections = {{
    {Collection::kArgs, "ARGS", false},
    {Collection::kArgsGet, "ARGS_GET", false},
    {Collection::kArgsPost, "ARGS_POST", false},
    {Collection::kArgsNames, "ARGS_NAMES", false},
    {Collection::kArgsGetNames, "ARGS_GET_NAMES", false},
    {Collection::kArgsPostNames, "ARGS_POST_NAMES", false},
    {Collection::kArgsCombinedSize, "ARGS_COMBINED_SIZE", true},
    {Collection::kRequestCookies, "REQUEST_COOKIES", false},
    {Collection::kRequestCookiesNames, "REQUEST_COOKIES_NAMES", false},
    {Collection::kRequestHeaders, "REQUEST_HEADERS", false},
    {Collection::kRequestHeadersNames, "REQUEST_HEADERS_NAMES", false},
    {Collection::kRequestMethod, "REQUEST_METHOD", true},
    {Collection::kRequestUri, "REQUEST_URI", true},
    {Collection::kRequestUriRaw, "REQUEST_URI_RAW", true},
    {Collection::kRequestFilename, "REQUEST_FILENAME", true},
    {Collection::kRequestBasename, "REQUEST_BASENAME", true},
    {Collection::kQueryString, "QUERY_STRING", true},
    {Collection::kRequestProtocol, "REQUEST_PROTOCOL", true},
    {Collection::kRequestLine, "REQUEST_LINE", true},
    {Collection::kRequestBody, "REQUEST_BODY", true},
    {Collection::kRequestBodyLength, "REQUEST_BODY_LENGTH", true},
    {Collection::kReqbodyProcessor, "REQBODY_PROCESSOR", true},
    {Collection::kReqbodyError, "REQBODY_ERROR", true},
    {Collection::kReqbodyErrorMsg, "REQBODY_ERROR_MSG", true},
    {Collection::kReqbodyProcessorError, "REQBODY_PROCESSOR_ERROR", true},
    {Collection::kReqbodyProcessorErrorMsg, "REQBODY_PROCESSOR_ERROR_MSG", true},
    {Collection::kUrlencodedError, "URLENCODED_ERROR", true},
    {Collection::kFiles, "FILES", false},
    {Collection::kFilesNames, "FILES_NAMES", false},
    {Collection::kFilesSizes, "FILES_SIZES", false},
    {Collection::kFilesCombinedSize, "FILES_COMBINED_SIZE", true},
    {Collection::kMultipartPartHeaders, "MULTIPART_PART_HEADERS", false},
    {Collection::kMultipartFilename, "MULTIPART_FILENAME", false},
    {Collection::kMultipartName, "MULTIPART_NAME", false},
    {Collection::kMultipartBoundaryQuoted, "MULTIPART_BOUNDARY_QUOTED", true},
    {Collection::kMultipartBoundaryWhitespace, "MULTIPART_BOUNDARY_WHITESPACE", true},
    {Collection::kMultipartDataBefore, "MULTIPART_DATA_BEFORE", true},
    {Collection::kMultipartDataAfter, "MULTIPART_DATA_AFTER", true},
    {Collection::kMultipartHeaderFolding, "MULTIPART_HEADER_FOLDING", true},
    {Collection::kMultipartLfLine, "MULTIPART_LF_LINE", true},
    {Collection::kMultipartCrlfLfLines, "MULTIPART_CRLF_LF_LINES", true},
    {Collection::kMultipartMissingSemicolon, "MULTIPART_MISSING_SEMICOLON", true},
    {Collection::kMultipartInvalidQuoting, "MULTIPART_INVALID_QUOTING", true},
    {Collection::kMultipartInvalidPart, "MULTIPART_INVALID_PART", true},
    {Collection::kMultipartInvalidHeaderFolding, "MULTIPART_INVALID_HEADER_FOLDING", true},
    {Collection::kMultipartFileLimitExceeded, "MULTIPART_FILE_LIMIT_EXCEEDED", true},
    {Collection::kMultipartUnmatchedBoundary, "MULTIPART_UNMATCHED_BOUNDARY", true},
    {Collection::kMultipartStrictError, "MULTIPART_STRICT_ERROR", true},
    {Collection::kXml, "XML", false},
    {Collection::kRemoteAddr, "REMOTE_ADDR", true},
}};

constexpr bool InEnumOrder() {
  for (std::size_t i = 0; i < kCollections.size(); ++i) {
    if (static_cast<std::size_t>(kCollections[i].collection) != i) return false;
  }
  return true;
}
static_assert(InEnumOrder(), "kCollections must list the collections in enum order");

}  // namespace

std::string_view CollectionName(Collection collection) {
  return kCollections[static_cast<std::size_t>(collection)].name;
}

std::optional<Collection> CollectionByName(std::string_view name) {
  for (const CollectionInfo& info : kCollections) {
    if (body::EqualsIgnoreAsciiCase(info.name, name)) return info.collection;
  }
  return std::nullopt;
}

bool IsScalar(Collection collection) {
  return kCollections[static_cast<std::size_t>(collection)].scalar;
}

}  // namespace gatehouse::waf_inputs
