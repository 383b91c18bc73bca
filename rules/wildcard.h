#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace gatehouse::rules {

// A wildcard pattern: `*` matches any run of bytes (including none); `\*` and `\\` are a literal
// star and backslash. It must match the whole text. Matching is linear: literal pieces are found
// leftmost-first, which is exact for `*`-only globs, so no input can make it backtrack.
class WildcardPattern {
 public:
  explicit WildcardPattern(std::string_view pattern);

  // `case_sensitive` false folds ASCII letters (`wildcard`); true is `strict wildcard`.
  bool Matches(std::string_view text, bool case_sensitive) const;

  // Like Matches, and on success sets `captures[i]` to the bytes the i-th `*` matched.
  bool Match(std::string_view text, bool case_sensitive,
             std::vector<std::string_view>* captures) const;

  int star_count() const { return static_cast<int>(pieces_.size()) - 1; }

 private:
  std::vector<std::string> pieces_;        // literal text around the stars
  std::vector<std::string> lower_pieces_;  // the same, ASCII lower-cased
};

}  // namespace gatehouse::rules
