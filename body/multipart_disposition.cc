#include "body/multipart_disposition.h"

#include <string>

namespace gatehouse::body {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

// RFC 2616's token characters.
bool IsTokenChar(char c) {
  const auto byte = static_cast<unsigned char>(c);
  if (byte <= 32 || byte >= 127) return false;
  return std::string_view("()<>@,;:\\\"/[]?=").find(c) == std::string_view::npos;
}

// A reader over `text` that, like the C code it mirrors, sees '\0' past the end.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}
  char Peek(std::size_t ahead = 0) const {
    return at_ + ahead < text_.size() ? text_[at_ + ahead] : '\0';
  }
  bool AtEnd() const { return at_ >= text_.size(); }
  void Advance(std::size_t count = 1) { at_ += count; }
  void Back() { --at_; }
  void SkipBlanks() {
    while (IsBlank(Peek())) Advance();
  }
  std::size_t position() const { return at_; }

 private:
  std::string_view text_;
  std::size_t at_ = 0;
};

}  // namespace

absl::Status ParseContentDisposition(std::string_view value, TextArena& arena,
                                     ContentDisposition& result) {
  std::string_view filename_star;
  auto refuse = [&value](int code) {
    return absl::InvalidArgumentError("Multipart: Invalid Content-Disposition header (" +
                                      std::to_string(code) + "): " + std::string(value));
  };
  // libmodsecurity's "this is OK" exits, which 3.0.9 extends with the filename* check.
  auto accept = [&]() {
    if (result.filename.empty() && !filename_star.empty()) return refuse(-21);
    return absl::OkStatus();
  };

  if (value.substr(0, 9) != "form-data") return refuse(-1);
  Cursor cursor(value);
  cursor.Advance(9);
  cursor.SkipBlanks();
  if (cursor.AtEnd()) return accept();
  if (cursor.Peek() != ';') return refuse(-2);
  cursor.Advance();

  while (!cursor.AtEnd()) {
    cursor.SkipBlanks();
    if (cursor.AtEnd()) return refuse(-3);
    const std::size_t name_start = cursor.position();
    while (!cursor.AtEnd() && cursor.Peek() != '=' && !IsBlank(cursor.Peek())) cursor.Advance();
    if (cursor.AtEnd()) return refuse(-4);
    const std::string_view parameter = value.substr(name_start, cursor.position() - name_start);
    cursor.SkipBlanks();
    if (cursor.AtEnd()) return refuse(-5);
    if (cursor.Peek() != '=') return refuse(-13);
    cursor.Advance();
    cursor.SkipBlanks();
    if (cursor.AtEnd()) return refuse(-6);

    if (parameter == "filename*") {
      // RFC 5987's ext-value, charset'language'value: only checked and skipped, as 3.0.9 does.
      const std::size_t start = cursor.position();
      // The charset and the language are tokens.
      std::size_t quote_at = start;
      for (int quotes = 0; quotes < 2; ++quotes) {
        while (quote_at < value.size() && value[quote_at] != '\'' &&
               IsTokenChar(value[quote_at])) {
          ++quote_at;
        }
        if (quote_at >= value.size() || value[quote_at] != '\'') return refuse(-16 - quotes);
        ++quote_at;
      }
      cursor.Advance(quote_at - start);
      const std::size_t text_start = cursor.position();
      while (!cursor.AtEnd() && IsTokenChar(cursor.Peek())) cursor.Advance();
      if (!filename_star.empty()) return refuse(-20);
      filename_star = value.substr(start, cursor.position() - start);
      if (cursor.position() == text_start) return refuse(-18);
      cursor.SkipBlanks();
      if (cursor.AtEnd()) return accept();
      if (cursor.Peek() != ';') return refuse(-19);
      cursor.Advance();
      continue;
    }

    std::string_view text;
    const char quote = cursor.Peek();
    if (quote == '"' || quote == '\'') {
      if (quote == '\'') result.invalid_quoting = true;
      cursor.Advance();
      if (cursor.AtEnd()) return refuse(-7);
      // Unescaped, the value is a slice of the header; only an escape makes a copy.
      const std::size_t start = cursor.position();
      std::string unescaped;
      bool escaped = false;
      while (!cursor.AtEnd()) {
        char c = cursor.Peek();
        if (c == '\\') {
          if (cursor.Peek(1) == '\0') return refuse(-8);
          if (cursor.Peek(1) == quote || cursor.Peek(1) == '\\') {
            if (!escaped) unescaped.assign(value.substr(start, cursor.position() - start));
            escaped = true;
            cursor.Advance();
            c = cursor.Peek();
          }
        } else if (c == quote) {
          break;
        }
        if (escaped) unescaped.push_back(c);
        cursor.Advance();
      }
      text = escaped ? arena.Copy(unescaped) : value.substr(start, cursor.position() - start);
      // libmodsecurity steps past the closing quote even when there is none and reads what
      // follows the header in memory: whether it then refuses the header depends on those
      // bytes. Gatehouse takes the value as ending with the header, the outcome seen most.
      if (!cursor.AtEnd()) cursor.Advance();
    } else {
      const std::size_t start = cursor.position();
      while (!cursor.AtEnd() && IsTokenChar(cursor.Peek())) cursor.Advance();
      text = value.substr(start, cursor.position() - start);
    }

    if (parameter == "name") {
      if (text.find('\'') != std::string_view::npos) result.invalid_quoting = true;
      result.names_seen.push_back(text);
      if (!result.name.empty()) return refuse(-14);
      result.name = text;
    } else if (parameter == "filename") {
      if (text.find('\'') != std::string_view::npos) result.invalid_quoting = true;
      result.filenames_seen.push_back(text);
      if (!result.filename.empty()) return refuse(-15);
      result.filename = text;
    } else {
      return refuse(-11);
    }

    if (!cursor.AtEnd()) {
      cursor.SkipBlanks();
      if (cursor.AtEnd()) return accept();
      if (cursor.Peek() != ';') {
        cursor.Back();
        if (cursor.Peek() == '\'' || cursor.Peek() == '"') result.invalid_quoting = true;
        return refuse(-12);
      }
      cursor.Advance();
    }
  }
  return accept();
}

}  // namespace gatehouse::body
