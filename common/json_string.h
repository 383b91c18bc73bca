#pragma once

#include <string>
#include <string_view>

namespace gatehouse {

// `text` as a JSON string literal, quotes included (RFC 8259 §7): '"' and '\' escaped, \n \r \t
// by name, other control bytes as \u00XX; every other byte (UTF-8 included) as it is.
void AppendJsonString(std::string& out, std::string_view text);
std::string JsonString(std::string_view text);

}  // namespace gatehouse
