// HTTP/1.1 behaviour of the proxy with real sockets: streaming bodies, HEAD, pipelining,
// 100-continue, upgrades, hop-by-hop headers, limits and the answers to malformed requests, and
// the upstream pool (keep-alive reuse, stale-connection retry, passive health, timeouts).
// The proxy serves a snapshot file compiled by gatectl: no control plane needed.
#include <sys/socket.h>

#include <chrono>
#include <string>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "boost/asio/connect.hpp"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/read.hpp"
#include "boost/asio/read_until.hpp"
#include "boost/asio/write.hpp"
#include "gtest/gtest.h"
#include "tests/support/io_deadline.h"
#include "tests/support/proxy_process.h"
#include "tests/support/scripted_origin.h"

namespace gatehouse::testing {
namespace {

bool ContainsIgnoreCase(const std::string& text, const std::string& needle) {
  return absl::AsciiStrToLower(text).find(absl::AsciiStrToLower(needle)) != std::string::npos;
}

// A zone whose default origin is `servers`; `/blocked` is blocked by a WAF rule.
std::string ZoneJson(const std::vector<uint16_t>& ports, uint64_t max_body = 0) {
  std::vector<std::string> servers;
  for (uint16_t port : ports) servers.push_back("\"127.0.0.1:" + std::to_string(port) + "\"");
  return absl::StrReplaceAll(R"json({
  "zone": "example.com",
  "hostnames": ["example.com"],
  "settings": {"max_request_body_bytes": MAX_BODY},
  "origins": [{"name": "app", "servers": [SERVERS]}],
  "rulesets": [
    {"phase": "http_request_firewall_custom", "rules": [
      {"id": "no-blocked", "expression": "http.request.uri.path eq \"/blocked\"",
       "action": "block"},
      {"id": "body-secret", "expression": "http.request.body.raw contains \"SECRET\"",
       "action": "block"}]}]
})json",
                             {{"SERVERS", absl::StrJoin(servers, ", ")},
                              {"MAX_BODY", std::to_string(max_body)}});
}

class ProxyHttpTest : public ::testing::Test {
 protected:
  // Starts a proxy serving a zone with these origin servers.
  void StartEdge(const std::vector<uint16_t>& ports, std::vector<std::string> flags = {},
                 uint64_t max_body = 0) {
    const std::string snapshot = UniqueTestPath("snapshot") + ".bin";
    const auto compiled = CompileSnapshot({ZoneJson(ports, max_body)}, snapshot);
    ASSERT_EQ(compiled.exit_code, 0) << compiled.err;
    flags.push_back("--snapshot-file=" + snapshot);
    flags.push_back("--workers=1");
    auto proxy = StartProxy(flags);
    ASSERT_TRUE(proxy.ok()) << proxy.status();
    proxy_ = *std::move(proxy);
  }

  std::string Raw(const std::string& bytes, int timeout_ms = 3000) {
    auto out = RawExchange(proxy_.port, bytes, timeout_ms);
    EXPECT_TRUE(out.ok()) << out.status();
    return out.ok() ? *out : "";
  }

  ProxyProcess proxy_;
};

std::string ChunkedReply(const std::vector<std::string>& chunks,
                         const std::string& extra_headers = "") {
  std::string out = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n" +
                    extra_headers + "\r\n";
  for (const std::string& chunk : chunks) {
    char size[16];
    std::snprintf(size, sizeof(size), "%zx", chunk.size());
    out += std::string(size) + "\r\n" + chunk + "\r\n";
  }
  return out + "0\r\n\r\n";
}

ScriptedOrigin::Reply Ok(const std::string& body, const std::string& extra_headers = "") {
  return {"HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" +
              extra_headers + "\r\n" + body,
          false, false};
}

TEST_F(ProxyHttpTest, KeepAliveClientAndPooledOriginConnection) {
  ScriptedOrigin origin([](const ScriptedOrigin::Request&) { return Ok("hello"); });
  StartEdge({origin.port()});
  auto client = KeepAliveClient::Connect(proxy_.port);
  ASSERT_TRUE(client.ok());
  for (int i = 0; i < 5; ++i) {
    auto result = (*client)->Send({"GET", "/k" + std::to_string(i), "example.com", {}, ""});
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_EQ(result->status, 200);
    EXPECT_EQ(result->body, "hello");
  }
  // Five requests, one upstream connection: the pool reused it.
  EXPECT_EQ(origin.connections(), 1);
}

