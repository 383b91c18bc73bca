// HTTP/2 at the proxy, with real clients (curl --http2 and --http2-prior-knowledge, nghttp,
// h2load) and with a raw-frame client that attacks it: every stream runs the zone's phases
// (a WAF block, the HTTP/2 version field), bodies stream both ways, many streams share one
// connection, malformed requests are refused per stream, and each protection (concurrent
// streams, header list size and HPACK bombs, CONTINUATION, rapid reset, SETTINGS / PING /
// PRIORITY floods, zero-window stalls, stream ids) closes what it must.
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "tests/support/h2_raw_client.h"
#include "tests/support/proxy_process.h"
#include "tests/support/scripted_origin.h"
#include "tests/support/subprocess.h"
#include "tests/support/test_certificates.h"
#include "tests/support/test_pki.h"

namespace gatehouse::testing {
namespace {

using std::chrono::milliseconds;

// Every client run is bounded: curl by --max-time, the rest by RunCommand's deadline.
constexpr milliseconds kClientDeadline(20000);

CommandResult Shell(const std::string& script) {
  return RunCommand({"/bin/sh", "-c", script}, kClientDeadline);
}

// a.test: blocks /admin (403 with the ray ID), answers /version 451 when the rules see
// HTTP/2, proxies the rest to the demo origin (which echoes the request).
std::string ZoneJson(uint16_t origin_port) {
  return absl::StrReplaceAll(R"json({
  "zone": "a.test", "hostnames": ["a.test"],
  "origins": [{"name": "app", "servers": ["127.0.0.1:ORIGIN"]}],
  "rulesets": [
    {"phase": "http_request_firewall_custom", "rules": [
      {"id": "admin", "expression": "starts_with(http.request.uri.path, \"/admin\")",
       "action": "block", "action_parameters": {"response": {
         "status_code": 403, "content_type": "text/plain", "content": "blocked ::RAY_ID::"}}},
      {"id": "version", "expression": "http.request.uri.path eq \"/version\" and http.request.version eq \"HTTP/2\"",
       "action": "block", "action_parameters": {"response": {
         "status_code": 451, "content_type": "text/plain", "content": "h2 seen"}}},
      {"id": "trailer-as-header", "expression": "http.request.headers[\"x-checksum\"][0] ne \"\"",
       "action": "block", "action_parameters": {"response": {
         "status_code": 452, "content_type": "text/plain", "content": "a trailer seen as a header"}}}]}]
})json",
                             {{"ORIGIN", std::to_string(origin_port)}});
}

class Http2Test : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto pki = MakeTestPki();
    ASSERT_TRUE(pki.ok()) << pki.status();
    pki_ = new TestPki(*pki);
  }

  void SetUp() override {
    auto origin = StartDemoOrigin("h2-origin");
    ASSERT_TRUE(origin.ok()) << origin.status();
    origin_ = *std::move(origin);
    snapshot_ = UniqueTestPath("h2-snapshot.bin");
    const CommandResult compiled = CompileSnapshot({ZoneJson(origin_.port)}, snapshot_);
    ASSERT_EQ(compiled.exit_code, 0) << compiled.err;
    auto leaf = MakeSiteCertificate(*pki_, "h2-leaf", {"a.test"});
    ASSERT_TRUE(leaf.ok()) << leaf.status();
    auto certificate = ZoneCertificateOf(leaf->chain, leaf->key);
    ASSERT_TRUE(certificate.ok()) << certificate.status();
    ASSERT_TRUE(SetZoneCertificates(snapshot_, "a.test", {*certificate}).ok());
  }

  ProxyProcess Proxy(std::vector<std::string> extra = {}) {
    std::vector<std::string> flags = {"--snapshot-file=" + snapshot_, "--workers=2",
                                      "--listen-tls=127.0.0.1:0", "--http2-cleartext",
                                      // h2load sends no server name.
                                      "--tls-default-zone=a.test"};
    flags.insert(flags.end(), extra.begin(), extra.end());
    auto proxy = StartProxy(flags);
    EXPECT_TRUE(proxy.ok()) << proxy.status();
    return *std::move(proxy);
  }

  // curl over TLS (`tls`) or h2c prior knowledge; prints "CODE VERSION" then the body.
  std::string Curl(const ProxyProcess& proxy, bool tls, const std::string& path,
                   const std::string& options = "") {
    const std::string port = std::to_string(tls ? proxy.https_port : proxy.port);
    const std::string url = (tls ? "https://a.test:" : "http://a.test:") + port + path;
    const CommandResult result = Shell(
        "/usr/bin/curl -sS --max-time 10 -w '\\n%{http_code} %{http_version}' --resolve a.test:" +
        port + ":127.0.0.1 " +
        (tls ? "--http2 --cacert '" + pki_->ca_cert + "' " : "--http2-prior-knowledge ") + options +
        " '" + url + "'");
    EXPECT_FALSE(result.timed_out);
    return result.out + result.err;
  }

  static TestPki* pki_;
  OriginProcess origin_;
  std::string snapshot_;
};

