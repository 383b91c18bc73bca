#include "compiler/rules/lexer.h"

#include <vector>

#include "gtest/gtest.h"

namespace gatehouse::rules {
namespace {

struct Lexed {
  std::vector<Token> tokens;
  std::vector<Diagnostic> diagnostics;
};

Lexed LexAll(std::string_view source) {
  Lexed out;
  DiagnosticSink sink(source, &out.diagnostics);
  out.tokens = Lex(source, sink);
  return out;
}

std::vector<TokenKind> Kinds(std::string_view source) {
  std::vector<TokenKind> kinds;
  for (const Token& t : LexAll(source).tokens) kinds.push_back(t.kind);
  return kinds;
}

TEST(LexerTest, FieldsKeywordsAndSymbols) {
  using K = TokenKind;
  EXPECT_EQ(Kinds("http.request.uri.path eq \"/a\""),
            (std::vector<K>{K::kIdentifier, K::kEq, K::kString, K::kEof}));
  EXPECT_EQ(Kinds("a == b != c < d <= e > f >= g ~ h"),
            (std::vector<K>{K::kIdentifier, K::kEq, K::kIdentifier, K::kNe, K::kIdentifier, K::kLt,
                            K::kIdentifier, K::kLe, K::kIdentifier, K::kGt, K::kIdentifier, K::kGe,
                            K::kIdentifier, K::kMatches, K::kIdentifier, K::kEof}));
  EXPECT_EQ(Kinds("not ! and && or || xor ^^ & in strict wildcard contains matches"),
            (std::vector<K>{K::kNot, K::kNot, K::kAnd, K::kAnd, K::kOr, K::kOr, K::kXor, K::kXor,
                            K::kBitAnd, K::kIn, K::kStrict, K::kWildcard, K::kContains,
                            K::kMatches, K::kEof}));
  EXPECT_EQ(Kinds("f(x[0], y[*]) { } $list .."),
            (std::vector<K>{K::kIdentifier, K::kLeftParen, K::kIdentifier, K::kLeftBracket, K::kInt,
                            K::kRightBracket, K::kComma, K::kIdentifier, K::kLeftBracket, K::kStar,
                            K::kRightBracket, K::kRightParen, K::kLeftBrace, K::kRightBrace,
                            K::kListRef, K::kDotDot, K::kEof}));
}

TEST(LexerTest, Strings) {
  Lexed l = LexAll(R"("a\"b\\c\x41\n")");
  ASSERT_EQ(l.tokens[0].kind, TokenKind::kString);
  EXPECT_EQ(l.tokens[0].text, "a\"b\\cA\n");
  EXPECT_TRUE(l.diagnostics.empty());
}

TEST(LexerTest, RawStrings) {
  Lexed l = LexAll(R"##(r"a\d+" r#"say "hi""#)##");
  ASSERT_EQ(l.tokens[0].kind, TokenKind::kString);
  EXPECT_EQ(l.tokens[0].text, "a\\d+");
  ASSERT_EQ(l.tokens[1].kind, TokenKind::kString);
  EXPECT_EQ(l.tokens[1].text, "say \"hi\"");
}

TEST(LexerTest, Integers) {
  Lexed l = LexAll("42 0x1F -7 9223372036854775807 -9223372036854775808");
  EXPECT_EQ(l.tokens[0].int_value, 42);
  EXPECT_EQ(l.tokens[1].int_value, 31);
  EXPECT_EQ(l.tokens[2].int_value, -7);
  EXPECT_EQ(l.tokens[3].int_value, INT64_MAX);
  EXPECT_EQ(l.tokens[4].int_value, INT64_MIN);
  EXPECT_TRUE(l.diagnostics.empty());
}

TEST(LexerTest, IpAddressesAndRanges) {
  Lexed l = LexAll("192.0.2.1 10.0.0.0/8 2001:db8::1 ::1 fe80::/10 1.2.3.4..1.2.3.9 1..5");
  using K = TokenKind;
  std::vector<K> kinds;
  for (const Token& t : l.tokens) kinds.push_back(t.kind);
  EXPECT_EQ(kinds, (std::vector<K>{K::kIp, K::kIp, K::kIp, K::kIp, K::kIp, K::kIp, K::kDotDot,
                                   K::kIp, K::kInt, K::kDotDot, K::kInt, K::kEof}));
  EXPECT_EQ(l.tokens[1].prefix_length, 8);
  EXPECT_EQ(l.tokens[4].prefix_length, 10);
  EXPECT_TRUE(l.tokens[0].ip.is_v4);
  EXPECT_FALSE(l.tokens[2].ip.is_v4);
  EXPECT_TRUE(l.diagnostics.empty());
}

TEST(LexerTest, Errors) {
  struct Case {
    std::string source;
    std::string message;
    int column;
  };
  std::vector<Case> cases = {
      {"\"abc", "unterminated string literal; expected a closing '\"'", 1},
      {"a = \"b\"", "unexpected '='; use 'eq' or '==' to compare", 3},
      {"a # b", "unexpected character '#'", 3},
      {"\"\\q\"", "unknown escape '\\q'; expected one of \\\" \\\\ \\n \\r \\t \\0 \\xHH (or use a raw string r\"...\")", 2},
      {"\"\\xZZ\"", "malformed escape: '\\x' needs two hex digits", 2},
      {"99999999999999999999", "integer '99999999999999999999' does not fit in 64 bits", 1},
      {"12ab", "malformed integer '12ab'", 1},
      {"1.2.3.400", "malformed IP address '1.2.3.400'", 1},
      {"10.0.0.0/33", "malformed CIDR '10.0.0.0/33': the prefix length must be 0..32", 1},
      {"r#\"abc\"", "unterminated raw string; expected '\"#'", 1},
      {"$", "expected a list name after '$'", 1},
  };
  for (const Case& c : cases) {
    Lexed l = LexAll(c.source);
    ASSERT_EQ(l.diagnostics.size(), 1u) << c.source;
    EXPECT_EQ(l.diagnostics[0].message, c.message) << c.source;
    EXPECT_EQ(l.diagnostics[0].column, c.column) << c.source;
  }
}

}  // namespace
}  // namespace gatehouse::rules