TEST_F(ProxyHttpTest, ChunkedAndLargeRequestBodiesStreamToTheOrigin) {
  auto demo = StartDemoOrigin("demo");
  ASSERT_TRUE(demo.ok());
  StartEdge({demo->port});
  const std::string reply =
      Raw("POST /upload HTTP/1.1\r\nHost: example.com\r\nTransfer-Encoding: chunked\r\n"
          "Connection: close\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
  EXPECT_TRUE(absl::StartsWith(reply, "HTTP/1.1 200")) << reply;
  EXPECT_NE(reply.find("body: hello world"), std::string::npos) << reply;

  // A body far larger than the inspected prefix arrives whole.
  const std::string big(1 << 20, 'x');
  HttpCall call{"POST", "/big", "example.com", {}, big};
  auto result = HttpRequestOnce(proxy_.port, call);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->status, 200);
  EXPECT_NE(result->body.find("body: " + big), std::string::npos);
}

TEST_F(ProxyHttpTest, RulesSeeTheBodyPrefix) {
  auto demo = StartDemoOrigin("demo");
  ASSERT_TRUE(demo.ok());
  StartEdge({demo->port});
  auto blocked = HttpRequestOnce(proxy_.port, {"POST", "/p", "example.com", {}, "a SECRET b"});
  ASSERT_TRUE(blocked.ok());
  EXPECT_EQ(blocked->status, 403);
  auto passed = HttpRequestOnce(proxy_.port, {"POST", "/p", "example.com", {}, "nothing"});
  ASSERT_TRUE(passed.ok());
  EXPECT_EQ(passed->status, 200);
}

TEST_F(ProxyHttpTest, ChunkedResponseIsRelayedChunkedAndClosedForHttp10) {
  ScriptedOrigin origin([](const ScriptedOrigin::Request&) {
    return ScriptedOrigin::Reply{ChunkedReply({"part one, ", "part two"}), false, false};
  });
  StartEdge({origin.port()});
  auto result = HttpGet(proxy_.port, "example.com", "/");
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->body, "part one, part two");
  EXPECT_EQ(result->headers["transfer-encoding"], "chunked");

  const std::string old = Raw("GET / HTTP/1.0\r\nHost: example.com\r\n\r\n");
  EXPECT_TRUE(absl::StartsWith(old, "HTTP/1.0 200")) << old;
  EXPECT_EQ(old.find("chunked"), std::string::npos) << old;
  EXPECT_TRUE(absl::EndsWith(old, "\r\n\r\npart one, part two")) << old;
}

TEST_F(ProxyHttpTest, HeadGetsHeadersOnly) {
  auto demo = StartDemoOrigin("demo");
  ASSERT_TRUE(demo.ok());
  StartEdge({demo->port});
  const std::string reply =
      Raw("HEAD /h HTTP/1.1\r\nHost: example.com\r\n\r\n"
          "HEAD /blocked HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n");
  const size_t second = reply.find("HTTP/1.1 403");
  ASSERT_NE(second, std::string::npos) << reply;
  const std::string first = reply.substr(0, second);
  EXPECT_TRUE(absl::StartsWith(first, "HTTP/1.1 200")) << reply;
  EXPECT_NE(first.find("Content-Length: "), std::string::npos) << reply;
  // Nothing follows either header block.
  EXPECT_TRUE(absl::EndsWith(first, "\r\n\r\n")) << reply;
  EXPECT_TRUE(absl::EndsWith(reply, "\r\n\r\n")) << reply;
}

TEST_F(ProxyHttpTest, PipelinedRequestsAreAnsweredInOrder) {
  auto demo = StartDemoOrigin("demo");
  ASSERT_TRUE(demo.ok());
  StartEdge({demo->port});
  const std::string reply =
      Raw("GET /slow/200 HTTP/1.1\r\nHost: example.com\r\n\r\n"
          "GET /blocked HTTP/1.1\r\nHost: example.com\r\n\r\n"
          "POST /third HTTP/1.1\r\nHost: example.com\r\nContent-Length: 3\r\n\r\nabc"
          "GET /fourth HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n");
  const size_t first = reply.find("GET /slow/200");
  const size_t second = reply.find("HTTP/1.1 403");
  const size_t third = reply.find("POST /third");
  const size_t fourth = reply.find("GET /fourth");
  ASSERT_NE(first, std::string::npos) << reply;
  ASSERT_NE(second, std::string::npos) << reply;
  ASSERT_NE(third, std::string::npos) << reply;
  ASSERT_NE(fourth, std::string::npos) << reply;
  EXPECT_LT(first, second);
  EXPECT_LT(second, third);
  EXPECT_LT(third, fourth);
  EXPECT_NE(reply.find("body: abc"), std::string::npos);
}

