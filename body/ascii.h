#ifndef GATEHOUSE_BODY_ASCII_H_
#define GATEHOUSE_BODY_ASCII_H_

#include <string_view>

namespace gatehouse::body {

// ASCII-only case folding, as HTTP and ModSecurity compare names (std::tolower in the "C"
// locale). Abseil's versions take Debian's absl::string_view, which std::string_view does not
// convert to.
constexpr char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

constexpr bool EqualsIgnoreAsciiCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  }
  return true;
}

constexpr bool StartsWithIgnoreAsciiCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && EqualsIgnoreAsciiCase(text.substr(0, prefix.size()), prefix);
}

// C's isspace in the "C" locale: space, \t, \n, \v, \f, \r.
constexpr bool IsCSpace(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

}  // namespace gatehouse::body

#endif  // GATEHOUSE_BODY_ASCII_H_
