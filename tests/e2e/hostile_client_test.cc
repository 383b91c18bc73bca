// The proxy attacked as a hostile client would: raw bytes against the real proxy binary, with an
// origin that records what it receives. Each case is a defect found once (or a behaviour that
// must stay): injection, smuggling, cross-client leaks, unbounded memory, framing that stalls.
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "tests/support/http_client.h"
#include "tests/support/proxy_process.h"
#include "tests/support/scripted_origin.h"

namespace gatehouse::testing {
namespace {

bool Contains(const std::string& text, const std::string& needle) {
  return absl::AsciiStrToLower(text).find(absl::AsciiStrToLower(needle)) != std::string::npos;
}

// c.test has rules; d.test has none. Both use the scripted origin.
std::string Zones(uint16_t origin_port, const std::string& zone, const std::string& rulesets) {
  return absl::StrReplaceAll(R"json({
  "zone": "ZONE", "hostnames": ["ZONE"],
  "origins": [{"name": "app", "servers": ["127.0.0.1:PORT"]}],
  "rulesets": [RULESETS]})json",
                             {{"ZONE", zone},
                              {"PORT", std::to_string(origin_port)},
                              {"RULESETS", rulesets}});
}

constexpr char kRules[] = R"json(
  {"phase": "http_request_firewall_custom", "rules": [
    {"id": "no-admin", "expression": "starts_with(http.request.uri.path, \"/admin\")",
     "action": "block"}]},
  {"phase": "http_request_dynamic_redirect", "rules": [
    {"id": "echo-redirect", "expression": "http.request.uri.path eq \"/r\"", "action": "redirect",
     "action_parameters": {"from_value": {"status_code": 302, "target_url": {
       "expression": "concat(\"https://x.test/\", url_decode(http.request.uri.query))"}}}}]},
  {"phase": "http_request_transform", "rules": [
    {"id": "echo-header", "expression": "http.request.uri.path eq \"/h\"", "action": "rewrite",
     "action_parameters": {"headers": {"X-Echo": {"operation": "set",
       "expression": "url_decode(http.request.uri.query)"}}}},
    {"id": "echo-path", "expression": "http.request.uri.path eq \"/p\"", "action": "rewrite",
     "action_parameters": {"uri": {"path": {
       "expression": "concat(\"/p/\", url_decode(http.request.uri.query))"}}}}]},
  {"phase": "http_custom_errors", "rules": [
    {"id": "5xx", "expression": "http.response.code ge 500", "action": "serve_error",
     "action_parameters": {"status_code": 503, "content_type": "text/html",
                           "content": "<h1>Sorry</h1>"}}]})json";

