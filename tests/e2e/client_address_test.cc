// The real client address behind load balancers, with the real proxy binary on loopback: PROXY
// protocol v1 and v2 headers from a trusted peer name the client that ip.src, ::CLIENT_IP:: and
// the access log see; an untrusted peer's header, a malformed one and a stalled one close the
// connection unanswered; X-Forwarded-For names the client only when the peer is trusted. Only
// 127.0.0.1 is available, so "untrusted" runs a proxy whose trusted list leaves it out.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "tests/support/binaries.h"
#include "tests/support/io_deadline.h"
#include "tests/support/proxy_process.h"
#include "tests/support/scripted_origin.h"

namespace gatehouse::testing {
namespace {

using std::chrono::milliseconds;

// Every exchange is bounded: a proxy that stalls fails the test instead of hanging it.
constexpr milliseconds kDeadline(4000);

// A zone that answers /whoami with the client it sees, blocks a banned range with the client in
// the body, and forwards the rest to `origin_port`.
std::string ZoneJson(uint16_t origin_port) {
  return absl::StrReplaceAll(R"json({
  "zone": "example.com", "hostnames": ["example.com"],
  "origins": [{"name": "app", "servers": ["127.0.0.1:PORT"]}],
  "rulesets": [{"phase": "http_request_firewall_custom", "rules": [
    {"id": "banned", "expression": "ip.src in {198.51.100.0/24 2001:db8:bad::/48}",
     "action": "block", "action_parameters": {"response": {
       "status_code": 403, "content_type": "text/plain", "content": "banned ::CLIENT_IP::"}}},
    {"id": "whoami", "expression": "http.request.uri.path eq \"/whoami\"",
     "action": "block", "action_parameters": {"response": {
       "status_code": 451, "content_type": "text/plain", "content": "client ::CLIENT_IP::"}}}]}]
})json",
                             {{"PORT", std::to_string(origin_port)}});
}

std::string Request(const std::string& path, const std::string& extra_headers = "") {
  return "GET " + path + " HTTP/1.1\r\nHost: example.com\r\n" + extra_headers +
         "Connection: close\r\n\r\n";
}

std::string Bytes(std::initializer_list<int> values) {
  std::string out;
  for (int v : values) out.push_back(static_cast<char>(v));
  return out;
}

// A v2 header: signature, version and command, family and transport, length, then `block`.
std::string V2(int version_command, int protocol, const std::string& block) {
  return std::string("\r\n\r\n\0\r\nQUIT\n", 12) +
         Bytes({version_command, protocol, static_cast<int>(block.size() >> 8),
                static_cast<int>(block.size() & 0xff)}) +
         block;
}

// TCP over IPv4, 203.0.113.9:40000 -> 127.0.0.1:8080, and a TLV (skipped).
std::string V2Tcp4(int a, int b, int c, int d) {
  return V2(0x21, 0x11,
            Bytes({a, b, c, d, 127, 0, 0, 1, 0x9c, 0x40, 0x1f, 0x90}) +
                Bytes({0x05, 0x00, 0x04}) + "abcd");
}

struct Exchange {
  std::string received;
  bool closed = false;  // the proxy closed the connection (not the test's deadline)
  milliseconds elapsed{0};
};

// Connects, sends `parts` with `pause` between them, then reads until the proxy closes.
Exchange Talk(uint16_t port, const std::vector<std::string>& parts,
              milliseconds pause = milliseconds(0)) {
  Exchange out;
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const auto start = std::chrono::steady_clock::now();
  {
    IoDeadline deadline(fd, kDeadline);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0) {
      for (size_t i = 0; i < parts.size(); ++i) {
        if (i > 0) std::this_thread::sleep_for(pause);
        // The proxy may close first: a failed send is not the test's failure.
        (void)::send(fd, parts[i].data(), parts[i].size(), MSG_NOSIGNAL);
      }
      char chunk[4096];
      for (;;) {
        const ssize_t n = ::recv(fd, chunk, sizeof(chunk), 0);
        if (n <= 0) break;  // closed, reset, or shut down by the deadline
        out.received.append(chunk, static_cast<size_t>(n));
      }
    }
    out.closed = !deadline.expired();
  }
  out.elapsed = std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - start);
  ::close(fd);
  return out;
}

// The body of the one response in `received`, after checking its status.
std::string BodyOf(const Exchange& exchange, int status) {
  EXPECT_TRUE(exchange.closed) << "the proxy did not finish within the deadline";
  EXPECT_TRUE(absl::StartsWith(exchange.received, "HTTP/1.1 " + std::to_string(status)))
      << exchange.received;
  const size_t end = exchange.received.find("\r\n\r\n");
  return end == std::string::npos ? "" : exchange.received.substr(end + 4);
}

