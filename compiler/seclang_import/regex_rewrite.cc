#include "compiler/seclang_import/regex_rewrite.h"

#include <map>
#include <memory>
#include <set>
#include <utility>

#include "rules/strings.h"

namespace gatehouse::seclang_import {
namespace {

constexpr size_t kNone = std::string_view::npos;

// The index of the ']' that closes the class opening at `open`; kNone when it is not closed.
// A ']' first in the class (or after '^') is a literal, and so is one inside [:name:].
size_t ClassEnd(std::string_view pattern, size_t open) {
  size_t i = open + 1;
  if (i < pattern.size() && pattern[i] == '^') ++i;
  if (i < pattern.size() && pattern[i] == ']') ++i;
  for (; i < pattern.size(); ++i) {
    if (pattern[i] == '\\') {
      ++i;
    } else if (pattern[i] == '[' && i + 1 < pattern.size() && pattern[i + 1] == ':') {
      const size_t close = pattern.find(":]", i + 2);
      if (close != kNone) i = close + 1;
    } else if (pattern[i] == ']') {
      return i;
    }
  }
  return kNone;
}

// Calls `visit(index)` for every byte of `pattern` that is syntax (not escaped, not inside a
// class), with the group depth before it; stops when `visit` returns false. False when the
// pattern ends inside an escape or a class.
template <typename Visit>
bool ForEachSyntaxByte(std::string_view pattern, Visit visit) {
  int depth = 0;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\') {
      if (++i >= pattern.size()) return false;
      continue;
    }
    if (c == '[') {
      const size_t close = ClassEnd(pattern, i);
      if (close == kNone) return false;
      i = close;
      continue;
    }
    if (!visit(i, depth)) return true;
    if (c == '(') ++depth;
    if (c == ')') --depth;
  }
  return true;
}

// The index of the ')' closing the group that opens at `open`; kNone when there is none.
size_t GroupEnd(std::string_view pattern, size_t open) {
  size_t found = kNone;
  int open_depth = -1;
  ForEachSyntaxByte(pattern, [&](size_t i, int depth) {
    if (i == open) open_depth = depth;
    if (open_depth >= 0 && i > open && pattern[i] == ')' && depth == open_depth + 1) {
      found = i;
      return false;
    }
    return true;
  });
  return found;
}

// Whether `position` begins a top-level alternative: the pattern's start or just after a '|'
// outside every group.
bool BeginsTopLevelAlternative(std::string_view pattern, size_t position) {
  if (position == 0) return true;
  bool after_bar = false;
  ForEachSyntaxByte(pattern, [&](size_t i, int depth) {
    if (i + 1 == position) {
      after_bar = pattern[i] == '|' && depth == 0;
      return false;
    }
    return true;
  });
  return after_bar;
}

