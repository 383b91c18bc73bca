#pragma once

#include <string>

namespace gatehouse::gatectl {

// A unified-style diff of two texts, line by line: "--- a", "+++ b", then every line prefixed
// with ' ', '-' or '+' (whole file, no hunks: zone configs are short). Empty when equal.
// Longest common subsequence, O(lines_a × lines_b).
std::string LineDiff(const std::string& a, const std::string& b, const std::string& a_name,
                     const std::string& b_name);

}  // namespace gatehouse::gatectl
