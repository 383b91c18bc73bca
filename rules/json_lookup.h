#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace gatehouse::rules {

// One step of a JSON path: an object key or an array index.
using JsonPathStep = std::variant<std::string, int64_t>;

// lookup_json_string(): the string at `path` in `json`, unescaped; nullopt if the text is not
// valid JSON along the way, the path does not exist, or the value is not a string.
std::optional<std::string> LookupJsonString(std::string_view json,
                                            const std::vector<JsonPathStep>& path);

// lookup_json_integer(): the integer at `path`; nullopt unless it is a JSON number without
// fraction or exponent that fits in 64 bits.
std::optional<int64_t> LookupJsonInteger(std::string_view json,
                                         const std::vector<JsonPathStep>& path);

}  // namespace gatehouse::rules