bool IsAlnum(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A byte as RE2 reads it literally, in or out of a class.
std::string Literal(unsigned char c) {
  if (IsAlnum(c)) return std::string(1, static_cast<char>(c));
  static constexpr char kHex[] = "0123456789abcdef";
  return {'\\', 'x', kHex[c >> 4], kHex[c & 15]};
}

// The strings a lookbehind's body stands for, when it is finite and written with literals,
// escapes of literals, classes of literals and ranges, and (?:…) groups.
class FiniteStrings {
 public:
  static constexpr size_t kMaxStrings = 4096;

  static std::optional<std::vector<std::string>> Expand(std::string_view body) {
    FiniteStrings parser(body);
    std::optional<std::set<std::string>> all = parser.Alternation();
    if (!all || parser.position_ != body.size()) return std::nullopt;
    return std::vector<std::string>(all->begin(), all->end());
  }

 private:
  explicit FiniteStrings(std::string_view text) : text_(text) {}

  std::optional<std::set<std::string>> Alternation() {
    std::set<std::string> out;
    while (true) {
      std::optional<std::set<std::string>> sequence = Sequence();
      if (!sequence) return std::nullopt;
      out.insert(sequence->begin(), sequence->end());
      if (out.size() > kMaxStrings) return std::nullopt;
      if (position_ >= text_.size() || text_[position_] != '|') return out;
      ++position_;
    }
  }

  std::optional<std::set<std::string>> Sequence() {
    std::set<std::string> out = {""};
    while (position_ < text_.size() && text_[position_] != '|' && text_[position_] != ')') {
      std::optional<std::set<std::string>> item = Item();
      if (!item) return std::nullopt;
      std::set<std::string> joined;
      for (const std::string& head : out) {
        for (const std::string& tail : *item) joined.insert(head + tail);
      }
      if (joined.size() > kMaxStrings) return std::nullopt;
      out = std::move(joined);
    }
    return out;
  }

  std::optional<std::set<std::string>> Item() {
    const char c = text_[position_];
    if (c == '(') {
      if (text_.substr(position_, 3) != "(?:") return std::nullopt;
      position_ += 3;
      std::optional<std::set<std::string>> inner = Alternation();
      if (!inner || position_ >= text_.size() || text_[position_] != ')') return std::nullopt;
      ++position_;
      return inner;
    }
    if (c == '[') return Class();
    std::optional<unsigned char> byte = Byte();
    if (!byte) return std::nullopt;
    return std::set<std::string>{std::string(1, static_cast<char>(*byte))};
  }

  // One literal byte: a plain byte or an escaped one; nullopt for syntax (quantifiers, anchors,
  // \w and the like), which would make the set infinite or need more than strings.
  std::optional<unsigned char> Byte() {
    if (position_ >= text_.size()) return std::nullopt;
    const unsigned char c = text_[position_++];
    if (c != '\\') {
      if (std::string_view(".^$*+?{}()[]|").find(static_cast<char>(c)) != kNone) {
        return std::nullopt;
      }
      return c;
    }
    if (position_ >= text_.size()) return std::nullopt;
    const unsigned char escaped = text_[position_++];
    if (escaped == 'x' && position_ + 1 < text_.size() && HexValue(text_[position_]) >= 0 &&
        HexValue(text_[position_ + 1]) >= 0) {
      const int value = HexValue(text_[position_]) * 16 + HexValue(text_[position_ + 1]);
      position_ += 2;
      return static_cast<unsigned char>(value);
    }
    if (escaped == 't') return '\t';
    if (escaped == 'n') return '\n';
    if (escaped == 'r') return '\r';
    if (IsAlnum(escaped)) return std::nullopt;
    return escaped;
  }

  std::optional<std::set<std::string>> Class() {
    ++position_;  // '['
    if (position_ < text_.size() && text_[position_] == '^') return std::nullopt;
    std::set<std::string> out;
    bool first = true;
    while (position_ < text_.size() && (text_[position_] != ']' || first)) {
      first = false;
      std::optional<unsigned char> low;
      if (text_[position_] == ']') {
        low = ']';
        ++position_;
      } else if (text_[position_] == '[') {
        return std::nullopt;  // [:name:]
      } else {
        low = ClassByte();
      }
      if (!low) return std::nullopt;
      unsigned char high = *low;
      if (position_ + 1 < text_.size() && text_[position_] == '-' && text_[position_ + 1] != ']') {
        ++position_;
        std::optional<unsigned char> end = ClassByte();
        if (!end || *end < *low) return std::nullopt;
        high = *end;
      }
      for (int b = *low; b <= high; ++b) out.insert(std::string(1, static_cast<char>(b)));
    }
    if (position_ >= text_.size()) return std::nullopt;
    ++position_;  // ']'
    return out;
  }

  // A byte inside a class, where the metacharacters outside one are literals.
  std::optional<unsigned char> ClassByte() {
    if (text_[position_] != '\\') return static_cast<unsigned char>(text_[position_++]);
    return Byte();
  }

  std::string_view text_;
  size_t position_ = 0;
};

// The strings read backwards, as a trie: node 0 is the root.
class ReversedTrie {
 public:
  explicit ReversedTrie(const std::vector<std::string>& strings) : nodes_(1) {
    for (const std::string& s : strings) {
      size_t node = 0;
      for (auto it = s.rbegin(); it != s.rend(); ++it) {
        const unsigned char c = *it;
        auto [entry, added] = nodes_[node].children.try_emplace(c, nodes_.size());
        if (added) nodes_.emplace_back();
        node = entry->second;
      }
      nodes_[node].ends_string = true;
    }
  }

  // A pattern for the text before a position that, followed by this node's bytes, ends with none
  // of the strings: the text starts here, or its byte before leaves the trie, or it goes on
  // into a child that ends no string and the same holds there.
  std::string NotEndingWithAny(size_t node = 0) const {
    const Node& here = nodes_[node];
    // A node that ends no string has children (it is a proper suffix of a longer string).
    std::string out = "(?:\\A";
    if (here.children.size() < 256) {
      out += "|[^";
      for (const auto& [c, child] : here.children) out += Literal(c);
      out += "]";
    }
    for (const auto& [c, child] : here.children) {
      if (nodes_[child].ends_string) continue;
      out += "|" + NotEndingWithAny(child) + Literal(c);
    }
    return out + ")";
  }

 private:
  struct Node {
    std::map<unsigned char, size_t> children;
    bool ends_string = false;
  };
  std::vector<Node> nodes_;
};

bool IsWordGroup(std::string_view inside) { return inside == "[\\d\\w]+" || inside == "\\w+"; }

// The capturing groups' opening parentheses, in number order (group 1 first).
std::vector<size_t> CapturingGroups(std::string_view pattern) {
  std::vector<size_t> out;
  ForEachSyntaxByte(pattern, [&](size_t i, int) {
    if (pattern[i] != '(') return true;
    const std::string_view rest = pattern.substr(i + 1);
    const bool named = rest.starts_with("?P<") ||
                       (rest.starts_with("?<") && !rest.starts_with("?<=") &&
                        !rest.starts_with("?<!"));
    if (!rest.starts_with("?") || named) out.push_back(i);
    return true;
  });
  return out;
}

}  // namespace

