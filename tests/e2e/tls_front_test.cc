// TLS at the proxy with real clients (curl, openssl s_client) against the proxy binary on
// loopback: each zone's certificate chosen by SNI (exact, wildcard), unknown names refused or
// answered by the default zone, TLS 1.0/1.1 refused, session resumption by ticket, the rules'
// TLS fields and an "always use HTTPS" redirect, a certificate rotated under load with no
// failed request, a stalled handshake and garbage closed, and certificates without keys (a
// plaintext control channel) reported instead of served. Certificates are made at test time.
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "tests/support/http_client.h"
#include "tests/support/io_deadline.h"
#include "tests/support/proxy_process.h"
#include "tests/support/subprocess.h"
#include "tests/support/test_certificates.h"
#include "tests/support/test_pki.h"

namespace gatehouse::testing {
namespace {

using std::chrono::milliseconds;

// Every client run is bounded: curl by --max-time, the rest by RunCommand's deadline.
constexpr milliseconds kClientDeadline(8000);

// Runs `script` with sh (for pipes into openssl); bounded.
CommandResult Shell(const std::string& script) {
  return RunCommand({"/bin/sh", "-c", script}, kClientDeadline);
}

std::string Quote(const std::string& text) { return "'" + text + "'"; }

// Zones: a.test and b.test (each its own certificate), w.test serving *.w.test (a wildcard
// certificate). Every zone redirects plain HTTP to HTTPS; a.test answers /fields with whether
// the TLS fields are what a TLS 1.3 connection to `https_port` with SNI a.test has.
std::string ZoneJson(const std::string& zone, const std::string& hostname, uint16_t origin_port,
                     uint16_t https_port) {
  return absl::StrReplaceAll(R"json({
  "zone": "ZONE", "hostnames": ["HOST"],
  "origins": [{"name": "app", "servers": ["127.0.0.1:ORIGIN"]}],
  "rulesets": [
    {"phase": "http_request_dynamic_redirect", "rules": [
      {"id": "always-https", "expression": "not ssl", "action": "redirect",
       "action_parameters": {"from_value": {"status_code": 301, "target_url": {
         "expression": "concat(\"https://\", http.host, http.request.uri.path)"},
         "preserve_query_string": true}}}]},
    {"phase": "http_request_firewall_custom", "rules": [
      {"id": "fields", "expression": "http.request.uri.path eq \"/fields\" and ssl and cf.tls_version eq \"TLSv1.3\" and cf.tls_cipher eq \"AEAD-AES128-GCM-SHA256\" and cf.tls_client_hello_server_name eq \"a.test\" and cf.edge.server_port eq HTTPS and http.request.version eq \"HTTP/2\"",
       "action": "block", "action_parameters": {"response": {
         "status_code": 451, "content_type": "text/plain", "content": "fields as expected"}}},
      {"id": "fields-differ", "expression": "http.request.uri.path eq \"/fields\"",
       "action": "block", "action_parameters": {"response": {
         "status_code": 452, "content_type": "text/plain", "content": "fields differ"}}},
      {"id": "whoami", "expression": "http.request.uri.path eq \"/whoami\"",
       "action": "block", "action_parameters": {"response": {
         "status_code": 453, "content_type": "text/plain", "content": "client ::CLIENT_IP::"}}}]}]
})json",
                             {{"ZONE", zone},
                              {"HOST", hostname},
                              {"ORIGIN", std::to_string(origin_port)},
                              {"HTTPS", std::to_string(https_port)}});
}

class TlsFrontTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto pki = MakeTestPki();
    ASSERT_TRUE(pki.ok()) << pki.status();
    pki_ = new TestPki(*pki);
  }

  void SetUp() override {
    auto origin = StartDemoOrigin("tls-origin");
    ASSERT_TRUE(origin.ok()) << origin.status();
    origin_ = *std::move(origin);
    https_port_ = UnusedPort();
    a_ = Certificate({"a.test"});
    b_ = Certificate({"b.test"});
    wild_ = Certificate({"*.w.test"});
  }

  snapshot::v1::ZoneCertificate Certificate(const std::vector<std::string>& names,
                                            bool with_key = true) {
    static int serial = 0;
    // Two days: inside the 14-day expiry warning the metrics test counts.
    auto leaf = MakeSiteCertificate(*pki_, "leaf-" + std::to_string(serial++), names, 2);
    EXPECT_TRUE(leaf.ok()) << leaf.status();
    auto certificate = ZoneCertificateOf(leaf->chain, leaf->key, with_key);
    EXPECT_TRUE(certificate.ok()) << certificate.status();
    return *certificate;
  }

  // Writes the snapshot file (version `version`) with a.test serving `a_certificate`.
  void WriteSnapshot(const std::string& path, uint64_t version,
                     const snapshot::v1::ZoneCertificate& a_certificate) {
    const CommandResult compiled =
        CompileSnapshot({ZoneJson("a.test", "a.test", origin_.port, https_port_),
                         ZoneJson("b.test", "b.test", origin_.port, https_port_),
                         ZoneJson("w.test", "*.w.test", origin_.port, https_port_)},
                        path + ".next", version);
    ASSERT_EQ(compiled.exit_code, 0) << compiled.err;
    ASSERT_TRUE(SetZoneCertificates(path + ".next", "a.test", {a_certificate}).ok());
    ASSERT_TRUE(SetZoneCertificates(path + ".next", "b.test", {b_}).ok());
    ASSERT_TRUE(SetZoneCertificates(path + ".next", "w.test", {wild_}).ok());
    // Renamed into place: the proxy's poll never reads a half-written file.
    ASSERT_EQ(std::rename((path + ".next").c_str(), path.c_str()), 0);
  }

  ProxyProcess Proxy(const std::string& snapshot, std::vector<std::string> extra = {}) {
    std::vector<std::string> flags = {
        "--snapshot-file=" + snapshot, "--snapshot-poll-ms=50", "--workers=2",
        "--listen-tls=127.0.0.1:" + std::to_string(https_port_), "--tls-handshake-timeout-ms=1000"};
    flags.insert(flags.end(), extra.begin(), extra.end());
    auto proxy = StartProxy(flags);
    EXPECT_TRUE(proxy.ok()) << proxy.status();
    EXPECT_EQ(proxy->https_port, https_port_);
    return *std::move(proxy);
  }

  // curl to https://`name`:port`path`, verified against the test CA; returns the status code
  // printed, or "exit N".
  std::string Curl(const std::string& name, const std::string& path,
                   const std::string& options = "") const {
    const std::string port = std::to_string(https_port_);
    const CommandResult result =
        Shell("curl -sS --max-time 5 -o /dev/null -w '%{http_code}' --cacert " +
              Quote(pki_->ca_cert) + " --resolve " + name + ":" + port + ":127.0.0.1 " + options +
              " https://" + name + ":" + port + path);
    if (result.exit_code != 0) return "exit " + std::to_string(result.exit_code) + result.err;
    return result.out;
  }

  // The SHA-256 fingerprint (lower-case hex, as ZoneCertificate's) of the certificate a
  // handshake with SNI `name` (empty: none) gets; empty when the handshake fails.
  std::string ServedFingerprint(const std::string& name) const {
    const CommandResult result =
        Shell("openssl s_client -connect 127.0.0.1:" + std::to_string(https_port_) +
              (name.empty() ? " -noservername" : " -servername " + name) +
              " </dev/null 2>/dev/null | openssl x509 -noout -fingerprint -sha256");
    const size_t equals = result.out.find('=');
    if (equals == std::string::npos) return "";
    std::string out;
    for (char c : result.out.substr(equals + 1)) {
      if (std::isxdigit(static_cast<unsigned char>(c))) {
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
    }
    return out;
  }

  static TestPki* pki_;
  OriginProcess origin_;
  uint16_t https_port_ = 0;
  snapshot::v1::ZoneCertificate a_, b_, wild_;
};

TestPki* TlsFrontTest::pki_ = nullptr;

TEST_F(TlsFrontTest, EachNameGetsItsZonesCertificate) {
  const std::string snapshot = UniqueTestPath("tls") + ".snapshot";
  WriteSnapshot(snapshot, 1, a_);
  ProxyProcess proxy = Proxy(snapshot);
  // Verified by curl against the CA for the name asked: a certificate for another name fails.
  EXPECT_EQ(Curl("a.test", "/"), "200");
  EXPECT_EQ(Curl("b.test", "/"), "200");
  EXPECT_EQ(Curl("x.w.test", "/"), "200");  // the wildcard
  EXPECT_EQ(ServedFingerprint("a.test"), a_.fingerprint());
  EXPECT_EQ(ServedFingerprint("b.test"), b_.fingerprint());
  EXPECT_EQ(ServedFingerprint("x.w.test"), wild_.fingerprint());
  // The wildcard covers one label: the name is unknown, and without a default zone the
  // handshake fails (curl: 35, an SSL connect error).
  EXPECT_TRUE(absl::StartsWith(Curl("y.x.w.test", "/"), "exit 35")) << Curl("y.x.w.test", "/");
  EXPECT_EQ(ServedFingerprint("unknown.test"), "");
  EXPECT_EQ(ServedFingerprint(""), "");
  EXPECT_GE(proxy.Metric("gatehouse_tls_handshakes_failed_total"), 3);
  EXPECT_GE(proxy.Metric("gatehouse_tls_handshakes_total"), 6);
}

