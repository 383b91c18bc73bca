#include "body/json.h"

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace gatehouse::body {
namespace {

// yajl's whitespace.
bool IsJsonSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// yajl's Utf32toUtf8: up to 4 bytes, '?' beyond.
void AppendUtf8(uint32_t code_point, std::string& out) {
  if (code_point < 0x80) {
    out.push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else if (code_point < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else if (code_point < 0x200000) {
    out.push_back(static_cast<char>(0xF0 | (code_point >> 18)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out.push_back('?');
  }
}

enum class Token {
  kEnd,  // no more input (yajl: "eof", more bytes needed)
  kError,
  kLeftBrace,
  kRightBrace,
  kLeftBracket,
  kRightBracket,
  kComma,
  kColon,
  kString,
  kNumber,
  kTrue,
  kFalse,
  kNull,
};

// yajl's parser states that matter here.
enum class State {
  kStart,
  kComplete,
  kMapStart,     // after '{'
  kMapNeedKey,   // after ','
  kMapSeparator, // after a key
  kMapNeedValue, // after ':'
  kMapGotValue,
  kArrayStart,   // after '['
  kArrayNeedValue,
  kArrayGotValue,
};

struct Container {
  bool is_array = false;
  std::size_t path_length = 0;  // this container's name is path_[0, path_length)
  uint64_t index = 0;           // the next element's index
  std::string_view key;         // the current member's key
};

class JsonReader {
 public:
  JsonReader(std::string_view input, BodyExtent extent, const JsonOptions& options,
             TextArena& arena, JsonLeafSink on_leaf)
      : input_(input),
        // yajl_complete_parse finishes by feeding one space: a number or literal at the very
        // end ends there, a string does not. A cut body gets no such end.
        size_(input.size() + (extent == BodyExtent::kWhole ? 1 : 0)),
        extent_(extent),
        options_(options),
        arena_(arena),
        on_leaf_(on_leaf) {}

  absl::Status Run();

 private:
  Token Lex();
  Token LexString();
  Token LexNumber();
  Token LexLiteral(std::string_view rest, Token token);
  Token LexicalError(const char* message) {
    error_ = std::string("lexical error: ") + message + "\n";
    return Token::kError;
  }
  absl::Status ParseError(const char* message) {
    return absl::InvalidArgumentError(std::string("parse error: ") + message + "\n");
  }

  // A leaf value in the current position; false when the sink stops the parse.
  bool Leaf(std::string_view value);
  std::string_view CurrentName();
  bool OpenContainer(bool is_array);
  void CloseContainer();
  State AfterValue() const;

  // The input and, for a whole body, the space yajl appends.
  char Char(std::size_t at) const { return at < input_.size() ? input_[at] : ' '; }
  // Text the caller's input holds outlives the parse; text unescaped here must be copied.
  std::string_view Keep(std::string_view text) {
    return text.data() == unescaped_.data() ? arena_.Copy(text) : text;
  }

  std::string_view input_;
  std::size_t size_;
  std::size_t pos_ = 0;
  BodyExtent extent_;
  const JsonOptions& options_;
  TextArena& arena_;
  JsonLeafSink on_leaf_;

  std::string error_;
  std::string_view token_text_;  // a string's unescaped value or a number's text
  bool cut_inside_string_ = false;
  std::string unescaped_;
  // The current container's name; "json" outside any.
  std::string path_ = "json";
  std::vector<Container> stack_;
  bool depth_exceeded_ = false;
};

Token JsonReader::Lex() {
  while (pos_ < size_ && IsJsonSpace(Char(pos_))) ++pos_;
  if (pos_ >= size_) return Token::kEnd;
  const char c = Char(pos_);
  switch (c) {
    case '{':
      ++pos_;
      return Token::kLeftBrace;
    case '}':
      ++pos_;
      return Token::kRightBrace;
    case '[':
      ++pos_;
      return Token::kLeftBracket;
    case ']':
      ++pos_;
      return Token::kRightBracket;
    case ',':
      ++pos_;
      return Token::kComma;
    case ':':
      ++pos_;
      return Token::kColon;
    case '"':
      return LexString();
    case 't':
      return LexLiteral("rue", Token::kTrue);
    case 'f':
      return LexLiteral("alse", Token::kFalse);
    case 'n':
      return LexLiteral("ull", Token::kNull);
    case '/':
      return LexicalError("probable comment found in input text, comments are not enabled.");
    default:
      if (c == '-' || IsDigit(c)) return LexNumber();
      return LexicalError("invalid char in json text.");
  }
}

Token JsonReader::LexLiteral(std::string_view rest, Token token) {
  std::size_t at = pos_ + 1;
  for (char expected : rest) {
    if (at >= size_) {
      pos_ = size_;
      return Token::kEnd;
    }
    if (Char(at) != expected) return LexicalError("invalid string in json text.");
    ++at;
  }
  pos_ = at;
  return token;
}

Token JsonReader::LexNumber() {
  const std::size_t start = pos_;
  std::size_t at = pos_;
  auto peek = [&]() -> int { return at < size_ ? static_cast<unsigned char>(Char(at)) : -1; };
  auto end_of_input = [&]() {
    pos_ = size_;
    return Token::kEnd;
  };
  if (peek() == '-') ++at;
  if (peek() < 0) return end_of_input();
  if (peek() == '0') {
    ++at;
  } else if (peek() >= '1' && peek() <= '9') {
    while (peek() >= 0 && IsDigit(static_cast<char>(peek()))) ++at;
  } else {
    return LexicalError("malformed number, a digit is required after the minus sign.");
  }
  if (peek() < 0) return end_of_input();
  if (peek() == '.') {
    ++at;
    if (peek() < 0) return end_of_input();
    if (!IsDigit(static_cast<char>(peek()))) {
      return LexicalError("malformed number, a digit is required after the decimal point.");
    }
    while (peek() >= 0 && IsDigit(static_cast<char>(peek()))) ++at;
    if (peek() < 0) return end_of_input();
  }
  if (peek() == 'e' || peek() == 'E') {
    ++at;
    if (peek() == '+' || peek() == '-') ++at;
    if (peek() < 0) return end_of_input();
    if (!IsDigit(static_cast<char>(peek()))) {
      return LexicalError("malformed number, a digit is required after the exponent.");
    }
    while (peek() >= 0 && IsDigit(static_cast<char>(peek()))) ++at;
    if (peek() < 0) return end_of_input();
  }
  pos_ = at;
  token_text_ = input_.substr(start, at - start);
  return Token::kNumber;
}

Token JsonReader::LexString() {
  std::size_t at = pos_ + 1;
  const std::size_t start = at;
  bool escaped = false;
  unescaped_.clear();
  // yajl checks the whole string first, then unescapes it; both are done here in one pass.
  while (true) {
    if (at >= size_) {
      // Unterminated: yajl waits for more input.
      cut_inside_string_ = true;
      token_text_ = escaped ? std::string_view(unescaped_) : input_.substr(start, at - start);
      pos_ = size_;
      return Token::kEnd;
    }
    const auto c = static_cast<unsigned char>(Char(at));
    if (c == '"') break;
    if (c == '\\') {
      if (at + 1 >= size_) {
        ++at;
        continue;  // the end comes next
      }
      if (!escaped) unescaped_.assign(input_.substr(start, at - start));
      escaped = true;
      const char e = Char(at + 1);
      switch (e) {
        case '"':
        case '\\':
        case '/':
          unescaped_.push_back(e);
          at += 2;
          continue;
        case 'b':
          unescaped_.push_back('\b');
          at += 2;
          continue;
        case 'f':
          unescaped_.push_back('\f');
          at += 2;
          continue;
        case 'n':
          unescaped_.push_back('\n');
          at += 2;
          continue;
        case 'r':
          unescaped_.push_back('\r');
          at += 2;
          continue;
        case 't':
          unescaped_.push_back('\t');
          at += 2;
          continue;
        case 'u': {
          uint32_t code_point = 0;
          for (int k = 0; k < 4; ++k) {
            if (at + 2 + k >= size_) {
              at = size_;
              break;
            }
            const int digit = Hex(Char(at + 2 + k));
            if (digit < 0) {
              return LexicalError("invalid (non-hex) character occurs after '\\u' inside string.");
            }
            code_point = code_point * 16 + static_cast<uint32_t>(digit);
          }
          if (at >= size_) continue;
          at += 6;
          if ((code_point & 0xFC00) == 0xD800) {
            // A high surrogate takes the next \u escape as its pair, whatever it holds (yajl
            // does not check it is a low surrogate); without one it is '?'.
            if (at + 5 < size_ && Char(at) == '\\' && Char(at + 1) == 'u') {
              uint32_t low = 0;
              bool valid = true;
              for (int k = 0; k < 4; ++k) {
                const int digit = Hex(Char(at + 2 + k));
                if (digit < 0) valid = false;
                low = low * 16 + static_cast<uint32_t>(digit < 0 ? 0 : digit);
              }
              if (!valid) {
                return LexicalError(
                    "invalid (non-hex) character occurs after '\\u' inside string.");
              }
              code_point = ((code_point & 0x3F) << 10) |
                           ((((code_point >> 6) & 0xF) + 1) << 16) | (low & 0x3FF);
              at += 6;
            } else {
              unescaped_.push_back('?');
              continue;
            }
          }
          AppendUtf8(code_point, unescaped_);
          continue;
        }
        default:
          return LexicalError("inside a string, '\\' occurs before a character which it may not.");
      }
    }
    if (c < 0x20) return LexicalError("invalid character inside string.");
    if (c >= 0x80) {
      // yajl's UTF-8 check: a lead byte and its continuation bytes, overlong forms, surrogates
      // and code points past U+10FFFF allowed.
      int continuation = 0;
      if ((c >> 5) == 0x6) {
        continuation = 1;
      } else if ((c >> 4) == 0xE) {
        continuation = 2;
      } else if ((c >> 3) == 0x1E) {
        continuation = 3;
      } else {
        return LexicalError("invalid bytes in UTF8 string.");
      }
      for (int k = 1; k <= continuation; ++k) {
        if (at + k >= size_) {
          at = size_;
          break;
        }
        if ((static_cast<unsigned char>(Char(at + k)) >> 6) != 0x2) {
          return LexicalError("invalid bytes in UTF8 string.");
        }
      }
      if (at >= size_) continue;
      if (escaped) unescaped_.append(input_.substr(at, continuation + 1));
      at += continuation + 1;
      continue;
    }
    if (escaped) unescaped_.push_back(static_cast<char>(c));
    ++at;
  }
  token_text_ = escaped ? std::string_view(unescaped_) : input_.substr(start, at - start);
  pos_ = at + 1;
  return Token::kString;
}

std::string_view JsonReader::CurrentName() {
  if (stack_.empty()) return "json";
  // Written straight into the arena: a name per leaf, no temporary string.
  const Container& top = stack_.back();
  const std::string_view parent(path_.data(), top.path_length);
  char index[24];
  std::string_view segment;
  std::string_view separator = ".";
  if (top.is_array) {
    separator = ".array_";
    const int length = std::snprintf(index, sizeof(index), "%llu",
                                     static_cast<unsigned long long>(top.index));
    segment = std::string_view(index, static_cast<std::size_t>(length));
  } else {
    segment = top.key.empty() ? std::string_view("empty-key") : top.key;
  }
  const std::size_t size = parent.size() + separator.size() + segment.size();
  char* out = arena_.Allocate(size);
  std::memcpy(out, parent.data(), parent.size());
  std::memcpy(out + parent.size(), separator.data(), separator.size());
  std::memcpy(out + parent.size() + separator.size(), segment.data(), segment.size());
  return std::string_view(out, size);
}

bool JsonReader::Leaf(std::string_view value) {
  const std::string_view name = CurrentName();
  if (!stack_.empty() && stack_.back().is_array) ++stack_.back().index;
  return on_leaf_(name, value);
}

bool JsonReader::OpenContainer(bool is_array) {
  if (static_cast<int>(stack_.size()) >= options_.depth_limit) {
    depth_exceeded_ = true;
    return false;
  }
  const std::string_view name = CurrentName();
  path_.assign(name);
  Container container;
  container.is_array = is_array;
  container.path_length = path_.size();
  stack_.push_back(container);
  return true;
}

void JsonReader::CloseContainer() {
  stack_.pop_back();
  if (!stack_.empty() && stack_.back().is_array) ++stack_.back().index;
}

State JsonReader::AfterValue() const {
  if (stack_.empty()) return State::kComplete;
  return stack_.back().is_array ? State::kArrayGotValue : State::kMapGotValue;
}

absl::Status JsonReader::Run() {
  if (input_.empty()) return absl::OkStatus();
  State state = State::kStart;
  const auto cancelled = [this]() {
    std::string message = "parse error: client cancelled parse via callback return value\n";
    if (depth_exceeded_) message += ". Parsing depth limit exceeded";
    return absl::InvalidArgumentError(message);
  };
  while (true) {
    const Token token = Lex();
    if (token == Token::kEnd) break;
    if (state == State::kComplete) return ParseError("trailing garbage");
    if (token == Token::kError) return absl::InvalidArgumentError(error_);
    switch (state) {
      case State::kStart:
      case State::kMapNeedValue:
      case State::kArrayStart:
      case State::kArrayNeedValue:
        switch (token) {
          case Token::kString:
          case Token::kNumber:
            if (!Leaf(Keep(token_text_))) return cancelled();
            state = AfterValue();
            break;
          case Token::kTrue:
            if (!Leaf("true")) return cancelled();
            state = AfterValue();
            break;
          case Token::kFalse:
            if (!Leaf("false")) return cancelled();
            state = AfterValue();
            break;
          case Token::kNull:
            if (!Leaf("")) return cancelled();
            state = AfterValue();
            break;
          case Token::kLeftBrace:
            if (!OpenContainer(/*is_array=*/false)) return cancelled();
            state = State::kMapStart;
            break;
          case Token::kLeftBracket:
            if (!OpenContainer(/*is_array=*/true)) return cancelled();
            state = State::kArrayStart;
            break;
          case Token::kRightBracket:
            if (state != State::kArrayStart) {
              return ParseError("unallowed token at this point in JSON text");
            }
            CloseContainer();
            state = AfterValue();
            break;
          default:
            return ParseError("unallowed token at this point in JSON text");
        }
        break;
      case State::kMapStart:
      case State::kMapNeedKey:
        if (token == Token::kString) {
          stack_.back().key = Keep(token_text_);
          state = State::kMapSeparator;
        } else if (token == Token::kRightBrace && state == State::kMapStart) {
          CloseContainer();
          state = AfterValue();
        } else {
          return ParseError("invalid object key (must be a string)");
        }
        break;
      case State::kMapSeparator:
        if (token != Token::kColon) {
          return ParseError("object key and value must be separated by a colon (':')");
        }
        state = State::kMapNeedValue;
        break;
      case State::kMapGotValue:
        if (token == Token::kRightBrace) {
          CloseContainer();
          state = AfterValue();
        } else if (token == Token::kComma) {
          state = State::kMapNeedKey;
        } else {
          return ParseError("after key and value, inside map, I expect ',' or '}'");
        }
        break;
      case State::kArrayGotValue:
        if (token == Token::kRightBracket) {
          CloseContainer();
          state = AfterValue();
        } else if (token == Token::kComma) {
          state = State::kArrayNeedValue;
        } else {
          return ParseError("after array element, I expect ',' or ']'");
        }
        break;
      case State::kComplete:
        break;
    }
  }
  if (state == State::kComplete) return absl::OkStatus();
  if (extent_ == BodyExtent::kTruncated) {
    // Cut at the inspection limit: what is left is not an error, and a value string cut short
    // is still inspected.
    const bool expecting_value = state == State::kStart || state == State::kMapNeedValue ||
                                 state == State::kArrayStart || state == State::kArrayNeedValue;
    if (cut_inside_string_ && expecting_value) Leaf(Keep(token_text_));
    return absl::OkStatus();
  }
  return ParseError("premature EOF");
}

}  // namespace

absl::Status ParseJson(std::string_view input, BodyExtent extent, const JsonOptions& options,
                       TextArena& arena, JsonLeafSink on_leaf) {
  JsonReader reader(input, extent, options, arena, on_leaf);
  return reader.Run();
}

}  // namespace gatehouse::body