TestPki* Http2Test::pki_ = nullptr;

TEST_F(Http2Test, CurlSpeaksHttp2OverTlsAndCleartext) {
  const std::string log = UniqueTestPath("h2-access.log");
  ProxyProcess proxy = Proxy({"--access-log=" + log});
  for (bool tls : {true, false}) {
    const std::string out = Curl(proxy, tls, "/hello");
    EXPECT_TRUE(absl::EndsWith(out, "200 2")) << out;
    EXPECT_TRUE(absl::StrContains(out, "origin h2-origin: GET /hello")) << out;
    // The rules see the version the client spoke.
    EXPECT_TRUE(absl::EndsWith(Curl(proxy, tls, "/version"), "451 2"));
  }
  // So does the access log (written within its flush interval).
  std::string logged;
  for (int i = 0; i < 100 && !absl::StrContains(logged, "/version"); ++i) {
    std::this_thread::sleep_for(milliseconds(20));
    logged = ReadTestFile(log);
  }
  EXPECT_TRUE(absl::StrContains(logged, R"("method":"GET","protocol":"HTTP/2")")) << logged;
  // HTTP/1.1 still works on both listeners.
  const CommandResult plain = Shell(
      "/usr/bin/curl -sS --max-time 5 -o /dev/null -w '%{http_code} "
      "%{http_version}' -H 'Host: a.test' http://127.0.0.1:" +
      std::to_string(proxy.port) + "/hello");
  EXPECT_EQ(plain.out, "200 1.1");
  EXPECT_TRUE(absl::EndsWith(Curl(proxy, true, "/hello", "--http1.1"), "200 1.1"));
}

TEST_F(Http2Test, Http2OffKeepsTlsOnHttp11) {
  ProxyProcess proxy = Proxy({"--http2=false"});
  EXPECT_TRUE(absl::EndsWith(Curl(proxy, true, "/hello"), "200 1.1"));
}

TEST_F(Http2Test, AWafBlockOverHttp2IsTheZonesBlockResponse) {
  ProxyProcess proxy = Proxy();
  const std::string out = Curl(proxy, true, "/admin/panel");
  EXPECT_TRUE(absl::EndsWith(out, "403 2")) << out;
  EXPECT_TRUE(absl::StartsWith(out, "blocked ")) << out;
}

TEST_F(Http2Test, APostBodyStreamsToTheOrigin) {
  ProxyProcess proxy = Proxy();
  // Far past a stream's window (64 KiB): the upload proceeds only as the proxy reads it.
  const std::string path = UniqueTestPath("h2-body.txt");
  std::string body(900 * 1024, 'x');
  body += "END-OF-BODY";
  WriteFile(path, body);
  for (bool tls : {true, false}) {
    const std::string out =
        Curl(proxy, tls, "/upload", "--data-binary @'" + path + "' -H 'content-type: text/plain'");
    EXPECT_TRUE(absl::EndsWith(out, "200 2")) << out.substr(out.size() - 200);
    EXPECT_TRUE(absl::StrContains(out, "END-OF-BODY\n")) << out.substr(0, 300);
  }
}

