#include "ftw/request_builder.h"

#include "gtest/gtest.h"

namespace gatehouse::ftw {
namespace {

std::string HeaderValue(const Request& request, std::string_view name) {
  for (const auto& [header, value] : request.headers) {
    if (header == name) return value;
  }
  return "<none>";
}

TEST(BuildRequestTest, FormDataIsEncodedAndTyped) {
  StageInput input;
  input.method = "POST";
  input.data = "name=O'Brien & co&x=<script>";
  const Request request = BuildRequest(input, /*legacy=*/true);
  EXPECT_EQ(request.body, "name=O%27Brien+&+co&x=%3Cscript%3E");
  EXPECT_EQ(HeaderValue(request, "Content-Type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(HeaderValue(request, "Content-Length"), std::to_string(request.body.size()));
  EXPECT_EQ(HeaderValue(request, "Connection"), "close");
}

TEST(BuildRequestTest, DataThatLooksEncodedIsSentAsWritten) {
  StageInput input;
  input.method = "POST";
  input.data = "a=1+2&b=%27";
  EXPECT_EQ(BuildRequest(input, true).body, "a=1+2&b=%27");
  input.data = "a=100%";  // a bad escape also counts as encoded
  EXPECT_EQ(BuildRequest(input, true).body, "a=100%");
}

TEST(BuildRequestTest, OnlyTheExactFormTypeIsEncoded) {
  StageInput input;
  input.method = "POST";
  input.headers = {{"Content-Type", "application/json"}};
  input.data = "{\"a\": \"b c\"}";
  EXPECT_EQ(BuildRequest(input, true).body, "{\"a\": \"b c\"}");
}

TEST(BuildRequestTest, MultipartStringGetsCrlfEvenAfterCr) {
  StageInput input;
  input.method = "POST";
  input.headers = {{"Content-Type", "multipart/form-data; boundary=x"}};
  input.data = "--x\nA\r\nB";
  EXPECT_EQ(BuildRequest(input, true).body, "--x\r\nA\r\r\nB");
  input.data_was_list = true;  // lines already joined with CRLF: left alone
  input.data = "--x\r\nA";
  EXPECT_EQ(BuildRequest(input, true).body, "--x\r\nA");
}

TEST(BuildRequestTest, ContentLengthForBodylessPostOnlyOutsideLegacy) {
  StageInput input;
  input.method = "POST";
  EXPECT_EQ(HeaderValue(BuildRequest(input, true), "Content-Length"), "<none>");
  EXPECT_EQ(HeaderValue(BuildRequest(input, false), "Content-Length"), "0");
  input.method = "GET";
  EXPECT_EQ(HeaderValue(BuildRequest(input, false), "Content-Length"), "<none>");
}

TEST(BuildRequestTest, StopMagicSendsTheInputAsWritten) {
  StageInput input;
  input.method = "POST";
  input.data = "a=b c";
  input.autocomplete_headers = false;
  const Request request = BuildRequest(input, true);
  EXPECT_EQ(request.body, "a=b c");
  EXPECT_TRUE(request.headers.empty());
}

TEST(BuildRequestTest, ExistingHeadersAreKept) {
  StageInput input;
  input.method = "POST";
  input.data = "abc";
  input.headers = {{"content-length", "99"}, {"connection", "keep-alive"}};
  const Request request = BuildRequest(input, true);
  EXPECT_EQ(request.headers.size(), 3u);  // plus Content-Type
  EXPECT_EQ(HeaderValue(request, "content-length"), "99");
}

TEST(ParseRawRequestTest, SplitsCrlfAndLfRequests) {
  Request request = ParseRawRequest("GET /a?b=c HTTP/1.0\r\nHost: x\r\nX-Y:  z \r\n\r\nbody\r\n");
  EXPECT_EQ(request.method, "GET");
  EXPECT_EQ(request.uri, "/a?b=c");
  EXPECT_EQ(request.version, "HTTP/1.0");
  ASSERT_EQ(request.headers.size(), 2u);
  EXPECT_EQ(request.headers[1].second, "z");
  EXPECT_EQ(request.body, "body\r\n");

  request = ParseRawRequest("POST\nHost: y\n\nq");
  EXPECT_EQ(request.uri, "/");
  EXPECT_EQ(request.version, "HTTP/1.1");
  EXPECT_EQ(request.body, "q");
}

TEST(ParseRawRequestTest, RawRequestInputIsNotCompleted) {
  StageInput input;
  input.raw_request = "GET / HTTP/1.1\r\nHost: h\r\n\r\n";
  const Request request = BuildRequest(input, false);
  ASSERT_EQ(request.headers.size(), 1u);
  EXPECT_EQ(request.Serialize(), "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
}

}  // namespace
}  // namespace gatehouse::ftw
