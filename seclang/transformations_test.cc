#include "seclang/transformations.h"

#include <string>
#include <string_view>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gatehouse::seclang {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using namespace std::string_view_literals;  // NOLINT: "..."sv for inputs holding NUL bytes

// --- names and lists ---------------------------------------------------------------------------

TEST(TransformationNamesTest, EveryNameRoundTrips) {
  for (Transformation t :
       {Transformation::kNone, Transformation::kLowercase, Transformation::kUrlDecode,
        Transformation::kUrlDecodeUni, Transformation::kUtf8ToUnicode,
        Transformation::kHtmlEntityDecode, Transformation::kJsDecode, Transformation::kCssDecode,
        Transformation::kRemoveNulls}) {
    EXPECT_EQ(TransformationByName(TransformationName(t)), t) << TransformationName(t);
  }
}

TEST(TransformationNamesTest, SpellingIsExact) {
  EXPECT_EQ(TransformationByName("utf8toUnicode"), Transformation::kUtf8ToUnicode);
  EXPECT_EQ(TransformationByName("urlDecodeUni"), Transformation::kUrlDecodeUni);
  EXPECT_EQ(TransformationByName("URLDECODEUNI"), std::nullopt);
  EXPECT_EQ(TransformationByName("base64decode"), std::nullopt);
  EXPECT_EQ(TransformationByName(""), std::nullopt);
}

TEST(ParseTransformationListTest, Crs942100) {
  auto list = ParseTransformationList("t:none,t:utf8toUnicode,t:urlDecodeUni,t:removeNulls");
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_THAT(*list, ElementsAre(Transformation::kUtf8ToUnicode, Transformation::kUrlDecodeUni,
                                 Transformation::kRemoveNulls));
}

TEST(ParseTransformationListTest, Crs941100WithSpaces) {
  auto list = ParseTransformationList(
      " t:none, t:utf8toUnicode,t:urlDecodeUni ,t:htmlEntityDecode,t:jsDecode,t:cssDecode,"
      "t:removeNulls");
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_THAT(*list, ElementsAre(Transformation::kUtf8ToUnicode, Transformation::kUrlDecodeUni,
                                 Transformation::kHtmlEntityDecode, Transformation::kJsDecode,
                                 Transformation::kCssDecode, Transformation::kRemoveNulls));
}

TEST(ParseTransformationListTest, NoneDropsWhatCameBefore) {
  auto list = ParseTransformationList("t:lowercase,t:none,t:urlDecode");
  ASSERT_TRUE(list.ok());
  EXPECT_THAT(*list, ElementsAre(Transformation::kUrlDecode));
  list = ParseTransformationList("t:none");
  ASSERT_TRUE(list.ok());
  EXPECT_TRUE(list->empty());
}