TEST_F(ProxyHttpTest, ExpectContinueGetsInterimResponse) {
  auto demo = StartDemoOrigin("demo");
  ASSERT_TRUE(demo.ok());
  StartEdge({demo->port});
  const std::string reply =
      Raw("POST /e HTTP/1.1\r\nHost: example.com\r\nExpect: 100-continue\r\n"
          "Content-Length: 4\r\nConnection: close\r\n\r\nbody");
  EXPECT_TRUE(absl::StartsWith(reply, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200")) << reply;
  EXPECT_NE(reply.find("body: body"), std::string::npos) << reply;

  // Over the zone's limit: refused with 413, no 100 sent, connection closed.
  proxy_ = {};
  StartEdge({demo->port}, {}, /*max_body=*/10);
  const std::string refused =
      Raw("POST /e HTTP/1.1\r\nHost: example.com\r\nExpect: 100-continue\r\n"
          "Content-Length: 100\r\n\r\n");
  EXPECT_TRUE(absl::StartsWith(refused, "HTTP/1.1 413")) << refused;
  EXPECT_NE(refused.find("Connection: close"), std::string::npos) << refused;
}

TEST_F(ProxyHttpTest, UpgradeIsTunnelledAsRawBytes) {
  ScriptedOrigin origin([](const ScriptedOrigin::Request& request) {
    if (!ContainsIgnoreCase(request.head, "upgrade: websocket")) return Ok("no upgrade");
    return ScriptedOrigin::Reply{
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
        false, true};
  });
  StartEdge({origin.port()});
  namespace asio = boost::asio;
  asio::io_context context;
  asio::ip::tcp::socket socket(context);
  socket.connect({asio::ip::make_address("127.0.0.1"), proxy_.port});
  const IoDeadline deadline(socket.native_handle(), std::chrono::seconds(5));
  asio::write(socket, asio::buffer(std::string(
                          "GET /ws HTTP/1.1\r\nHost: example.com\r\nUpgrade: websocket\r\n"
                          "Connection: Upgrade\r\nSec-WebSocket-Key: abc\r\n\r\n")));
  std::string received;
  asio::read_until(socket, asio::dynamic_buffer(received), "\r\n\r\n");
  EXPECT_TRUE(absl::StartsWith(received, "HTTP/1.1 101")) << received;
  EXPECT_TRUE(ContainsIgnoreCase(received, "upgrade: websocket")) << received;
  received.erase(0, received.find("\r\n\r\n") + 4);
  // Bytes that are not HTTP go both ways.
  const std::string frame("\x81\x05hello\x00\xff", 9);
  asio::write(socket, asio::buffer(frame));
  while (received.size() < frame.size()) {
    char chunk[64];
    const size_t n = socket.read_some(asio::buffer(chunk));
    received.append(chunk, n);
  }
  EXPECT_EQ(received, frame);
  const auto requests = origin.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_TRUE(ContainsIgnoreCase(requests[0].head, "connection: upgrade"));
}

TEST_F(ProxyHttpTest, HopByHopHeadersAreNotForwardedEitherWay) {
  ScriptedOrigin origin([](const ScriptedOrigin::Request&) {
    return Ok("ok", "Connection: X-Origin-Private\r\nX-Origin-Private: 1\r\nKeep-Alive: timeout=5\r\n"
                    "X-Kept: yes\r\n");
  });
  StartEdge({origin.port()});
  auto result = HttpRequestOnce(
      proxy_.port, {"GET", "/", "example.com",
                    {{"Connection", "X-Client-Private"}, {"X-Client-Private", "1"},
                     {"Keep-Alive", "timeout=9"}, {"TE", "trailers"}, {"X-Forwarded-For", "10.1.1.1"}},
                    ""});
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->headers.count("x-origin-private"), 0u);
  EXPECT_EQ(result->headers.count("keep-alive"), 0u);
  EXPECT_EQ(result->headers["x-kept"], "yes");
  EXPECT_EQ(result->headers["via"], "1.1 gatehouse");
  const auto requests = origin.requests();
  ASSERT_EQ(requests.size(), 1u);
  const std::string& head = requests[0].head;
  EXPECT_FALSE(ContainsIgnoreCase(head, "x-client-private")) << head;
  EXPECT_FALSE(ContainsIgnoreCase(head, "keep-alive")) << head;
  EXPECT_FALSE(ContainsIgnoreCase(head, "\r\nte:")) << head;
  EXPECT_TRUE(ContainsIgnoreCase(head, "x-forwarded-for: 10.1.1.1, 127.0.0.1")) << head;
  EXPECT_TRUE(ContainsIgnoreCase(head, "x-forwarded-proto: http")) << head;
  EXPECT_TRUE(ContainsIgnoreCase(head, "via: 1.1 gatehouse")) << head;
}

TEST_F(ProxyHttpTest, MalformedAndOversizedRequestsGetTheirStatusAndAClose) {
  auto demo = StartDemoOrigin("demo");
  ASSERT_TRUE(demo.ok());
  StartEdge({demo->port}, {"--max-header-bytes=4096", "--max-uri-bytes=1024"}, /*max_body=*/1000);
  const auto expect_refusal = [&](const std::string& bytes, const std::string& status) {
    const std::string reply = Raw(bytes);
    EXPECT_TRUE(absl::StartsWith(reply, "HTTP/1.1 " + status)) << status << ": " << reply;
    EXPECT_NE(reply.find("Connection: close"), std::string::npos) << reply;
  };
  expect_refusal("GARBAGE\r\n\r\n", "400");
  expect_refusal("GET / HTTP/1.1\r\nBad Header Line\r\n\r\n", "400");
  expect_refusal("GET / HTTP/1.1\r\n\r\n", "400");  // no Host
  expect_refusal("GET /" + std::string(2000, 'a') + " HTTP/1.1\r\nHost: example.com\r\n\r\n",
                 "414");
  expect_refusal("GET / HTTP/1.1\r\nHost: example.com\r\nX-Big: " + std::string(8000, 'b') +
                     "\r\n\r\n",
                 "431");
  expect_refusal("POST / HTTP/1.1\r\nHost: example.com\r\nContent-Length: 5000\r\n\r\n", "413");
  std::string chunked = "POST / HTTP/1.1\r\nHost: example.com\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 20; ++i) chunked += "64\r\n" + std::string(100, 'c') + "\r\n";
  expect_refusal(chunked + "0\r\n\r\n", "413");
  expect_refusal("POST / HTTP/1.1\r\nHost: example.com\r\nTransfer-Encoding: chunked\r\n\r\n"
                 "zz\r\nabc\r\n",
                 "400");
  // Unknown host: answered, and the connection stays usable.
  const std::string unknown = Raw(
      "GET / HTTP/1.1\r\nHost: nobody.test\r\n\r\nGET / HTTP/1.1\r\nHost: example.com\r\n"
      "Connection: close\r\n\r\n");
  EXPECT_TRUE(absl::StartsWith(unknown, "HTTP/1.1 421")) << unknown;
  EXPECT_NE(unknown.find("HTTP/1.1 200"), std::string::npos) << unknown;
}

TEST_F(ProxyHttpTest, SlowClientsAreCutOff) {
  auto demo = StartDemoOrigin("demo");
  ASSERT_TRUE(demo.ok());
  StartEdge({demo->port},
            {"--header-timeout-ms=300", "--idle-timeout-ms=300", "--body-timeout-ms=300"});
  // A header that never ends: 408, closed.
  const std::string partial = Raw("GET / HTTP/1.1\r\nHost: exa", 5000);
  EXPECT_TRUE(absl::StartsWith(partial, "HTTP/1.1 408")) << partial;
  // A body that never comes: 408, closed.
  const std::string body =
      Raw("POST / HTTP/1.1\r\nHost: example.com\r\nContent-Length: 10\r\n\r\nab", 5000);
  EXPECT_TRUE(absl::StartsWith(body, "HTTP/1.1 408")) << body;
  // An idle keep-alive connection is closed quietly (RawExchange returns once it closes).
  const auto started = std::chrono::steady_clock::now();
  const std::string idle = Raw("", 5000);
  EXPECT_EQ(idle, "");
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(4));
}

