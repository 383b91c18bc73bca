#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace gatehouse {

// Text from the outside world (a report's error, a node name) cut to at most `max_bytes`, on a
// UTF-8 character boundary, with "…(N bytes cut)" appended when it was longer.
std::string Bounded(std::string_view text, size_t max_bytes);

// Bounded, then made safe for one log line: CR, LF, other control bytes, backslashes and
// invalid UTF-8 become \n, \r, \xNN escapes, so a caller can never forge a line of its own.
std::string ForLogLine(std::string_view text, size_t max_bytes);

// Whether `text` is well-formed UTF-8 (no overlong forms or surrogates). On failure, `offset`
// (when given) is the position of the first bad byte.
bool IsValidUtf8(std::string_view text, size_t* offset = nullptr);

}  // namespace gatehouse
