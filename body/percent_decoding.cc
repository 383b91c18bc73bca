#include "body/percent_decoding.h"

#include <cstddef>

namespace gatehouse::body {

int HexDigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

PercentDecoded PercentDecode(std::string_view input, PlusSign plus, TextArena& arena) {
  const bool plus_is_space = plus == PlusSign::kSpace;
  std::size_t first = 0;
  while (first < input.size() && input[first] != '%' && !(plus_is_space && input[first] == '+')) {
    ++first;
  }
  PercentDecoded result;
  if (first == input.size()) {
    result.text = input;
    return result;
  }
  // Decoding only shrinks: reserve the input's length and give back the rest.
  char* out = arena.Allocate(input.size());
  std::size_t written = first;
  for (std::size_t i = 0; i < first; ++i) out[i] = input[i];
  std::size_t i = first;
  while (i < input.size()) {
    const char c = input[i];
    if (c == '%') {
      const int high = i + 1 < input.size() ? HexDigitValue(input[i + 1]) : -1;
      const int low = i + 2 < input.size() ? HexDigitValue(input[i + 2]) : -1;
      if (high >= 0 && low >= 0) {
        out[written++] = static_cast<char>(high * 16 + low);
        i += 3;
        continue;
      }
      result.invalid = true;
      out[written++] = c;
    } else if (c == '+' && plus_is_space) {
      out[written++] = ' ';
    } else {
      out[written++] = c;
    }
    ++i;
  }
  result.text = arena.Shrink(out, written);
  return result;
}

}  // namespace gatehouse::body