TEST_F(ProxyHttpTest, ConnectionLimitRefusesExtraConnections) {
  auto demo = StartDemoOrigin("demo");
  ASSERT_TRUE(demo.ok());
  StartEdge({demo->port}, {"--max-connections=1"});
  auto held = KeepAliveClient::Connect(proxy_.port);
  ASSERT_TRUE(held.ok());
  ASSERT_TRUE((*held)->Send({"GET", "/", "example.com", {}, ""}).ok());
  // The second connection is closed without an answer while the first is open.
  const std::string refused = Raw("GET / HTTP/1.1\r\nHost: example.com\r\n\r\n", 3000);
  EXPECT_EQ(refused, "");
  held->reset();
  auto later = proxy_.GetUntil("example.com", "/", [](const HttpResult& r) {
    return r.status == 200;
  });
  ASSERT_TRUE(later.ok());
}

TEST_F(ProxyHttpTest, StalePooledConnectionIsRetriedForIdempotentRequestsOnly) {
  // The origin keeps a connection open after a response but drops the next request on it
  // unanswered: what a keep-alive connection closing under a request looks like.
  ScriptedOrigin origin([](const ScriptedOrigin::Request& request) {
    if (request.index_on_connection > 0) return ScriptedOrigin::Reply{"", true, false};
    return Ok("fresh");
  });
  StartEdge({origin.port()});
  auto first = HttpGet(proxy_.port, "example.com", "/1");
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->body, "fresh");
  auto second = HttpGet(proxy_.port, "example.com", "/2");
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->status, 200);
  EXPECT_EQ(second->body, "fresh");
  EXPECT_EQ(origin.connections(), 2);
  // POST is not retried: the origin might have acted on it.
  auto post = HttpRequestOnce(proxy_.port, {"POST", "/3", "example.com", {}, "x"});
  ASSERT_TRUE(post.ok());
  EXPECT_EQ(post->status, 502);
}

