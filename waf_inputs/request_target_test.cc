#include "waf_inputs/request_target.h"

#include "gtest/gtest.h"

namespace gatehouse::waf_inputs {
namespace {

using namespace std::string_view_literals;  // NOLINT: "..."sv for inputs holding NUL bytes

// Each case is libmodsecurity 3.0.9's variables for the same request-target.
TEST(ReadRequestTargetTest, DecodedUriAndFilenameRawQueryString) {
  body::TextArena arena;
  const RequestTarget target = ReadRequestTarget("/a/b%2fc.php?x=1&&y=%41+b%zz", arena);
  EXPECT_EQ(target.uri, "/a/b/c.php?x=1&&y=A+b%zz");
  EXPECT_EQ(target.uri_raw, "/a/b%2fc.php?x=1&&y=%41+b%zz");
  EXPECT_EQ(target.filename, "/a/b/c.php");
  EXPECT_EQ(target.basename, "c.php");
  EXPECT_EQ(target.query_string, "x=1&&y=%41+b%zz");
}

TEST(ReadRequestTargetTest, FilenameEndsAtTheFirstDecodedQuestionMark) {
  body::TextArena arena;
  const RequestTarget target = ReadRequestTarget("/a%3fb/c?&x=1", arena);
  EXPECT_EQ(target.filename, "/a");
  EXPECT_EQ(target.basename, "a");
  EXPECT_EQ(target.uri, "/a?b/c?&x=1");
  EXPECT_EQ(target.query_string, "&x=1");
}

TEST(ReadRequestTargetTest, AFragmentEndsAllButTheRawUri) {
  body::TextArena arena;
  RequestTarget target = ReadRequestTarget("/a?x=1#f?g", arena);
  EXPECT_EQ(target.uri, "/a?x=1");
  EXPECT_EQ(target.uri_raw, "/a?x=1#f?g");
  EXPECT_EQ(target.query_string, "x=1");
  target = ReadRequestTarget("/a#b?c=d", arena);
  EXPECT_EQ(target.filename, "/a");
  EXPECT_EQ(target.query_string, "");
  target = ReadRequestTarget("/a%23b?x=1%23c#d", arena);
  EXPECT_EQ(target.filename, "/a#b");
  EXPECT_EQ(target.uri, "/a#b?x=1#c");
  EXPECT_EQ(target.query_string, "x=1%23c");
}

TEST(ReadRequestTargetTest, AbsoluteForm) {
  body::TextArena arena;
  const RequestTarget target = ReadRequestTarget("http://h.com/x/y/?a=b", arena);
  EXPECT_EQ(target.uri, "/x/y/?a=b");
  EXPECT_EQ(target.filename, "http://h.com/x/y/");
  EXPECT_EQ(target.basename, "");
  // Not "scheme://": kept whole.
  EXPECT_EQ(ReadRequestTarget("http:/x", arena).uri, "http:/x");
  EXPECT_EQ(ReadRequestTarget("http://hostonly", arena).uri, "http://hostonly");
}

TEST(ReadRequestTargetTest, BackslashSeparatesTheBasenameAndBytesDecodeRaw) {
  body::TextArena arena;
  EXPECT_EQ(ReadRequestTarget("/a\\b", arena).basename, "b");
  const RequestTarget target = ReadRequestTarget("/p%00q/x%2e%2E/%c0%af?a=%2", arena);
  EXPECT_EQ(target.filename, "/p\0q/x../\xc0\xaf"sv);
  EXPECT_EQ(target.basename, "\xc0\xaf");
  EXPECT_EQ(ReadRequestTarget("noslash", arena).basename, "");
}

}  // namespace
}  // namespace gatehouse::waf_inputs