// What the scripted origin answers, by path.
ScriptedOrigin::Reply Answer(const ScriptedOrigin::Request& request) {
  const std::string line = request.head.substr(0, request.head.find("\r\n"));
  const auto has = [&](const std::string& path) { return Contains(line, " " + path + " "); };
  if (has("/status/500")) {
    return {"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 4\r\n\r\noops"};
  }
  if (has("/poison")) {
    // A complete response, then bytes nobody asked for: the next request on this connection
    // must not be answered with them.
    return {"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nSet-Cookie: session=first\r\n\r\nok"
            "HTTP/1.1 200 OK\r\nContent-Length: 6\r\nSet-Cookie: session=stolen\r\n\r\nstolen"};
  }
  if (has("/poison-later")) {
    // The same bytes, sent while the connection sits idle in the pool.
    ScriptedOrigin::Reply reply{"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"};
    reply.stray_later =
        "HTTP/1.1 200 OK\r\nContent-Length: 6\r\nSet-Cookie: session=stolen\r\n\r\nstolen";
    reply.stray_delay_ms = 100;
    return reply;
  }
  if (has("/stray-head")) {
    // A HEAD answered with a body anyway.
    return {"HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nstolen"};
  }
  if (has("/stray-204")) {
    return {"HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nstolen"};
  }
  if (has("/bad-chunk")) {
    return {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n", true};
  }
  if (has("/bad-head")) return {"HTTP/1.1 200 OK\r\nBroken Header\r\n\r\n", true};
  return {"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 6\r\n\r\norigin"};
}

class HostileClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    origin_ = std::make_unique<ScriptedOrigin>(Answer);
    access_log_ = UniqueTestPath("access") + ".log";
    auto proxy = StartProxyServing(
        {Zones(origin_->port(), "c.test", kRules), Zones(origin_->port(), "d.test", "")},
        {"--workers=1", "--access-log=" + access_log_, "--max-header-bytes=8192",
         "--body-deadline-ms=1500", "--body-min-rate=1024"});
    ASSERT_TRUE(proxy.ok()) << proxy.status();
    proxy_ = *std::move(proxy);
  }

  // Sends raw bytes; returns what came back before the proxy closed (or 3 s passed).
  std::string Raw(const std::string& bytes, int timeout_ms = 3000) {
    auto out = RawExchange(proxy_.port, bytes, timeout_ms);
    EXPECT_TRUE(out.ok()) << out.status();
    return out.ok() ? *out : "";
  }

  // The request heads the origin received, oldest first.
  std::vector<std::string> OriginHeads() const {
    std::vector<std::string> heads;
    for (const auto& request : origin_->requests()) heads.push_back(request.head);
    return heads;
  }

  std::string Metrics() const {
    auto metrics = HttpGet(proxy_.admin_port, "", "/metrics");
    return metrics.ok() ? metrics->body : "";
  }

  // The access log once it holds at least `lines` lines (the writer thread flushes in the
  // background), or what it holds after 3 s.
  std::string AccessLog(size_t lines) const {
    std::string text;
    for (int i = 0; i < 150; ++i) {
      std::ifstream in(access_log_);
      std::stringstream buffer;
      buffer << in.rdbuf();
      text = buffer.str();
      if (static_cast<size_t>(std::count(text.begin(), text.end(), '\n')) >= lines) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return text;
  }

  long RssKib() const {
    std::ifstream status("/proc/" + std::to_string(proxy_.process->pid()) + "/status");
    std::string line;
    while (std::getline(status, line)) {
      if (absl::StartsWith(line, "VmRSS:")) return std::stol(line.substr(6));
    }
    return -1;
  }

  std::unique_ptr<ScriptedOrigin> origin_;
  ProxyProcess proxy_;
  std::string access_log_;
};

// 1. The README's custom-error line: a rendered error page is framed, so a keep-alive client
// gets it at once and can send the next request.
TEST_F(HostileClientTest, CustomErrorPagesAreFramedAndKeepTheConnection) {
  auto client = KeepAliveClient::Connect(proxy_.port);
  ASSERT_TRUE(client.ok());
  HttpCall call;
  call.host = "c.test";
  call.target = "/status/500";
  auto page = (*client)->Send(call, 2000);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->status, 503);
  EXPECT_EQ(page->body, "<h1>Sorry</h1>");
  EXPECT_EQ(page->headers["content-length"], "14");
  call.target = "/";
  auto next = (*client)->Send(call, 2000);
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(next->status, 200);
  // HEAD of the same page: the length a GET would get, no body.
  call.method = "HEAD";
  call.target = "/status/500";
  auto head = (*client)->Send(call, 2000);
  ASSERT_TRUE(head.ok()) << head.status();
  EXPECT_EQ(head->headers["content-length"], "14");
  EXPECT_EQ(head->body, "");
}

