#include "compiler/rules/diagnostic.h"

#include "gtest/gtest.h"

namespace gatehouse::rules {
namespace {

TEST(DiagnosticTest, PositionsAreOneBased) {
  std::string_view source = "a eq 1\nand bb";
  Diagnostic d = MakeDiagnostic(source, Span{11, 2}, "m");
  EXPECT_EQ(d.line, 2);
  EXPECT_EQ(d.column, 5);
  EXPECT_EQ(d.length, 2);
}

TEST(DiagnosticTest, SpansStopAtTheEndOfTheirLine) {
  Diagnostic d = MakeDiagnostic("abc\ndef", Span{1, 100}, "m");
  EXPECT_EQ(d.length, 2);
  Diagnostic at_end = MakeDiagnostic("abc", Span{3, 1}, "m");
  EXPECT_EQ(at_end.column, 4);
  EXPECT_EQ(at_end.length, 1);
}

TEST(DiagnosticTest, FormatsLikeACompiler) {
  std::string_view source = "http.host eq 1";
  Diagnostic d = MakeDiagnostic(source, Span{13, 1}, "expected Bytes, found Int");
  EXPECT_EQ(FormatDiagnostic(source, d, "rule block-admin"),
            "rule block-admin:1:14: error: expected Bytes, found Int\n"
            "http.host eq 1\n"
            "             ^\n");
  Diagnostic wide = MakeDiagnostic(source, Span{0, 9}, "unknown field");
  EXPECT_EQ(FormatDiagnostic(source, wide, "x"),
            "x:1:1: error: unknown field\nhttp.host eq 1\n^~~~~~~~~\n");
}

TEST(DiagnosticTest, KeepsTabsSoTheCaretLinesUp) {
  std::string_view source = "a and\n\tb eq";
  Diagnostic d = MakeDiagnostic(source, Span{9, 2}, "m");
  EXPECT_EQ(FormatDiagnostic(source, d, "o"), "o:2:4: error: m\n\tb eq\n\t  ^~\n");
}

}  // namespace
}  // namespace gatehouse::rules
