#include "runtime/http/wire_format.h"

#include <string>

#include "gtest/gtest.h"

namespace gatehouse::runtime {
namespace {

// What a buffer sequence puts on the wire.
std::string Bytes(std::span<const asio::const_buffer> buffers) {
  std::string out;
  for (const auto& buffer : buffers) out.append(static_cast<const char*>(buffer.data()), buffer.size());
  return out;
}

http::request_header<> Request() {
  http::request_header<> request;
  request.method(http::verb::post);
  request.target("/a?b=1");
  request.version(11);
  request.insert("Host", "example.com");
  request.insert("Connection", "keep-alive, X-Private");
  request.insert("X-Private", "secret");
  request.insert("Keep-Alive", "timeout=5");
  request.insert("Expect", "100-continue");
  request.insert("X-Forwarded-For", "198.51.100.1");
  request.insert("Accept", "*/*");
  request.insert("x-forwarded-for", "198.51.100.2");
  request.insert("Content-Length", "5");
  request.insert("Via", "1.0 other");
  request.insert("X-Forwarded-Proto", "https");
  return request;
}

TEST(WireFormatTest, UpstreamRequestDropsHopByHopAndSetsForwardingHeaders) {
  UpstreamRequestEdits edits;
  edits.target = "/a?b=1";
  edits.received_from = "192.0.2.7";
  edits.framing = BodyFraming::kContentLength;
  edits.content_length = 5;
  std::string head;
  WriteUpstreamRequestHead(Request(), edits, head);
  EXPECT_EQ(head,
            "POST /a?b=1 HTTP/1.1\r\n"
            "Host: example.com\r\n"
            "Accept: */*\r\n"
            "X-Forwarded-For: 198.51.100.1, 198.51.100.2, 192.0.2.7\r\n"
            "X-Forwarded-Proto: http\r\n"
            "Via: 1.1 gatehouse\r\n"
            "Content-Length: 5\r\n"
            "\r\n");
}

TEST(WireFormatTest, UpstreamRequestTakesRewrittenFieldsHostAndUpgrade) {
  const rules::HeaderList rewritten = {{"Host", "example.com"},
                                       {"X-Added", "1"},
                                       {"X-Private", "still named by Connection"},
                                       {"Transfer-Encoding", "chunked"}};
  UpstreamRequestEdits edits;
  edits.target = "/rewritten";
  edits.headers = &rewritten;
  edits.host = "origin.internal";
  edits.received_from = "2001:db8::1";
  edits.upgrade = "websocket";
  edits.framing = BodyFraming::kChunked;
  std::string head = "left over from the last request";
  WriteUpstreamRequestHead(Request(), edits, head);
  EXPECT_EQ(head,
            "POST /rewritten HTTP/1.1\r\n"
            "X-Added: 1\r\n"
            "Host: origin.internal\r\n"
            "X-Forwarded-For: 2001:db8::1\r\n"
            "X-Forwarded-Proto: http\r\n"
            "Via: 1.1 gatehouse\r\n"
            "Upgrade: websocket\r\n"
            "Connection: upgrade\r\n"
            "Transfer-Encoding: chunked\r\n"
            "\r\n");
}

http::response_header<> Response() {
  http::response_header<> response;
  response.result(http::status::ok);
  response.version(11);
  response.insert("Content-Type", "text/plain");
  response.insert("Transfer-Encoding", "chunked");
  response.insert("Content-Length", "12");
  response.insert("Via", "1.1 origin-cache");
  response.insert("gatehouse-ray", "forged");
  response.insert("Connection", "close");
  return response;
}

TEST(WireFormatTest, ClientResponseCarriesEdgeHeadersAndFraming) {
  ClientResponseEdits edits;
  edits.version = 11;
  edits.ray_id = "00000000000000ab";
  edits.zone_version = "7";
  edits.snapshot_version = "42";
  edits.framing = BodyFraming::kChunked;
  std::string head;
  WriteClientResponseHead(Response(), edits, head);
  EXPECT_EQ(head,
            "HTTP/1.1 200 OK\r\n"
            "Content-Type: text/plain\r\n"
            "Via: 1.1 gatehouse\r\n"
            "gatehouse-ray: 00000000000000ab\r\n"
            "gatehouse-zone-version: 7\r\n"
            "gatehouse-snapshot: 42\r\n"
            "Transfer-Encoding: chunked\r\n"
            "\r\n");
}

TEST(WireFormatTest, ClientResponseWithoutBodyKeepsContentLengthAndSaysClose) {
  http::response_header<> response = Response();
  response.reason("Fine");
  ClientResponseEdits edits;
  edits.version = 10;
  edits.ray_id = "r";
  edits.keep_alive = false;
  std::string head;
  WriteClientResponseHead(response, edits, head);
  EXPECT_EQ(head,
            "HTTP/1.0 200 Fine\r\n"
            "Content-Type: text/plain\r\n"
            "Content-Length: 12\r\n"
            "Via: 1.1 gatehouse\r\n"
            "gatehouse-ray: r\r\n"
            "Connection: close\r\n"
            "\r\n");
}

TEST(WireFormatTest, ClientResponseHttp10KeepAliveSaysSo) {
  http::response_header<> response;
  response.result(http::status::not_found);
  ClientResponseEdits edits;
  edits.version = 10;
  edits.ray_id = "r";
  edits.framing = BodyFraming::kContentLength;
  edits.content_length = 0;
  std::string head;
  WriteClientResponseHead(response, edits, head);
  EXPECT_EQ(head,
            "HTTP/1.0 404 Not Found\r\n"
            "Via: 1.1 gatehouse\r\n"
            "gatehouse-ray: r\r\n"
            "Connection: keep-alive\r\n"
            "Content-Length: 0\r\n"
            "\r\n");
}

TEST(WireFormatTest, ChunkedFramingSendsHeadWithFirstPieceAndEndsWithLastChunk) {
  BodyFramer framer("HEAD\r\n\r\n", BodyFraming::kChunked);
  EXPECT_EQ(Bytes(framer.Frame("", false)), "HEAD\r\n\r\n");
  EXPECT_EQ(Bytes(framer.Frame("", false)), "");
  EXPECT_EQ(Bytes(framer.Frame("hello world, this is 26 b.", false)),
            "1a\r\nhello world, this is 26 b.\r\n");
  EXPECT_EQ(Bytes(framer.Frame("end", true)), "3\r\nend\r\n0\r\n\r\n");

  BodyFramer empty_last("H\r\n\r\n", BodyFraming::kChunked);
  EXPECT_EQ(Bytes(empty_last.Frame("body", false)), "H\r\n\r\n4\r\nbody\r\n");
  EXPECT_EQ(Bytes(empty_last.Frame("", true)), "0\r\n\r\n");
}

TEST(WireFormatTest, LengthAndCloseFramingSendBytesAsTheyAre) {
  for (BodyFraming framing : {BodyFraming::kContentLength, BodyFraming::kUntilClose}) {
    BodyFramer framer("H\r\n\r\n", framing);
    EXPECT_EQ(Bytes(framer.Frame("abc", false)), "H\r\n\r\nabc");
    EXPECT_EQ(Bytes(framer.Frame("", true)), "");
    EXPECT_EQ(Bytes(framer.Frame("de", true)), "de");
  }
  BodyFramer none("H\r\n\r\n", BodyFraming::kNone);
  EXPECT_EQ(Bytes(none.Frame("ignored", true)), "H\r\n\r\n");
}

TEST(WireFormatTest, ChunkedLastChunkCarriesTrailers) {
  BodyFramer framer("HEAD\r\n\r\n", BodyFraming::kChunked);
  EXPECT_EQ(Bytes(framer.Frame("abc", /*last=*/true, "x-sum: 1\r\n")),
            "HEAD\r\n\r\n3\r\nabc\r\n0\r\nx-sum: 1\r\n\r\n");
  BodyFramer empty_last("", BodyFraming::kChunked);
  EXPECT_EQ(Bytes(empty_last.Frame("", /*last=*/true, "x-sum: 1\r\n")), "0\r\nx-sum: 1\r\n\r\n");
}

TEST(WireFormatTest, TrailerFieldsFollowTheHeadersAndLeaveOutWhatMayNotBeATrailer) {
  http::request_header<> request;
  request.insert("Host", "example.com");
  request.insert("Transfer-Encoding", "chunked");
  request.insert("Accept", "*/*");
  const HeaderFieldSet header(request);
  // What a parser adds after reading the last chunk (a second Host lands beside the first):
  request.insert("X-Checksum", "abc");
  request.insert("Connection", "close");
  request.insert("Content-Length", "5");
  request.insert("Host", "other.example");
  // Fields the edge writes itself: an origin merging trailers into headers would believe them.
  request.insert("X-Forwarded-For", "10.9.9.9");
  request.insert("X-Forwarded-Proto", "https");
  request.insert("Via", "1.1 trusted");
  request.insert("Expect", "100-continue");
  std::string trailers;
  WriteTrailerFields(request, header, trailers);
  EXPECT_EQ(trailers, "X-Checksum: abc\r\n");

  // The head forwarded carries the header's fields only.
  UpstreamRequestEdits edits;
  edits.target = "/";
  edits.received_from = "192.0.2.1";
  edits.framing = BodyFraming::kChunked;
  edits.header_fields = &header;
  std::string head;
  WriteUpstreamRequestHead(request, edits, head);
  EXPECT_EQ(head.find("X-Checksum"), std::string::npos) << head;
  EXPECT_NE(head.find("Accept: */*\r\n"), std::string::npos) << head;
  EXPECT_EQ(head.find("other.example"), std::string::npos) << head;
}

}  // namespace
}  // namespace gatehouse::runtime