// 2. CRLF injection through value expressions.
TEST_F(HostileClientTest, ComputedValuesCannotInjectHeadersOrSplitTheRequestLine) {
  const std::string redirect = Raw(
      "GET /r?a%0d%0aSet-Cookie:%20pwn=1 HTTP/1.1\r\nHost: c.test\r\nConnection: close\r\n\r\n");
  EXPECT_FALSE(Contains(redirect, "\r\nSet-Cookie: pwn")) << redirect;
  EXPECT_TRUE(absl::StartsWith(redirect, "HTTP/1.1 200")) << "not redirected: " << redirect;
  const std::string clean =
      Raw("GET /r?page HTTP/1.1\r\nHost: c.test\r\nConnection: close\r\n\r\n");
  EXPECT_TRUE(Contains(clean, "\r\nLocation: https://x.test/page\r\n")) << clean;

  Raw("GET /h?x%0d%0aEvil:%201 HTTP/1.1\r\nHost: c.test\r\nConnection: close\r\n\r\n");
  Raw("GET /p?x%20HTTP/1.1%0d%0aEvil:%201%0d%0a HTTP/1.1\r\nHost: c.test\r\n"
      "Connection: close\r\n\r\n");
  for (const std::string& head : OriginHeads()) {
    EXPECT_FALSE(Contains(head, "\r\nEvil:")) << head;
    EXPECT_EQ(std::count(head.begin(), head.end(), '\n'),
              std::count(head.begin(), head.end(), '\r'))
        << "bare LF: " << head;
  }
  const std::string metrics = Metrics();
  EXPECT_TRUE(Contains(metrics,
                       "gatehouse_refused_values_total{zone=\"c.test\",rule=\"echo-redirect\"} 1"))
      << metrics;
  EXPECT_TRUE(Contains(metrics,
                       "gatehouse_refused_values_total{zone=\"c.test\",rule=\"echo-header\"} 1"));
  EXPECT_TRUE(Contains(metrics,
                       "gatehouse_refused_values_total{zone=\"c.test\",rule=\"echo-path\"} 1"));
  EXPECT_TRUE(Contains(AccessLog(4), "\"refused\":[{\"id\":\"echo-redirect\""));
}

// 3. Absolute-form targets: the authority chooses the zone, the rules see the path, the origin
// gets origin-form.
TEST_F(HostileClientTest, AbsoluteFormIsParsedNotPassedThrough) {
  const std::string direct = Raw("GET http://c.test/admin HTTP/1.1\r\nHost: c.test\r\n"
                                 "Connection: close\r\n\r\n");
  EXPECT_TRUE(absl::StartsWith(direct, "HTTP/1.1 403")) << direct;
  const std::string other_host = Raw("GET http://c.test/admin HTTP/1.1\r\nHost: d.test\r\n"
                                     "Connection: close\r\n\r\n");
  EXPECT_TRUE(absl::StartsWith(other_host, "HTTP/1.1 403")) << other_host;
  const std::string upper = Raw("GET HTTP://C.TEST:80/admin?x=1 HTTP/1.1\r\nHost: d.test\r\n"
                                "Connection: close\r\n\r\n");
  EXPECT_TRUE(absl::StartsWith(upper, "HTTP/1.1 403")) << upper;
  const std::string allowed = Raw("GET http://c.test/page?q=1 HTTP/1.1\r\nHost: d.test\r\n"
                                  "Connection: close\r\n\r\n");
  EXPECT_TRUE(absl::StartsWith(allowed, "HTTP/1.1 200")) << allowed;
  const auto heads = OriginHeads();
  ASSERT_EQ(heads.size(), 1u);
  EXPECT_TRUE(absl::StartsWith(heads[0], "GET /page?q=1 HTTP/1.1\r\n")) << heads[0];
  EXPECT_TRUE(Contains(heads[0], "\r\nHost: c.test\r\n")) << heads[0];

  EXPECT_TRUE(absl::StartsWith(
      Raw("CONNECT c.test:443 HTTP/1.1\r\nHost: c.test:443\r\n\r\n"), "HTTP/1.1 405"));
  EXPECT_TRUE(absl::StartsWith(Raw("GET c.test:80 HTTP/1.1\r\nHost: c.test\r\n\r\n"),
                               "HTTP/1.1 400"));
  EXPECT_TRUE(absl::StartsWith(
      Raw("GET ftp://c.test/admin HTTP/1.1\r\nHost: c.test\r\n\r\n"), "HTTP/1.1 400"));
  EXPECT_TRUE(absl::StartsWith(Raw("GET * HTTP/1.1\r\nHost: c.test\r\n\r\n"), "HTTP/1.1 400"));
  const std::string options =
      Raw("OPTIONS * HTTP/1.1\r\nHost: c.test\r\nConnection: close\r\n\r\n");
  EXPECT_TRUE(absl::StartsWith(options, "HTTP/1.1 200")) << options;
  EXPECT_TRUE(Contains(options, "\r\nAllow: ")) << options;
  EXPECT_EQ(OriginHeads().size(), 1u) << "none of these reach the origin";
}

