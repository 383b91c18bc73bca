#ifndef GATEHOUSE_SECLANG_TRANSFORMATION_NAMES_H_
#define GATEHOUSE_SECLANG_TRANSFORMATION_NAMES_H_

#include <optional>
#include <string_view>

namespace gatehouse::seclang {

// The canonical spelling of a transformation of the SecLang reference named `name` in any letter
// case ("urldecodeuni" -> "urlDecodeUni"); nullopt when there is none. Every name the reference
// lists is known here, implemented by transformations.h or not: base64Decode base64DecodeExt
// base64Encode cmdLine compressWhitespace cssDecode escapeSeqDecode hexDecode hexEncode
// htmlEntityDecode jsDecode length lowercase md5 none normalisePath normalizePath
// normalisePathWin normalizePathWin parityEven7bit parityOdd7bit parityZero7bit removeComments
// removeCommentsChar removeNulls removeWhitespace replaceComments replaceNulls sha1
// sqlHexDecode trim trimLeft trimRight uppercase urlDecode urlDecodeUni urlEncode
// utf8toUnicode.
std::optional<std::string_view> CanonicalTransformationName(std::string_view name);

}  // namespace gatehouse::seclang

#endif  // GATEHOUSE_SECLANG_TRANSFORMATION_NAMES_H_
