#ifndef GATEHOUSE_BODY_XML_CHARS_H_
#define GATEHOUSE_BODY_XML_CHARS_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gatehouse::body {

// One code point decoded from UTF-8 and the bytes it took.
struct DecodedChar {
  uint32_t code_point = 0;
  std::size_t length = 0;
};

// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing past U+10FFFF. nullopt for
// an invalid or truncated sequence at `at`.
std::optional<DecodedChar> DecodeUtf8(std::string_view text, std::size_t at);

// XML 1.0's Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
bool IsXmlChar(uint32_t c);

// XML 1.0 (fifth edition) NameStartChar and NameChar, as libxml2 checks names by default.
bool IsXmlNameStartChar(uint32_t c);
bool IsXmlNameChar(uint32_t c);

// The encodings an XML declaration may name that the reader accepts: UTF-8, and the single-byte
// ISO-8859-1 (with its aliases; US-ASCII read as its subset) and windows-1252, which it converts
// to UTF-8 as libxml2 does. libxml2 knows more (UTF-16, other code pages through iconv).
enum class XmlEncoding { kUtf8, kLatin1, kWindows1252, kUnsupported };
XmlEncoding XmlEncodingByName(std::string_view name);

// `text` in `encoding` (kLatin1 or kWindows1252) as UTF-8, appended to `out`. Windows-1252's five
// unassigned bytes map to the C1 controls, as its "best fit" tables do.
void ConvertToUtf8(std::string_view text, XmlEncoding encoding, std::string& out);

}  // namespace gatehouse::body

#endif  // GATEHOUSE_BODY_XML_CHARS_H_