// 4. Chunk extensions and trailers are bounded, and the memory comes back.
TEST_F(HostileClientTest, HugeChunkExtensionsAndTrailersAreRefusedWithBoundedMemory) {
  const long before = RssKib();
  const std::string start =
      "POST / HTTP/1.1\r\nHost: c.test\r\nTransfer-Encoding: chunked\r\n\r\n";
  const std::string extension = Raw(start + "5;" + std::string(64 << 20, 'e') + "\r\nhello\r\n",
                                    5000);
  EXPECT_TRUE(absl::StartsWith(extension, "HTTP/1.1 400")) << extension.substr(0, 200);
  const std::string trailer =
      Raw(start + "5\r\nhello\r\n0\r\nX-T: " + std::string(64 << 20, 't') + "\r\n\r\n", 5000);
  EXPECT_TRUE(absl::StartsWith(trailer, "HTTP/1.1 431")) << trailer.substr(0, 200);
  const long after = RssKib();
  EXPECT_LT(after - before, 32 * 1024) << "RSS grew from " << before << " to " << after << " KiB";
  // Small ones still work.
  const std::string fine = Raw(start + "5;name=value\r\nhello\r\n0\r\nX-T: 1\r\n\r\n");
  EXPECT_TRUE(absl::StartsWith(fine, "HTTP/1.1 200")) << fine;
}

// 5. Bytes an origin sends after a response never answer another client's request.
TEST_F(HostileClientTest, StrayOriginBytesPoisonNoPooledConnection) {
  for (std::string first : {"GET /poison", "GET /poison-later", "HEAD /stray-head",
                            "GET /stray-204"}) {
    const std::string reply =
        Raw(first + " HTTP/1.1\r\nHost: c.test\r\nConnection: close\r\n\r\n");
    EXPECT_FALSE(Contains(reply, "stolen")) << first << ": " << reply;
    // Give the origin time to send its stray bytes into the idle pooled connection.
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    // Another client, on the same worker and so the same pool.
    auto second = HttpGet(proxy_.port, "c.test", "/");
    ASSERT_TRUE(second.ok()) << second.status();
    EXPECT_EQ(second->body, "origin") << first;
    EXPECT_EQ(second->headers.count("set-cookie"), 0u) << first;
  }
}

