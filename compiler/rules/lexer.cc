#include "compiler/rules/lexer.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "rules/ip_address.h"
#include "rules/strings.h"

namespace gatehouse::rules {
namespace {

bool IsIdentStart(char c) { return absl::ascii_isalpha(c) || c == '_'; }
bool IsIdentChar(char c) { return absl::ascii_isalnum(c) || c == '_'; }
bool IsIpChar(char c) { return absl::ascii_isxdigit(c) || c == ':' || c == '.'; }

TokenKind KeywordKind(std::string_view word) {
  static constexpr std::pair<std::string_view, TokenKind> kKeywords[] = {
      {"eq", TokenKind::kEq},           {"ne", TokenKind::kNe},
      {"lt", TokenKind::kLt},           {"le", TokenKind::kLe},
      {"gt", TokenKind::kGt},           {"ge", TokenKind::kGe},
      {"contains", TokenKind::kContains}, {"matches", TokenKind::kMatches},
      {"wildcard", TokenKind::kWildcard}, {"strict", TokenKind::kStrict},
      {"in", TokenKind::kIn},           {"and", TokenKind::kAnd},
      {"or", TokenKind::kOr},           {"xor", TokenKind::kXor},
      {"not", TokenKind::kNot},
  };
  for (const auto& [text, kind] : kKeywords) {
    if (text == word) return kind;
  }
  return TokenKind::kIdentifier;
}

class Lexer {
 public:
  Lexer(std::string_view source, DiagnosticSink& sink) : src_(source), sink_(sink) {}

  std::vector<Token> Run() {
    std::vector<Token> tokens;
    while (true) {
      SkipSpace();
      Token token = Next();
      bool eof = token.kind == TokenKind::kEof;
      tokens.push_back(std::move(token));
      if (eof) return tokens;
    }
  }

 private:
  void SkipSpace() {
    while (pos_ < src_.size() && absl::ascii_isspace(src_[pos_])) ++pos_;
  }
  char Peek(size_t ahead = 0) const {
    return pos_ + ahead < src_.size() ? src_[pos_ + ahead] : '\0';
  }
  Token Make(TokenKind kind, size_t start) const {
    Token t;
    t.kind = kind;
    t.span = Span{start, pos_ - start};
    return t;
  }
  Token Fail(size_t start, std::string message) {
    if (pos_ == start) ++pos_;
    Token t = Make(TokenKind::kError, start);
    sink_.Error(t.span, std::move(message));
    return t;
  }

  Token Next() {
    size_t start = pos_;
    if (pos_ >= src_.size()) return Make(TokenKind::kEof, start);
    char c = src_[pos_];
    if (c == '"') return String(start);
    if (c == 'r' && (Peek(1) == '"' || Peek(1) == '#')) return RawString(start);
    if (c == '$') return ListRef(start);
    if (std::optional<Token> ip = TryIp(start)) return *std::move(ip);
    if (absl::ascii_isdigit(c) || (c == '-' && absl::ascii_isdigit(Peek(1)))) return Int(start);
    if (IsIdentStart(c)) return Identifier(start);
    return Punctuation(start);
  }

  Token Punctuation(size_t start) {
    auto take = [&](size_t n, TokenKind kind) {
      pos_ += n;
      return Make(kind, start);
    };
    char c = src_[pos_];
    char n = Peek(1);
    switch (c) {
      case '(': return take(1, TokenKind::kLeftParen);
      case ')': return take(1, TokenKind::kRightParen);
      case '[': return take(1, TokenKind::kLeftBracket);
      case ']': return take(1, TokenKind::kRightBracket);
      case '{': return take(1, TokenKind::kLeftBrace);
      case '}': return take(1, TokenKind::kRightBrace);
      case ',': return take(1, TokenKind::kComma);
      case '*': return take(1, TokenKind::kStar);
      case '~': return take(1, TokenKind::kMatches);
      case '.':
        if (n == '.') return take(2, TokenKind::kDotDot);
        break;
      case '=':
        if (n == '=') return take(2, TokenKind::kEq);
        break;
      case '!':
        return n == '=' ? take(2, TokenKind::kNe) : take(1, TokenKind::kNot);
      case '<':
        return n == '=' ? take(2, TokenKind::kLe) : take(1, TokenKind::kLt);
      case '>':
        return n == '=' ? take(2, TokenKind::kGe) : take(1, TokenKind::kGt);
      case '&':
        return n == '&' ? take(2, TokenKind::kAnd) : take(1, TokenKind::kBitAnd);
      case '|':
        if (n == '|') return take(2, TokenKind::kOr);
        break;
      case '^':
        if (n == '^') return take(2, TokenKind::kXor);
        break;
      default:
        break;
    }
    if (c == '=') return Fail(start, "unexpected '='; use 'eq' or '==' to compare");
    std::string shown = absl::ascii_isprint(c) ? std::string(1, c) : Cat("\\x", absl::Hex(static_cast<unsigned char>(c), absl::kZeroPad2));
    return Fail(start, Cat("unexpected character '", shown, "'"));
  }