TEST_F(ProxyHttpTest, DeadServerIsEjectedAndSkipped) {
  auto demo = StartDemoOrigin("demo");
  ASSERT_TRUE(demo.ok());
  StartEdge({UnusedPort(), demo->port});
  int failures = 0;
  for (int i = 0; i < 10; ++i) {
    auto result = HttpGet(proxy_.port, "example.com", "/" + std::to_string(i));
    ASSERT_TRUE(result.ok());
    if (result->status != 200) {
      ++failures;
      EXPECT_EQ(result->status, 502);
    }
  }
  EXPECT_LE(failures, 1);
}

TEST_F(ProxyHttpTest, OriginTimeoutsAndFailuresAre504And502) {
  auto demo = StartDemoOrigin("demo");
  ASSERT_TRUE(demo.ok());
  StartEdge({demo->port}, {"--response-timeout-ms=300"});
  auto slow = HttpGet(proxy_.port, "example.com", "/slow/3000");
  ASSERT_TRUE(slow.ok());
  EXPECT_EQ(slow->status, 504);
  proxy_ = {};
  StartEdge({UnusedPort()});
  auto down = HttpGet(proxy_.port, "example.com", "/");
  ASSERT_TRUE(down.ok());
  EXPECT_EQ(down->status, 502);
  EXPECT_EQ(down->body, "The origin could not be reached.\n");
}

// The head of a response goes out with the first piece of its body: an origin that sends a head
// and then stalls has had nothing relayed yet, so the client gets a 504, not a cut-off 200.
TEST_F(ProxyHttpTest, OriginStallingAfterItsHeadIs504) {
  ScriptedOrigin origin([](const ScriptedOrigin::Request&) {
    return ScriptedOrigin::Reply{"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n"};
  });
  StartEdge({origin.port()}, {"--response-timeout-ms=300"});
  auto stalled = HttpGet(proxy_.port, "example.com", "/");
  ASSERT_TRUE(stalled.ok()) << stalled.status();
  EXPECT_EQ(stalled->status, 504);
  EXPECT_EQ(stalled->body, "The origin did not answer in time.\n");
}

}  // namespace
}  // namespace gatehouse::testing
