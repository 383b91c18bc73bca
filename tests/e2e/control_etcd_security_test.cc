// The control plane on an etcd that requires TLS with client certificates and a password (etcd's
// auth enabled), with certificates made at test time: with the right files it stores pushes;
// with another CA, without the client certificate, or with a wrong password it refuses to start
// and says why.
#include "etcd/test_etcd_cluster.h"
#include "gtest/gtest.h"
#include "tests/support/binaries.h"
#include "tests/support/control_plane.h"
#include "tests/support/test_pki.h"

namespace gatehouse::testing {
namespace {

constexpr char kAdminToken[] = "etcd-security-admin-token";
constexpr char kRootPassword[] = "etcd-root-password";

class ControlEtcdSecurityTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto pki = MakeTestPki();
    ASSERT_TRUE(pki.ok()) << pki.status();
    pki_ = new TestPki(*std::move(pki));
    cluster_ = new etcd::TestEtcdCluster();
    cluster_->set_security({pki_->server_cert, pki_->server_key, pki_->ca_cert, pki_->ca_cert,
                            pki_->client_cert, pki_->client_key});
    const absl::Status started = cluster_->Start(1);
    ASSERT_TRUE(started.ok()) << started;
    const absl::Status auth = cluster_->EnableAuth(kRootPassword);
    ASSERT_TRUE(auth.ok()) << auth;
  }
  static void TearDownTestSuite() {
    delete cluster_;
    delete pki_;
  }

  // The control flags for the cluster: CA, client certificate (none when empty) and password.
  static std::vector<std::string> StoreFlags(const std::string& ca, const std::string& cert,
                                             const std::string& password) {
    std::vector<std::string> flags = {
        "--store=" + cluster_->Url(),
        "--no-managed-rulesets",
        "--etcd-timeout-ms=2000",
        "--etcd-ca=" + ca,
        "--etcd-user=root",
        "--etcd-password-file=" + WriteTempFile("etcd-password", password + "\n")};
    if (!cert.empty()) {
      flags.push_back("--etcd-cert=" + cert);
      flags.push_back("--etcd-key=" + pki_->client_key);
    }
    return flags;
  }

  // Starting control with `flags` fails within a few seconds; its error output.
  static std::string StartFails(const std::vector<std::string>& flags) {
    std::vector<std::string> argv = {
        kControlBinary, "--listen=127.0.0.1:0",
        "--admin-token-file=" + WriteTempFile("admin-token", std::string(kAdminToken))};
    argv.insert(argv.end(), flags.begin(), flags.end());
    const CommandResult result = RunCommand(argv, std::chrono::seconds(15));
    EXPECT_FALSE(result.timed_out) << "control kept running: " << result.err;
    EXPECT_NE(result.exit_code, 0) << result.err;
    return result.err;
  }

  static TestPki* pki_;
  static etcd::TestEtcdCluster* cluster_;
};

TestPki* ControlEtcdSecurityTest::pki_ = nullptr;
etcd::TestEtcdCluster* ControlEtcdSecurityTest::cluster_ = nullptr;

TEST_F(ControlEtcdSecurityTest, WithTheRightFilesPushesAreStored) {
  ControlPlane control;
  ASSERT_TRUE(
      control.Start({kAdminToken, StoreFlags(pki_->ca_cert, pki_->client_cert, kRootPassword)})
          .ok());
  api::v1::PutZoneConfigRequest request;
  request.set_config_json(MarkerZoneJson("secure.example", "m1"));
  api::v1::PutZoneConfigResponse response;
  const grpc::Status pushed = control.ConfigStub()->PutZoneConfig(
      ControlPlane::Context(kAdminToken).get(), request, &response);
  ASSERT_TRUE(pushed.ok()) << pushed.error_message();
  EXPECT_EQ(response.version(), 1u);
}

TEST_F(ControlEtcdSecurityTest, AWrongPasswordIsAStartUpError) {
  const std::string err = StartFails(StoreFlags(pki_->ca_cert, pki_->client_cert, "wrong"));
  EXPECT_NE(err.find("authentication failed"), std::string::npos) << err;
}

TEST_F(ControlEtcdSecurityTest, AnotherCaIsAStartUpError) {
  const std::string err =
      StartFails(StoreFlags(pki_->other_ca_cert, pki_->client_cert, kRootPassword));
  EXPECT_NE(err.find("etcd"), std::string::npos) << err;
  EXPECT_NE(err.find("--etcd-ca"), std::string::npos) << err;
}

TEST_F(ControlEtcdSecurityTest, NoClientCertificateIsAStartUpError) {
  const std::string err = StartFails(StoreFlags(pki_->ca_cert, "", kRootPassword));
  EXPECT_NE(err.find("--etcd-cert"), std::string::npos) << err;
}

}  // namespace
}  // namespace gatehouse::testing