TEST_F(Http2Test, RequestTrailersReachTheOriginAsChunkedTrailers) {
  // An origin that keeps what it received, framing and trailer section included.
  ScriptedOrigin origin([](const ScriptedOrigin::Request&) {
    return ScriptedOrigin::Reply{"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"};
  });
  const std::string snapshot = UniqueTestPath("h2-trailers.bin");
  const CommandResult compiled = CompileSnapshot({ZoneJson(origin.port())}, snapshot);
  ASSERT_EQ(compiled.exit_code, 0) << compiled.err;
  auto proxy = StartProxy({"--snapshot-file=" + snapshot, "--workers=1", "--http2-cleartext"});
  ASSERT_TRUE(proxy.ok()) << proxy.status();
  const std::string body = UniqueTestPath("h2-trailer-body.txt");
  WriteFile(body, "hello");
  const CommandResult nghttp =
      Shell("/usr/bin/nghttp -n -s -d '" + body + "' --trailer 'x-checksum: abc123' " +
            "--trailer 'x-parts: 1' -H ':authority: a.test' http://127.0.0.1:" +
            std::to_string(proxy->port) + "/upload");
  EXPECT_EQ(nghttp.exit_code, 0) << nghttp.err;
  // 200, not the zone's 452: the rules read the request's header fields, and a trailer field
  // is not one (though the body, read whole before the rules, brought it in).
  EXPECT_TRUE(absl::StrContains(nghttp.out, " 200 ")) << nghttp.out;
  const std::vector<ScriptedOrigin::Request> received = origin.requests();
  ASSERT_EQ(received.size(), 1u);
  const std::string head = absl::AsciiStrToLower(received[0].head);
  EXPECT_TRUE(absl::StrContains(head, "transfer-encoding: chunked\r\n")) << head;
  EXPECT_FALSE(absl::StrContains(head, "content-length")) << head;
  EXPECT_FALSE(absl::StrContains(head, "x-checksum")) << head;  // a trailer, not a header
  EXPECT_EQ(received[0].body, "5\r\nhello\r\n0\r\nx-checksum: abc123\r\nx-parts: 1\r\n\r\n");

  // A trailer section that breaks HTTP/2's rules for fields is not forwarded: the stream is
  // reset and the origin never gets the request's end.
  const CommandResult refused =
      Shell("/usr/bin/nghttp -n -s -d '" + body + "' --trailer 'connection: close' " +
            "-H ':authority: a.test' http://127.0.0.1:" + std::to_string(proxy->port) + "/upload");
  EXPECT_FALSE(absl::StrContains(refused.out, " 200 ")) << refused.out;
  for (const ScriptedOrigin::Request& request : origin.requests()) {
    EXPECT_FALSE(absl::StrContains(request.body, "connection: close")) << request.body;
  }
}

TEST_F(Http2Test, NghttpAndManyConcurrentStreamsOnOneConnection) {
  ProxyProcess proxy = Proxy();
  const std::string port = std::to_string(proxy.port);
  const CommandResult nghttp =
      Shell("/usr/bin/nghttp -n -s -H ':authority: a.test' http://127.0.0.1:" + port + "/hello");
  EXPECT_EQ(nghttp.exit_code, 0) << nghttp.err;
  EXPECT_TRUE(absl::StrContains(nghttp.out, " 200 ")) << nghttp.out;
  // One connection, 100 streams at a time (the default limit), every one answered.
  const CommandResult load = Shell(
      "/usr/bin/h2load -n 1000 -c 1 -m 100 -H ':authority: a.test' "
      "http://127.0.0.1:" +
      port + "/hello");
  EXPECT_TRUE(absl::StrContains(load.out, "1000 succeeded, 0 failed, 0 errored")) << load.out;
  const CommandResult tls = Shell(
      "/usr/bin/h2load -n 400 -c 4 -m 10 -H ':authority: a.test' "
      "https://127.0.0.1:" +
      std::to_string(proxy.https_port) + "/hello");
  EXPECT_TRUE(absl::StrContains(tls.out, "400 succeeded, 0 failed, 0 errored")) << tls.out;
  EXPECT_GE(proxy.Metric("gatehouse_http2_streams_total"), 1400);
}

// The raw client's connection to the proxy's cleartext listener.
std::unique_ptr<H2RawClient> Connect(
    const ProxyProcess& proxy, const std::vector<std::pair<uint16_t, uint32_t>>& settings = {}) {
  auto client = H2RawClient::Connect(proxy.port, settings);
  EXPECT_TRUE(client.ok()) << client.status();
  return client.ok() ? *std::move(client) : nullptr;
}

bool IsResponseTo(const H2Frame& frame, uint32_t stream) {
  return (frame.type == kH2Headers || frame.type == kH2RstStream) && frame.stream == stream;
}

