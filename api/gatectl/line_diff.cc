#include "api/gatectl/line_diff.h"

#include <vector>

namespace gatehouse::gatectl {
namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace

std::string LineDiff(const std::string& a, const std::string& b, const std::string& a_name,
                     const std::string& b_name) {
  if (a == b) return "";
  const std::vector<std::string> x = Lines(a);
  const std::vector<std::string> y = Lines(b);
  // lcs[i][j]: length of the LCS of x[i..] and y[j..].
  std::vector<std::vector<int>> lcs(x.size() + 1, std::vector<int>(y.size() + 1, 0));
  for (size_t i = x.size(); i-- > 0;) {
    for (size_t j = y.size(); j-- > 0;) {
      lcs[i][j] = x[i] == y[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  std::string out = "--- " + a_name + "\n+++ " + b_name + "\n";
  size_t i = 0;
  size_t j = 0;
  while (i < x.size() || j < y.size()) {
    if (i < x.size() && j < y.size() && x[i] == y[j]) {
      out += " " + x[i++] + "\n";
      ++j;
    } else if (i < x.size() && (j == y.size() || lcs[i + 1][j] >= lcs[i][j + 1])) {
      out += "-" + x[i++] + "\n";
    } else {
      out += "+" + y[j++] + "\n";
    }
  }
  return out;
}

}  // namespace gatehouse::gatectl
