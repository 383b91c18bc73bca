#ifndef GATEHOUSE_BODY_PERCENT_DECODING_H_
#define GATEHOUSE_BODY_PERCENT_DECODING_H_

#include <string_view>

#include "body/text_arena.h"

namespace gatehouse::body {

enum class PlusSign {
  kLiteral,  // a path: '+' is itself
  kSpace,    // a form or query string: '+' is an encoded space
};

struct PercentDecoded {
  std::string_view text;
  // Some '%' was not followed by two hex digits (ModSecurity's URLENCODED_ERROR). Such a '%'
  // stays in the text as it is, and so do the bytes after it.
  bool invalid = false;
};

// %HH to the byte 0xHH (any byte, NUL included), as ModSecurity decodes arguments
// (urldecode_nonstrict) and the request URI (uri_decode). `text` points into `input` when
// nothing needed decoding, into `arena` otherwise.
PercentDecoded PercentDecode(std::string_view input, PlusSign plus, TextArena& arena);

// The value of an ASCII hex digit, -1 for any other byte.
int HexDigitValue(char c);

}  // namespace gatehouse::body

#endif  // GATEHOUSE_BODY_PERCENT_DECODING_H_
