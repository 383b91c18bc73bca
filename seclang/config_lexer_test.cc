#include "seclang/config_lexer.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gatehouse::seclang {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

struct Split {
  std::vector<std::vector<std::string>> lines;
  std::vector<Diagnostic> diagnostics;
};

Split SplitText(std::string_view text) {
  Split out;
  DiagnosticSink sink("f.conf", &out.diagnostics);
  for (const ConfigLine& line : SplitConfigLines(text, sink)) {
    std::vector<std::string> words;
    for (const ConfigWord& word : line.words) words.push_back(word.text.text);
    out.lines.push_back(words);
  }
  return out;
}

TEST(ConfigLexerTest, WordsAreSeparatedByWhitespace) {
  const Split split = SplitText("SecRuleEngine   On\n\tSecRequestBodyAccess\tOff  \n");
  EXPECT_THAT(split.lines, ElementsAre(ElementsAre("SecRuleEngine", "On"),
                                       ElementsAre("SecRequestBodyAccess", "Off")));
  EXPECT_THAT(split.diagnostics, IsEmpty());
}

TEST(ConfigLexerTest, CommentsAndBlankLinesAreSkipped) {
  const Split split = SplitText("# a comment\n\n   \n  # indented comment\nSecMarker A # not a comment\n");
  // '#' starts a comment only at the start of a line: after a directive it is an argument.
  EXPECT_THAT(split.lines, ElementsAre(ElementsAre("SecMarker", "A", "#", "not", "a", "comment")));
}

TEST(ConfigLexerTest, BackslashNewlineContinuesTheLineKeepingTheIndentation) {
  // From CRS: the actions argument spans lines; each continuation keeps its leading blanks.
  const Split split = SplitText("SecRule A \"@rx b\" \\\n    \"id:1,\\\n    phase:2\"\n");
  EXPECT_THAT(split.lines, ElementsAre(ElementsAre("SecRule", "A", "@rx b", "id:1,    phase:2")));
}

TEST(ConfigLexerTest, CrLfLineEndingsContinueToo) {
  const Split split = SplitText("SecMarker \\\r\n  X\r\nSecMarker Y\r\n");
  EXPECT_THAT(split.lines, ElementsAre(ElementsAre("SecMarker", "X"), ElementsAre("SecMarker", "Y")));
}

TEST(ConfigLexerTest, BackslashBeforeTrailingBlanksDoesNotContinue) {
  const Split split = SplitText("SecMarker A\\ \nSecMarker B\n");
  EXPECT_THAT(split.lines, ElementsAre(ElementsAre("SecMarker", "A\\"), ElementsAre("SecMarker", "B")));
}

TEST(ConfigLexerTest, ACommentEndingInABackslashSwallowsTheNextLine) {
  // Apache joins continuation lines before it looks for comments.
  const Split split = SplitText("#SecRule A B \\\nSecMarker hidden\nSecMarker shown\n");
  EXPECT_THAT(split.lines, ElementsAre(ElementsAre("SecMarker", "shown")));
}

TEST(ConfigLexerTest, DoubleQuotedWordUnescapesOnlyBackslashAndQuote) {
  // "\\" is one backslash, "\"" a quote; "\'" and "\d" stay as written.
  const Split split = SplitText(R"(X "a\\b \"c\" \'d\' \d \\\\")");
  EXPECT_THAT(split.lines, ElementsAre(ElementsAre("X", R"(a\b "c" \'d\' \d \\)")));
}

TEST(ConfigLexerTest, SingleQuotedWordUnescapesOnlyBackslashAndSingleQuote) {
  const Split split = SplitText(R"(X 'a\\b \'c\' \"d\"')");
  EXPECT_THAT(split.lines, ElementsAre(ElementsAre("X", R"(a\b 'c' \"d\")")));
}

TEST(ConfigLexerTest, UnquotedWordHalvesDoubleBackslashes) {
  // RESPONSE-980's &TX:'/LEAKAGE\\\/ERRORS/': "\\\/" reads as "\\/".
  const Split split = SplitText(R"(SecRule &TX:'/LEAKAGE\\\/ERRORS/' "@ge 1")");
  EXPECT_THAT(split.lines,
              ElementsAre(ElementsAre("SecRule", R"(&TX:'/LEAKAGE\\/ERRORS/')", "@ge 1")));
}

TEST(ConfigLexerTest, AClosingQuoteEndsTheWord) {
  const Split split = SplitText(R"(X "a b"c 'd')");
  EXPECT_THAT(split.lines, ElementsAre(ElementsAre("X", "a b", "c", "d")));
}

TEST(ConfigLexerTest, EmptyQuotedWordIsAWord) {
  const Split split = SplitText(R"(X "" '')");
  EXPECT_THAT(split.lines, ElementsAre(ElementsAre("X", "", "")));
}

TEST(ConfigLexerTest, PositionsPointIntoThePhysicalLines) {
  std::vector<Diagnostic> diagnostics;
  DiagnosticSink sink("f.conf", &diagnostics);
  const std::vector<ConfigLine> lines =
      SplitConfigLines("SecRule A \\\n  \"x\\\\y\" \\\n\t'z'\n", sink);
  ASSERT_EQ(lines.size(), 1u);
  ASSERT_EQ(lines[0].words.size(), 4u);
  const ConfigWord& quoted = lines[0].words[2];
  EXPECT_EQ(quoted.start, (Position{2, 3}));
  EXPECT_EQ(quoted.text.text, "x\\y");
  // 'x' at column 4, the kept backslash is the second of the pair (column 6), 'y' at 7.
  EXPECT_THAT(quoted.text.positions, ElementsAre(Position{2, 4}, Position{2, 6}, Position{2, 7}));
  EXPECT_EQ(lines[0].words[3].start, (Position{3, 2}));
}

TEST(ConfigLexerTest, AnUnterminatedQuoteIsAnError) {
  const Split split = SplitText("SecRule A \"@rx b\n");
  ASSERT_EQ(split.diagnostics.size(), 1u);
  EXPECT_EQ(split.diagnostics[0].location, (SourceLocation{"f.conf", 1, 11}));
  EXPECT_EQ(split.diagnostics[0].message,
            "missing closing double quote for the argument that starts here");
}

TEST(ConfigLexerTest, ANulByteIsAnError) {
  const Split split = SplitText(std::string("SecMarker A\0B\n", 14));
  ASSERT_EQ(split.diagnostics.size(), 1u);
  EXPECT_EQ(split.diagnostics[0].location.column, 12);
}

TEST(ConfigLexerTest, LastLineWithoutNewline) {
  EXPECT_THAT(SplitText("SecMarker A").lines, ElementsAre(ElementsAre("SecMarker", "A")));
}

}  // namespace
}  // namespace gatehouse::seclang
