#include "rules/wildcard.h"

#include "absl/strings/ascii.h"
#include "rules/strings.h"

namespace gatehouse::rules {

WildcardPattern::WildcardPattern(std::string_view pattern) {
  pieces_.emplace_back();
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size() && (pattern[i + 1] == '*' || pattern[i + 1] == '\\')) {
      pieces_.back().push_back(pattern[++i]);
    } else if (c == '*') {
      pieces_.emplace_back();
    } else {
      pieces_.back().push_back(c);
    }
  }
  for (const std::string& piece : pieces_) lower_pieces_.push_back(ToLower(piece));
}

bool WildcardPattern::Matches(std::string_view text, bool case_sensitive) const {
  return Match(text, case_sensitive, nullptr);
}

bool WildcardPattern::Match(std::string_view text, bool case_sensitive,
                            std::vector<std::string_view>* captures) const {
  std::string lowered;
  std::string_view subject = text;
  if (!case_sensitive) {
    lowered = ToLower(text);
    subject = lowered;
  }
  const std::vector<std::string>& pieces = case_sensitive ? pieces_ : lower_pieces_;
  if (pieces.size() == 1) {
    if (subject != pieces[0]) return false;
    if (captures != nullptr) captures->clear();
    return true;
  }
  const std::string& first = pieces.front();
  const std::string& last = pieces.back();
  if (subject.size() < first.size() + last.size() || !subject.starts_with(first) ||
      !subject.ends_with(last)) {
    return false;
  }
  // Middle pieces leftmost-first inside the part between the fixed prefix and suffix.
  size_t pos = first.size();
  size_t end = subject.size() - last.size();
  std::vector<size_t> starts;  // where each star's capture starts and ends, alternating
  starts.push_back(pos);
  for (size_t i = 1; i + 1 < pieces.size(); ++i) {
    size_t found = subject.substr(0, end).find(pieces[i], pos);
    if (found == std::string_view::npos) return false;
    starts.push_back(found);
    pos = found + pieces[i].size();
    starts.push_back(pos);
  }
  starts.push_back(end);
  if (captures != nullptr) {
    captures->clear();
    for (size_t i = 0; i + 1 < starts.size(); i += 2) {
      captures->push_back(text.substr(starts[i], starts[i + 1] - starts[i]));
    }
  }
  return true;
}

}  // namespace gatehouse::rules
