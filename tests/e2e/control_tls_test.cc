// The channel between proxies (and gatectl) and the control plane: TLS that the proxy verifies
// with --control-ca, mutual TLS with the control plane's --client-ca, and what is refused —
// plaintext clients of a TLS control plane, a missing or wrong client certificate, a server
// certificate from another CA, and bad certificate files at start. Real processes on loopback;
// the certificates are made at test time.
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "tests/support/binaries.h"
#include "tests/support/http_client.h"
#include "tests/support/proxy_process.h"
#include "tests/support/slow_tcp_relay.h"
#include "tests/support/subprocess.h"
#include "tests/support/test_pki.h"

namespace gatehouse::testing {
namespace {

// Every client call is bounded: a stall fails the test.
constexpr auto kCommandDeadline = std::chrono::seconds(10);
// How long a proxy that cannot connect is watched staying unready (and alive).
constexpr auto kRefusedFor = std::chrono::milliseconds(2500);

// A zone whose firewall answers /marker with 403 and body `marker`: which version a proxy
// serves, without an origin.
std::string MarkerZoneFile(const std::string& marker) {
  const std::string path = UniqueTestPath("zone") + ".json";
  WriteFile(path, R"json({"zone": "tls.test", "hostnames": ["tls.test"],
    "origins": [{"name": "app", "servers": ["127.0.0.1:9"]}],
    "rulesets": [{"phase": "http_request_firewall_custom", "rules": [
      {"id": "marker", "expression": "http.request.uri.path eq \"/marker\"", "action": "block",
       "action_parameters": {"response": {"status_code": 403, "content_type": "text/plain",
                                          "content": ")json" + marker + R"json("}}}]}]})json");
  return path;
}

// The body a proxy answers /marker with once it is `marker` (or what it answered last).
std::string WaitForMarker(const ProxyProcess& proxy, const std::string& marker) {
  auto result = proxy.GetUntil("tls.test", "/marker", [&marker](const HttpResult& r) {
    return r.status == 403 && r.body == marker;
  });
  if (!result.ok()) return std::string(result.status().message());
  return result->status == 403 ? result->body : "status " + std::to_string(result->status);
}

class ControlTlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto pki = MakeTestPki();
    ASSERT_TRUE(pki.ok()) << pki.status();
    pki_ = new TestPki(*std::move(pki));
  }
  static void TearDownTestSuite() { delete pki_; }

  // A control plane serving TLS with the test server certificate, with `flags` added.
  void StartControl(std::vector<std::string> flags = {}) {
    flags.insert(flags.begin(),
                 {kControlBinary, "--listen=127.0.0.1:0", "--data-dir=", "--insecure-no-auth",
                  "--tls-cert=" + pki_->server_cert, "--tls-key=" + pki_->server_key});
    auto process = Subprocess::Start(std::move(flags));
    ASSERT_TRUE(process.ok()) << process.status();
    auto ready = (*process)->WaitReady(kServerReadyTimeout);
    ASSERT_TRUE(ready.ok()) << ready.status();
    ASSERT_EQ(ready->count("grpc"), 1u);
    control_address_ = ready->at("grpc");
    control_ = *std::move(process);
  }

  // gatectl against the control plane with `tls_flags`, a 3 s call deadline and a 10 s run.
  CommandResult Gatectl(const std::vector<std::string>& tls_flags,
                        const std::vector<std::string>& args) const {
    std::vector<std::string> argv = {kGatectlBinary, "--addr=" + control_address_,
                                      "--timeout-ms=3000"};
    argv.insert(argv.end(), tls_flags.begin(), tls_flags.end());
    argv.insert(argv.end(), args.begin(), args.end());
    return RunCommand(argv, kCommandDeadline);
  }

  absl::StatusOr<ProxyProcess> Proxy(const std::vector<std::string>& tls_flags) const {
    std::vector<std::string> flags = {"--control=" + control_address_, "--workers=1"};
    flags.insert(flags.end(), tls_flags.begin(), tls_flags.end());
    return StartProxy(flags);
  }

  static std::string Readyz(const ProxyProcess& proxy, int* status) {
    auto ready = HttpGet(proxy.admin_port, "admin", "/readyz");
    if (!ready.ok()) return "error: " + std::string(ready.status().message());
    *status = ready->status;
    return ready->body;
  }

  // The proxy never got a snapshot, yet runs: it answers its admin port, unready, saying how
  // it reaches the control plane.
  static void ExpectUnreadyButAlive(const ProxyProcess& proxy, const std::string& channel) {
    int status = 0;
    const std::string body = Readyz(proxy, &status);
    EXPECT_EQ(status, 503) << body;
    EXPECT_EQ(body, "no snapshot loaded\ncontrol_channel: " + channel + "\n");
    auto answer = HttpGet(proxy.port, "tls.test", "/marker");
    ASSERT_TRUE(answer.ok()) << answer.status();
    EXPECT_EQ(answer->status, 503);
  }

  static TestPki* pki_;
  std::unique_ptr<Subprocess> control_;
  std::string control_address_;
};

