#include "seclang/diagnostics.h"

#include "gtest/gtest.h"

namespace gatehouse::seclang {
namespace {

TEST(DiagnosticsTest, FormatsLikeACompilerWithACaretUnderTheText) {
  const Diagnostic d{{"rules.conf", 2, 9}, 4, "unknown action \"blok\""};
  EXPECT_EQ(FormatDiagnostic(d, "  \"id:1,blok\""),
            "rules.conf:2:9: error: unknown action \"blok\"\n"
            "  \"id:1,blok\"\n"
            "        ^~~~\n");
}

TEST(DiagnosticsTest, TabsBeforeTheCaretAreKept) {
  const Diagnostic d{{"f", 1, 3}, 1, "m"};
  EXPECT_EQ(FormatDiagnostic(d, "\t\tX"), "f:1:3: error: m\n\t\tX\n\t\t^\n");
}

TEST(DiagnosticsTest, TheUnderlineStopsAtTheEndOfTheLine) {
  const Diagnostic d{{"f", 1, 2}, 50, "m"};
  EXPECT_EQ(FormatDiagnostic(d, "abc"), "f:1:2: error: m\nabc\n ^~\n");
}

TEST(DiagnosticsTest, SourceLinesHandlesCrLfAndLinesPastTheEnd) {
  const SourceLines lines("a\r\nb\nc");
  EXPECT_EQ(lines.Line(1), "a");
  EXPECT_EQ(lines.Line(2), "b");
  EXPECT_EQ(lines.Line(3), "c");
  EXPECT_EQ(lines.Line(4), "");
  EXPECT_EQ(lines.Line(0), "");
}

TEST(DiagnosticsTest, StatusCarriesEveryDiagnostic) {
  const std::vector<Diagnostic> diagnostics = {{{"f", 1, 1}, 1, "first"}, {{"f", 2, 1}, 1, "second"}};
  const absl::Status status = DiagnosticsToStatus(diagnostics, "x\ny\n");
  EXPECT_TRUE(absl::IsInvalidArgument(status));
  EXPECT_EQ(status.message(), "2 errors\nf:1:1: error: first\nx\n^\nf:2:1: error: second\ny\n^\n");
  EXPECT_TRUE(DiagnosticsToStatus({}, "").ok());
}

}  // namespace
}  // namespace gatehouse::seclang
