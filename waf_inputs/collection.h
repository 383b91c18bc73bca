#ifndef GATEHOUSE_WAF_INPUTS_COLLECTION_H_
#define GATEHOUSE_WAF_INPUTS_COLLECTION_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace gatehouse::waf_inputs {

// ModSecurity's request variables that CRS's request rules read, as libmodsecurity 3.0.9 fills
// them. A keyed collection holds (key, value) pairs in request order; a scalar holds exactly one
// entry whose key is empty (libmodsecurity yields one value for a scalar even when it was never
// set: the value is then empty, and `&REQUEST_BASENAME` is 1).
enum class Collection : uint8_t {
  // Arguments: the query string, then the body (url-encoded, multipart fields, JSON leaves).
  kArgs,
  kArgsGet,
  kArgsPost,
  kArgsNames,  // key and value are both the argument's name; likewise every *_NAMES
  kArgsGetNames,
  kArgsPostNames,
  kArgsCombinedSize,  // scalar
  kRequestCookies,
  kRequestCookiesNames,
  kRequestHeaders,
  kRequestHeadersNames,
  // The request line (scalars).
  kRequestMethod,
  kRequestUri,
  kRequestUriRaw,
  kRequestFilename,
  kRequestBasename,
  kQueryString,
  kRequestProtocol,
  kRequestLine,
  // The body (scalars unless noted).
  kRequestBody,
  kRequestBodyLength,
  kReqbodyProcessor,
  kReqbodyError,
  kReqbodyErrorMsg,
  kReqbodyProcessorError,
  kReqbodyProcessorErrorMsg,
  kUrlencodedError,
  kFiles,       // keyed: part name -> file name
  kFilesNames,  // keyed
  kFilesSizes,  // keyed: part name -> size in bytes
  kFilesCombinedSize,
  kMultipartPartHeaders,  // keyed: part name -> one header line of that part
  kMultipartFilename,     // keyed
  kMultipartName,         // keyed
  kMultipartBoundaryQuoted,
  kMultipartBoundaryWhitespace,
  kMultipartDataBefore,
  kMultipartDataAfter,
  kMultipartHeaderFolding,
  kMultipartLfLine,
  kMultipartCrlfLfLines,
  kMultipartMissingSemicolon,
  kMultipartInvalidQuoting,
  kMultipartInvalidPart,
  kMultipartInvalidHeaderFolding,
  kMultipartFileLimitExceeded,
  kMultipartUnmatchedBoundary,
  kMultipartStrictError,
  // keyed by XPath: "/*" holds the root element's text, "//@*" every attribute value.
  kXml,
  kRemoteAddr,
};

inline constexpr std::size_t kCollectionCount = static_cast<std::size_t>(Collection::kRemoteAddr) + 1;

// "ARGS", "REQUEST_HEADERS_NAMES", "XML", ...: the SecLang spelling.
std::string_view CollectionName(Collection collection);

// The collection a SecLang variable name denotes, ignoring ASCII case as ModSecurity's parser
// does; nullopt for a name this package does not provide (TX, IP, GEO, response variables, ...).
std::optional<Collection> CollectionByName(std::string_view name);

// True for the variables that hold one value (REQUEST_URI, MULTIPART_STRICT_ERROR, ...).
bool IsScalar(Collection collection);

}  // namespace gatehouse::waf_inputs

#endif  // GATEHOUSE_WAF_INPUTS_COLLECTION_H_
