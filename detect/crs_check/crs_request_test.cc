#include <string>
#include <vector>

#include "detect/crs_check/ftw_request.h"
#include "detect/crs_check/request_variables.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gatehouse::crs_check {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

MATCHER_P2(IsVariable, name, value, "") { return arg.name == name && arg.value == value; }

TEST(FormEncodeUnlessEncodedTest, EncodesPlainFormData) {
  EXPECT_EQ(FormEncodeUnlessEncoded("var=1234 OR 1=1"), "var=1234+OR+1%3D1");
  EXPECT_EQ(FormEncodeUnlessEncoded("a=-1839' or '1'='1&b"), "a=-1839%27+or+%271%27%3D%271&b");
  EXPECT_EQ(FormEncodeUnlessEncoded("x=a.b-c_d~e"), "x=a.b-c_d~e");
}

TEST(FormEncodeUnlessEncodedTest, KeepsWhatLooksEncoded) {
  // A valid escape or a '+' decodes to something else: already encoded.
  EXPECT_EQ(FormEncodeUnlessEncoded("var=foo')waitfor%20delay'5%3a0%3a20'--"),
            "var=foo')waitfor%20delay'5%3a0%3a20'--");
  EXPECT_EQ(FormEncodeUnlessEncoded("var=2010-01-01'+sleep(20)+'"), "var=2010-01-01'+sleep(20)+'");
  // A '%' that is not an escape: go-ftw leaves the data alone too.
  EXPECT_EQ(FormEncodeUnlessEncoded("var=\" | type %SystemDrive%"), "var=\" | type %SystemDrive%");
}

TEST(BuildFtwRequestTest, CompletesHeadersForData) {
  FtwInput input;
  input.method = "POST";
  input.headers = {{"Host", "localhost"}};
  input.data = "var=1 OR 1=1";
  const HttpRequest request = BuildFtwRequest(input);
  EXPECT_EQ(request.body, "var=1+OR+1%3D1");
  EXPECT_THAT(request.headers,
              ElementsAre(Pair("Host", "localhost"),
                          Pair("Content-Type", "application/x-www-form-urlencoded"),
                          Pair("Connection", "close"), Pair("Content-Length", "14")));
}

TEST(BuildFtwRequestTest, NoCompletionWhenTurnedOff) {
  FtwInput input;
  input.data = "a b";
  input.autocomplete = false;
  const HttpRequest request = BuildFtwRequest(input);
  EXPECT_EQ(request.body, "a b");
  EXPECT_TRUE(request.headers.empty());
}

TEST(BuildFtwRequestTest, OtherContentTypeNotEncoded) {
  FtwInput input;
  input.headers = {{"content-type", "text/plain"}};
  input.data = "a b";
  EXPECT_EQ(BuildFtwRequest(input).body, "a b");
}

TEST(ParseRawRequestTest, LineHeadersBody) {
  const HttpRequest request =
      ParseRawRequest("POST /a?b=c HTTP/1.0\r\nHost: x\r\nCookie:  k=v \r\n\r\nq=1");
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.uri, "/a?b=c");
  EXPECT_EQ(request.version, "HTTP/1.0");
  EXPECT_THAT(request.headers, ElementsAre(Pair("Host", "x"), Pair("Cookie", "k=v")));
  EXPECT_EQ(request.body, "q=1");
  EXPECT_EQ(ParseRawRequest("GET / HTTP/1.1\nHost: y\n\nbody").body, "body");
}

TEST(RequestVariablesTest, ArgsFromQueryAndFormBody) {
  HttpRequest request;
  request.uri = "/p?a=1+2&b%20c=%27x%zz&flag&&=v";
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
  request.body = "var=1%3D1&x=y=z";
  const RequestVariables variables(request);
  EXPECT_THAT(variables.Args(),
              ElementsAre(IsVariable("ARGS:a", "1 2"), IsVariable("ARGS:b c", "'x%zz"),
                          IsVariable("ARGS:flag", ""), IsVariable("ARGS:", "v"),
                          IsVariable("ARGS:var", "1=1"), IsVariable("ARGS:x", "y=z")));
  EXPECT_THAT(variables.ArgsNames(),
              ElementsAre(IsVariable("ARGS_NAMES:a", "a"), IsVariable("ARGS_NAMES:b c", "b c"),
                          IsVariable("ARGS_NAMES:flag", "flag"), IsVariable("ARGS_NAMES:", ""),
                          IsVariable("ARGS_NAMES:var", "var"), IsVariable("ARGS_NAMES:x", "x")));
}

TEST(RequestVariablesTest, BodyOnlyForForms) {
  HttpRequest request;
  request.uri = "/";
  request.headers = {{"Content-Type", "application/json"}};
  request.body = "a=1";
  EXPECT_TRUE(RequestVariables(request).Args().empty());
}

TEST(RequestVariablesTest, CookiesAndHeaders) {
  HttpRequest request;
  request.headers = {{"cookie", "a=1; __utma=2;b=x%20y"},
                     {"Cookie", " c"},
                     {"user-agent", "UA"},
                     {"Referer", "R"}};
  const RequestVariables variables(request);
  EXPECT_THAT(variables.Cookies("__utm"),
              ElementsAre(IsVariable("REQUEST_COOKIES:a", "1"),
                          IsVariable("REQUEST_COOKIES:b", "x%20y"),
                          IsVariable("REQUEST_COOKIES:c", "")));
  EXPECT_EQ(variables.Cookies("").size(), 4u);
  EXPECT_THAT(variables.CookieNames(),
              ElementsAre(IsVariable("REQUEST_COOKIES_NAMES:a", "a"),
                          IsVariable("REQUEST_COOKIES_NAMES:__utma", "__utma"),
                          IsVariable("REQUEST_COOKIES_NAMES:b", "b"),
                          IsVariable("REQUEST_COOKIES_NAMES:c", "c")));
  EXPECT_THAT(variables.Headers("User-Agent"),
              ElementsAre(IsVariable("REQUEST_HEADERS:user-agent", "UA")));
  EXPECT_TRUE(variables.Headers("X-None").empty());
}

}  // namespace
}  // namespace gatehouse::crs_check