TEST_F(TlsFrontTest, TheDefaultZoneAnswersNoNameAndUnknownNames) {
  const std::string snapshot = UniqueTestPath("tls") + ".snapshot";
  WriteSnapshot(snapshot, 1, a_);
  ProxyProcess proxy = Proxy(snapshot, {"--tls-default-zone=b.test"});
  EXPECT_EQ(ServedFingerprint(""), b_.fingerprint());
  EXPECT_EQ(ServedFingerprint("unknown.test"), b_.fingerprint());
  EXPECT_EQ(ServedFingerprint("a.test"), a_.fingerprint());
}

TEST_F(TlsFrontTest, RulesSeeTheTlsFieldsAndRedirectPlainHttp) {
  const std::string snapshot = UniqueTestPath("tls") + ".snapshot";
  WriteSnapshot(snapshot, 1, a_);
  ProxyProcess proxy = Proxy(snapshot);
  // curl offers h2 by ALPN, and gets it: the rules see HTTP/2.
  EXPECT_EQ(Curl("a.test", "/fields"), "451");
  // Over TLS 1.2 the version (and cipher) differ.
  EXPECT_EQ(Curl("a.test", "/fields", "--tls-max 1.2"), "452");
  // `not ssl`: plain HTTP is redirected to HTTPS, HTTPS is served.
  auto plain = HttpGet(proxy.port, "a.test", "/page?q=1");
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_EQ(plain->status, 301);
  EXPECT_EQ(plain->headers["location"], "https://a.test/page?q=1");
  EXPECT_EQ(Curl("a.test", "/page?q=1"), "200");
}

TEST_F(TlsFrontTest, OldProtocolVersionsAreRefused) {
  const std::string snapshot = UniqueTestPath("tls") + ".snapshot";
  WriteSnapshot(snapshot, 1, a_);
  ProxyProcess proxy = Proxy(snapshot);
  const std::string connect =
      "openssl s_client -connect 127.0.0.1:" + std::to_string(https_port_) + " -servername a.test";
  // SECLEVEL=0 lets this client offer TLS 1.0 and 1.1 at all: the refusal is the proxy's.
  for (const std::string version : {"-tls1", "-tls1_1"}) {
    const CommandResult old =
        Shell(connect + " " + version + " -cipher 'DEFAULT:@SECLEVEL=0' </dev/null 2>&1");
    EXPECT_NE(old.exit_code, 0) << version;
    EXPECT_TRUE(absl::StrContains(old.out, "alert protocol version") ||
                absl::StrContains(old.out, "unsupported protocol") ||
                absl::StrContains(old.out, "no protocols available"))
        << old.out;
  }
  EXPECT_GE(proxy.Metric("gatehouse_tls_handshakes_failed_total"), 2);
  const CommandResult current = Shell(connect + " -tls1_2 </dev/null 2>&1");
  EXPECT_TRUE(absl::StrContains(current.out, "TLSv1.2")) << current.out;
  EXPECT_TRUE(absl::StartsWith(Curl("a.test", "/", "--tlsv1.0 --tls-max 1.1"), "exit "));
}