TEST(ParseTransformationListTest, Errors) {
  auto list = ParseTransformationList("t:none,t:md5");
  EXPECT_EQ(list.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(list.status().message(), HasSubstr("md5"));
  EXPECT_EQ(ParseTransformationList("lowercase").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseTransformationList("t:lowercase,,t:none").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseTransformationList("").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(ParseTransformationListTest, FormatReadsBack) {
  const std::vector<Transformation> list = {Transformation::kJsDecode, Transformation::kLowercase};
  EXPECT_EQ(FormatTransformationList(list), "t:jsDecode,t:lowercase");
  EXPECT_EQ(*ParseTransformationList(FormatTransformationList(list)), list);
}

// --- the chains ----------------------------------------------------------------------------------

TEST(ApplyTransformationsTest, RunsInOrder) {
  const auto list = *ParseTransformationList("t:urlDecode,t:lowercase");
  EXPECT_EQ(ApplyTransformations(list, "%55NION+%53elect"), "union select");
  EXPECT_EQ(ApplyTransformations({}, "As Is"), "As Is");
  EXPECT_EQ(ApplyTransformation(Transformation::kNone, "X"), "X");
}

TEST(ApplyTransformationsTest, Crs941100ChainUncoversScript) {
  const auto list = *ParseTransformationList(
      "t:none,t:utf8toUnicode,t:urlDecodeUni,t:htmlEntityDecode,t:jsDecode,t:cssDecode,"
      "t:removeNulls");
  // %26 -> '&', &#x3c; -> '<', \x73 -> 's' (jsDecode), then \\63 -> \63 (jsDecode) -> 'c'
  // (cssDecode), and %00 dropped.
  EXPECT_EQ(ApplyTransformations(list, "%26#x3c;\\x73\\\\63ri%00pt>"), "<script>");
  // jsDecode runs first: a single \63 is octal there, '3'.
  EXPECT_EQ(ApplyTransformations(list, "\\63"), "3");
  // Full-width '<' (U+FF1C) in UTF-8 becomes %uff1c, then '<'.
  EXPECT_EQ(ApplyTransformations(list, "\xEF\xBC\x9Cscript>"), "<script>");
}

TEST(MultiMatchValuesTest, KeepsEachChangedValue) {
  const auto list = *ParseTransformationList(
      "t:none,t:utf8toUnicode,t:urlDecodeUni,t:removeNulls");
  EXPECT_THAT(MultiMatchValues(list, "a%27%00b"), ElementsAre("a%27%00b", "a'\0b"sv, "a'b"));
  EXPECT_THAT(MultiMatchValues(list, "plain"), ElementsAre("plain"));
}

// --- lowercase, removeNulls ----------------------------------------------------------------------

TEST(LowercaseTest, AsciiOnly) {
  EXPECT_EQ(Lowercase("SeLeCT 1 FROM Ü"), "select 1 from Ü");
  EXPECT_EQ(Lowercase("\xC3\x9C"), "\xC3\x9C");
}

TEST(RemoveNullsTest, DropsEveryNul) {
  EXPECT_EQ(RemoveNulls("\0a\0\0b\0"sv), "ab");
  EXPECT_EQ(RemoveNulls(""), "");
}

// --- urlDecode -----------------------------------------------------------------------------------

TEST(UrlDecodeTest, EscapesAndPlus) {
  EXPECT_EQ(UrlDecode("a%20b+c%2Bd%2b"), "a b c+d+");
  EXPECT_EQ(UrlDecode("%00"), "\0"sv);
  EXPECT_EQ(UrlDecode("%ff%FF"), "\xff\xff");
}

TEST(UrlDecodeTest, InvalidEscapesKeptAsIs) {
  EXPECT_EQ(UrlDecode("100%"), "100%");
  EXPECT_EQ(UrlDecode("%4"), "%4");
  EXPECT_EQ(UrlDecode("%zz%4g%"), "%zz%4g%");
  EXPECT_EQ(UrlDecode("%%41"), "%A");
  // Decoding happens once: %2541 is "%41", not "A".
  EXPECT_EQ(UrlDecode("%2541"), "%41");
  // urlDecode does not know %u.
  EXPECT_EQ(UrlDecode("%u0041"), "%u0041");
}

// --- urlDecodeUni --------------------------------------------------------------------------------

TEST(UrlDecodeUniTest, PercentU) {
  EXPECT_EQ(UrlDecodeUni("%u0041%U0042"), "AB");
  // Only the low byte survives.
  EXPECT_EQ(UrlDecodeUni("%u0441"), "A");
  EXPECT_EQ(UrlDecodeUni("%u00e9"), "\xe9");
  // Full-width ASCII folds to ASCII: U+FF1C is '<', U+FF41 is 'a'.
  EXPECT_EQ(UrlDecodeUni("%uff1c%uFF41"), "<a");
  // U+FF5F is past the full-width ASCII block: its low byte only.
  EXPECT_EQ(UrlDecodeUni("%uff5f"), "\x5f");
  EXPECT_EQ(UrlDecodeUni("%uff00"), "\0"sv);
}

TEST(UrlDecodeUniTest, ShortOrInvalidPercentUKeptAsIs) {
  EXPECT_EQ(UrlDecodeUni("%u004"), "%u004");
  EXPECT_EQ(UrlDecodeUni("%u"), "%u");
  EXPECT_EQ(UrlDecodeUni("%u12"), "%u12");
  EXPECT_EQ(UrlDecodeUni("%u00zz1"), "%u00zz1");
  // The text after a rejected %u is read again: %41 still decodes.
  EXPECT_EQ(UrlDecodeUni("%u%41"), "%uA");
}

TEST(UrlDecodeUniTest, LikeUrlDecodeOtherwise) {
  EXPECT_EQ(UrlDecodeUni("1%27+OR+%271%27%3D%271"), "1' OR '1'='1");
  EXPECT_EQ(UrlDecodeUni("%zz%4"), "%zz%4");
}

// --- utf8toUnicode -------------------------------------------------------------------------------

TEST(Utf8ToUnicodeTest, SequencesBecomePercentU) {
  EXPECT_EQ(Utf8ToUnicode("caf\xC3\xA9"), "caf%u00e9");
  EXPECT_EQ(Utf8ToUnicode("\xE2\x82\xAC"), "%u20ac");
  EXPECT_EQ(Utf8ToUnicode("\xEF\xBC\x9C"), "%uff1c");
  EXPECT_EQ(Utf8ToUnicode("\xF0\x9F\x98\x80"), "%u1f600");
  EXPECT_EQ(Utf8ToUnicode("\xF4\x8F\xBF\xBF"), "%u10ffff");
  EXPECT_EQ(Utf8ToUnicode("plain ASCII \x7f"), "plain ASCII \x7f");
}

TEST(Utf8ToUnicodeTest, OverlongFormsAndSurrogatesDecoded) {
  // Overlong '<' in two, three and four bytes: what a lenient back end reads.
  EXPECT_EQ(Utf8ToUnicode("\xC0\xBC"), "%u003c");
  EXPECT_EQ(Utf8ToUnicode("\xE0\x80\xBC"), "%u003c");
  EXPECT_EQ(Utf8ToUnicode("\xF0\x80\x80\xBC"), "%u003c");
  EXPECT_EQ(UrlDecodeUni(Utf8ToUnicode("\xC0\xBCscript>")), "<script>");
  EXPECT_EQ(Utf8ToUnicode("\xED\xA0\x80"), "%ud800");
  EXPECT_EQ(Utf8ToUnicode("\xF4\x90\x80\x80"), "%u110000");
  EXPECT_EQ(Utf8ToUnicode("\xF7\xBF\xBF\xBF"), "%u1fffff");
}

TEST(Utf8ToUnicodeTest, MalformedBytesKeptAsIs) {
  // A stray continuation byte, a truncated sequence, a lead byte before ASCII.
  EXPECT_EQ(Utf8ToUnicode("\x80"), "\x80");
  EXPECT_EQ(Utf8ToUnicode("a\xC3"), "a\xC3");
  EXPECT_EQ(Utf8ToUnicode("\xE2\x82"), "\xE2\x82");
  EXPECT_EQ(Utf8ToUnicode("\xC3("), "\xC3(");
  // Lead bytes of five- and six-byte forms, and 0xFF.
  EXPECT_EQ(Utf8ToUnicode("\xF8\x88\x80\x80\x80"), "\xF8\x88\x80\x80\x80");
  EXPECT_EQ(Utf8ToUnicode("\xFF"), "\xFF");
  // The sequence after a rejected lead byte still converts.
  EXPECT_EQ(Utf8ToUnicode("\xC3\xC3\xA9"), "\xC3%u00e9");
}

// --- htmlEntityDecode ----------------------------------------------------------------------------

TEST(HtmlEntityDecodeTest, NumericReferences) {
  EXPECT_EQ(HtmlEntityDecode("&#60;&#x3c;&#X3C;"), "<<<");
  // The semicolon is optional.
  EXPECT_EQ(HtmlEntityDecode("&#60script&#x3eX"), "<script>X");
  EXPECT_EQ(HtmlEntityDecode("&#0000060;"), "<");
  // One byte per reference: the low byte.
  EXPECT_EQ(HtmlEntityDecode("&#x13c;&#316;"), "<<");
  EXPECT_EQ(HtmlEntityDecode("&#0;"), "\0"sv);
  // Values past a long saturate (to 0x...FF), as the reference engine's strtol does.
  EXPECT_EQ(HtmlEntityDecode("&#99999999999999999999999;"), "\xff");
  EXPECT_EQ(HtmlEntityDecode("&#x1000000000000000000000041;"), "\xff");
}

TEST(HtmlEntityDecodeTest, ReferencesWithoutDigitsKeptAsIs) {
  EXPECT_EQ(HtmlEntityDecode("&#x;"), "&#x;");
  EXPECT_EQ(HtmlEntityDecode("&#;"), "&#;");
  EXPECT_EQ(HtmlEntityDecode("&#xg;"), "&#xg;");
  EXPECT_EQ(HtmlEntityDecode("&#"), "&#");
  EXPECT_EQ(HtmlEntityDecode("&#x"), "&#x");
  EXPECT_EQ(HtmlEntityDecode("&"), "&");
  EXPECT_EQ(HtmlEntityDecode("a & b"), "a & b");
}

TEST(HtmlEntityDecodeTest, NamedReferences) {
  EXPECT_EQ(HtmlEntityDecode("&lt;&gt;&quot;&amp;&nbsp;"), "<>\"&\xA0");
  // Any case, semicolon optional.
  EXPECT_EQ(HtmlEntityDecode("&LT;&Gt&quotx"), "<>&quotx");
  EXPECT_EQ(HtmlEntityDecode("&lt script"), "< script");
  // Names this decoder does not know stay whole.
  EXPECT_EQ(HtmlEntityDecode("&apos;&copy;&ltx;"), "&apos;&copy;&ltx;");
  // Decoding happens once.
  EXPECT_EQ(HtmlEntityDecode("&amp;lt;"), "&lt;");
  EXPECT_EQ(HtmlEntityDecode("&&#60;"), "&<");
}

// --- jsDecode ------------------------------------------------------------------------------------

TEST(JsDecodeTest, HexAndUnicodeEscapes) {
  EXPECT_EQ(JsDecode("\\x3cscript\\x3E"), "<script>");
  EXPECT_EQ(JsDecode("\\u003c\\u0441"), "<A");
  EXPECT_EQ(JsDecode("\\uff1c\\uFF41"), "<a");
  // Short or invalid forms: the backslash goes, the letter stays.
  EXPECT_EQ(JsDecode("\\x4"), "x4");
  EXPECT_EQ(JsDecode("\\xzz"), "xzz");
  EXPECT_EQ(JsDecode("\\u004"), "u004");
  EXPECT_EQ(JsDecode("\\u00g1"), "u00g1");
  // JavaScript's escapes are lower-case: \X and \U are ordinary characters.
  EXPECT_EQ(JsDecode("\\X41\\U0041"), "X41U0041");
}

TEST(JsDecodeTest, OctalEscapes) {
  EXPECT_EQ(JsDecode("\\0"), "\0"sv);
  EXPECT_EQ(JsDecode("a\\0b"), "a\0b"sv);
  EXPECT_EQ(JsDecode("\\74script\\076"), "<script>");
  EXPECT_EQ(JsDecode("\\101\\1011"), "AA1");
  EXPECT_EQ(JsDecode("\\377"), "\xff");
  // \477 does not fit a byte: \47 and then '7'.
  EXPECT_EQ(JsDecode("\\477"), "'7");
  EXPECT_EQ(JsDecode("\\8"), "8");
}

TEST(JsDecodeTest, SingleCharacterEscapes) {
  EXPECT_EQ(JsDecode("\\a\\b\\f\\n\\r\\t\\v"), "\a\b\f\n\r\t\v");
  EXPECT_EQ(JsDecode("\\'\\\"\\\\\\/\\q"), "'\"\\/q");
  // A backslash at the end escapes nothing and stays.
  EXPECT_EQ(JsDecode("abc\\"), "abc\\");
  EXPECT_EQ(JsDecode("\\\\x41"), "\\x41");
}

// --- cssDecode -----------------------------------------------------------------------------------

TEST(CssDecodeTest, OneToSixHexDigits) {
  EXPECT_EQ(CssDecode("\\a"), "\x0a");
  EXPECT_EQ(CssDecode("\\3c"), "<");
  EXPECT_EQ(CssDecode("\\03c"), "<");
  EXPECT_EQ(CssDecode("\\003c"), "<");
  EXPECT_EQ(CssDecode("\\0003c"), "<");
  EXPECT_EQ(CssDecode("\\00003c"), "<");
  // Six digits at most: the seventh is an ordinary character.
  EXPECT_EQ(CssDecode("\\00003c1"), "<1");
  // The last two digits only.
  EXPECT_EQ(CssDecode("\\13c"), "<");
  EXPECT_EQ(CssDecode("\\10003c"), "<");
}

TEST(CssDecodeTest, FullWidthFolds) {
  EXPECT_EQ(CssDecode("\\ff1c"), "<");
  EXPECT_EQ(CssDecode("\\0ff1c"), "<");
  EXPECT_EQ(CssDecode("\\00FF1C"), "<");
  // Above U+FFFF there is no folding: the low byte.
  EXPECT_EQ(CssDecode("\\1ff1c"), "\x1c");
}

TEST(CssDecodeTest, OneTrailingWhitespaceConsumed) {
  EXPECT_EQ(CssDecode("\\41 B"), "AB");
  EXPECT_EQ(CssDecode("\\41\tB"), "AB");
  EXPECT_EQ(CssDecode("\\41\r\nB"), "A\nB");
  EXPECT_EQ(CssDecode("\\41  B"), "A B");
  EXPECT_EQ(CssDecode("\\41 "), "A");
}

TEST(CssDecodeTest, OtherEscapes) {
  EXPECT_EQ(CssDecode("ja\\vascript"), "javascript");
  EXPECT_EQ(CssDecode("\\g\\(\\)"), "g()");
  EXPECT_EQ(CssDecode("a\\\nb"), "ab");
  EXPECT_EQ(CssDecode("\\\\"), "\\");
  // A backslash at the end is dropped.
  EXPECT_EQ(CssDecode("abc\\"), "abc");
  EXPECT_EQ(CssDecode("\\"), "");
}

TEST(CmdLineTest, ReadsACommandAsAShellWould) {
  // The reference manual's examples of evasion.
  EXPECT_EQ(CmdLine("c^ommand /c"), "command/c");
  EXPECT_EQ(CmdLine("\"command\" /c"), "command/c");
  EXPECT_EQ(CmdLine("command,/c"), "command/c");
  EXPECT_EQ(CmdLine("c\\md   ;  Echo\t(x)"), "cmd echo(x)");
  EXPECT_EQ(CmdLine("cat 'https://x'"), "cat https://x");
}

TEST(WhitespaceTest, CompressAndRemove) {
  EXPECT_EQ(CompressWhitespace("a \t\r\n b\xA0" "c"), "a b c");
  EXPECT_EQ(CompressWhitespace("  "), " ");
  EXPECT_EQ(RemoveWhitespace(" s e\tl\xA0" "ect\n"), "select");
}

TEST(NormalizePathTest, SlashesDotsAndDotDots) {
  EXPECT_EQ(NormalizePath("/a//b/./c/../d"), "/a/b/d");
  EXPECT_EQ(NormalizePath("/../../etc/passwd"), "/etc/passwd");
  EXPECT_EQ(NormalizePath("../../etc/passwd"), "../../etc/passwd");
  EXPECT_EQ(NormalizePath("a/b/../../../x"), "../x");
  EXPECT_EQ(NormalizePath("/a/b/"), "/a/b/");
  EXPECT_EQ(NormalizePath("/a/b/.."), "/a/");
  EXPECT_EQ(NormalizePath("/"), "/");
  EXPECT_EQ(NormalizePathWin("C:\\x\\..\\win.ini"), "C:/win.ini");
}

TEST(ReplaceCommentsTest, CommentsBecomeOneSpace) {
  EXPECT_EQ(ReplaceComments("UNION/**/SELECT"), "UNION SELECT");
  EXPECT_EQ(ReplaceComments("a/*x*//*y*/b"), "a  b");
  EXPECT_EQ(ReplaceComments("a/* unterminated"), "a ");
  EXPECT_EQ(ReplaceComments("a*/b"), "a*/b");
}

TEST(EncodingsTest, LengthSha1HexBase64) {
  EXPECT_EQ(Length(""), "0");
  EXPECT_EQ(Length("abcd"), "4");
  EXPECT_EQ(HexEncode(Sha1("abc")), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(HexEncode(std::string("\x00\xff", 2)), "00ff");
  EXPECT_EQ(Base64Decode("aGVsbG8="), "hello");
  EXPECT_EQ(Base64Decode("aGVsbG8"), "hello");
  EXPECT_EQ(Base64Decode("aGV$sbG8"), "he");
}

TEST(TransformationNamesTest, EveryCrsNameIsKnown) {
  for (std::string_view name :
       {"none", "lowercase", "urlDecode", "urlDecodeUni", "utf8toUnicode", "htmlEntityDecode",
        "jsDecode", "cssDecode", "removeNulls", "cmdLine", "compressWhitespace",
        "removeWhitespace", "normalizePath", "normalisePath", "normalizePathWin", "replaceComments",
        "length", "sha1", "hexEncode", "base64Decode"}) {
    EXPECT_TRUE(TransformationByName(name).has_value()) << name;
  }
  EXPECT_EQ(TransformationByName("normalisePath"), Transformation::kNormalizePath);
}

// MayChange may say "may change" for an input a function leaves alone, never the reverse: for
// every function and a spread of inputs, a false answer means the function is the identity there.
TEST(MayChangeTest, FalseOnlyWhenTheFunctionLeavesTheInputAlone) {
  const std::vector<std::string> inputs = {
      "", "plain words", "Upper", "a%41b", "a+b", "caf\xc3\xa9", "&lt;", "\\x41", "\\41",
      std::string("a\0b", 3), "c^md", "a  b", "a\tb", "/a//b/./c/../d", "./x", "C:\\win", "a/*c*/b",
      "x\xa0y",
      // Pairs across the four-byte steps ValueTraits reads, and a slash at the end.
      "abc//def", "abcdefg/.hij", "abcdefg  x", "abcdefghijk/*x*/", "abcdef/", "ABCDEFGHI"};
  for (int t = static_cast<int>(Transformation::kLowercase);
       t <= static_cast<int>(Transformation::kBase64Decode); ++t) {
    const auto transformation = static_cast<Transformation>(t);
    for (const std::string& input : inputs) {
      if (!MayChange(transformation, input)) {
        EXPECT_EQ(ApplyTransformation(transformation, input), input)
            << TransformationName(transformation) << " on \"" << input << "\"";
      }
    }
  }
}

}  // namespace
}  // namespace gatehouse::seclang
