#include "common/http_syntax.h"

#include "gtest/gtest.h"

namespace gatehouse {
namespace {

TEST(HttpSyntaxTest, FieldNames) {
  EXPECT_TRUE(IsFieldName("X-Request-Id"));
  EXPECT_TRUE(IsFieldName("a!#$%&'*+-.^_`|~9"));
  EXPECT_FALSE(IsFieldName(""));
  EXPECT_FALSE(IsFieldName("X Name"));
  EXPECT_FALSE(IsFieldName("X:Name"));
  SyntaxViolation violation;
  ASSERT_TRUE(FindFieldNameViolation("ab\r\nc", &violation));
  EXPECT_EQ(violation.offset, 2u);
  EXPECT_EQ(violation.reason, "a header name may not contain CR");
}

TEST(HttpSyntaxTest, FieldValues) {
  EXPECT_TRUE(IsFieldValue(""));
  EXPECT_TRUE(IsFieldValue("text/html; charset=utf-8"));
  EXPECT_TRUE(IsFieldValue("tab\there"));
  EXPECT_TRUE(IsFieldValue("caf\xc3\xa9"));  // obs-text passes through
  EXPECT_FALSE(IsFieldValue("a\rb"));
  EXPECT_FALSE(IsFieldValue("a\nb"));
  EXPECT_FALSE(IsFieldValue(std::string_view("a\0b", 3)));
  EXPECT_FALSE(IsFieldValue("a\x7f"));
  EXPECT_FALSE(IsFieldValue("a\x01"));
  SyntaxViolation violation;
  ASSERT_TRUE(FindFieldValueViolation("x\r\nSet-Cookie: pwn=1", &violation));
  EXPECT_EQ(violation.offset, 1u);
  EXPECT_EQ(violation.reason, "a header value may not contain CR (\\r)");
}

TEST(HttpSyntaxTest, Paths) {
  EXPECT_TRUE(IsOriginFormPath("/"));
  EXPECT_TRUE(IsOriginFormPath("/a/b%20c;x=1"));
  EXPECT_FALSE(IsOriginFormPath(""));
  EXPECT_FALSE(IsOriginFormPath("a"));
  EXPECT_FALSE(IsOriginFormPath("/a b"));
  EXPECT_FALSE(IsOriginFormPath("/a?b"));
  EXPECT_FALSE(IsOriginFormPath("/a#b"));
  EXPECT_FALSE(IsOriginFormPath("/a\r\nHost: x"));
  EXPECT_FALSE(IsOriginFormPath("/\xc3\xa9"));
}

TEST(HttpSyntaxTest, Queries) {
  EXPECT_TRUE(IsQuery(""));
  EXPECT_TRUE(IsQuery("a=1&b=%0d%0a"));
  EXPECT_TRUE(IsQuery("a=/?x"));
  EXPECT_FALSE(IsQuery("a=1 b"));
  EXPECT_FALSE(IsQuery("a=\r\n"));
  EXPECT_FALSE(IsQuery("a#b"));
}

}  // namespace
}  // namespace gatehouse
