#include "detect/sql_tokenizer.h"

#include "detect/sql_keywords.h"

namespace gatehouse::detect {
namespace {

bool IsSpace(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' || c == 0xA0;
}
bool IsDigit(unsigned char c) { return c >= '0' && c <= '9'; }
bool IsHex(unsigned char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool IsWordStart(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}
bool IsWordChar(unsigned char c) { return IsWordStart(c) || IsDigit(c) || c == '$'; }

// The prefixes that make a quoted literal a string of another kind: N'..' (national), X'..'
// (hex), B'..' (bits), E'..' (PostgreSQL escapes).
bool IsStringPrefix(unsigned char c) {
  switch (c | 0x20) {
    case 'n':
    case 'x':
    case 'b':
    case 'e':
      return true;
    default:
      return false;
  }
}

}  // namespace

SqlTokenizer::SqlTokenizer(std::string_view input, char context)
    : input_(input), context_(context) {}

void SqlTokenizer::SkipSpace() {
  while (pos_ < input_.size()) {
    unsigned char c = input_[pos_];
    if (IsSpace(c)) {
      ++pos_;
    } else if (c == '*' && open_executable_comments_ > 0 && pos_ + 1 < input_.size() &&
               input_[pos_ + 1] == '/') {
      // The end of a MySQL /*! ... */ comment whose contents were read as SQL.
      --open_executable_comments_;
      pos_ += 2;
    } else if (c == '/' && pos_ + 2 < input_.size() && input_[pos_ + 1] == '*' &&
               input_[pos_ + 2] == '!') {
      // MySQL runs what a /*! or /*!50000 comment holds: read it as SQL.
      ++open_executable_comments_;
      pos_ += 3;
      while (pos_ < input_.size() && IsDigit(input_[pos_])) ++pos_;
    } else if (c == '/' && pos_ + 1 < input_.size() && input_[pos_ + 1] == '*') {
      std::size_t close = input_.find("*/", pos_ + 2);
      if (close == std::string_view::npos) return;  // an unterminated comment is a token
      pos_ = close + 2;
    } else {
      return;
    }
  }
}

bool SqlTokenizer::NextIsOpenParen() const {
  std::size_t p = pos_;
  while (p < input_.size()) {
    unsigned char c = input_[p];
    if (IsSpace(c)) {
      ++p;
    } else if (c == '/' && input_.substr(p, 2) == "/*" && input_.substr(p, 3) != "/*!") {
      std::size_t close = input_.find("*/", p + 2);
      if (close == std::string_view::npos) return false;
      p = close + 2;
    } else {
      return c == '(';
    }
  }
  return false;
}

void SqlTokenizer::ReadString(char quote, SqlToken* token) {
  // pos_ is just past the opening quote. A doubled quote or a backslash escapes it (MySQL);
  // either way the string goes on.
  token->type = SqlType::kString;
  const std::size_t start = pos_;
  while (pos_ < input_.size()) {
    char c = input_[pos_];
    if (c == '\\') {
      pos_ += 2;
    } else if (c == quote) {
      if (pos_ + 1 < input_.size() && input_[pos_ + 1] == quote) {
        pos_ += 2;
      } else {
        ++pos_;
        return;
      }
    } else {
      ++pos_;
    }
  }
  token->reopens = true;
  for (std::size_t i = start; i < input_.size(); ++i) {
    if (!IsSpace(input_[i])) token->reopens = false;
  }
  pos_ = input_.size();
  token->unterminated = true;
}

void SqlTokenizer::ReadNumber(SqlToken* token) {
  token->type = SqlType::kNumber;
  if (input_[pos_] == '0' && pos_ + 1 < input_.size() &&
      (input_[pos_ + 1] == 'x' || input_[pos_ + 1] == 'X' || input_[pos_ + 1] == 'b' ||
       input_[pos_ + 1] == 'B')) {
    pos_ += 2;
    while (pos_ < input_.size() && IsHex(input_[pos_])) ++pos_;
    return;
  }
  while (pos_ < input_.size() && IsDigit(input_[pos_])) ++pos_;
  if (pos_ < input_.size() && input_[pos_] == '.') {
    ++pos_;
    while (pos_ < input_.size() && IsDigit(input_[pos_])) ++pos_;
  }
  if (pos_ + 1 < input_.size() && (input_[pos_] == 'e' || input_[pos_] == 'E') &&
      (IsDigit(input_[pos_ + 1]) || input_[pos_ + 1] == '-' || input_[pos_ + 1] == '+')) {
    pos_ += 2;
    while (pos_ < input_.size() && IsDigit(input_[pos_])) ++pos_;
  }
  // Letters right after digits ("1union", "5th") start the next token, as MySQL reads them.
}

void SqlTokenizer::ReadWord(SqlToken* token) {
  std::size_t start = pos_;
  bool dotted = false;
  while (pos_ < input_.size()) {
    unsigned char c = input_[pos_];
    if (IsWordChar(c)) {
      ++pos_;
    } else if (c == '.' && pos_ + 1 < input_.size() &&
               (IsWordStart(input_[pos_ + 1]) || input_[pos_ + 1] == '*' ||
                input_[pos_ + 1] == '.')) {
      // a.b, a.*, master..xp_cmdshell: one qualified name.
      dotted = true;
      ++pos_;
    } else {
      break;
    }
  }
  std::string_view word = input_.substr(start, pos_ - start);
  token->type = SqlType::kName;
  if (!dotted) LookupSqlWord(word, token);
  if (!NextIsOpenParen()) return;
  switch (token->type) {
    case SqlType::kName:
    case SqlType::kStatement:  // MySQL's insert(), replace()
    case SqlType::kNumber:     // current_user()
      token->type = SqlType::kFunction;
      break;
    case SqlType::kKeyword:
      if (token->keyword == SqlKeyword::kDatabase || token->keyword == SqlKeyword::kTime) {
        token->type = SqlType::kFunction;
      }
      break;
    default:
      break;
  }
  if (token->type == SqlType::kFunction && token->keyword != SqlKeyword::kIf) {
    token->keyword =
        IsSideChannelFunction(word) ? SqlKeyword::kSideChannel : SqlKeyword::kNone;
  }
}

bool SqlTokenizer::ReadOperator(SqlToken* token) {
  const char c = input_[pos_];
  const char n = pos_ + 1 < input_.size() ? input_[pos_ + 1] : '\0';
  const char n2 = pos_ + 2 < input_.size() ? input_[pos_ + 2] : '\0';
  std::size_t length = 1;
  switch (c) {
    case '<':  // <=> <> <= << <
      token->type = SqlType::kComparison;
      if (n == '=' && n2 == '>') {
        length = 3;
      } else if (n == '>' || n == '=') {
        length = 2;
      } else if (n == '<') {
        token->type = SqlType::kOperator;
        length = 2;
      }
      break;
    case '>':  // >= >> >
      token->type = n == '>' ? SqlType::kOperator : SqlType::kComparison;
      length = n == '=' || n == '>' ? 2 : 1;
      break;
    case '=':  // == =
      token->type = SqlType::kComparison;
      length = n == '=' ? 2 : 1;
      break;
    case '!':  // != !
      token->type = n == '=' ? SqlType::kComparison : SqlType::kNot;
      length = n == '=' ? 2 : 1;
      break;
    case '|':  // || |
    case '&':  // && &
      // && and || as logic: prose writes "and" and "or".
      token->type = n == c ? SqlType::kLogic : SqlType::kOperator;
      token->sql_only = n == c;
      length = n == c ? 2 : 1;
      break;
    case ':':  // :: :=
      if (n != ':' && n != '=') return false;
      token->type = SqlType::kOperator;
      length = 2;
      break;
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
    case '^':
    case '~':
      token->type = SqlType::kOperator;
      break;
    default:
      return false;
  }
  pos_ += length;
  return true;
}

bool SqlTokenizer::Next(SqlToken* token) {
  *token = SqlToken{};
  if (context_ != '\0') {
    char quote = context_;
    context_ = '\0';
    ReadString(quote, token);
    return true;
  }
  SkipSpace();
  if (pos_ >= input_.size()) return false;
  unsigned char c = input_[pos_];
  const std::size_t size = input_.size();
  auto next = [&](std::size_t ahead) -> unsigned char {
    return pos_ + ahead < size ? static_cast<unsigned char>(input_[pos_ + ahead]) : 0;
  };

  if (c == '/' && next(1) == '*') {  // an unterminated block comment (SkipSpace left it)
    token->type = SqlType::kComment;
    token->unterminated = true;
    pos_ = size;
    return true;
  }
  if ((c == '-' && next(1) == '-') || c == '#') {
    token->type = SqlType::kComment;
    token->weak = c == '#' && (IsWordChar(next(1)) || next(1) == '{');
    std::size_t eol = input_.find('\n', pos_);
    pos_ = eol == std::string_view::npos ? size : eol + 1;
    return true;
  }
  if (c == '\'' || c == '"') {
    ++pos_;
    ReadString(static_cast<char>(c), token);
    return true;
  }
  if (IsStringPrefix(c) && next(1) == '\'') {
    pos_ += 2;
    ReadString('\'', token);
    return true;
  }
  if (c == '$' && next(1) == '$') {  // PostgreSQL dollar quoting
    std::size_t close = input_.find("$$", pos_ + 2);
    token->type = SqlType::kString;
    token->unterminated = close == std::string_view::npos;
    pos_ = token->unterminated ? size : close + 2;
    return true;
  }
  if (c == '`') {
    std::size_t close = input_.find('`', pos_ + 1);
    token->type = SqlType::kName;
    pos_ = close == std::string_view::npos ? size : close + 1;
    return true;
  }
  if (c == '[') {  // SQL Server's [quoted identifier]
    std::size_t close = input_.find_first_of("] \t\r\n", pos_ + 1);
    if (close != std::string_view::npos && input_[close] == ']') {
      token->type = SqlType::kName;
      pos_ = close + 1;
      return true;
    }
  }
  if (IsDigit(c) || (c == '.' && IsDigit(next(1)))) {
    ReadNumber(token);
    return true;
  }
  if (c == '@') {
    bool after_word = pos_ > 0 && IsWordChar(input_[pos_ - 1]);
    std::size_t p = pos_ + 1;
    if (p < size && input_[p] == '@') ++p;
    if (!after_word) {  // @name, @@version, and MySQL's bare @ (INTO @,@)
      while (p < size && (IsWordChar(input_[p]) || input_[p] == '.')) ++p;
      token->type = SqlType::kVariable;
      pos_ = p;
      return true;
    }
  }
  if (IsWordStart(c)) {
    ReadWord(token);
    return true;
  }
  switch (c) {
    case '(':
      token->type = SqlType::kOpenParen;
      ++pos_;
      return true;
    case ')':
      token->type = SqlType::kCloseParen;
      ++pos_;
      return true;
    case ',':
      token->type = SqlType::kComma;
      ++pos_;
      return true;
    case ';':
      token->type = SqlType::kSemicolon;
      ++pos_;
      return true;
    default:
      break;
  }
  if (ReadOperator(token)) return true;
  token->type = SqlType::kOther;
  ++pos_;
  return true;
}

}  // namespace gatehouse::detect
