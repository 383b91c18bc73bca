#include "common/tls_files.h"

#include <cstdlib>
#include <string>

#include "common/grpc_client_tls.h"
#include "gtest/gtest.h"
#include "tests/support/test_pki.h"

namespace gatehouse {
namespace {

using ::gatehouse::testing::TestPki;

class TlsFilesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto pki = testing::MakeTestPki();
    ASSERT_TRUE(pki.ok()) << pki.status();
    pki_ = new TestPki(*std::move(pki));
  }
  static void TearDownTestSuite() { delete pki_; }

  static std::string Message(const absl::Status& status) { return std::string(status.message()); }

  static TestPki* pki_;
};

TestPki* TlsFilesTest::pki_ = nullptr;

TEST_F(TlsFilesTest, ReadsCertificatesAndAMatchingKey) {
  auto ca = ReadPemCertificates("control-ca", pki_->ca_cert);
  ASSERT_TRUE(ca.ok()) << ca.status();
  EXPECT_NE(ca->find("BEGIN CERTIFICATE"), std::string::npos);
  auto pair = ReadPemKeyPair("tls-cert", pki_->server_cert, "tls-key", pki_->server_key);
  ASSERT_TRUE(pair.ok()) << pair.status();
  EXPECT_NE(pair->key_pem.find("PRIVATE KEY"), std::string::npos);
}

TEST_F(TlsFilesTest, EveryErrorNamesTheFlagAndTheFile) {
  const std::string missing = std::string(std::getenv("TEST_TMPDIR")) + "/no-such.pem";
  auto absent = ReadPemCertificates("control-ca", missing);
  EXPECT_TRUE(absl::IsInvalidArgument(absent.status()));
  EXPECT_EQ(Message(absent.status()),
            "cannot read --control-ca " + missing + ": No such file or directory");

  // A key where a certificate belongs.
  auto not_a_cert = ReadPemCertificates("control-ca", pki_->client_key);
  EXPECT_NE(Message(not_a_cert.status()).find("--control-ca " + pki_->client_key +
                                              " holds no PEM certificate"),
            std::string::npos)
      << not_a_cert.status();

  auto no_key = ReadPemKeyPair("tls-cert", pki_->server_cert, "tls-key", pki_->server_cert);
  EXPECT_NE(Message(no_key.status()).find("--tls-key " + pki_->server_cert +
                                          " holds no unencrypted PEM private key"),
            std::string::npos)
      << no_key.status();

  auto mismatch = ReadPemKeyPair("tls-cert", pki_->server_cert, "tls-key", pki_->client_key);
  EXPECT_EQ(Message(mismatch.status()), "--tls-key " + pki_->client_key +
                                            " is not the private key of the certificate in "
                                            "--tls-cert " + pki_->server_cert);
}

TEST_F(TlsFilesTest, ClientTlsModesAndTheirFlags) {
  auto plaintext = ClientTls::Load({});
  ASSERT_TRUE(plaintext.ok());
  EXPECT_EQ(plaintext->mode_name(), "plaintext");
  EXPECT_NE(plaintext->Credentials(), nullptr);

  auto tls = ClientTls::Load({pki_->ca_cert, "", "", "control-ca", "control-cert", "control-key"});
  ASSERT_TRUE(tls.ok()) << tls.status();
  EXPECT_EQ(tls->mode_name(), "tls");

  auto mtls = ClientTls::Load({pki_->ca_cert, pki_->client_cert, pki_->client_key});
  ASSERT_TRUE(mtls.ok()) << mtls.status();
  EXPECT_EQ(mtls->mode(), ClientTls::Mode::kMutualTls);
  EXPECT_EQ(mtls->mode_name(), "mtls");

  auto alone = ClientTls::Load({"", pki_->client_cert, "", "control-ca", "control-cert",
                                "control-key"});
  EXPECT_EQ(Message(alone.status()), "--control-cert and --control-key go together");
  auto unverified = ClientTls::Load({"", pki_->client_cert, pki_->client_key, "control-ca",
                                     "control-cert", "control-key"});
  EXPECT_NE(Message(unverified.status()).find("--control-cert needs --control-ca"),
            std::string::npos);
}

}  // namespace
}  // namespace gatehouse
