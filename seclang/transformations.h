#ifndef GATEHOUSE_SECLANG_TRANSFORMATIONS_H_
#define GATEHOUSE_SECLANG_TRANSFORMATIONS_H_

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace gatehouse::seclang {

// The transformation functions of ModSecurity's rule language (the `t:` action): all twenty
// that CRS 3.3's request rules use. Each works on bytes
// (any octets, not necessarily UTF-8) and follows the ModSecurity reference manual, including its
// lossy choices: a decoded character above 0xFF keeps its low byte only, except that full-width
// ASCII (U+FF01..U+FF5E) folds to ASCII, so a rule sees what a permissive back end would.
// Malformed escapes are never errors: they stay in the output as they were.
enum class Transformation {
  // Not a function: in a list it drops every transformation named before it (a rule's t:none
  // discards the defaults it inherited).
  kNone,
  kLowercase,
  kUrlDecode,
  kUrlDecodeUni,
  kUtf8ToUnicode,
  kHtmlEntityDecode,
  kJsDecode,
  kCssDecode,
  kRemoveNulls,
  kCmdLine,
  kCompressWhitespace,
  kRemoveWhitespace,
  kNormalizePath,     // also spelt normalisePath
  kNormalizePathWin,  // also spelt normalisePathWin
  kReplaceComments,
  kLength,
  kSha1,
  kHexEncode,
  kBase64Decode,
};

// The SecLang name ("urlDecodeUni", "utf8toUnicode", ...).
std::string_view TransformationName(Transformation transformation);

// The transformation with that SecLang name (exact spelling, as CRS writes them); nullopt when
// the name is unknown or not implemented here.
std::optional<Transformation> TransformationByName(std::string_view name);

// Reads a rule's transformation actions, "t:none,t:utf8toUnicode,t:urlDecodeUni": items
// separated by commas, spaces around an item ignored. A t:none empties the list read so far and
// is not itself in the result. InvalidArgument names the first item that is not "t:" and a known
// name.
absl::StatusOr<std::vector<Transformation>> ParseTransformationList(std::string_view list);

// "t:a,t:b" for a list; ParseTransformationList reads it back to the same list.
std::string FormatTransformationList(std::span<const Transformation> list);

// Runs one transformation; kNone returns the input unchanged.
std::string ApplyTransformation(Transformation transformation, std::string_view input);

// False only when `transformation` certainly leaves `input` as it is (lowercase on a value with
// no upper-case letter, a decoder on a value with nothing to decode, ...): lets a caller skip
// the copy. True when it may change it.
bool MayChange(Transformation transformation, std::string_view input);

// What MayChange needs to know of a value, read in one pass: a caller that tests several
// transformations against the same value reads it once.
class ValueTraits {
 public:
  explicit ValueTraits(std::string_view input);
  // As MayChange(transformation, input). Inline, a table lookup: the prefilter and the
  // evaluator ask it for every step of every pipeline of every request value.
  bool MayChange(Transformation transformation) const {
    return (bits_ & kChangedBy[static_cast<size_t>(transformation)]) != 0;
  }
  // The traits of which a value must have one for some step of `list` to change it: a value
  // whose bits() miss them all is what ApplyTransformationsIfChanged leaves as it is.
  static uint32_t ChangedByAny(std::span<const Transformation> list);
  // One bit per trait the value has: what ChangedByAny masks are tested against.
  uint32_t bits() const { return bits_; }

 private:
  // Per transformation, the traits of a value it may change (all bits: any value).
  static const std::array<uint32_t, static_cast<size_t>(Transformation::kBase64Decode) + 1>
      kChangedBy;

  uint32_t bits_ = 0;
};

// What ApplyTransformations returns, computed only where needed: steps MayChange rules out are
// skipped, and nullopt means no step could change `input` (use it as it is, with no copy).
// `traits` are ValueTraits(input), which a caller that tries several lists reads once.
std::optional<std::string> ApplyTransformationsIfChanged(std::span<const Transformation> list,
                                                         std::string_view input,
                                                         const ValueTraits& traits);

// Runs the list in order: what a rule's operator sees.
std::string ApplyTransformations(std::span<const Transformation> list, std::string_view input);

// What a rule with the multiMatch action hands its operator: the input itself, then the value
// after each transformation that changed it (one that changed nothing adds no entry).
std::vector<std::string> MultiMatchValues(std::span<const Transformation> list,
                                          std::string_view input);

// The functions themselves.

// ASCII letters A-Z to a-z; every other byte as it is.
std::string Lowercase(std::string_view input);

// %HH to the byte 0xHH and '+' to a space. A '%' not followed by two hex digits stays as it is.
std::string UrlDecode(std::string_view input);

// UrlDecode plus Microsoft's %uHHHH: the low byte of 0xHHHH, or for full-width ASCII
// (%uFF01..%uFF5E) the ASCII character. A %u without four hex digits stays as it is.
std::string UrlDecodeUni(std::string_view input);

// Each complete multi-byte UTF-8 sequence (a lead byte C0..F7 and its continuation bytes) to
// %uHHHH (lower-case hex, at least four digits: %u1f600 above U+FFFF), so a following
// urlDecodeUni reduces it to one byte. Overlong forms and surrogates are decoded too ("\xC0\xBC"
// is %u003c), as a lenient back end would read them. ASCII and bytes that do not start a complete
// sequence (stray continuation bytes, truncated sequences, F8..FF) stay as they are.
std::string Utf8ToUnicode(std::string_view input);

// HTML character references, each to one byte: &#DDD and &#xHH (the semicolon optional; the low
// byte of the value), and &quot &amp &lt &gt &nbsp (any case, semicolon optional; nbsp is byte
// 0xA0). Any other '&' sequence, "&#x;" or "&#;" among them, stays as it is.
std::string HtmlEntityDecode(std::string_view input);

// JavaScript escapes: \uHHHH (as in UrlDecodeUni: low byte, full-width ASCII folded), \xHH, \O to
// \OOO (a third octal digit is read only while the value stays within a byte, \377), \a \b \f
// \n \r \t \v, and a backslash before any other character is dropped. The 'u' and 'x' are
// lower-case only, as in JavaScript. A backslash that ends the input stays.
std::string JsDecode(std::string_view input);

// CSS 2 escapes: a backslash and one to six hex digits decode to one byte (one digit: its value;
// more: the last two digits, with full-width ASCII U+FF01..U+FF5E folded), and one whitespace
// character after them is consumed; a backslash before a newline removes both; before any other
// character only the backslash is removed (ja\vascript is javascript); at the end of the input it
// is removed.
std::string CssDecode(std::string_view input);

// Every NUL byte removed.
std::string RemoveNulls(std::string_view input);

// What ModSecurity does to read a command line the way a shell would: backslashes, quotes (' and
// ") and carets removed; spaces before '/' or '(' removed; ',' and ';' to spaces; runs of
// whitespace to one space; lower case.
std::string CmdLine(std::string_view input);

// Whitespace (space, \t \n \v \f \r and 0xA0) to spaces, and each run of them to one space.
std::string CompressWhitespace(std::string_view input);

// Whitespace (as above) removed.
std::string RemoveWhitespace(std::string_view input);

// A path with repeated slashes collapsed and "." and ".." segments resolved; a ".." that would
// climb above the start of a relative path stays, above the root of an absolute one is dropped.
// A trailing slash stays.
std::string NormalizePath(std::string_view input);

// NormalizePath after backslashes become slashes.
std::string NormalizePathWin(std::string_view input);

// Each C comment (/* ... */, or an unterminated /* to the end) to one space; a lone */ stays.
std::string ReplaceComments(std::string_view input);

// The input's length in bytes, in decimal.
std::string Length(std::string_view input);

// The SHA-1 digest, 20 raw bytes.
std::string Sha1(std::string_view input);

// Each byte as two lower-case hex digits.
std::string HexEncode(std::string_view input);

// Base64 decoding; reading stops at the first byte that is not of the alphabet ('=' included),
// and what was read so far is the result.
std::string Base64Decode(std::string_view input);

}  // namespace gatehouse::seclang

#endif  // GATEHOUSE_SECLANG_TRANSFORMATIONS_H_