// Refused: closed by the proxy, well before the deadline, with not one byte of answer.
void ExpectClosedUnanswered(const Exchange& exchange, const std::string& what) {
  EXPECT_TRUE(exchange.closed) << what << ": still open at the deadline";
  EXPECT_EQ(exchange.received, "") << what;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

class ClientAddressTest : public ::testing::Test {
 protected:
  ClientAddressTest()
      : origin_([](const ScriptedOrigin::Request&) {
          return ScriptedOrigin::Reply{"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", false,
                                       false};
        }) {}

  ProxyProcess Start(std::vector<std::string> flags) {
    flags.push_back("--workers=1");
    auto proxy = StartProxyServing({ZoneJson(origin_.port())}, std::move(flags));
    EXPECT_TRUE(proxy.ok()) << proxy.status();
    return proxy.ok() ? *std::move(proxy) : ProxyProcess{};
  }

  // The X-Forwarded-For line of the last request the origin received.
  std::string LastForwardedFor() const {
    const std::vector<ScriptedOrigin::Request> requests = origin_.requests();
    if (requests.empty()) return "(no request)";
    const std::string& head = requests.back().head;
    const size_t at = head.find("X-Forwarded-For: ");
    if (at == std::string::npos) return "(none)";
    const size_t end = head.find("\r\n", at);
    return head.substr(at + 17, end - at - 17);
  }

  ScriptedOrigin origin_;
};

TEST_F(ClientAddressTest, ProxyV1FromATrustedPeerNamesTheClient) {
  const std::string log = UniqueTestPath("access") + ".log";
  ProxyProcess proxy =
      Start({"--proxy-protocol", "--trusted-proxies=127.0.0.1/32", "--access-log=" + log});
  ASSERT_NE(proxy.port, 0);
  const std::string header = "PROXY TCP4 203.0.113.9 127.0.0.1 40000 8080\r\n";
  EXPECT_EQ(BodyOf(Talk(proxy.port, {header + Request("/whoami")}), 451), "client 203.0.113.9");
  // The rules see it: ip.src in the banned range.
  EXPECT_EQ(BodyOf(Talk(proxy.port,
                        {"PROXY TCP4 198.51.100.7 127.0.0.1 40000 8080\r\n" + Request("/")}),
                   403),
            "banned 198.51.100.7");
  // IPv6, in v1's text form.
  EXPECT_EQ(BodyOf(Talk(proxy.port,
                        {"PROXY TCP6 2001:db8:bad::5 2001:db8::1 40000 443\r\n" + Request("/")}),
                   403),
            "banned 2001:db8:bad::5");
  // The origin gets the hop the request came from appended, after the client's own entry.
  EXPECT_EQ(BodyOf(Talk(proxy.port, {header + Request("/", "X-Forwarded-For: 6.6.6.6\r\n")}),
                   200),
            "ok");
  EXPECT_EQ(LastForwardedFor(), "6.6.6.6, 203.0.113.9");
  // A header that arrives in pieces is waited for (within its deadline).
  EXPECT_EQ(BodyOf(Talk(proxy.port, {"PROX", "Y TCP4 203.0.113.9 127.0.0.1 1 2", "\r\n",
                                     Request("/whoami")},
                        milliseconds(30)),
                   451),
            "client 203.0.113.9");
  // UNKNOWN: the connection's own peer is the client.
  EXPECT_EQ(BodyOf(Talk(proxy.port, {"PROXY UNKNOWN\r\n" + Request("/whoami")}), 451),
            "client 127.0.0.1");

  std::string lines;
  for (int i = 0; i < 200 && lines.find("198.51.100.7") == std::string::npos; ++i) {
    std::this_thread::sleep_for(milliseconds(20));
    lines = ReadFile(log);
  }
  EXPECT_NE(lines.find("\"client_ip\":\"198.51.100.7\""), std::string::npos) << lines;
  EXPECT_NE(lines.find("\"client_ip\":\"203.0.113.9\""), std::string::npos) << lines;
  EXPECT_EQ(proxy.Metric("gatehouse_proxy_protocol_refused_total"), 0);
}

TEST_F(ClientAddressTest, ProxyV2FromATrustedPeerNamesTheClient) {
  ProxyProcess proxy = Start({"--proxy-protocol", "--trusted-proxies=127.0.0.1"});
  ASSERT_NE(proxy.port, 0);
  EXPECT_EQ(BodyOf(Talk(proxy.port, {V2Tcp4(203, 0, 113, 9) + Request("/whoami")}), 451),
            "client 203.0.113.9");
  EXPECT_EQ(BodyOf(Talk(proxy.port, {V2Tcp4(198, 51, 100, 200) + Request("/")}), 403),
            "banned 198.51.100.200");
  const std::string tcp6 =
      V2(0x21, 0x21,
         Bytes({0x20, 0x01, 0x0d, 0xb8, 0x0b, 0xad, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x42}) +
             Bytes({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}) +
             Bytes({0x9c, 0x40, 0x01, 0xbb}));
  EXPECT_EQ(BodyOf(Talk(proxy.port, {tcp6 + Request("/")}), 403), "banned 2001:db8:bad::42");
  // LOCAL (a balancer's health check): the peer is the client.
  EXPECT_EQ(BodyOf(Talk(proxy.port, {V2(0x20, 0x00, "") + Request("/whoami")}), 451),
            "client 127.0.0.1");
  EXPECT_EQ(BodyOf(Talk(proxy.port, {V2Tcp4(203, 0, 113, 9) + Request("/")}), 200), "ok");
  EXPECT_EQ(LastForwardedFor(), "203.0.113.9");
}

TEST_F(ClientAddressTest, UntrustedPeersHeaderIsRefused) {
  ProxyProcess proxy = Start({"--proxy-protocol", "--trusted-proxies=10.0.0.0/8"});
  ASSERT_NE(proxy.port, 0);
  ExpectClosedUnanswered(
      Talk(proxy.port, {"PROXY TCP4 203.0.113.9 127.0.0.1 40000 8080\r\n" + Request("/")}),
      "v1 from an untrusted peer");
  ExpectClosedUnanswered(Talk(proxy.port, {V2Tcp4(203, 0, 113, 9) + Request("/")}),
                         "v2 from an untrusted peer");
  // And no plain HTTP either: a PROXY protocol listener never guesses.
  ExpectClosedUnanswered(Talk(proxy.port, {Request("/whoami")}), "HTTP from an untrusted peer");
  EXPECT_EQ(origin_.requests().size(), 0u);
  EXPECT_EQ(proxy.Metric("gatehouse_proxy_protocol_refused_total"), 3);
}

TEST_F(ClientAddressTest, MalformedOrStalledHeaderCloses) {
  ProxyProcess proxy = Start({"--proxy-protocol", "--trusted-proxies=127.0.0.0/8",
                              "--proxy-header-timeout-ms=500"});
  ASSERT_NE(proxy.port, 0);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"no header", Request("/whoami")},
      {"v1 bad address", "PROXY TCP4 203.0.113.256 127.0.0.1 1 2\r\n" + Request("/")},
      {"v1 family mismatch", "PROXY TCP4 2001:db8::1 127.0.0.1 1 2\r\n" + Request("/")},
      {"v1 port out of range", "PROXY TCP4 203.0.113.9 127.0.0.1 65536 2\r\n" + Request("/")},
      {"v1 bare LF", "PROXY TCP4 203.0.113.9 127.0.0.1 1 2\n" + Request("/")},
      {"v1 line too long", "PROXY UNKNOWN " + std::string(200, 'x') + "\r\n" + Request("/")},
      {"v2 wrong version", V2(0x11, 0x11, std::string(12, '\1')) + Request("/")},
      {"v2 length overflow", V2(0x21, 0x11, std::string(12, '\1')).substr(0, 14) +
                                 Bytes({0xff, 0xff}) + std::string(64, '\1')},
      {"v2 truncated TLV", V2(0x21, 0x11, std::string(12, '\1') + "\x05") + Request("/")},
  };
  for (const auto& [what, bytes] : cases) {
    const Exchange exchange = Talk(proxy.port, {bytes});
    ExpectClosedUnanswered(exchange, what);
    // Decided from the bytes, not by the header deadline.
    EXPECT_LT(exchange.elapsed, milliseconds(450)) << what;
  }
  // A header that stops coming is cut off at its deadline.
  const Exchange stalled = Talk(proxy.port, {"PROXY TCP4 203.0.113.9 "});
  ExpectClosedUnanswered(stalled, "stalled v1");
  EXPECT_GE(stalled.elapsed, milliseconds(400));
  const Exchange stalled_v2 = Talk(proxy.port, {V2Tcp4(203, 0, 113, 9).substr(0, 20)});
  ExpectClosedUnanswered(stalled_v2, "stalled v2");
  EXPECT_GE(stalled_v2.elapsed, milliseconds(400));
  EXPECT_EQ(origin_.requests().size(), 0u);
  EXPECT_EQ(proxy.Metric("gatehouse_proxy_protocol_refused_total"),
            static_cast<double>(cases.size() + 2));
  // The listener still serves well-formed connections.
  EXPECT_EQ(BodyOf(Talk(proxy.port, {V2Tcp4(203, 0, 113, 9) + Request("/whoami")}), 451),
            "client 203.0.113.9");
}