TEST_F(TlsFrontTest, SessionsResumeByTicket) {
  const std::string snapshot = UniqueTestPath("tls") + ".snapshot";
  WriteSnapshot(snapshot, 1, a_);
  ProxyProcess proxy = Proxy(snapshot);
  const std::string session = UniqueTestPath("session") + ".pem";
  for (const std::string version : {"-tls1_3", "-tls1_2"}) {
    // A request, so the client reads the TLS 1.3 tickets that follow the handshake.
    const std::string connect =
        "printf 'GET / HTTP/1.1\\r\\nHost: a.test\\r\\nConnection: close\\r\\n\\r\\n' | "
        "openssl s_client -connect 127.0.0.1:" +
        std::to_string(https_port_) + " -servername a.test " + version + " -ign_eof ";
    const CommandResult first = Shell(connect + "-sess_out " + Quote(session) + " 2>&1");
    EXPECT_TRUE(absl::StrContains(first.out, "New, TLSv1.")) << first.out;
    const CommandResult second = Shell(connect + "-sess_in " + Quote(session) + " 2>&1");
    EXPECT_TRUE(absl::StrContains(second.out, "Reused, TLSv1.")) << version << second.out;
    EXPECT_TRUE(absl::StrContains(second.out, "HTTP/1.1 200")) << second.out;
  }
  EXPECT_GE(proxy.Metric("gatehouse_tls_handshakes_resumed_total"), 2);
}

TEST_F(TlsFrontTest, ACertificateRotatesUnderLoadWithoutAFailedRequest) {
  const std::string snapshot = UniqueTestPath("tls") + ".snapshot";
  WriteSnapshot(snapshot, 1, a_);
  ProxyProcess proxy = Proxy(snapshot);
  ASSERT_EQ(ServedFingerprint("a.test"), a_.fingerprint());
  std::atomic<bool> stop{false};
  std::atomic<int> requests{0};
  std::atomic<int> failures{0};
  std::vector<std::string> failed;
  std::mutex failed_mutex;
  std::vector<std::thread> load;
  for (int t = 0; t < 3; ++t) {
    load.emplace_back([&] {
      // Several requests per connection: connections made before the swap go on after it.
      const std::string url = "https://a.test:" + std::to_string(https_port_) + "/";
      while (!stop.load()) {
        const CommandResult result = Shell(
            "curl -sS --max-time 5 -o /dev/null -o /dev/null -o /dev/null -o /dev/null "
            "-w '%{http_code} ' --cacert " +
            Quote(pki_->ca_cert) + " --resolve a.test:" + std::to_string(https_port_) +
            ":127.0.0.1 " + url + " " + url + " " + url + " " + url);
        requests += 4;
        if (result.exit_code != 0 || result.out != "200 200 200 200 ") {
          ++failures;
          std::lock_guard lock(failed_mutex);
          failed.push_back(result.out + result.err);
        }
      }
    });
  }
  std::this_thread::sleep_for(milliseconds(500));
  const snapshot::v1::ZoneCertificate renewed = Certificate({"a.test"});
  WriteSnapshot(snapshot, 2, renewed);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  std::string served;
  while (std::chrono::steady_clock::now() < deadline) {
    served = ServedFingerprint("a.test");
    if (served == renewed.fingerprint()) break;
    std::this_thread::sleep_for(milliseconds(50));
  }
  std::this_thread::sleep_for(milliseconds(500));
  stop = true;
  for (auto& thread : load) thread.join();
  EXPECT_EQ(served, renewed.fingerprint()) << "the renewed certificate was not served";
  EXPECT_GT(requests.load(), 40);
  EXPECT_EQ(failures.load(), 0) << (failed.empty() ? "" : failed.front());
}

TEST_F(TlsFrontTest, AStalledHandshakeAndGarbageAreClosed) {
  const std::string snapshot = UniqueTestPath("tls") + ".snapshot";
  WriteSnapshot(snapshot, 1, a_);
  ProxyProcess proxy = Proxy(snapshot);
  // Connected, silent: closed by the 1 s handshake deadline, long before the client's 4 s.
  auto start = std::chrono::steady_clock::now();
  auto silent = RawExchange(https_port_, "", 4000);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(3000));
  // Half a ClientHello, then nothing.
  start = std::chrono::steady_clock::now();
  auto partial =
      RawExchange(https_port_, std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc", 9), 4000);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(3000));
  // Garbage of every kind: closed at once, with at most an alert.
  std::mt19937 random(7);
  for (int round = 0; round < 20; ++round) {
    std::string garbage(1 + random() % 4096, '\0');
    for (char& c : garbage) c = static_cast<char>(random());
    if (round % 4 == 0) garbage = "GET / HTTP/1.1\r\nHost: a.test\r\n\r\n";  // plain HTTP
    start = std::chrono::steady_clock::now();
    auto answer = RawExchange(https_port_, garbage, 4000);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(2000))
        << "round " << round;
    if (answer.ok()) {
      EXPECT_LE(answer->size(), 7u) << "round " << round;  // one alert record at most
    }
  }
  // Still serving.
  EXPECT_EQ(Curl("a.test", "/"), "200");
  // Curl's connection closes on the proxy's side once curl has gone.
  EXPECT_EQ(proxy.MetricUntil("gatehouse_open_connections", 0), 0);
}