TestPki* ControlTlsTest::pki_ = nullptr;

TEST_F(ControlTlsTest, AProxyWithTheCaFollowsATlsControlPlane) {
  StartControl();
  // A plaintext client of a TLS control plane is refused at once, and the server carries on.
  const CommandResult plaintext = Gatectl({}, {"zones"});
  EXPECT_FALSE(plaintext.timed_out);
  EXPECT_EQ(plaintext.exit_code, 3) << plaintext.err;
  EXPECT_NE(plaintext.err.find("UNAVAILABLE"), std::string::npos) << plaintext.err;

  const std::vector<std::string> gatectl_tls = {"--tls-ca=" + pki_->ca_cert};
  const CommandResult pushed =
      Gatectl(gatectl_tls, {"push", MarkerZoneFile("v1")});
  ASSERT_EQ(pushed.exit_code, 0) << pushed.err;

  // Started together: the one with the CA connects; one without TLS and one trusting another
  // CA cannot, and keep trying without crashing.
  auto verified = Proxy({"--control-ca=" + pki_->ca_cert});
  auto without_tls = Proxy({});
  auto wrong_ca = Proxy({"--control-ca=" + pki_->other_ca_cert});
  ASSERT_TRUE(verified.ok()) << verified.status();
  ASSERT_TRUE(without_tls.ok()) << without_tls.status();
  ASSERT_TRUE(wrong_ca.ok()) << wrong_ca.status();

  EXPECT_EQ(WaitForMarker(*verified, "v1"), "v1");
  int status = 0;
  EXPECT_EQ(Readyz(*verified, &status), "ready\ncontrol_channel: tls\n");
  EXPECT_EQ(status, 200);
  // A later push reaches it over the same channel.
  const CommandResult again =
      Gatectl(gatectl_tls, {"push", MarkerZoneFile("v2")});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(WaitForMarker(*verified, "v2"), "v2");

  std::this_thread::sleep_for(kRefusedFor);
  ExpectUnreadyButAlive(*without_tls, "plaintext");
  ExpectUnreadyButAlive(*wrong_ca, "tls");
  // Still serving TLS clients after refusing the others.
  EXPECT_EQ(Gatectl(gatectl_tls, {"zones"}).exit_code, 0);
}

// A control plane 300 ms away each way: the TLS handshake and HTTP/2 settings take about a
// second, and the proxy's first connection attempt waits for them. gRPC cut each attempt at
// the reconnect backoff (100 ms, growing) when the proxy set it as the connect timeout, so a
// slow handshake was started over and over, and on a busy host never finished.
TEST_F(ControlTlsTest, TheFirstConnectionToADistantControlPlaneIsGivenTimeToHandshake) {
  StartControl();
  const std::vector<std::string> gatectl_tls = {"--tls-ca=" + pki_->ca_cert};
  const CommandResult pushed = Gatectl(gatectl_tls, {"push", MarkerZoneFile("far")});
  ASSERT_EQ(pushed.exit_code, 0) << pushed.err;
  const uint16_t control_port =
      static_cast<uint16_t>(std::stoi(control_address_.substr(control_address_.rfind(':') + 1)));
  auto relay = SlowTcpRelay::Start(control_port, std::chrono::milliseconds(300));
  ASSERT_TRUE(relay.ok()) << relay.status();

  auto proxy = StartProxy({"--control=127.0.0.1:" + std::to_string((*relay)->port()), "--workers=1",
                           "--control-ca=" + pki_->ca_cert});
  ASSERT_TRUE(proxy.ok()) << proxy.status();
  auto served = proxy->GetUntil(
      "tls.test", "/marker", [](const HttpResult& r) { return r.status == 403 && r.body == "far"; },
      15000);
  ASSERT_TRUE(served.ok()) << served.status();
  EXPECT_EQ(served->body, "far");
  EXPECT_EQ((*relay)->connections(), 1);
}