TEST_F(ClientAddressTest, ForwardedForFromATrustedPeerNamesTheClient) {
  ProxyProcess proxy = Start({"--trusted-proxies=127.0.0.1/32, 10.0.0.0/8"});
  ASSERT_NE(proxy.port, 0);
  // Rightmost untrusted: the client's own entry (6.6.6.6) and trusted hops are passed over.
  EXPECT_EQ(BodyOf(Talk(proxy.port, {Request("/whoami",
                                             "X-Forwarded-For: 6.6.6.6, 203.0.113.9, "
                                             "10.1.2.3\r\n")}),
                   451),
            "client 203.0.113.9");
  EXPECT_EQ(BodyOf(Talk(proxy.port, {Request("/", "X-Forwarded-For: 198.51.100.7\r\n")}), 403),
            "banned 198.51.100.7");
  // Several fields are one list.
  EXPECT_EQ(BodyOf(Talk(proxy.port, {Request("/whoami",
                                             "X-Forwarded-For: 203.0.113.9\r\n"
                                             "X-Forwarded-For: 10.0.0.5\r\n")}),
                   451),
            "client 203.0.113.9");
  // A malformed entry stops the walk at the last trusted address it reached.
  EXPECT_EQ(BodyOf(Talk(proxy.port, {Request("/whoami",
                                             "X-Forwarded-For: 198.51.100.7, unknown\r\n")}),
                   451),
            "client 127.0.0.1");
  // No header: the peer.
  EXPECT_EQ(BodyOf(Talk(proxy.port, {Request("/whoami")}), 451), "client 127.0.0.1");
  // Upstream, the list grows by the hop the request came from, not by the client found in it.
  EXPECT_EQ(BodyOf(Talk(proxy.port, {Request("/", "X-Forwarded-For: 203.0.113.9\r\n")}), 200),
            "ok");
  EXPECT_EQ(LastForwardedFor(), "203.0.113.9, 127.0.0.1");
}