constexpr uint32_t kProtocolError = 1;
constexpr uint32_t kStreamClosed = 5;
constexpr uint32_t kRefusedStream = 7;
constexpr uint32_t kCancel = 8;
constexpr uint32_t kEnhanceYourCalm = 11;

TEST_F(Http2Test, MalformedRequestsAreRefusedPerStream) {
  ProxyProcess proxy = Proxy();
  auto client = Connect(proxy);
  ASSERT_NE(client, nullptr);
  const std::vector<H2Fields> malformed = {
      {{":method", "GET"},
       {":scheme", "http"},
       {":authority", "a.test"},
       {":path", "/"},
       {"X-Upper", "1"}},
      {{":method", "GET"},
       {":scheme", "http"},
       {":authority", "a.test"},
       {":path", "/"},
       {"connection", "keep-alive"}},
      {{":method", "GET"}, {":scheme", "http"}, {":authority", "a.test"}},
      {{":method", "GET"},
       {":scheme", "http"},
       {":authority", "a.test"},
       {":path", "/"},
       {"host", "b.test"}},
  };
  uint32_t stream = 1;
  for (const H2Fields& fields : malformed) {
    ASSERT_TRUE(client->SendHeaders(stream, fields, true));
    auto answer = client->ReadUntil([&](const H2Frame& f) { return IsResponseTo(f, stream); });
    ASSERT_TRUE(answer.has_value()) << "stream " << stream;
    EXPECT_EQ(answer->type, kH2RstStream) << "stream " << stream;
    EXPECT_EQ(answer->ErrorCode(), kProtocolError) << "stream " << stream;
    stream += 2;
  }
  // The connection goes on serving.
  ASSERT_TRUE(client->SendHeaders(stream, H2RawClient::Get("a.test", "/hello"), true));
  auto answer = client->ReadUntil([&](const H2Frame& f) { return IsResponseTo(f, stream); });
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->Status(), 200);
  EXPECT_GE(proxy.Metric("gatehouse_http2_malformed_streams_total"), 3);
}

TEST_F(Http2Test, AnHpackBombIsRefusedAndTheConnectionStaysBounded) {
  ProxyProcess proxy = Proxy({"--max-header-bytes=8192"});
  auto client = Connect(proxy);
  ASSERT_NE(client, nullptr);
  // One 4000-byte value put in the dynamic table, then referenced 1000 times: 4 MB of
  // fields from a 5 KB block.
  std::string block;
  for (const auto& [name, value] : H2RawClient::Get("a.test", "/hello")) {
    block += H2RawClient::Literal(name, value);
  }
  block += H2RawClient::IndexedLiteral("x-bomb", std::string(4000, 'b'));
  for (int i = 0; i < 1000; ++i) block += H2RawClient::Indexed(62);
  ASSERT_TRUE(client->Send(kH2Headers, kH2EndHeaders | kH2EndStream, 1, block));
  auto answer = client->ReadUntil([](const H2Frame& f) { return IsResponseTo(f, 1); });
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->Status(), 431);
}

TEST_F(Http2Test, AContinuationFloodEndsTheConnection) {
  ProxyProcess proxy = Proxy();
  auto client = Connect(proxy);
  ASSERT_NE(client, nullptr);
  std::string block;
  for (const auto& [name, value] : H2RawClient::Get("a.test", "/hello")) {
    block += H2RawClient::Literal(name, value);
  }
  ASSERT_TRUE(client->Send(kH2Headers, 0, 1, block));
  for (int i = 0; i < 200; ++i) {
    if (!client->Send(kH2Continuation, 0, 1, H2RawClient::Literal("x-a", "b"))) break;
  }
  auto goaway = client->ReadUntil([](const H2Frame& f) { return f.type == kH2GoAway; });
  EXPECT_TRUE(goaway.has_value());
  EXPECT_FALSE(client->Read().has_value());  // then closed
}