  Token Identifier(size_t start) {
    while (IsIdentChar(Peek()) || (Peek() == '.' && IsIdentChar(Peek(1)))) ++pos_;
    std::string_view word = src_.substr(start, pos_ - start);
    Token t = Make(KeywordKind(word), start);
    t.text = std::string(word);
    return t;
  }

  Token ListRef(size_t start) {
    ++pos_;
    while (IsIdentChar(Peek())) ++pos_;
    if (pos_ == start + 1) return Fail(start, "expected a list name after '$'");
    Token t = Make(TokenKind::kListRef, start);
    t.text = std::string(src_.substr(start + 1, pos_ - start - 1));
    return t;
  }

  Token Int(size_t start) {
    bool negative = Peek() == '-';
    if (negative) ++pos_;
    int base = 10;
    if (Peek() == '0' && (Peek(1) == 'x' || Peek(1) == 'X')) {
      base = 16;
      pos_ += 2;
    }
    size_t digits_start = pos_;
    while (base == 16 ? absl::ascii_isxdigit(Peek()) : absl::ascii_isdigit(Peek())) ++pos_;
    std::string_view digits = src_.substr(digits_start, pos_ - digits_start);
    if (IsIdentChar(Peek())) {
      while (IsIdentChar(Peek())) ++pos_;
      return Fail(start, Cat("malformed integer '", src_.substr(start, pos_ - start), "'"));
    }
    uint64_t magnitude = 0;
    bool ok = !digits.empty() && (base == 16 ? absl::SimpleHexAtoi(ToAbsl(digits), &magnitude)
                                             : absl::SimpleAtoi(ToAbsl(digits), &magnitude));
    uint64_t max = negative ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1;
    if (!ok || magnitude > max) {
      return Fail(start, Cat("integer '", src_.substr(start, pos_ - start),
                                      "' does not fit in 64 bits"));
    }
    Token t = Make(TokenKind::kInt, start);
    t.int_value = negative ? static_cast<int64_t>(0 - magnitude) : static_cast<int64_t>(magnitude);
    return t;
  }

  // IPv4 (digits and three dots) and IPv6 (anything with a colon) literals, each with an optional
  // /prefix. A following `..` starts a range, so it ends the address.
  std::optional<Token> TryIp(size_t start) {
    size_t end = start;
    while (end < src_.size() && IsIpChar(src_[end])) {
      if (src_[end] == '.' && end + 1 < src_.size() && src_[end + 1] == '.') break;
      ++end;
    }
    std::string_view text = src_.substr(start, end - start);
    bool v6 = text.find(':') != std::string_view::npos;
    bool v4 = !v6 && absl::ascii_isdigit(src_[start]) &&
              std::count(text.begin(), text.end(), '.') == 3;
    if (!v4 && !v6) return std::nullopt;
    // An identifier that merely starts with hex letters (e.g. "add") is not an address.
    if (end < src_.size() && IsIdentChar(src_[end])) return std::nullopt;
    std::optional<IpAddress> ip = ParseIpAddress(text);
    pos_ = end;
    if (!ip) return Fail(start, Cat("malformed IP address '", text, "'"));
    Token t = Make(TokenKind::kIp, start);
    t.ip = *ip;
    if (Peek() == '/') {
      ++pos_;
      size_t digits_start = pos_;
      while (absl::ascii_isdigit(Peek())) ++pos_;
      int prefix = 0;
      int max = ip->is_v4 ? 32 : 128;
      if (pos_ == digits_start || pos_ - digits_start > 3 ||
          !absl::SimpleAtoi(ToAbsl(src_.substr(digits_start, pos_ - digits_start)), &prefix) ||
          prefix > max) {
        return Fail(start, Cat("malformed CIDR '", src_.substr(start, pos_ - start),
                                        "': the prefix length must be 0..", max));
      }
      t = Make(TokenKind::kIp, start);
      t.ip = *ip;
      t.prefix_length = prefix;
    }
    return t;
  }

