#include "waf_inputs/request_collections.h"

#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "re2/re2.h"

namespace gatehouse::waf_inputs {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using Entry = CollectionEntry;

class RequestCollectionsTest : public ::testing::Test {
 protected:
  const RequestCollections& Build(std::string_view method, std::string_view target,
                                  rules::HeaderList headers, std::string_view body = "",
                                  uint64_t body_size = 0) {
    // The request's storage, as the runtime keeps it while the collections are read.
    headers_ = std::move(headers);
    target_.assign(target);
    body_.assign(body);
    request_ = rules::RequestData();
    request_.method = method;
    request_.raw_target = target_;
    request_.headers = &headers_;
    request_.body = body_;
    request_.body_size = body_size != 0 ? body_size : body.size();
    request_.client_ip.is_v4 = true;
    request_.client_ip.bytes = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 7};
    collections_.Build(request_, SelectBodyProcessor(headers_));
    return collections_;
  }

  std::vector<Entry> All(Collection collection) const {
    const auto entries = collections_.Entries(collection);
    return std::vector<Entry>(entries.begin(), entries.end());
  }

  rules::HeaderList headers_;
  std::string target_;
  std::string body_;
  rules::RequestData request_;
  RequestCollections collections_;
};

// Each expectation was read from libmodsecurity 3.0.9 (bench/collections_compare).
TEST_F(RequestCollectionsTest, RequestLineAndQuery) {
  Build("GET", "/a/b%2fc.php?x=1&&y=%41+b%zz&=v&z&x=3", {{"Host", "h"}});
  EXPECT_THAT(All(Collection::kArgs),
              ElementsAre(Entry{"x", "1"}, Entry{"", ""}, Entry{"y", "A b%zz"}, Entry{"", "v"},
                          Entry{"z", ""}, Entry{"x", "3"}));
  EXPECT_EQ(All(Collection::kArgsGet), All(Collection::kArgs));
  EXPECT_THAT(All(Collection::kArgsPost), IsEmpty());
  EXPECT_THAT(All(Collection::kArgsNames),
              ElementsAre(Entry{"x", "x"}, Entry{"", ""}, Entry{"y", "y"}, Entry{"", ""},
                          Entry{"z", "z"}, Entry{"x", "x"}));
  EXPECT_EQ(collections_.Scalar(Collection::kArgsCombinedSize), "13.000000");
  EXPECT_EQ(collections_.Scalar(Collection::kUrlencodedError), "1");
  EXPECT_EQ(collections_.Scalar(Collection::kRequestFilename), "/a/b/c.php");
  EXPECT_EQ(collections_.Scalar(Collection::kRequestBasename), "c.php");
  EXPECT_EQ(collections_.Scalar(Collection::kRequestUri), "/a/b/c.php?x=1&&y=A+b%zz&=v&z&x=3");
  EXPECT_EQ(collections_.Scalar(Collection::kQueryString), "x=1&&y=%41+b%zz&=v&z&x=3");
  EXPECT_EQ(collections_.Scalar(Collection::kRequestLine),
            "GET /a/b%2fc.php?x=1&&y=%41+b%zz&=v&z&x=3 HTTP/1.1");
  EXPECT_EQ(collections_.Scalar(Collection::kRequestProtocol), "HTTP/1.1");
  EXPECT_EQ(collections_.Scalar(Collection::kRemoteAddr), "192.0.2.7");
}

TEST_F(RequestCollectionsTest, ScalarsAlwaysHoldOneValue) {
  Build("GET", "/", {});
  for (std::size_t i = 0; i < kCollectionCount; ++i) {
    const auto collection = static_cast<Collection>(i);
    if (IsScalar(collection)) {
      EXPECT_EQ(collections_.Entries(collection).size(), 1u) << CollectionName(collection);
    }
  }
  EXPECT_EQ(collections_.Scalar(Collection::kRequestBody), "");
  EXPECT_EQ(collections_.Scalar(Collection::kRequestBodyLength), "");
  EXPECT_EQ(collections_.Scalar(Collection::kArgsCombinedSize), "");
  EXPECT_EQ(collections_.Scalar(Collection::kReqbodyError), "0");
  EXPECT_EQ(collections_.Scalar(Collection::kMultipartStrictError), "");
  EXPECT_EQ(collections_.Scalar(Collection::kRequestBasename), "");
}

TEST_F(RequestCollectionsTest, HeadersAndCookies) {
  Build("GET", "/", {{"Host", "h"}, {"Cookie", "a=1; b=2;;  c ; =d; e=f=g "}, {"cookie", "x=9"}});
  EXPECT_THAT(All(Collection::kRequestHeadersNames),
              ElementsAre(Entry{"Host", "Host"}, Entry{"Cookie", "Cookie"},
                          Entry{"cookie", "cookie"}));
  EXPECT_THAT(All(Collection::kRequestCookies),
              ElementsAre(Entry{"a", "1"}, Entry{"b", "2"}, Entry{"c ", ""}, Entry{"e", "f=g"},
                          Entry{"x", "9"}));
  // Keys compare ignoring case, as libmodsecurity's collections do.
  EXPECT_EQ(collections_.Count(Collection::kRequestHeaders, KeySelector::Key("COOKIE")), 2u);
  re2::RE2::Options caseless;
  caseless.set_case_sensitive(false);
  const re2::RE2 regex("^[AB]$", caseless);
  EXPECT_EQ(collections_.Count(Collection::kRequestCookies, KeySelector::Regex(regex)), 2u);
}

