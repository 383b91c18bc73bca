#include "runtime/http2/request_head.h"

#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace gatehouse::runtime::http2 {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

// The head `fields` make, or the status that refused them.
absl::StatusOr<std::string> Build(const Fields& fields, bool body_follows = false,
                                  size_t max_bytes = 16 * 1024) {
  RequestHeadBuilder builder(max_bytes);
  for (const auto& [name, value] : fields) {
    const absl::Status added = builder.Add(name, value);
    if (!added.ok()) return added;
  }
  return builder.Finish(body_follows);
}

const Fields kGet = {
    {":method", "GET"}, {":scheme", "https"}, {":authority", "example.com"}, {":path", "/a?b=c"}};

TEST(RequestHeadTest, TranslatesAGet) {
  Fields fields = kGet;
  fields.push_back({"accept", "*/*"});
  const auto head = Build(fields);
  ASSERT_TRUE(head.ok()) << head.status();
  EXPECT_EQ(*head, "GET /a?b=c HTTP/1.1\r\nhost: example.com\r\naccept: */*\r\n\r\n");
}

TEST(RequestHeadTest, FramesABodyWithoutLengthAsChunks) {
  RequestHeadBuilder builder(16 * 1024);
  for (const auto& [name, value] : kGet) ASSERT_TRUE(builder.Add(name, value).ok());
  const auto head = builder.Finish(/*body_follows=*/true);
  ASSERT_TRUE(head.ok());
  EXPECT_TRUE(builder.chunked());
  EXPECT_NE(head->find("transfer-encoding: chunked\r\n"), std::string::npos);
}

TEST(RequestHeadTest, KeepsADeclaredLength) {
  Fields fields = kGet;
  fields.push_back({"content-length", "5"});
  RequestHeadBuilder builder(16 * 1024);
  for (const auto& [name, value] : fields) ASSERT_TRUE(builder.Add(name, value).ok());
  const auto head = builder.Finish(true);
  ASSERT_TRUE(head.ok());
  EXPECT_FALSE(builder.chunked());
  EXPECT_EQ(head->find("transfer-encoding"), std::string::npos);
}

TEST(RequestHeadTest, JoinsCookieCrumbs) {
  Fields fields = kGet;
  fields.push_back({"cookie", "a=1"});
  fields.push_back({"cookie", "b=2"});
  const auto head = Build(fields);
  ASSERT_TRUE(head.ok());
  EXPECT_NE(head->find("cookie: a=1; b=2\r\n"), std::string::npos);
}

TEST(RequestHeadTest, UsesHostWithoutAuthority) {
  const auto head =
      Build({{":method", "GET"}, {":scheme", "http"}, {":path", "/"}, {"host", "example.com"}});
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(*head, "GET / HTTP/1.1\r\nhost: example.com\r\n\r\n");
}

TEST(RequestHeadTest, RefusesMalformedRequests) {
  const std::vector<Fields> malformed = {
      {{":method", "GET"}, {":scheme", "https"}, {":authority", "a.test"}},  // no :path
      {{":scheme", "https"}, {":authority", "a.test"}, {":path", "/"}},      // no :method
      {{":method", "GET"}, {":method", "GET"}, {":scheme", "https"}, {":path", "/"}},
      {{":method", "GET"}, {":scheme", "https"}, {":path", "/"}, {"Accept", "x"}},
      {{":method", "GET"}, {":scheme", "https"}, {":path", "/"}, {"connection", "close"}},
      {{":method", "GET"}, {":scheme", "https"}, {":path", "/"}, {"transfer-encoding", "x"}},
      {{":method", "GET"}, {":scheme", "https"}, {":path", "/"}, {"upgrade", "h2c"}},
      {{":method", "GET"}, {":scheme", "https"}, {":path", "/"}, {"keep-alive", "1"}},
      {{":method", "GET"}, {":scheme", "https"}, {":path", "/"}, {"te", "gzip"}},
      {{":method", "GET"},
       {":scheme", "https"},
       {":authority", "a.test"},
       {":path", "/"},
       {"host", "b.test"}},
      {{":method", "GET"}, {":scheme", "https"}, {"x", "1"}, {":path", "/"}},
      {{":method", "GET"}, {":scheme", "https"}, {":path", "/a b"}},
      {{":method", "GET"}, {":scheme", "https"}, {":path", "/"}, {"x", "a\r\nb: c"}},
      {{":method", "G T"}, {":scheme", "https"}, {":path", "/"}},
      {{":method", "GET"}, {":scheme", "https"}, {":path", "/"}, {":protocol", "x"}},
      {{":method", "CONNECT"}, {":scheme", "https"}, {":path", "/"}, {":authority", "a:1"}},
      {{":method", "GET"}, {":scheme", "https"}, {":path", "/"}, {"x", "a\x01b"}},
      {{":method", "GET"}, {":scheme", "https"}, {":path", "/"}, {"content-length", "5x"}},
      {{":method", "GET"},
       {":scheme", "https"},
       {":path", "/"},
       {"content-length", "5"},
       {"content-length", "5"}},
  };
  for (const Fields& fields : malformed) {
    const auto head = Build(fields);
    EXPECT_TRUE(absl::IsInvalidArgument(head.status()))
        << fields.back().first << ": " << head.status();
  }
}