TEST_F(ClientAddressTest, ForwardedForFromAnUntrustedPeerIsIgnored) {
  for (const std::vector<std::string>& flags :
       {std::vector<std::string>{"--trusted-proxies=10.0.0.0/8"}, std::vector<std::string>{}}) {
    ProxyProcess proxy = Start(flags);
    ASSERT_NE(proxy.port, 0);
    EXPECT_EQ(BodyOf(Talk(proxy.port, {Request("/whoami", "X-Forwarded-For: 203.0.113.9\r\n")}),
                     451),
              "client 127.0.0.1");
    // Not banned: the header is the client's own say.
    EXPECT_EQ(BodyOf(Talk(proxy.port, {Request("/", "X-Forwarded-For: 198.51.100.7\r\n")}), 200),
              "ok");
    EXPECT_EQ(LastForwardedFor(), "198.51.100.7, 127.0.0.1");
    // Without --proxy-protocol a PROXY line is no header at all: a malformed request.
    EXPECT_EQ(BodyOf(Talk(proxy.port,
                          {"PROXY TCP4 198.51.100.7 127.0.0.1 1 2\r\n" + Request("/whoami")}),
                     400),
              "Malformed request.\n");
  }
}

TEST_F(ClientAddressTest, FlagsAreCheckedAtStart) {
  const CommandResult no_trust = RunCommand(
      {kProxyBinary, "--listen=127.0.0.1:0", "--admin=", "--state-dir=" + UniqueTestPath("s"),
       "--proxy-protocol"},
      std::chrono::seconds(20));
  EXPECT_EQ(no_trust.exit_code, 2) << no_trust.err;
  EXPECT_NE(no_trust.err.find("--proxy-protocol needs --trusted-proxies"), std::string::npos)
      << no_trust.err;
  const CommandResult bad_entry = RunCommand(
      {kProxyBinary, "--listen=127.0.0.1:0", "--admin=", "--state-dir=" + UniqueTestPath("s"),
       "--trusted-proxies=10.0.0.0/8, 10.0.0.0/33"},
      std::chrono::seconds(20));
  EXPECT_EQ(bad_entry.exit_code, 2) << bad_entry.err;
  EXPECT_NE(bad_entry.err.find("--trusted-proxies: \"10.0.0.0/33\" is not an IP address or CIDR"),
            std::string::npos)
      << bad_entry.err;
}

}  // namespace
}  // namespace gatehouse::testing