TEST_F(RequestCollectionsTest, UrlEncodedBody) {
  Build("POST", "/?q=1", {{"Content-Type", "application/x-www-form-urlencoded"}}, "a=1&b");
  EXPECT_THAT(All(Collection::kArgs), ElementsAre(Entry{"q", "1"}, Entry{"a", "1"}, Entry{"b", ""}));
  EXPECT_THAT(All(Collection::kArgsPost), ElementsAre(Entry{"a", "1"}, Entry{"b", ""}));
  EXPECT_EQ(collections_.Scalar(Collection::kRequestBody), "a=1&b");
  EXPECT_EQ(collections_.Scalar(Collection::kRequestBodyLength), "5");
  EXPECT_EQ(collections_.Scalar(Collection::kReqbodyProcessor), "URLENCODED");
  // libmodsecurity leaves REQBODY_ERROR unset after a url-encoded body.
  EXPECT_EQ(collections_.Scalar(Collection::kReqbodyError), "");
}

TEST_F(RequestCollectionsTest, JsonArgumentsAreNotArgsPost) {
  Build("POST", "/", {{"Content-Type", "application/json"}}, R"({"a":1})");
  EXPECT_THAT(All(Collection::kArgs), ElementsAre(Entry{"json.a", "1"}));
  EXPECT_THAT(All(Collection::kArgsPost), IsEmpty());
  EXPECT_EQ(collections_.Scalar(Collection::kArgsCombinedSize), "7.000000");
  EXPECT_EQ(collections_.Scalar(Collection::kReqbodyProcessor), "JSON");
  Build("POST", "/", {{"Content-Type", "application/json"}}, R"({"a":1} x)");
  EXPECT_EQ(collections_.Scalar(Collection::kReqbodyErrorMsg),
            "JSON parsing error: parse error: trailing garbage\n");
  EXPECT_TRUE(collections_.body_error());
}

TEST_F(RequestCollectionsTest, TheArgumentLimit) {
  std::string query;
  for (int i = 0; i < 1100; ++i) query += (i > 0 ? "&x=" : "x=") + std::to_string(i);
  Build("GET", "/?" + query, {});
  EXPECT_EQ(collections_.Entries(Collection::kArgs).size(), 1000u);
  std::string json = "[";
  for (int i = 0; i < 1100; ++i) json += (i > 0 ? "," : "") + std::to_string(i);
  json += "]";
  Build("POST", "/", {{"Content-Type", "application/json"}}, json);
  EXPECT_EQ(collections_.Entries(Collection::kArgs).size(), 1000u);
  // Past the limit libmodsecurity's JSON callback refuses, which is a parse error.
  EXPECT_EQ(collections_.Scalar(Collection::kReqbodyErrorMsg),
            "JSON parsing error: parse error: client cancelled parse via callback return value\n");
}

TEST_F(RequestCollectionsTest, Multipart) {
  Build("POST", "/", {{"Content-Type", "multipart/form-data; boundary=XX"}},
        "--XX\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n"
        "--XX\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.txt\"\r\n\r\nfile\r\n"
        "--XX--\r\n");
  EXPECT_THAT(All(Collection::kArgsPost), ElementsAre(Entry{"a", "v"}));
  EXPECT_THAT(All(Collection::kFiles), ElementsAre(Entry{"f", "x.txt"}));
  EXPECT_THAT(All(Collection::kFilesNames), ElementsAre(Entry{"f", "f"}));
  EXPECT_THAT(All(Collection::kFilesSizes), ElementsAre(Entry{"f", "4"}));
  EXPECT_EQ(collections_.Scalar(Collection::kFilesCombinedSize), "4");
  EXPECT_EQ(collections_.Count(Collection::kMultipartPartHeaders, KeySelector::Key("F")), 1u);
  EXPECT_EQ(collections_.Scalar(Collection::kMultipartUnmatchedBoundary), "2");
  EXPECT_EQ(collections_.Scalar(Collection::kMultipartStrictError), "0");
  EXPECT_EQ(collections_.Scalar(Collection::kMultipartFileLimitExceeded), "");
  // Fields skip the argument bookkeeping: no ARGS_COMBINED_SIZE.
  EXPECT_EQ(collections_.Scalar(Collection::kArgsCombinedSize), "");
}

TEST_F(RequestCollectionsTest, XmlFillsRequestBodyToo) {
  Build("POST", "/", {{"Content-Type", "text/xml"}}, "<a x=\"1\">t</a>");
  EXPECT_THAT(All(Collection::kXml), ElementsAre(Entry{"/*", "t"}, Entry{"//@*", "1"}));
  EXPECT_EQ(collections_.Scalar(Collection::kRequestBody), "<a x=\"1\">t</a>");
  Build("POST", "/", {{"Content-Type", "application/xml"}}, "<a>unclosed");
  EXPECT_THAT(All(Collection::kXml), ElementsAre(Entry{"/*", "unclosed"}));
  EXPECT_EQ(collections_.Scalar(Collection::kReqbodyErrorMsg),
            "XML parsing error: XML: Failed parsing document.");
}

TEST_F(RequestCollectionsTest, ATruncatedBodyIsNoParseError) {
  Build("POST", "/", {{"Content-Type", "application/json"}}, R"({"a":"cut)", 100000);
  EXPECT_TRUE(collections_.body_truncated());
  EXPECT_FALSE(collections_.body_error());
  EXPECT_THAT(All(Collection::kArgs), ElementsAre(Entry{"json.a", "cut"}));
}

TEST_F(RequestCollectionsTest, RebuildingReusesMemoryAndForgetsTheLastRequest) {
  Build("GET", "/?a=1", {{"Cookie", "c=1"}});
  Build("GET", "/", {});
  EXPECT_THAT(All(Collection::kArgs), IsEmpty());
  EXPECT_THAT(All(Collection::kRequestCookies), IsEmpty());
  collections_.Reset();
  EXPECT_THAT(All(Collection::kRequestMethod), IsEmpty());
}

}  // namespace
}  // namespace gatehouse::waf_inputs
