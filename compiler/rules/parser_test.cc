#include "compiler/rules/parser.h"

#include <vector>

#include "gtest/gtest.h"

namespace gatehouse::rules {
namespace {

std::string ParseToString(std::string_view source) {
  std::vector<Diagnostic> diagnostics;
  DiagnosticSink sink(source, &diagnostics);
  auto tree = Parse(source, Limits(), sink);
  if (!diagnostics.empty()) return "error: " + diagnostics[0].message;
  return ExprToString(*tree);
}

std::vector<Diagnostic> ParseErrors(std::string_view source, Limits limits = Limits()) {
  std::vector<Diagnostic> diagnostics;
  DiagnosticSink sink(source, &diagnostics);
  Parse(source, limits, sink);
  return diagnostics;
}

TEST(ParserTest, Precedence) {
  EXPECT_EQ(ParseToString("a or b and c"), "(or a (and b c))");
  EXPECT_EQ(ParseToString("a and b or c"), "(or (and a b) c)");
  EXPECT_EQ(ParseToString("a xor b and c or d"), "(or (xor a (and b c)) d)");
  EXPECT_EQ(ParseToString("a or b xor c"), "(or a (xor b c))");
  EXPECT_EQ(ParseToString("not a and b"), "(and (not a) b)");
  EXPECT_EQ(ParseToString("not (a and b)"), "(not (and a b))");
  EXPECT_EQ(ParseToString("!a && b || c ^^ d"), "(or (and (not a) b) (xor c d))");
  EXPECT_EQ(ParseToString("a and b and c"), "(and a b c)");
  EXPECT_EQ(ParseToString("not not a"), "(not (not a))");
}

TEST(ParserTest, Comparisons) {
  EXPECT_EQ(ParseToString("http.host eq \"a\""), "(eq http.host \"a\")");
  EXPECT_EQ(ParseToString("x == 1"), "(eq x 1)");
  EXPECT_EQ(ParseToString("not ip.src in $office_ips"), "(not (in ip.src $office_ips))");
  EXPECT_EQ(ParseToString("x strict wildcard \"*.a\""), "(strict wildcard x \"*.a\")");
  EXPECT_EQ(ParseToString("x ~ \"^a\""), "(matches x \"^a\")");
  EXPECT_EQ(ParseToString("x & 0x10"), "(& x 16)");
  EXPECT_EQ(ParseToString("x in {1 3..5, 7}"), "(in x {1 3..5 7})");
  EXPECT_EQ(ParseToString("ip.src in {10.0.0.0/8 192.0.2.1..192.0.2.9 ::1}"),
            "(in ip.src {10.0.0.0..10.255.255.255 192.0.2.1..192.0.2.9 ::1})");
  EXPECT_EQ(ParseToString("x in {\"a\" \"b\"}"), "(in x {\"a\" \"b\"})");
}

TEST(ParserTest, CallsAndIndexing) {
  EXPECT_EQ(ParseToString("starts_with(http.request.uri.path, \"/admin\")"),
            "(starts_with http.request.uri.path \"/admin\")");
  EXPECT_EQ(ParseToString("any(lower(h.names[*]) eq \"x\")"), "(any (eq (lower h.names[*]) \"x\"))");
  EXPECT_EQ(ParseToString("h[\"a\"][0] eq \"b\""), "(eq h[\"a\"][0] \"b\")");
  EXPECT_EQ(ParseToString("f()"), "(f)");
}

TEST(ParserTest, ErrorsSayWhatWasExpected) {
  struct Case {
    std::string source;
    std::string message;
    int column;
  };
  std::vector<Case> cases = {
      {"", "expected a field, function call, literal or '(', found end of expression", 1},
      {"a eq", "expected a field, function call, literal or '(', found end of expression", 5},
      {"(a eq 1", "expected ')' to close the '(' at column 1, found end of expression", 8},
      {"a eq 1)", "unmatched ')'", 7},
      {"a eq 1 b", "expected 'and', 'or', 'xor' or end of expression, found 'b'", 8},
      {"a eq 1 eq 2", "comparisons do not chain: found 'eq' after a complete comparison; "
                      "combine comparisons with 'and' / 'or'", 8},
      {"a in 3", "expected '{' or a list name ($name) after 'in', found integer 3", 6},
      {"a strict b", "expected 'wildcard' after 'strict', found 'b'", 10},
      {"a[", "expected a string key, an integer index or '*' inside [ ], found end of expression", 3},
      {"a[0", "expected ']', found end of expression", 4},
      {"f(a b)", "expected ',' or ')' in the arguments of f(), found 'b'", 5},
      {"a in {1 ..}", "expected an integer after '..', found '}'", 11},
      {"a in {ssl}", "expected a set item (string, integer, IP address or CIDR) or '}', found 'ssl'", 7},
      {"a in {1..}", "expected an integer after '..', found '}'", 10},
      {"a in {5..1}", "empty range 5..1: the first bound must not exceed the second", 7},
      {"a in {1", "expected '}' to close the set, found end of expression", 8},
      {"ip.src eq 10.0.0.0/8", "a CIDR is only allowed inside a set; write 'ip.src in { ... }'", 11},
      {"$list", "a list can only follow 'in': write 'FIELD in $list'", 1},
      {"a and or b", "expected a field, function call, literal or '(', found 'or'", 7},
  };
  for (const Case& c : cases) {
    std::vector<Diagnostic> d = ParseErrors(c.source);
    ASSERT_FALSE(d.empty()) << c.source;
    EXPECT_EQ(d[0].message, c.message) << c.source;
    EXPECT_EQ(d[0].column, c.column) << c.source;
  }
}

TEST(ParserTest, RecoversToReportSeveralErrors) {
  std::vector<Diagnostic> d = ParseErrors("a eq and b in 3 or (c ne) or d");
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[0].column, 6);
  EXPECT_EQ(d[1].column, 15);
  EXPECT_EQ(d[2].column, 25);
}

TEST(ParserTest, NestingLimit) {
  Limits limits;
  limits.max_nesting_depth = 3;
  EXPECT_TRUE(ParseErrors("(((a)))", limits).empty());
  std::vector<Diagnostic> d = ParseErrors("((((a))))", limits);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].message, "expression nests too deeply (limit 3 levels)");
  EXPECT_EQ(d[0].column, 4);
  // Deep input far past the limit must not exhaust the stack.
  std::string deep(100000, '(');
  EXPECT_EQ(ParseErrors(deep).size(), 1u);
  std::string nots;
  for (int i = 0; i < 50000; ++i) nots += "not ";
  EXPECT_EQ(ParseErrors(nots + "a").size(), 1u);
}

}  // namespace
}  // namespace gatehouse::rules