RegexForRe2 RewriteForRe2(std::string_view pattern, bool captures) {
  RegexForRe2 out;
  bool changed = false;
  out.pattern = PossessiveToGreedy(pattern, &changed);
  if (changed) {
    out.notes.push_back(
        "possessive quantifiers read as greedy ones (regex_rewrite.h says why that is "
        "equivalent for this rule)");
  }
  if (std::optional<std::string> rewritten =
          NegativeLookbehindToAlternation(out.pattern, captures)) {
    out.pattern = *std::move(rewritten);
    out.notes.push_back(
        "its negative lookbehind runs as an alternation over the bytes before the match "
        "(regex_rewrite.h)");
  }
  if (std::optional<std::string> rewritten = WordBackrefsToNamedGroups(out.pattern)) {
    out.pattern = *std::move(rewritten);
    out.kind = waf::OperatorKind::kRxWordBackref;
    out.notes.push_back(
        "its back-references run as named groups that the operator compares with the word they "
        "refer to (regex_rewrite.h, @rxWordBackref)");
  }
  return out;
}

std::string PossessiveToGreedy(std::string_view pattern, bool* changed) {
  std::string out;
  out.reserve(pattern.size());
  *changed = false;
  bool in_class = false;
  // Whether the last thing written ends a quantifier (so a '+' now makes it possessive).
  bool after_quantifier = false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      out.push_back(c);
      out.push_back(pattern[++i]);
      after_quantifier = false;
      continue;
    }
    if (in_class) {
      out.push_back(c);
      if (c == ']') in_class = false;
      continue;
    }
    if (c == '[') {
      in_class = true;
      out.push_back(c);
      // A ']' first in a class (or after '^') is a literal.
      if (i + 1 < pattern.size() && pattern[i + 1] == '^') out.push_back(pattern[++i]);
      if (i + 1 < pattern.size() && pattern[i + 1] == ']') out.push_back(pattern[++i]);
      after_quantifier = false;
      continue;
    }
    if (c == '+' && after_quantifier) {
      *changed = true;  // possessive: drop the '+'
      after_quantifier = false;
      continue;
    }
    out.push_back(c);
    if (c == '*' || c == '+' || c == '?' || c == '}') {
      // "X+?" is lazy, not a quantifier followed by a possessive mark; "(?" is a group.
      const bool lazy_or_group = c == '?' && (out.size() >= 2 && (out[out.size() - 2] == '(' ||
                                                                 out[out.size() - 2] == '*' ||
                                                                 out[out.size() - 2] == '+' ||
                                                                 out[out.size() - 2] == '?'));
      after_quantifier = !lazy_or_group;
    } else {
      after_quantifier = false;
    }
  }
  return out;
}