  Token String(size_t start) {
    ++pos_;
    std::string value;
    while (true) {
      if (pos_ >= src_.size()) {
        return Fail(start, "unterminated string literal; expected a closing '\"'");
      }
      char c = src_[pos_];
      if (c == '"') {
        ++pos_;
        break;
      }
      if (c != '\\') {
        value.push_back(c);
        ++pos_;
        continue;
      }
      size_t escape_start = pos_;
      char e = Peek(1);
      pos_ += 2;
      switch (e) {
        case '"': value.push_back('"'); break;
        case '\\': value.push_back('\\'); break;
        case 'n': value.push_back('\n'); break;
        case 'r': value.push_back('\r'); break;
        case 't': value.push_back('\t'); break;
        case '0': value.push_back('\0'); break;
        case 'x': {
          int hi = HexValue(Peek());
          int lo = HexValue(Peek(1));
          if (hi < 0 || lo < 0) {
            sink_.Error(Span{escape_start, 2}, "malformed escape: '\\x' needs two hex digits");
            SkipToStringEnd();
            return Make(TokenKind::kError, start);
          }
          value.push_back(static_cast<char>(hi * 16 + lo));
          pos_ += 2;
          break;
        }
        default:
          sink_.Error(Span{escape_start, 2},
                      Cat("unknown escape '\\", std::string(1, e),
                                   "'; expected one of \\\" \\\\ \\n \\r \\t \\0 \\xHH "
                                   "(or use a raw string r\"...\")"));
          SkipToStringEnd();
          return Make(TokenKind::kError, start);
      }
    }
    Token t = Make(TokenKind::kString, start);
    t.text = std::move(value);
    return t;
  }

  void SkipToStringEnd() {
    while (pos_ < src_.size()) {
      if (src_[pos_] == '\\') {
        pos_ += 2;
        continue;
      }
      if (src_[pos_++] == '"') return;
    }
    pos_ = src_.size();
  }

  static int HexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  // r"..." and r#"..."#: no escapes; the closing quote must be followed by as many '#'.
  Token RawString(size_t start) {
    ++pos_;
    size_t hashes = 0;
    while (Peek() == '#') {
      ++hashes;
      ++pos_;
    }
    if (Peek() != '"') return Fail(start, "malformed raw string; expected '\"' after r#");
    ++pos_;
    std::string closing = "\"" + std::string(hashes, '#');
    size_t end = src_.find(closing, pos_);
    if (end == std::string_view::npos) {
      pos_ = src_.size();
      return Fail(start, Cat("unterminated raw string; expected '", closing, "'"));
    }
    Token t;
    t.kind = TokenKind::kString;
    t.text = std::string(src_.substr(pos_, end - pos_));
    pos_ = end + closing.size();
    t.span = Span{start, pos_ - start};
    return t;
  }

  std::string_view src_;
  DiagnosticSink& sink_;
  size_t pos_ = 0;
};

}  // namespace

std::string_view TokenKindName(TokenKind kind) {
  switch (kind) {
    case TokenKind::kEof: return "end of expression";
    case TokenKind::kError: return "invalid token";
    case TokenKind::kIdentifier: return "identifier";
    case TokenKind::kString: return "string literal";
    case TokenKind::kInt: return "integer literal";
    case TokenKind::kIp: return "IP address";
    case TokenKind::kListRef: return "list reference";
    case TokenKind::kLeftParen: return "'('";
    case TokenKind::kRightParen: return "')'";
    case TokenKind::kLeftBracket: return "'['";
    case TokenKind::kRightBracket: return "']'";
    case TokenKind::kLeftBrace: return "'{'";
    case TokenKind::kRightBrace: return "'}'";
    case TokenKind::kComma: return "','";
    case TokenKind::kDotDot: return "'..'";
    case TokenKind::kStar: return "'*'";
    case TokenKind::kEq: return "'eq'";
    case TokenKind::kNe: return "'ne'";
    case TokenKind::kLt: return "'lt'";
    case TokenKind::kLe: return "'le'";
    case TokenKind::kGt: return "'gt'";
    case TokenKind::kGe: return "'ge'";
    case TokenKind::kContains: return "'contains'";
    case TokenKind::kMatches: return "'matches'";
    case TokenKind::kWildcard: return "'wildcard'";
    case TokenKind::kStrict: return "'strict'";
    case TokenKind::kIn: return "'in'";
    case TokenKind::kBitAnd: return "'&'";
    case TokenKind::kAnd: return "'and'";
    case TokenKind::kOr: return "'or'";
    case TokenKind::kXor: return "'xor'";
    case TokenKind::kNot: return "'not'";
  }
  return "token";
}

std::vector<Token> Lex(std::string_view source, DiagnosticSink& sink) {
  return Lexer(source, sink).Run();
}

}  // namespace gatehouse::rules
