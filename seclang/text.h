#ifndef GATEHOUSE_SECLANG_TEXT_H_
#define GATEHOUSE_SECLANG_TEXT_H_

// Small string helpers over std::string_view for this package. Debian's Abseil has its own
// absl::string_view, which std::string_view does not convert to, so absl::StrCat and the ASCII
// helpers cannot take std::string_view arguments directly.

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace gatehouse::seclang {

namespace text_internal {
inline void AppendOne(std::string& out, std::string_view piece) { out.append(piece); }
inline void AppendOne(std::string& out, char c) { out.push_back(c); }
template <typename Integer>
requires std::is_integral_v<Integer>
void AppendOne(std::string& out, Integer value) { out.append(std::to_string(value)); }
}  // namespace text_internal

// Concatenates strings, string views, characters and integers.
template <typename... Pieces>
std::string Cat(const Pieces&... pieces) {
  std::string out;
  (text_internal::AppendOne(out, pieces), ...);
  return out;
}

// ASCII-only case folding, as ModSecurity compares names.
inline char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }
inline char AsciiUpper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c; }

inline std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = AsciiLower(c);
  return out;
}

inline std::string ToUpper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = AsciiUpper(c);
  return out;
}

inline bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  }
  return true;
}

// C's isspace in the C locale (what Apache and ModSecurity use): space, \t, \n, \v, \f, \r.
inline bool IsSpace(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Pieces joined with `separator`.
inline std::string Join(const std::vector<std::string_view>& pieces, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < pieces.size(); ++i) {
    if (i > 0) out.append(separator);
    out.append(pieces[i]);
  }
  return out;
}

}  // namespace gatehouse::seclang

#endif  // GATEHOUSE_SECLANG_TEXT_H_
