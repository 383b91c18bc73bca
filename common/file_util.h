#pragma once

#include <string>

namespace gatehouse {

// Reads a whole file; false when it cannot be read.
bool ReadFile(const std::string& path, std::string* out);

// A secret file (a token) holds one line: trailing whitespace, an editor's newline, is not part
// of it.
std::string TrimTrailingSpace(std::string text);

}  // namespace gatehouse
