#include "rules/json_lookup.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "rules/strings.h"

namespace gatehouse::rules {
namespace {

// Nesting deeper than this is treated as invalid, so hostile bodies cannot exhaust the stack.
constexpr int kMaxDepth = 64;

// A forward-only reader that walks to the value at a path, skipping everything else without
// building a document.
class JsonReader {
 public:
  explicit JsonReader(std::string_view text) : s_(text) {}

  // Positions the reader on the value at `path`; false if there is none.
  bool Seek(const std::vector<JsonPathStep>& path) {
    for (const JsonPathStep& step : path) {
      SkipSpace();
      if (const std::string* key = std::get_if<std::string>(&step)) {
        if (!SeekKey(*key)) return false;
      } else if (!SeekIndex(std::get<int64_t>(step))) {
        return false;
      }
    }
    SkipSpace();
    return pos_ < s_.size();
  }

  std::optional<std::string> ReadString() {
    std::string out;
    if (!ParseString(&out)) return std::nullopt;
    return out;
  }

  std::optional<int64_t> ReadInteger() {
    size_t start = pos_;
    if (Peek() == '-') ++pos_;
    while (absl::ascii_isdigit(Peek())) ++pos_;
    if (pos_ == start || Peek() == '.' || Peek() == 'e' || Peek() == 'E') return std::nullopt;
    int64_t value = 0;
    if (!absl::SimpleAtoi(ToAbsl(s_.substr(start, pos_ - start)), &value)) return std::nullopt;
    return value;
  }

 private:
  char Peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
  void SkipSpace() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) {
      ++pos_;
    }
  }
  bool Consume(char c) {
    SkipSpace();
    if (Peek() != c) return false;
    ++pos_;
    return true;
  }

  bool SeekKey(const std::string& key) {
    if (!Consume('{')) return false;
    if (Consume('}')) return false;
    while (true) {
      SkipSpace();
      std::string name;
      if (!ParseString(&name) || !Consume(':')) return false;
      SkipSpace();
      if (name == key) return true;
      if (!SkipValue(0)) return false;
      if (!Consume(',')) return false;
    }
  }

  bool SeekIndex(int64_t index) {
    if (index < 0 || !Consume('[')) return false;
    if (Consume(']')) return false;
    for (int64_t i = 0;; ++i) {
      SkipSpace();
      if (i == index) return true;
      if (!SkipValue(0) || !Consume(',')) return false;
    }
  }

  bool SkipValue(int depth) {
    if (depth > kMaxDepth) return false;
    SkipSpace();
    char c = Peek();
    if (c == '"') return ParseString(nullptr);
    if (c == '{' || c == '[') {
      char close = c == '{' ? '}' : ']';
      ++pos_;
      if (Consume(close)) return true;
      while (true) {
        if (c == '{') {
          SkipSpace();
          if (!ParseString(nullptr) || !Consume(':')) return false;
        }
        if (!SkipValue(depth + 1)) return false;
        if (Consume(close)) return true;
        if (!Consume(',')) return false;
      }
    }
    size_t start = pos_;
    while (pos_ < s_.size() && (absl::ascii_isalnum(s_[pos_]) || s_[pos_] == '-' ||
                                s_[pos_] == '+' || s_[pos_] == '.')) {
      ++pos_;
    }
    return pos_ > start;
  }

  // Reads a string literal; `out` may be null to skip it.
  bool ParseString(std::string* out) {
    if (Peek() != '"') return false;
    ++pos_;
    while (pos_ < s_.size()) {
      char c = s_[pos_++];
      if (c == '"') return true;
      if (c != '\\') {
        if (out != nullptr) out->push_back(c);
        continue;
      }
      if (pos_ >= s_.size()) return false;
      char e = s_[pos_++];
      char decoded;
      switch (e) {
        case '"': decoded = '"'; break;
        case '\\': decoded = '\\'; break;
        case '/': decoded = '/'; break;
        case 'b': decoded = '\b'; break;
        case 'f': decoded = '\f'; break;
        case 'n': decoded = '\n'; break;
        case 'r': decoded = '\r'; break;
        case 't': decoded = '\t'; break;
        case 'u': {
          if (pos_ + 4 > s_.size()) return false;
          uint32_t cp = 0;
          for (int i = 0; i < 4; ++i) {
            char h = s_[pos_++];
            int v = absl::ascii_isdigit(h) ? h - '0'
                    : (h >= 'a' && h <= 'f') ? h - 'a' + 10
                    : (h >= 'A' && h <= 'F') ? h - 'A' + 10
                                             : -1;
            if (v < 0) return false;
            cp = cp * 16 + static_cast<uint32_t>(v);
          }
          if (out != nullptr) AppendUtf8(cp, *out);
          continue;
        }
        default:
          return false;
      }
      if (out != nullptr) out->push_back(decoded);
    }
    return false;
  }

  std::string_view s_;
  size_t pos_ = 0;
};

}  // namespace

std::optional<std::string> LookupJsonString(std::string_view json,
                                            const std::vector<JsonPathStep>& path) {
  JsonReader reader(json);
  if (!reader.Seek(path)) return std::nullopt;
  return reader.ReadString();
}

std::optional<int64_t> LookupJsonInteger(std::string_view json,
                                         const std::vector<JsonPathStep>& path) {
  JsonReader reader(json);
  if (!reader.Seek(path)) return std::nullopt;
  return reader.ReadInteger();
}

}  // namespace gatehouse::rules