TEST_F(Http2Test, RapidResetGetsGoaway) {
  ProxyProcess proxy = Proxy({"--http2-reset-burst=50", "--http2-reset-rate=10"});
  auto client = Connect(proxy);
  ASSERT_NE(client, nullptr);
  std::string burst;
  const std::string cancel("\0\0\0\x08", 4);
  for (uint32_t stream = 1; stream < 2 * 500; stream += 2) {
    std::string block;
    for (const auto& [name, value] : H2RawClient::Get("a.test", "/hello")) {
      block += H2RawClient::Literal(name, value);
    }
    burst += H2RawClient::Frame(kH2Headers, kH2EndHeaders | kH2EndStream, stream, block);
    burst += H2RawClient::Frame(kH2RstStream, 0, stream, cancel);
  }
  client->SendRaw(burst);
  auto goaway = client->ReadUntil([](const H2Frame& f) { return f.type == kH2GoAway; });
  ASSERT_TRUE(goaway.has_value());
  EXPECT_NE(goaway->ErrorCode(), 0u);
  EXPECT_GE(proxy.Metric("gatehouse_http2_goaway_errors_total"), 1);
}

TEST_F(Http2Test, ControlFrameFloodsGetGoaway) {
  ProxyProcess proxy = Proxy({"--http2-control-frame-burst=100", "--http2-control-frame-rate=10"});
  const std::string ping = H2RawClient::Frame(kH2Ping, 0, 0, std::string(8, 'p'));
  const std::string settings = H2RawClient::Frame(kH2Settings, 0, 0, "");
  const std::string priority =
      H2RawClient::Frame(kH2Priority, 0, 3, std::string("\0\0\0\x01\x10", 5));
  for (const std::string* frame : {&ping, &settings, &priority}) {
    auto client = Connect(proxy);
    ASSERT_NE(client, nullptr);
    std::string flood;
    for (int i = 0; i < 1000; ++i) flood += *frame;
    client->SendRaw(flood);
    auto goaway = client->ReadUntil([](const H2Frame& f) { return f.type == kH2GoAway; });
    ASSERT_TRUE(goaway.has_value()) << static_cast<int>((*frame)[3]);
    EXPECT_EQ(goaway->ErrorCode(), kEnhanceYourCalm);
  }
}

TEST_F(Http2Test, StreamsPastTheConcurrencyLimitAreRefused) {
  ProxyProcess proxy = Proxy({"--http2-max-concurrent-streams=5"});
  auto client = Connect(proxy);
  ASSERT_NE(client, nullptr);
  // Six POSTs whose bodies never end: the first five stay open, the sixth is refused.
  H2Fields post = {
      {":method", "POST"}, {":scheme", "http"}, {":authority", "a.test"}, {":path", "/upload"}};
  for (uint32_t stream = 1; stream <= 11; stream += 2) {
    ASSERT_TRUE(client->SendHeaders(stream, post, false));
  }
  auto refused = client->ReadUntil([](const H2Frame& f) { return f.type == kH2RstStream; });
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->stream, 11u);
  EXPECT_EQ(refused->ErrorCode(), kRefusedStream);
}

TEST_F(Http2Test, AZeroWindowStallIsResetAfterTheSendTimeout) {
  ProxyProcess proxy = Proxy({"--body-timeout-ms=500"});
  // SETTINGS_INITIAL_WINDOW_SIZE 0: no response DATA may flow.
  auto client = Connect(proxy, {{0x4, 0}});
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(client->SendHeaders(1, H2RawClient::Get("a.test", "/hello"), true));
  const auto started = std::chrono::steady_clock::now();
  auto reset = client->ReadUntil([](const H2Frame& f) { return f.type == kH2RstStream; });
  ASSERT_TRUE(reset.has_value());
  EXPECT_EQ(reset->stream, 1u);
  EXPECT_EQ(reset->ErrorCode(), kCancel);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(4));
}

