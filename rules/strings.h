#pragma once

// String helpers over std::string_view. Debian's Abseil is built with its own absl::string_view
// (ABSL_OPTION_USE_STD_STRING_VIEW 0), which std::string_view does not convert to, so absl's
// string functions are reached through these.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace gatehouse::rules {

inline absl::string_view ToAbsl(std::string_view s) { return absl::string_view(s.data(), s.size()); }
inline std::string_view FromAbsl(absl::string_view s) { return std::string_view(s.data(), s.size()); }

template <typename T>
void AppendPiece(std::string& out, const T& piece) {
  if constexpr (std::is_convertible_v<const T&, std::string_view>) {
    out.append(std::string_view(piece));
  } else {
    absl::StrAppend(&out, piece);
  }
}

// absl::StrCat / StrAppend that also take std::string_view.
template <typename... Pieces>
std::string Cat(const Pieces&... pieces) {
  std::string out;
  (AppendPiece(out, pieces), ...);
  return out;
}
template <typename... Pieces>
void Append(std::string* out, const Pieces&... pieces) {
  (AppendPiece(*out, pieces), ...);
}

inline std::string ToLower(std::string_view s) { return absl::AsciiStrToLower(ToAbsl(s)); }
inline std::string ToUpper(std::string_view s) { return absl::AsciiStrToUpper(ToAbsl(s)); }

inline bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (absl::ascii_tolower(static_cast<unsigned char>(a[i])) !=
        absl::ascii_tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

inline std::string_view StripWhitespace(std::string_view s) {
  while (!s.empty() && absl::ascii_isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && absl::ascii_isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Appends code point `cp` (at most U+FFFF: %uXXXX and \uXXXX escapes) as UTF-8. Surrogate
// halves are encoded on their own, so decoding never fails on data.
inline void AppendUtf8(uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xc0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else {
    out.push_back(static_cast<char>(0xe0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  }
}

// Splits on `separator`, keeping empty pieces.
inline std::vector<std::string_view> Split(std::string_view s, char separator) {
  std::vector<std::string_view> pieces;
  while (true) {
    size_t at = s.find(separator);
    pieces.push_back(s.substr(0, at));
    if (at == std::string_view::npos) return pieces;
    s.remove_prefix(at + 1);
  }
}

// Splits at the first `separator`: ("a=b=c", '=') -> {"a", "b=c"}; no separator -> {s, ""}.
inline std::pair<std::string_view, std::string_view> SplitOnce(std::string_view s, char separator) {
  size_t at = s.find(separator);
  if (at == std::string_view::npos) return {s, std::string_view()};
  return {s.substr(0, at), s.substr(at + 1)};
}

}  // namespace gatehouse::rules
