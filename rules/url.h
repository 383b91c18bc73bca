#pragma once

#include <string>
#include <string_view>

namespace gatehouse::rules {

// Decodes %XX escapes (malformed escapes stay as they are); `plus_as_space` also turns '+' into
// ' ', as in query strings.
std::string PercentDecode(std::string_view text, bool plus_as_space);

// url_decode() of the rules language: '+' is a space, %XX is a byte. Options: "r" decodes
// repeatedly until nothing changes (double-encoding), "u" also decodes %uXXXX to UTF-8.
std::string UrlDecode(std::string_view text, std::string_view options);

// Cloudflare's URL normalisation of a path: '\' becomes '/', runs of '/' merge, "." and ".."
// segments are resolved, %XX of unreserved characters is decoded and other escapes get upper-case
// hex. The result always starts with '/'.
std::string NormalizePath(std::string_view raw_path);
// The same, into `out` (replacing its contents, keeping its capacity).
void NormalizePathInto(std::string_view raw_path, std::string& out);

}  // namespace gatehouse::rules