// An answer given before the client finished sending (here a 413 for a declared body over the
// limit) reaches the client whole, and only then is the rest of the request refused with
// RST_STREAM NO_ERROR: the reset must not overtake the answer's DATA (a closed window holds it).
TEST_F(Http2Test, AnEarlyAnswerToAnUploadKeepsItsBodyBeforeTheReset) {
  ProxyProcess proxy = Proxy();
  auto client = Connect(proxy, {{0x4, 0}});  // SETTINGS_INITIAL_WINDOW_SIZE 0: no DATA yet
  ASSERT_NE(client, nullptr);
  const H2Fields upload = {{":method", "POST"},
                           {":scheme", "http"},
                           {":authority", "a.test"},
                           {":path", "/upload"},
                           {"content-length", "100000000000"}};
  ASSERT_TRUE(client->SendHeaders(1, upload, false));
  auto head = client->ReadUntil([](const H2Frame& f) { return IsResponseTo(f, 1); });
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(head->Status(), 413);
  // The proxy has the whole answer now; give a reset that would overtake it time to be sent.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  std::string increment(4, '\0');
  increment[1] = 0x01;  // 65,536 bytes
  ASSERT_TRUE(client->Send(kH2WindowUpdate, 0, 1, increment));
  std::string body;
  for (;;) {
    std::optional<H2Frame> frame = client->Read();
    ASSERT_TRUE(frame.has_value()) << "no end of the answer; body so far: " << body;
    if (frame->stream != 1) continue;
    ASSERT_NE(frame->type, kH2RstStream) << "reset before the answer's end; body: " << body;
    if (frame->type != kH2Data) continue;
    body += frame->payload;
    if ((frame->flags & kH2EndStream) != 0) break;
  }
  EXPECT_NE(body, "");
  auto reset = client->ReadUntil([](const H2Frame& f) { return f.type == kH2RstStream; });
  ASSERT_TRUE(reset.has_value());
  EXPECT_EQ(reset->ErrorCode(), 0u);
}

bool IsGoaway(const H2Frame& frame) { return frame.type == kH2GoAway; }

TEST_F(Http2Test, TheLastStreamIdIsServedWithAGoawayNamingIt) {
  ProxyProcess proxy = Proxy();
  auto client = Connect(proxy);
  ASSERT_NE(client, nullptr);
  // The client can open no stream after this one: it is told to go on on a new connection.
  const uint32_t last = 0x7fffffff;
  ASSERT_TRUE(client->SendHeaders(last, H2RawClient::Get("a.test", "/hello"), true));
  std::optional<H2Frame> goaway;
  std::optional<H2Frame> answer;
  while (!goaway.has_value() || !answer.has_value()) {
    std::optional<H2Frame> frame = client->Read();
    ASSERT_TRUE(frame.has_value()) << "goaway " << goaway.has_value();
    if (IsGoaway(*frame)) goaway = frame;
    if (IsResponseTo(*frame, last)) answer = frame;
  }
  EXPECT_EQ(answer->Status(), 200);
  EXPECT_EQ(goaway->ErrorCode(), 0u);
  EXPECT_EQ(goaway->LastStreamId(), last);
}

TEST_F(Http2Test, ALowerOrReusedStreamIdIsAProtocolError) {
  ProxyProcess proxy = Proxy();
  for (const uint32_t next : {3u, 5u}) {  // lower than any used, then the same again
    auto client = Connect(proxy);
    ASSERT_NE(client, nullptr);
    ASSERT_TRUE(client->SendHeaders(5, H2RawClient::Get("a.test", "/hello"), true));
    auto answer = client->ReadUntil([](const H2Frame& f) { return IsResponseTo(f, 5); });
    ASSERT_TRUE(answer.has_value());
    EXPECT_EQ(answer->Status(), 200);
    // The answer's end: stream 5 is closed on both sides.
    const auto ends_stream_5 = [](const H2Frame& f) {
      return f.stream == 5 && (f.flags & kH2EndStream) != 0;
    };
    if (!ends_stream_5(*answer)) {
      ASSERT_TRUE(client->ReadUntil(ends_stream_5).has_value());
    }
    ASSERT_TRUE(client->SendHeaders(next, H2RawClient::Get("a.test", "/hello"), true));
    auto goaway = client->ReadUntil([&](const H2Frame& f) {
      EXPECT_FALSE(IsResponseTo(f, next)) << "stream " << next << " was served";
      return IsGoaway(f);
    });
    ASSERT_TRUE(goaway.has_value()) << "stream " << next;
    if (next == 5) {
      // The same id again: STREAM_CLOSED when nghttp2 still holds the stream half-closed (its
      // response's last frame just went), PROTOCOL_ERROR once it is gone (RFC 9113 §5.1).
      EXPECT_TRUE(goaway->ErrorCode() == kProtocolError || goaway->ErrorCode() == kStreamClosed)
          << goaway->ErrorCode();
    } else {
      EXPECT_EQ(goaway->ErrorCode(), kProtocolError) << "stream " << next;
    }
    EXPECT_EQ(goaway->LastStreamId(), 5u);
    EXPECT_FALSE(client->Read().has_value());  // then closed
  }
  EXPECT_EQ(proxy.Metric("gatehouse_http2_streams_total"), 2);
}

}  // namespace
}  // namespace gatehouse::testing
