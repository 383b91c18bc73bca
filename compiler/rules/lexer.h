#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/rules/diagnostic.h"
#include "rules/request_data.h"

namespace gatehouse::rules {

enum class TokenKind {
  kEof,
  kError,       // already reported; the parser skips it
  kIdentifier,  // field or function name, dots included: http.request.uri.path
  kString,      // text holds the decoded bytes
  kInt,
  kIp,          // ip holds the address; prefix_length >= 0 for a CIDR
  kListRef,     // $name; text holds the name
  kLeftParen,
  kRightParen,
  kLeftBracket,
  kRightBracket,
  kLeftBrace,
  kRightBrace,
  kComma,
  kDotDot,
  kStar,
  // Comparison operators (keyword and symbol spellings lex to the same kind).
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kContains,
  kMatches,
  kWildcard,
  kStrict,  // only meaningful before `wildcard`
  kIn,
  kBitAnd,
  // Logical operators.
  kAnd,
  kOr,
  kXor,
  kNot,
};

// How a token reads in a diagnostic: "'eq'", "string literal", "end of expression".
std::string_view TokenKindName(TokenKind kind);

struct Token {
  TokenKind kind = TokenKind::kEof;
  Span span;
  std::string text;
  int64_t int_value = 0;
  IpAddress ip;
  int prefix_length = -1;
};

// Splits `source` into tokens, always ending with kEof. Malformed tokens are reported to `sink`
// and become kError tokens, so lexing never stops early.
std::vector<Token> Lex(std::string_view source, DiagnosticSink& sink);

}  // namespace gatehouse::rules