std::optional<std::string> NegativeLookbehindToAlternation(std::string_view pattern,
                                                           bool captures) {
  if (captures) return std::nullopt;
  std::string out(pattern);
  bool rewrote = false;
  while (true) {
    size_t open = kNone;
    ForEachSyntaxByte(out, [&](size_t i, int) {
      if (out.compare(i, 4, "(?<!") == 0) {
        open = i;
        return false;
      }
      return true;
    });
    if (open == kNone) break;
    if (!BeginsTopLevelAlternative(out, open)) return std::nullopt;
    const size_t close = GroupEnd(out, open);
    if (close == kNone) return std::nullopt;
    std::optional<std::vector<std::string>> strings =
        FiniteStrings::Expand(std::string_view(out).substr(open + 4, close - open - 4));
    // An empty string would make the lookbehind fail everywhere; CRS has none.
    if (!strings || strings->empty() || strings->front().empty()) return std::nullopt;
    out.replace(open, close + 1 - open, ReversedTrie(*strings).NotEndingWithAny());
    rewrote = true;
  }
  if (!rewrote) return std::nullopt;
  return out;
}

std::optional<std::string> WordBackrefsToNamedGroups(std::string_view pattern) {
  // Inline case flags other than a leading (?i would change the comparison part-way.
  const bool caseless = pattern.starts_with("(?i:") || pattern.starts_with("(?i)");
  if (pattern.find("(?i", caseless ? 3 : 0) != kNone || pattern.find("(?-i") != kNone) {
    return std::nullopt;
  }
  const std::vector<size_t> groups = CapturingGroups(pattern);
  std::string out;
  size_t copied = 0;
  int references = 0;
  // Back-references are escapes, which ForEachSyntaxByte passes over: find them by hand.
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '[') {
      const size_t close = ClassEnd(pattern, i);
      if (close == kNone) return std::nullopt;
      i = close;
      continue;
    }
    if (pattern[i] != '\\' || i + 1 >= pattern.size()) continue;
    const char digit = pattern[i + 1];
    if (digit < '1' || digit > '9') {
      ++i;
      continue;
    }
    const size_t number = static_cast<size_t>(digit - '0');
    // The referenced group: a whole word, \b([\d\w]+)\b.
    if (number > groups.size()) return std::nullopt;
    const size_t group_open = groups[number - 1];
    const size_t group_close = GroupEnd(pattern, group_open);
    if (group_close == kNone || group_open < 2 ||
        pattern.substr(group_open - 2, 2) != "\\b" ||
        pattern.substr(group_close + 1, 2) != "\\b" ||
        !IsWordGroup(pattern.substr(group_open + 1, group_close - group_open - 1))) {
      return std::nullopt;
    }
    const std::string suffix = rules::Cat("_", number, "_", references++);
    if (i >= 5 && pattern.substr(i - 5, 5) == "(?!\\b" && pattern.substr(i + 2, 3) == "\\b)") {
      // (?!\bN\b)WORD: any other word.
      const size_t word = i + 5;
      std::string_view item;
      for (std::string_view candidate : {std::string_view("[\\d\\w]+"), std::string_view("\\w+")}) {
        if (pattern.substr(word, candidate.size()) == candidate) item = candidate;
      }
      if (item.empty()) return std::nullopt;
      out.append(pattern.substr(copied, i - 5 - copied));
      rules::Append(&out, "(?P<differ", suffix, ">", item, ")");
      copied = word + item.size();
    } else if (i >= 2 && pattern.substr(i - 2, 2) == "\\b" && pattern.substr(i + 2, 2) == "\\b") {
      // \bN\b: the same word.
      out.append(pattern.substr(copied, i - 2 - copied));
      rules::Append(&out, "\\b(?P<same", suffix, ">\\w+)\\b");
      copied = i + 4;
    } else {
      return std::nullopt;
    }
    i = copied - 1;
  }
  if (references == 0) return std::nullopt;
  out.append(pattern.substr(copied));
  return out;
}

}  // namespace gatehouse::seclang_import