TEST(RequestHeadTest, AcceptsAuthorityAndHostThatAgree) {
  Fields fields = kGet;
  fields.push_back({"host", "Example.COM"});
  EXPECT_TRUE(Build(fields).ok());
}

TEST(RequestHeadTest, RefusesAListOverTheLimitAsTooLarge) {
  Fields fields = kGet;
  fields.push_back({"x-big", std::string(2000, 'a')});
  EXPECT_TRUE(absl::IsResourceExhausted(Build(fields, false, 1024).status()));
  // Many small fields count their overhead too (an HPACK bomb of indexed fields).
  Fields many = kGet;
  for (int i = 0; i < 40; ++i) many.push_back({"a", ""});
  EXPECT_TRUE(absl::IsResourceExhausted(Build(many, false, 1024).status()));
}

TEST(RequestHeadTest, AnnouncedTrailersMakeABodyOfKnownLengthChunked) {
  RequestHeadBuilder builder(16 * 1024);
  for (const auto& [name, value] : kGet) ASSERT_TRUE(builder.Add(name, value).ok());
  ASSERT_TRUE(builder.Add("content-length", "5").ok());
  ASSERT_TRUE(builder.Add("trailer", "x-checksum").ok());
  const auto head = builder.Finish(/*body_follows=*/true);
  ASSERT_TRUE(head.ok());
  EXPECT_TRUE(builder.chunked());
  EXPECT_EQ(head->find("content-length"), std::string::npos) << *head;
  EXPECT_NE(head->find("transfer-encoding: chunked\r\n"), std::string::npos) << *head;
  ASSERT_TRUE(builder.AddTrailer("x-checksum", "abc").ok());
  EXPECT_EQ(builder.LastChunk(), "0\r\nx-checksum: abc\r\n\r\n");
}

TEST(RequestHeadTest, ABodyOfKnownLengthKeepsItsLength) {
  RequestHeadBuilder builder(16 * 1024);
  for (const auto& [name, value] : kGet) ASSERT_TRUE(builder.Add(name, value).ok());
  ASSERT_TRUE(builder.Add("content-length", "5").ok());
  const auto head = builder.Finish(/*body_follows=*/true);
  ASSERT_TRUE(head.ok());
  EXPECT_FALSE(builder.chunked());
  EXPECT_NE(head->find("content-length: 5\r\n"), std::string::npos) << *head;
}

TEST(RequestHeadTest, TrailersAreCheckedAsTheHeadsFieldsAre) {
  RequestHeadBuilder builder(16 * 1024);
  for (const auto& [name, value] : kGet) ASSERT_TRUE(builder.Add(name, value).ok());
  ASSERT_TRUE(builder.Finish(/*body_follows=*/true).ok());
  EXPECT_TRUE(absl::IsInvalidArgument(builder.AddTrailer(":path", "/")));
  EXPECT_TRUE(absl::IsInvalidArgument(builder.AddTrailer("connection", "close")));
  EXPECT_TRUE(absl::IsInvalidArgument(builder.AddTrailer("transfer-encoding", "chunked")));
  EXPECT_TRUE(absl::IsInvalidArgument(builder.AddTrailer("X-Upper", "1")));
  EXPECT_TRUE(absl::IsInvalidArgument(builder.AddTrailer("x-bad", "a\r\nb")));
  EXPECT_EQ(builder.LastChunk(), "0\r\n\r\n");  // nothing refused was kept
}

TEST(RequestHeadTest, ATrailerSectionOverTheLimitIsRefused) {
  RequestHeadBuilder builder(256);
  for (const auto& [name, value] : kGet) ASSERT_TRUE(builder.Add(name, value).ok());
  ASSERT_TRUE(builder.Finish(/*body_follows=*/true).ok());
  // The head's 182 bytes do not count: the section has a limit of its own.
  ASSERT_TRUE(builder.AddTrailer("x-a", std::string(100, 'a')).ok());
  EXPECT_TRUE(absl::IsResourceExhausted(builder.AddTrailer("x-b", std::string(120, 'b'))));
}

}  // namespace
}  // namespace gatehouse::runtime::http2
