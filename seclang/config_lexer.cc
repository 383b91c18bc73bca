#include "seclang/config_lexer.h"

#include <string>

#include "seclang/text.h"

namespace gatehouse::seclang {
namespace {

// Reads physical lines from `text`, joining continuation lines into one logical line.
class LogicalLineReader {
 public:
  explicit LogicalLineReader(std::string_view text) : text_(text) {}

  // The next logical line; false at the end of the input.
  bool Next(LocatedText* line) {
    if (offset_ >= text_.size()) return false;
    line->text.clear();
    line->positions.clear();
    while (offset_ < text_.size()) {
      size_t end = text_.find('\n', offset_);
      const bool has_newline = end != std::string_view::npos;
      if (!has_newline) end = text_.size();
      std::string_view physical = text_.substr(offset_, end - offset_);
      if (!physical.empty() && physical.back() == '\r') physical.remove_suffix(1);
      const int line_number = ++line_number_;
      offset_ = has_newline ? end + 1 : end;
      const bool continues = !physical.empty() && physical.back() == '\\';
      if (continues) physical.remove_suffix(1);
      for (size_t i = 0; i < physical.size(); ++i) {
        line->text.push_back(physical[i]);
        line->positions.push_back({line_number, static_cast<int>(i) + 1});
      }
      line->end = {line_number, static_cast<int>(physical.size()) + 1};
      if (!continues) break;
    }
    return true;
  }

 private:
  std::string_view text_;
  size_t offset_ = 0;
  int line_number_ = 0;
};

// Appends text[i] with its position to `out`.
void Append(const LocatedText& text, size_t i, LocatedText* out) {
  out->text.push_back(text.text[i]);
  out->positions.push_back(text.positions[i]);
}

// Reads one word starting at `*i` (not whitespace) as Apache's ap_getword_conf does.
ConfigWord ReadWord(const LocatedText& line, size_t* i, DiagnosticSink& sink) {
  const std::string& s = line.text;
  ConfigWord word;
  word.start = line.At(*i);
  const size_t begin = *i;
  if (s[*i] == '"' || s[*i] == '\'') {
    const char quote = s[*i];
    word.quote = quote;
    size_t j = *i + 1;
    bool closed = false;
    while (j < s.size()) {
      if (s[j] == '\\' && j + 1 < s.size() && (s[j + 1] == quote || s[j + 1] == '\\')) {
        Append(line, j + 1, &word.text);
        j += 2;
        continue;
      }
      if (s[j] == quote) {
        closed = true;
        break;
      }
      Append(line, j, &word.text);
      ++j;
    }
    word.text.end = line.At(j);
    word.raw = s.substr(begin + 1, j - begin - 1);
    if (!closed) {
      sink.Error(line, begin, 1,
                 std::string("missing closing ") + (quote == '"' ? "double" : "single") +
                     " quote for the argument that starts here");
      *i = j;
    } else {
      *i = j + 1;
    }
  } else {
    size_t j = *i;
    while (j < s.size() && !IsSpace(s[j])) {
      if (s[j] == '\\' && j + 1 < s.size() && s[j + 1] == '\\') {
        Append(line, j + 1, &word.text);
        j += 2;
        continue;
      }
      Append(line, j, &word.text);
      ++j;
    }
    word.text.end = line.At(j);
    word.raw = s.substr(begin, j - begin);
    *i = j;
  }
  const Position last = line.At(*i - 1);
  word.source_length = last.line == word.start.line ? last.column - word.start.column + 1
                                                    : static_cast<int>(*i - begin);
  return word;
}

}  // namespace

std::vector<ConfigLine> SplitConfigLines(std::string_view text, DiagnosticSink& sink) {
  std::vector<ConfigLine> lines;
  LogicalLineReader reader(text);
  LocatedText line;
  while (reader.Next(&line)) {
    const std::string& s = line.text;
    for (size_t nul = s.find('\0'); nul != std::string::npos; nul = s.find('\0', nul + 1)) {
      sink.Error(line, nul, 1, "a NUL byte in a configuration file");
    }
    size_t i = 0;
    while (i < s.size() && IsSpace(s[i])) ++i;
    if (i == s.size() || s[i] == '#') continue;
    ConfigLine out;
    while (i < s.size()) {
      out.words.push_back(ReadWord(line, &i, sink));
      while (i < s.size() && IsSpace(s[i])) ++i;
    }
    lines.push_back(std::move(out));
  }
  return lines;
}

}  // namespace gatehouse::seclang