TEST_F(ControlTlsTest, MutualTlsAcceptsOnlyClientsWithACertificateOfItsCa) {
  StartControl({"--client-ca=" + pki_->ca_cert});
  const std::vector<std::string> with_cert = {"--tls-ca=" + pki_->ca_cert,
                                              "--tls-cert=" + pki_->client_cert,
                                              "--tls-key=" + pki_->client_key};
  const CommandResult no_cert = Gatectl({"--tls-ca=" + pki_->ca_cert}, {"zones"});
  EXPECT_FALSE(no_cert.timed_out);
  EXPECT_EQ(no_cert.exit_code, 3) << no_cert.err;
  const CommandResult pushed =
      Gatectl(with_cert, {"push", MarkerZoneFile("m1")});
  ASSERT_EQ(pushed.exit_code, 0) << pushed.err;

  auto mutual = Proxy({"--control-ca=" + pki_->ca_cert, "--control-cert=" + pki_->client_cert,
                       "--control-key=" + pki_->client_key});
  auto no_client_cert = Proxy({"--control-ca=" + pki_->ca_cert});
  auto other_ca_cert =
      Proxy({"--control-ca=" + pki_->ca_cert, "--control-cert=" + pki_->other_client_cert,
             "--control-key=" + pki_->other_client_key});
  ASSERT_TRUE(mutual.ok()) << mutual.status();
  ASSERT_TRUE(no_client_cert.ok()) << no_client_cert.status();
  ASSERT_TRUE(other_ca_cert.ok()) << other_ca_cert.status();

  EXPECT_EQ(WaitForMarker(*mutual, "m1"), "m1");
  int status = 0;
  EXPECT_EQ(Readyz(*mutual, &status), "ready\ncontrol_channel: mtls\n");
  EXPECT_EQ(status, 200);

  std::this_thread::sleep_for(kRefusedFor);
  ExpectUnreadyButAlive(*no_client_cert, "tls");
  ExpectUnreadyButAlive(*other_ca_cert, "mtls");
}

// A usage error: exit 2 before serving, with one line naming the file.
void ExpectRefused(const CommandResult& result, const std::string& reason) {
  EXPECT_FALSE(result.timed_out) << "started when it should have refused";
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find(reason), std::string::npos) << result.err;
}

TEST_F(ControlTlsTest, BadCertificateFilesStopTheStartNamingTheFile) {
  const std::string missing = TempPath("missing.pem");
  // A directory opens but cannot be read.
  const std::string unreadable = TempPath("");
  auto proxy = [](std::vector<std::string> flags) {
    flags.insert(flags.begin(), {kProxyBinary, "--listen=127.0.0.1:0", "--admin=",
                                 "--control=127.0.0.1:1", "--workers=1"});
    return RunCommand(flags, kCommandDeadline);
  };
  ExpectRefused(proxy({"--control-ca=" + missing}),
                "proxy: cannot read --control-ca " + missing + ": No such file or directory");
  ExpectRefused(proxy({"--control-ca=" + pki_->ca_cert, "--control-cert=" + pki_->client_cert,
                       "--control-key=" + unreadable}),
                "cannot read --control-key " + unreadable);
  ExpectRefused(proxy({"--control-ca=" + pki_->ca_cert, "--control-cert=" + pki_->client_cert,
                       "--control-key=" + pki_->server_key}),
                "--control-key " + pki_->server_key +
                    " is not the private key of the certificate in --control-cert " +
                    pki_->client_cert);
  ExpectRefused(proxy({"--control-cert=" + pki_->client_cert,
                       "--control-key=" + pki_->client_key}),
                "--control-cert needs --control-ca");
  ExpectRefused(proxy({"--control-ca=" + pki_->client_key}),
                "--control-ca " + pki_->client_key + " holds no PEM certificate");

  auto control = [](std::vector<std::string> flags) {
    flags.insert(flags.begin(),
                 {kControlBinary, "--listen=127.0.0.1:0", "--data-dir=", "--insecure-no-auth"});
    return RunCommand(flags, kCommandDeadline);
  };
  const std::string cert = "--tls-cert=" + pki_->server_cert;
  ExpectRefused(control({cert, "--tls-key=" + pki_->server_key, "--client-ca=" + missing}),
                "control: cannot read --client-ca " + missing);
  ExpectRefused(control({cert, "--tls-key=" + pki_->client_key}),
                "--tls-key " + pki_->client_key + " is not the private key");
  ExpectRefused(control({cert, "--tls-key=" + missing}), "cannot read --tls-key " + missing);
  ExpectRefused(control({"--client-ca=" + pki_->ca_cert}), "--client-ca needs --tls-cert");

  ExpectRefused(RunCommand({kGatectlBinary, "--addr=127.0.0.1:1", "--tls-ca=" + missing, "zones"},
                           kCommandDeadline),
                "gatectl: cannot read --tls-ca " + missing);
}

}  // namespace
}  // namespace gatehouse::testing
