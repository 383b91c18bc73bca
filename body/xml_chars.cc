#include "body/xml_chars.h"

#include "body/ascii.h"

namespace gatehouse::body {

std::optional<DecodedChar> DecodeUtf8(std::string_view text, std::size_t at) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(at);
  if (lead < 0x80) return DecodedChar{lead, 1};
  std::size_t length = 0;
  uint32_t code_point = 0;
  uint32_t minimum = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2;
    code_point = lead & 0x1F;
    minimum = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    code_point = lead & 0x0F;
    minimum = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    code_point = lead & 0x07;
    minimum = 0x10000;
  } else {
    return std::nullopt;
  }
  if (at + length > text.size()) return std::nullopt;
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(at + k) & 0xC0) != 0x80) return std::nullopt;
    code_point = (code_point << 6) | (byte(at + k) & 0x3F);
  }
  if (code_point < minimum || code_point > 0x10FFFF ||
      (code_point >= 0xD800 && code_point <= 0xDFFF)) {
    return std::nullopt;
  }
  return DecodedChar{code_point, length};
}

bool IsXmlChar(uint32_t c) {
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
         (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

bool IsXmlNameStartChar(uint32_t c) {
  return c == ':' || (c >= 'A' && c <= 'Z') || c == '_' || (c >= 'a' && c <= 'z') ||
         (c >= 0xC0 && c <= 0xD6) || (c >= 0xD8 && c <= 0xF6) || (c >= 0xF8 && c <= 0x2FF) ||
         (c >= 0x370 && c <= 0x37D) || (c >= 0x37F && c <= 0x1FFF) ||
         (c >= 0x200C && c <= 0x200D) || (c >= 0x2070 && c <= 0x218F) ||
         (c >= 0x2C00 && c <= 0x2FEF) || (c >= 0x3001 && c <= 0xD7FF) ||
         (c >= 0xF900 && c <= 0xFDCF) || (c >= 0xFDF0 && c <= 0xFFFD) ||
         (c >= 0x10000 && c <= 0xEFFFF);
}

bool IsXmlNameChar(uint32_t c) {
  return IsXmlNameStartChar(c) || c == '-' || c == '.' || (c >= '0' && c <= '9') || c == 0xB7 ||
         (c >= 0x300 && c <= 0x36F) || (c >= 0x203F && c <= 0x2040);
}

XmlEncoding XmlEncodingByName(std::string_view name) {
  // iconv, which libxml2 asks, matches names ignoring case and separators: "ISO8859-1" and
  // "iso_8859_1" are ISO-8859-1.
  std::string key;
  for (char c : name) {
    if (c == '-' || c == '_') continue;
    key.push_back(AsciiLower(c));
  }
  for (std::string_view utf8 : {"utf8"}) {
    if (key == utf8) return XmlEncoding::kUtf8;
  }
  for (std::string_view latin1 : {"iso88591", "isolatin1", "latin1", "l1", "iso885911987",
                                  "ibm819", "cp819", "csisolatin1", "usascii", "ascii",
                                  "iso646us", "ansix3.41968"}) {
    if (key == latin1) return XmlEncoding::kLatin1;
  }
  for (std::string_view windows : {"windows1252", "cp1252", "mscp1252"}) {
    if (key == windows) return XmlEncoding::kWindows1252;
  }
  return XmlEncoding::kUnsupported;
}

void ConvertToUtf8(std::string_view text, XmlEncoding encoding, std::string& out) {
  // Windows-1252's 0x80..0x9F; 0 marks the unassigned bytes, kept as C1 controls.
  static constexpr uint16_t kWindows1252High[32] = {
      0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
      0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
      0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    uint32_t code_point = byte;
    if (encoding == XmlEncoding::kWindows1252 && byte >= 0x80 && byte <= 0x9F &&
        kWindows1252High[byte - 0x80] != 0) {
      code_point = kWindows1252High[byte - 0x80];
    }
    if (code_point < 0x80) {
      out.push_back(static_cast<char>(code_point));
    } else if (code_point < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (code_point >> 6)));
      out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xE0 | (code_point >> 12)));
      out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
    }
  }
}

}  // namespace gatehouse::body
