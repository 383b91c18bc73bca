#include "runtime/http/response_encoder.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace gatehouse::runtime {
namespace {

// What a buffer sequence puts on the wire.
std::string Bytes(std::span<const asio::const_buffer> buffers) {
  std::string out;
  for (const auto& buffer : buffers) {
    out.append(static_cast<const char*>(buffer.data()), buffer.size());
  }
  return out;
}

constexpr EdgeHeaders kEdge{"r1", "", ""};
constexpr std::string_view kEdgeLines = "Via: 1.1 gatehouse\r\ngatehouse-ray: r1\r\n";

ResponseClient Client(unsigned version = 11, bool head = false, bool keep_alive = true) {
  return ResponseClient{version, head, keep_alive};
}

http::response_header<> OriginHead(http::status status) {
  http::response_header<> response;
  response.result(status);
  response.version(11);
  response.insert("Server", "origin");
  return response;
}

// An origin response relayed piece by piece: what the client receives.
std::string Relay(ResponseEncoder& encoder, std::initializer_list<std::string_view> pieces) {
  std::string out;
  size_t i = 0;
  for (std::string_view piece : pieces) {
    out += Bytes(encoder.EncodeBodyPiece(piece, ++i == pieces.size()));
  }
  return out;
}

// --- Responses the edge holds whole ---

TEST(ResponseEncoderTest, LocalResponseIsFramedByItsContentLength) {
  std::string head;
  ResponseEncoder encoder(Client(), kEdge, head);
  const HttpResponse response = MakeEdgeResponse(http::status::forbidden, 11, "Blocked.\n");
  EXPECT_EQ(Bytes(encoder.EncodeWhole(response, nullptr)),
            "HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\n" + std::string(kEdgeLines) +
                "Content-Length: 9\r\n\r\nBlocked.\n");
  EXPECT_TRUE(encoder.keep_alive());
  EXPECT_EQ(encoder.body_bytes(), 9u);
}

TEST(ResponseEncoderTest, LocalResponseWhoseFieldsAPhaseReplacedKeepsItsContentLength) {
  std::string head;
  ResponseEncoder encoder(Client(), kEdge, head);
  const HttpResponse response = MakeEdgeResponse(http::status::ok, 11, "<p>hi</p>", "text/html");
  // A response transform's field list: no Content-Length, or a wrong one.
  for (const rules::HeaderList& fields :
       {rules::HeaderList{{"Content-Type", "text/html"}, {"X-Custom", "1"}},
        rules::HeaderList{{"Content-Type", "text/html"}, {"Content-Length", "999"}}}) {
    const std::string wire = Bytes(encoder.EncodeWhole(response, &fields));
    EXPECT_NE(wire.find("\r\nContent-Length: 9\r\n\r\n<p>hi</p>"), std::string::npos) << wire;
    EXPECT_EQ(wire.find("999"), std::string::npos) << wire;
  }
}

TEST(ResponseEncoderTest, LocalAnswerToHeadHasTheLengthAGetWouldGetAndNoBody) {
  std::string head;
  ResponseEncoder encoder(Client(11, /*head=*/true), kEdge, head);
  const HttpResponse response = MakeEdgeResponse(http::status::not_found, 11, "Not here.\n");
  EXPECT_EQ(Bytes(encoder.EncodeWhole(response, nullptr)),
            "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\n" + std::string(kEdgeLines) +
                "Content-Length: 10\r\n\r\n");
  EXPECT_EQ(encoder.body_bytes(), 0u);
}

TEST(ResponseEncoderTest, Local204And304HaveNoBodyAndNoContentLength) {
  for (const http::status status : {http::status::no_content, http::status::not_modified}) {
    std::string head;
    ResponseEncoder encoder(Client(), kEdge, head);
    // Beast's prepare_payload writes "Content-Length: 0" even for 204 and 304, and a response
    // phase may put one in the fields: RFC 9110 forbids it on a 204, and on the edge's own 304
    // it would claim an empty 200.
    const HttpResponse response = MakeEdgeResponse(status, 11, "");
    ASSERT_EQ(response[http::field::content_length], "0");
    const rules::HeaderList fields{{"Content-Length", "0"}, {"X-Kept", "yes"}};
    for (const rules::HeaderList* edited : {static_cast<const rules::HeaderList*>(nullptr),
                                            &fields}) {
      const std::string wire = Bytes(encoder.EncodeWhole(response, edited));
      EXPECT_EQ(wire.find("Content-Length"), std::string::npos) << wire;
      EXPECT_EQ(wire.find("Transfer-Encoding"), std::string::npos) << wire;
      EXPECT_TRUE(wire.ends_with(std::string(kEdgeLines) + "\r\n")) << wire;
      EXPECT_FALSE(encoder.has_body());
      EXPECT_EQ(encoder.body_bytes(), 0u);
    }
  }
}

TEST(ResponseEncoderTest, LocalResponseClosesWhenTheConnectionMayNotBeKept) {
  std::string head;
  ResponseEncoder encoder(Client(11, false, /*keep_alive=*/false), kEdge, head);
  const HttpResponse response = MakeEdgeResponse(http::status::bad_request, 11, "Bad.\n");
  const std::string wire = Bytes(encoder.EncodeWhole(response, nullptr));
  EXPECT_NE(wire.find("\r\nConnection: close\r\nContent-Length: 5\r\n\r\nBad.\n"),
            std::string::npos)
      << wire;
  EXPECT_FALSE(encoder.keep_alive());
}

TEST(ResponseEncoderTest, LocalResponseToHttp10KeepsItsContentLengthAndSaysKeepAlive) {
  std::string head;
  ResponseEncoder encoder(Client(10), kEdge, head);
  const HttpResponse response = MakeEdgeResponse(http::status::ok, 10, "ok\n");
  EXPECT_EQ(Bytes(encoder.EncodeWhole(response, nullptr)),
            "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n" + std::string(kEdgeLines) +
                "Connection: keep-alive\r\nContent-Length: 3\r\n\r\nok\n");
}

TEST(ResponseEncoderTest, EdgeHeadersNameTheVersions) {
  std::string head;
  ResponseEncoder encoder(Client(), EdgeHeaders{"r1", "7", "42"}, head);
  const std::string wire =
      Bytes(encoder.EncodeWhole(MakeEdgeResponse(http::status::ok, 11, ""), nullptr));
  EXPECT_NE(wire.find("gatehouse-ray: r1\r\ngatehouse-zone-version: 7\r\n"
                      "gatehouse-snapshot: 42\r\nContent-Length: 0\r\n\r\n"),
            std::string::npos)
      << wire;
}

// --- Origin responses relayed as they stream ---

TEST(ResponseEncoderTest, RelayKeepsTheOriginsContentLength) {
  std::string head;
  ResponseEncoder encoder(Client(), kEdge, head);
  http::response_header<> origin = OriginHead(http::status::ok);
  origin.insert("Content-Length", "5");
  encoder.BeginRelay(origin, 5, nullptr);
  EXPECT_TRUE(encoder.has_body());
  EXPECT_TRUE(encoder.keep_alive());
  EXPECT_EQ(Relay(encoder, {"hel", "lo"}), "HTTP/1.1 200 OK\r\nServer: origin\r\n" +
                                               std::string(kEdgeLines) +
                                               "Content-Length: 5\r\n\r\nhello");
}

TEST(ResponseEncoderTest, RelayWithoutLengthIsChunkedToHttp11) {
  std::string head;
  ResponseEncoder encoder(Client(), kEdge, head);
  http::response_header<> origin = OriginHead(http::status::ok);
  origin.insert("Transfer-Encoding", "chunked");
  encoder.BeginRelay(origin, std::nullopt, nullptr);
  EXPECT_TRUE(encoder.keep_alive());
  EXPECT_EQ(Relay(encoder, {"abc", "", "de", ""}),
            "HTTP/1.1 200 OK\r\nServer: origin\r\n" + std::string(kEdgeLines) +
                "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
}

TEST(ResponseEncoderTest, RelayedLastPieceCarriesTheLastChunk) {
  std::string head;
  ResponseEncoder encoder(Client(), kEdge, head);
  encoder.BeginRelay(OriginHead(http::status::ok), std::nullopt, nullptr);
  EXPECT_TRUE(Relay(encoder, {"abc"}).ends_with("\r\n\r\n3\r\nabc\r\n0\r\n\r\n"));
}

TEST(ResponseEncoderTest, RelayWithoutLengthToHttp10IsDelimitedByTheClose) {
  std::string head;
  ResponseEncoder encoder(Client(10), kEdge, head);
  http::response_header<> origin = OriginHead(http::status::ok);
  origin.insert("Transfer-Encoding", "chunked");
  encoder.BeginRelay(origin, std::nullopt, nullptr);
  EXPECT_TRUE(encoder.has_body());
  EXPECT_FALSE(encoder.keep_alive());
  EXPECT_EQ(Relay(encoder, {"abc", "de"}), "HTTP/1.0 200 OK\r\nServer: origin\r\n" +
                                               std::string(kEdgeLines) +
                                               "Connection: close\r\n\r\nabcde");
}

TEST(ResponseEncoderTest, RelayWithLengthToHttp10StaysOpen) {
  std::string head;
  ResponseEncoder encoder(Client(10), kEdge, head);
  http::response_header<> origin = OriginHead(http::status::ok);
  origin.insert("Content-Length", "2");
  encoder.BeginRelay(origin, 2, nullptr);
  EXPECT_TRUE(encoder.keep_alive());
  EXPECT_EQ(Relay(encoder, {"ok"}), "HTTP/1.0 200 OK\r\nServer: origin\r\n" +
                                        std::string(kEdgeLines) +
                                        "Connection: keep-alive\r\nContent-Length: 2\r\n\r\nok");
}

TEST(ResponseEncoderTest, RelayedAnswerToHeadKeepsTheOriginsLengthAndHasNoBody) {
  std::string head;
  ResponseEncoder encoder(Client(11, /*head=*/true), kEdge, head);
  http::response_header<> origin = OriginHead(http::status::ok);
  origin.insert("Content-Length", "1234");
  encoder.BeginRelay(origin, 1234, nullptr);
  EXPECT_FALSE(encoder.has_body());
  EXPECT_EQ(Relay(encoder, {""}), "HTTP/1.1 200 OK\r\nServer: origin\r\nContent-Length: 1234\r\n" +
                                      std::string(kEdgeLines) + "\r\n");
}

TEST(ResponseEncoderTest, Relayed204And304HaveNoBody) {
  for (const http::status status : {http::status::no_content, http::status::not_modified}) {
    std::string head;
    ResponseEncoder encoder(Client(), kEdge, head);
    encoder.BeginRelay(OriginHead(status), std::nullopt, nullptr);
    EXPECT_FALSE(encoder.has_body());
    EXPECT_TRUE(encoder.keep_alive());
    const std::string wire = Relay(encoder, {""});
    EXPECT_EQ(wire.find("Transfer-Encoding"), std::string::npos) << wire;
    EXPECT_TRUE(wire.ends_with(std::string(kEdgeLines) + "\r\n")) << wire;
  }
}

TEST(ResponseEncoderTest, RelayedNoContentLosesItsContentLengthAndNotModifiedKeepsIt) {
  {
    std::string head;
    ResponseEncoder encoder(Client(), kEdge, head);
    http::response_header<> origin = OriginHead(http::status::no_content);
    origin.insert("Content-Length", "0");
    encoder.BeginRelay(origin, 0, nullptr);
    EXPECT_EQ(Relay(encoder, {""}), "HTTP/1.1 204 No Content\r\nServer: origin\r\n" +
                                        std::string(kEdgeLines) + "\r\n");
  }
  {
    // A 304 may say how long the 200 it stands for is (RFC 9110 §8.6); the origin knows.
    std::string head;
    ResponseEncoder encoder(Client(), kEdge, head);
    http::response_header<> origin = OriginHead(http::status::not_modified);
    origin.insert("Content-Length", "1234");
    encoder.BeginRelay(origin, 1234, nullptr);
    EXPECT_FALSE(encoder.has_body());
    EXPECT_EQ(Relay(encoder, {""}), "HTTP/1.1 304 Not Modified\r\nServer: origin\r\n"
                                    "Content-Length: 1234\r\n" +
                                        std::string(kEdgeLines) + "\r\n");
  }
}

TEST(ResponseEncoderTest, RelayUsesTheResponsePhasesFields) {
  std::string head;
  ResponseEncoder encoder(Client(), kEdge, head);
  http::response_header<> origin = OriginHead(http::status::ok);
  origin.insert("Content-Length", "2");
  const rules::HeaderList fields{{"X-Added", "yes"}};
  encoder.BeginRelay(origin, 2, &fields);
  EXPECT_EQ(Relay(encoder, {"ok"}), "HTTP/1.1 200 OK\r\nX-Added: yes\r\n" +
                                        std::string(kEdgeLines) +
                                        "Content-Length: 2\r\n\r\nok");
}

TEST(ResponseEncoderTest, BodyRules) {
  EXPECT_TRUE(ResponseHasBody(200, false));
  EXPECT_FALSE(ResponseHasBody(200, true));
  EXPECT_FALSE(ResponseHasBody(101, false));
  EXPECT_FALSE(ResponseHasBody(204, false));
  EXPECT_FALSE(ResponseHasBody(304, false));
  EXPECT_TRUE(ResponseHasBody(404, false));
  EXPECT_FALSE(MayCarryContentLength(101, false));
  EXPECT_FALSE(MayCarryContentLength(204, false));
  EXPECT_FALSE(MayCarryContentLength(304, /*edge_made=*/true));
  EXPECT_TRUE(MayCarryContentLength(304, /*edge_made=*/false));
  EXPECT_TRUE(MayCarryContentLength(200, true));
}

// --- A client whose protocol frames responses itself (HTTP/2) ---

// What a framing protocol receives: each head as "status name=value;..." and where the body ends.
class RecordingSink : public FramedResponseSink {
 public:
  void SubmitHead(const ResponseFields& head) override {
    std::string line = std::to_string(head.status) + (head.has_body ? " body" : " no body");
    for (const auto& [name, value] : head.fields) {
      line.append(" ").append(name).append("=").append(value);
    }
    heads.push_back(line);
  }
  void EndBodyAfter(size_t bytes) override { end_after.push_back(bytes); }

  std::vector<std::string> heads;
  std::vector<size_t> end_after;
};

ResponseClient FramedClient(RecordingSink& sink, bool head_request = false) {
  ResponseClient client = Client(11, head_request);
  client.framed = &sink;
  return client;
}

TEST(ResponseEncoderTest, FramedClientGetsTheHeadAsFieldsAndTheBodyUnframed) {
  RecordingSink sink;
  std::string head;
  ResponseEncoder encoder(FramedClient(sink), kEdge, head);
  http::response_header<> origin = OriginHead(http::status::ok);
  // Hop-by-hop fields, the ones Connection names among them, are decided as for HTTP/1.1.
  origin.insert("Connection", "keep-alive, x-hop");
  origin.insert("Keep-Alive", "timeout=5");
  origin.insert("X-Hop", "1");
  origin.insert("Transfer-Encoding", "chunked");
  encoder.BeginRelay(origin, std::nullopt, nullptr);
  EXPECT_TRUE(sink.heads.empty());  // the head goes with the first piece, as on HTTP/1.1
  EXPECT_EQ(Bytes(encoder.EncodeBodyPiece("abc", false)), "abc");
  EXPECT_TRUE(encoder.head_out());
  EXPECT_EQ(Bytes(encoder.EncodeBodyPiece("de", true)), "de");
  ASSERT_EQ(sink.heads.size(), 1u);
  EXPECT_EQ(sink.heads[0], "200 body Server=origin Via=1.1 gatehouse gatehouse-ray=r1");
  EXPECT_EQ(sink.end_after, std::vector<size_t>{2});
  EXPECT_TRUE(head.empty());  // no HTTP/1.1 head was written
}

TEST(ResponseEncoderTest, FramedClientKeepsAKnownLength) {
  RecordingSink sink;
  std::string head;
  ResponseEncoder encoder(FramedClient(sink), kEdge, head);
  const HttpResponse response = MakeEdgeResponse(http::status::forbidden, 11, "Blocked.\n");
  EXPECT_EQ(Bytes(encoder.EncodeWhole(response, nullptr)), "Blocked.\n");
  ASSERT_EQ(sink.heads.size(), 1u);
  EXPECT_EQ(sink.heads[0],
            "403 body Content-Type=text/plain Via=1.1 gatehouse gatehouse-ray=r1 "
            "content-length=9");
  EXPECT_EQ(sink.end_after, std::vector<size_t>{9});
}

TEST(ResponseEncoderTest, FramedAnswerToHeadHasTheLengthAndNoBody) {
  RecordingSink sink;
  std::string head;
  ResponseEncoder encoder(FramedClient(sink, /*head_request=*/true), kEdge, head);
  http::response_header<> origin = OriginHead(http::status::ok);
  origin.insert("Content-Length", "5");
  encoder.BeginRelay(origin, 5, nullptr);
  EXPECT_EQ(Bytes(encoder.EncodeBodyPiece("", true)), "");
  ASSERT_EQ(sink.heads.size(), 1u);
  EXPECT_EQ(sink.heads[0],
            "200 no body Server=origin Content-Length=5 Via=1.1 gatehouse gatehouse-ray=r1");
  EXPECT_EQ(sink.end_after, std::vector<size_t>{0});
}

TEST(ResponseEncoderTest, SwitchingProtocolsKeepsTheUpgradeFields) {
  http::response_header<> origin = OriginHead(http::status::switching_protocols);
  origin.insert("Upgrade", "websocket");
  origin.insert("Connection", "Upgrade");
  origin.insert("Via", "1.1 other");
  const auto head = SwitchingProtocolsHead(origin, "r1");
  EXPECT_EQ(head.result(), http::status::switching_protocols);
  EXPECT_EQ(head[http::field::upgrade], "websocket");
  EXPECT_EQ(head[http::field::connection], "Upgrade");
  EXPECT_EQ(head[http::field::via], "1.1 gatehouse");
  EXPECT_EQ(head[kRayHeader], "r1");
}

}  // namespace
}  // namespace gatehouse::runtime