// A PROXY protocol header, then TLS on the same connection (as a TCP load balancer relays it):
// the bytes after the header that arrive with it are the start of the handshake.
std::string ProxiedTlsRequest(uint16_t port, const std::string& ca, const std::string& header,
                              const std::string& request) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string received;
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> context(SSL_CTX_new(TLS_client_method()),
                                                            SSL_CTX_free);
  SSL_CTX_load_verify_locations(context.get(), ca.c_str(), nullptr);
  SSL_CTX_set_verify(context.get(), SSL_VERIFY_PEER, nullptr);
  std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(context.get()), SSL_free);
  SSL_set_tlsext_host_name(ssl.get(), "a.test");
  SSL_set1_host(ssl.get(), "a.test");
  SSL_set_fd(ssl.get(), fd);
  std::optional<IoDeadline> deadline(std::in_place, fd, std::chrono::milliseconds(4000));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      ::send(fd, header.data(), header.size(), MSG_NOSIGNAL) ==
          static_cast<ssize_t>(header.size()) &&
      SSL_connect(ssl.get()) == 1 &&
      SSL_write(ssl.get(), request.data(), static_cast<int>(request.size())) > 0) {
    char chunk[4096];
    for (;;) {
      const int n = SSL_read(ssl.get(), chunk, sizeof(chunk));
      if (n <= 0) break;
      received.append(chunk, static_cast<size_t>(n));
    }
  }
  deadline.reset();  // before the descriptor can be reused
  ::close(fd);
  return received;
}

TEST_F(TlsFrontTest, AProxyProtocolHeaderComesBeforeTheHandshake) {
  const std::string snapshot = UniqueTestPath("tls") + ".snapshot";
  WriteSnapshot(snapshot, 1, a_);
  ProxyProcess proxy = Proxy(snapshot, {"--proxy-protocol", "--trusted-proxies=127.0.0.1/32"});
  const std::string answer = ProxiedTlsRequest(
      https_port_, pki_->ca_cert, "PROXY TCP4 203.0.113.9 127.0.0.1 40000 443\r\n",
      "GET /whoami HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n");
  EXPECT_TRUE(absl::StartsWith(answer, "HTTP/1.1 453")) << answer;
  EXPECT_TRUE(absl::StrContains(answer, "client 203.0.113.9")) << answer;
  // Without the header the connection is closed unread: TLS alone is not a PROXY header.
  EXPECT_TRUE(absl::StartsWith(Curl("a.test", "/"), "exit ")) << Curl("a.test", "/");
}

TEST_F(TlsFrontTest, CertificatesWithoutKeysAreReportedNotServed) {
  const std::string snapshot = UniqueTestPath("tls") + ".snapshot";
  WriteSnapshot(snapshot, 1, Certificate({"a.test"}, /*with_key=*/false));
  ProxyProcess proxy = Proxy(snapshot);
  EXPECT_EQ(ServedFingerprint("a.test"), "");
  EXPECT_EQ(ServedFingerprint("b.test"), b_.fingerprint());
  auto ready = HttpGet(proxy.admin_port, "admin", "/readyz");
  ASSERT_TRUE(ready.ok()) << ready.status();
  EXPECT_TRUE(absl::StrContains(ready->body, "certificates_without_keys: a.test")) << ready->body;
  auto summary = HttpGet(proxy.admin_port, "admin", "/snapshot");
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_TRUE(absl::StrContains(summary->body, "\"zones_without_keys\": [\"a.test\"]"))
      << summary->body;
  EXPECT_TRUE(absl::StrContains(summary->body, "\"fingerprint\": \"" + b_.fingerprint() + "\""))
      << summary->body;
  EXPECT_FALSE(absl::StrContains(summary->body, "PRIVATE KEY"));
  EXPECT_EQ(proxy.Metric("gatehouse_tls_zones_without_keys"), 1);
  EXPECT_EQ(proxy.Metric("gatehouse_tls_certificates"), 3);
  EXPECT_EQ(proxy.Metric("gatehouse_tls_certificates_expiring_soon"), 3);  // two-day test certs
}

}  // namespace
}  // namespace gatehouse::testing
