#include "waf_inputs/cookies.h"

#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gatehouse::waf_inputs {
namespace {

using ::testing::ElementsAre;

std::vector<Cookie> Parse(std::string_view header) {
  std::vector<Cookie> cookies;
  ParseCookieHeader(header, cookies);
  return cookies;
}

// libmodsecurity 3.0.9's REQUEST_COOKIES for "Cookie: a=1; b=2;;  c ; =d; e=f=g ".
TEST(ParseCookieHeaderTest, VersionZeroPairs) {
  EXPECT_THAT(Parse("a=1; b=2;;  c ; =d; e=f=g "),
              ElementsAre(Cookie{"a", "1"}, Cookie{"b", "2"}, Cookie{"c ", ""},
                          Cookie{"e", "f=g"}));
}

TEST(ParseCookieHeaderTest, OnlyTheLastPairLosesTrailingWhitespace) {
  EXPECT_THAT(Parse("a=1 ; b=2 \t"), ElementsAre(Cookie{"a", "1 "}, Cookie{"b", "2"}));
  EXPECT_THAT(Parse("a=1; "), ElementsAre(Cookie{"a", "1"}));
  EXPECT_THAT(Parse("a=1;"), ElementsAre(Cookie{"a", "1"}));
}

TEST(ParseCookieHeaderTest, ValuesAreNotDecodedOrUnquoted) {
  EXPECT_THAT(Parse("a=\"x%41\"; b= y"), ElementsAre(Cookie{"a", "\"x%41\""}, Cookie{"b", " y"}));
}

TEST(ParseCookieHeaderTest, EmptyHeader) {
  EXPECT_THAT(Parse(""), ElementsAre());
  EXPECT_THAT(Parse(" ; ;"), ElementsAre());
}

}  // namespace
}  // namespace gatehouse::waf_inputs
