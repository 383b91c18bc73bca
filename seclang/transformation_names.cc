#include "seclang/transformation_names.h"

#include <array>

#include "seclang/text.h"

namespace gatehouse::seclang {
namespace {

constexpr std::array<std::string_view, 38> kTransformations = {"base64Decode",
                                                               "base64DecodeExt",
                                                               "base64Encode",
                                                               "cmdLine",
                                                               "compressWhitespace",
                                                               "cssDecode",
                                                               "escapeSeqDecode",
                                                               "hexDecode",
                                                               "hexEncode",
                                                               "htmlEntityDecode",
                                                               "jsDecode",
                                                               "length",
                                                               "lowercase",
                                                               "md5",
                                                               "none",
                                                               "normalisePath",
                                                               "normalizePath",
                                                               "normalisePathWin",
                                                               "normalizePathWin",
                                                               "parityEven7bit",
                                                               "parityOdd7bit",
                                                               "parityZero7bit",
                                                               "removeComments",
                                                               "removeCommentsChar",
                                                               "removeNulls",
                                                               "removeWhitespace",
                                                               "replaceComments",
                                                               "replaceNulls",
                                                               "sha1",
                                                               "sqlHexDecode",
                                                               "trim",
                                                               "trimLeft",
                                                               "trimRight",
                                                               "uppercase",
                                                               "urlDecode",
                                                               "urlDecodeUni",
                                                               "urlEncode",
                                                               "utf8toUnicode"};

}  // namespace

std::optional<std::string_view> CanonicalTransformationName(std::string_view name) {
  for (std::string_view known : kTransformations) {
    if (EqualsIgnoreCase(known, name)) return known;
  }
  return std::nullopt;
}

}  // namespace gatehouse::seclang