// 6. Ambiguous requests are refused, never forwarded.
TEST_F(HostileClientTest, AmbiguousRequestsAreRefused) {
  const auto expect = [&](const std::string& bytes, const std::string& status) {
    const std::string reply = Raw(bytes);
    EXPECT_EQ(reply.substr(0, 5) + reply.substr(8, 5), "HTTP/ " + status + " ")
        << bytes << "\n→ " << reply;
  };
  expect("GET / HTTP/1.1\r\nHost: c.test\r\nHost: d.test\r\n\r\n", "400");
  for (std::string coding : {"chunked, identity", "gzip", "xchunked", "identity"}) {
    expect("POST / HTTP/1.1\r\nHost: c.test\r\nTransfer-Encoding: " + coding +
               "\r\n\r\n5\r\nhello\r\n0\r\n\r\nGET /admin HTTP/1.1\r\nHost: c.test\r\n\r\n",
           "400");
  }
  expect("POST / HTTP/1.0\r\nHost: c.test\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "400");
  EXPECT_TRUE(OriginHeads().empty());

  // Connection may not strip the Host the edge and the origin rely on.
  const std::string hop = Raw("GET /x HTTP/1.1\r\nHost: c.test\r\nConnection: close, host\r\n\r\n");
  EXPECT_TRUE(absl::StartsWith(hop, "HTTP/1.1 200")) << hop;
  // An h2c upgrade is not passed through: the request is served as HTTP/1.1.
  const std::string h2c = Raw(
      "GET /y HTTP/1.1\r\nHost: c.test\r\nConnection: Upgrade, HTTP2-Settings, close\r\n"
      "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n");
  EXPECT_TRUE(absl::StartsWith(h2c, "HTTP/1.1 200")) << h2c;
  const auto heads = OriginHeads();
  ASSERT_EQ(heads.size(), 2u);
  EXPECT_TRUE(Contains(heads[0], "\r\nHost: c.test\r\n")) << heads[0];
  EXPECT_FALSE(Contains(heads[1], "h2c")) << heads[1];
  EXPECT_FALSE(Contains(heads[1], "HTTP2-Settings")) << heads[1];
}

// 7. A body that trickles is cut off by the total body deadline.
TEST_F(HostileClientTest, TricklingBodyGets408) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(proxy_.port);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  const timeval receive_limit{1, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &receive_limit, sizeof(receive_limit));
  const std::string head =
      "POST / HTTP/1.1\r\nHost: c.test\r\nContent-Length: 100000\r\n\r\n";
  ASSERT_EQ(send(fd, head.data(), head.size(), MSG_NOSIGNAL), static_cast<ssize_t>(head.size()));
  const auto started = std::chrono::steady_clock::now();
  std::string reply;
  // One byte every 300 ms: under every per-read timeout, far under the minimum rate.
  while (std::chrono::steady_clock::now() - started < std::chrono::seconds(6)) {
    send(fd, "x", 1, MSG_NOSIGNAL);
    char chunk[1024];
    const ssize_t n = recv(fd, chunk, sizeof(chunk), MSG_DONTWAIT);
    if (n > 0) reply.append(chunk, static_cast<size_t>(n));
    if (n == 0 || !reply.empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  }
  const auto elapsed = std::chrono::steady_clock::now() - started;
  close(fd);
  EXPECT_TRUE(absl::StartsWith(reply, "HTTP/1.1 408")) << reply;
  EXPECT_LT(elapsed, std::chrono::seconds(4));
}

// 8. The edge's own answers: the right status, a ray ID, a log line and a count each.
TEST_F(HostileClientTest, EdgeRefusalsAreRightLoggedAndCounted) {
  for (std::string version : {"HTTP/2.0", "HTTP/1.2", "HTTP/0.9", "HTTP/3.0"}) {
    const std::string reply = Raw("GET / " + version + "\r\nHost: c.test\r\n\r\n");
    EXPECT_TRUE(absl::StartsWith(reply, "HTTP/1.1 505")) << version << ": " << reply;
    EXPECT_TRUE(Contains(reply, "\r\ngatehouse-ray: ")) << reply;
  }
  const std::string too_long = Raw("GET /" + std::string(9000, 'a') + " HTTP/1.1\r\n\r\n");
  EXPECT_TRUE(absl::StartsWith(too_long, "HTTP/1.1 414")) << too_long;
  EXPECT_TRUE(Contains(too_long, "\r\ngatehouse-ray: ")) << too_long;
  const std::string garbage = Raw("GARBAGE\r\n\r\n");
  EXPECT_TRUE(absl::StartsWith(garbage, "HTTP/1.1 400")) << garbage;
  EXPECT_TRUE(Contains(garbage, "\r\ngatehouse-ray: ")) << garbage;
  const std::string log = AccessLog(6);
  EXPECT_EQ(std::count(log.begin(), log.end(), '\n'), 6) << log;
  EXPECT_TRUE(Contains(log, "\"status\":505")) << log;
  EXPECT_TRUE(Contains(log, "\"status\":414")) << log;
  const std::string metrics = Metrics();
  EXPECT_TRUE(Contains(metrics, "gatehouse_requests_total{zone=\"\",status=\"505\"")) << metrics;
  EXPECT_TRUE(Contains(metrics, "gatehouse_requests_total{zone=\"\",status=\"414\""));
  EXPECT_TRUE(Contains(metrics, "gatehouse_requests_total{zone=\"\",status=\"400\""));

  // An origin's broken response before anything was relayed: a 502 that says what happened,
  // rendered by the zone's custom error rule into its page.
  auto broken = HttpGet(proxy_.port, "d.test", "/bad-chunk");
  ASSERT_TRUE(broken.ok()) << broken.status();
  EXPECT_EQ(broken->status, 502);
  EXPECT_TRUE(Contains(broken->body, "malformed")) << broken->body;
  auto bad_head = HttpGet(proxy_.port, "d.test", "/bad-head");
  ASSERT_TRUE(bad_head.ok()) << bad_head.status();
  EXPECT_EQ(bad_head->status, 502);
  EXPECT_TRUE(Contains(bad_head->body, "malformed")) << bad_head->body;
}

// The deployment-wide snapshot version is not every tenant's business: a zone's responses carry
// the zone's own version, and only an operator's flag adds the snapshot's.
TEST_F(HostileClientTest, ResponsesCarryTheZonesVersionNotTheDeployments) {
  auto served = HttpGet(proxy_.port, "c.test", "/");
  ASSERT_TRUE(served.ok()) << served.status();
  EXPECT_EQ(served->headers.count("gatehouse-snapshot"), 0u);
  EXPECT_FALSE(served->headers["gatehouse-zone-version"].empty());
  auto unknown = HttpGet(proxy_.port, "nobody.test", "/");
  ASSERT_TRUE(unknown.ok()) << unknown.status();
  EXPECT_EQ(unknown->status, 421);
  EXPECT_EQ(unknown->headers.count("gatehouse-snapshot"), 0u);
  EXPECT_EQ(unknown->headers.count("gatehouse-zone-version"), 0u);
}

// Cases that already pass, kept passing.
TEST_F(HostileClientTest, ClassicSmugglingAndMalformedHeadersAreRefused) {
  const auto expect = [&](const std::string& bytes, const std::string& status) {
    const std::string reply = Raw(bytes);
    EXPECT_EQ(reply.substr(0, 5) + reply.substr(8, 5), "HTTP/ " + status + " ")
        << bytes << "\n→ " << reply;
  };
  expect("POST / HTTP/1.1\r\nHost: c.test\r\nContent-Length: 5\r\nTransfer-Encoding: chunked"
         "\r\n\r\n0\r\n\r\n",
         "400");
  expect("POST / HTTP/1.1\r\nHost: c.test\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n"
         "hello!",
         "400");
  expect("GET / HTTP/1.1\nHost: c.test\n\n", "400");                      // bare LF
  constexpr char kNulInField[] = "GET / HTTP/1.1\r\nHost: c.test\r\nX: a\0b\r\n\r\n";
  expect(std::string(kNulInField, sizeof(kNulInField) - 1), "400");
  expect("GET / HTTP/1.1\r\nHost: c.test\r\nX: a\rb\r\n\r\n", "400");
  expect("GET / HTTP/1.1\r\nHost : c.test\r\n\r\n", "400");
  EXPECT_TRUE(OriginHeads().empty());
  // obs-fold: unfolded to a space (RFC 9112 §5.2 allows that or a 400), never forwarded folded.
  Raw("GET / HTTP/1.1\r\nHost: c.test\r\nX: a\r\n b\r\nConnection: close\r\n\r\n");
  for (const std::string& head : OriginHeads()) EXPECT_FALSE(Contains(head, "\r\n ")) << head;
}

}  // namespace
}  // namespace gatehouse::testing
