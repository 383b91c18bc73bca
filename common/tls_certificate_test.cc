#include "common/tls_certificate.h"

#include <ctime>

#include "gtest/gtest.h"
#include "tests/support/site_certificate_fixture.h"
#include "tests/support/test_pki.h"

namespace gatehouse {
namespace {

using testing::MakeSiteCertificate;
using testing::ReadTestFile;
using testing::SiteCertificate;
using testing::TestPki;

std::string Message(const absl::Status& status) { return std::string(status.message()); }

int64_t Now() { return static_cast<int64_t>(std::time(nullptr)); }

using TlsCertificateTest = testing::SiteCertificateTest;

TEST_F(TlsCertificateTest, ReadsTheLeafOfAChain) {
  const std::string pem = ReadTestFile(site_->chain);
  auto chain = ParseCertificateChain(pem);
  ASSERT_TRUE(chain.ok()) << chain.status();
  EXPECT_EQ(chain->length, 2u);
  EXPECT_EQ(chain->names, (std::vector<std::string>{"example.com", "*.example.com"}));
  EXPECT_EQ(chain->fingerprint.size(), 64u);
  EXPECT_EQ(chain->fingerprint.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_LE(chain->not_before_unix, Now());
  EXPECT_GT(chain->not_after_unix, Now() + 80 * 24 * 3600);
  EXPECT_TRUE(CheckCertificateValidAt(*chain, Now()).ok());
  // Text around the PEM blocks is dropped; what is kept parses to the same leaf.
  auto again = ParseCertificateChain("note: ours\n" + chain->pem + "trailing words\n");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->pem, chain->pem);
  EXPECT_EQ(again->fingerprint, chain->fingerprint);
}

TEST_F(TlsCertificateTest, TheFingerprintIsTheLeafsAlone) {
  auto chain = ParseCertificateChain(ReadTestFile(site_->chain));
  auto ca = ParseCertificateChain(ReadTestFile(pki_->ca_cert));
  auto leaf_only = ParseCertificateChain(chain->pem.substr(0, chain->pem.find("-----END") + 26));
  ASSERT_TRUE(chain.ok() && ca.ok() && leaf_only.ok());
  EXPECT_EQ(leaf_only->length, 1u);
  EXPECT_EQ(leaf_only->fingerprint, chain->fingerprint);
  EXPECT_NE(ca->fingerprint, chain->fingerprint);
  EXPECT_TRUE(ca->names.empty());
}

TEST_F(TlsCertificateTest, RefusesWhatIsNotAChain) {
  EXPECT_EQ(Message(ParseCertificateChain("").status()),
            "the certificate chain holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
  EXPECT_EQ(ParseCertificateChain(ReadTestFile(site_->key)).status().code(),
            absl::StatusCode::kInvalidArgument);
  std::string pem = ReadTestFile(site_->chain);
  const size_t second = pem.find("-----BEGIN", 10);
  std::string broken = pem;
  broken[second + 100] = broken[second + 100] == 'A' ? 'B' : 'A';
  broken.insert(second + 90, "!!");
  EXPECT_EQ(Message(ParseCertificateChain(broken).status()),
            "certificate 2 of the chain does not parse as a PEM X.509 certificate");
  std::string long_chain;
  for (size_t i = 0; i <= kMaxCertificateChainLength; ++i)
    long_chain += ReadTestFile(pki_->ca_cert);
  EXPECT_NE(Message(ParseCertificateChain(long_chain).status()).find("more than 10"),
            std::string::npos);
  EXPECT_NE(Message(ParseCertificateChain(std::string(kMaxCertificateChainBytes + 1, 'x')).status())
                .find("over the limit"),
            std::string::npos);
}

TEST_F(TlsCertificateTest, MatchesTheKeyOfTheLeafOnly) {
  const std::string chain = ReadTestFile(site_->chain);
  auto key = MatchPrivateKey(chain, ReadTestFile(site_->key));
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_NE(key->find("-----BEGIN PRIVATE KEY-----"), std::string::npos);
  EXPECT_EQ(Message(MatchPrivateKey(chain, ReadTestFile(pki_->server_key)).status()),
            "the private key is not the key of the chain's first certificate");
  EXPECT_EQ(Message(MatchPrivateKey(chain, ReadTestFile(pki_->ca_key)).status()),
            "the private key is not the key of the chain's first certificate");
  EXPECT_NE(Message(MatchPrivateKey(chain, chain).status()).find("not an unencrypted PEM"),
            std::string::npos);
  EXPECT_FALSE(PrivateKeyMatches("", ReadTestFile(site_->key)));
  EXPECT_EQ(CountPemCertificates(chain), 2u);
}

TEST(CertificateNameTest, WildcardsStandForOneLabel) {
  EXPECT_TRUE(CertificateNameCovers("example.com", "example.com"));
  EXPECT_TRUE(CertificateNameCovers("Example.COM", "example.com"));
  EXPECT_FALSE(CertificateNameCovers("example.com", "www.example.com"));
  EXPECT_TRUE(CertificateNameCovers("*.example.com", "www.example.com"));
  EXPECT_FALSE(CertificateNameCovers("*.example.com", "example.com"));
  EXPECT_FALSE(CertificateNameCovers("*.example.com", "a.b.example.com"));
  EXPECT_FALSE(CertificateNameCovers("*.example.com", ".example.com"));
  EXPECT_FALSE(CertificateNameCovers("*.example.com", "wwwexample.com"));
  EXPECT_FALSE(CertificateNameCovers("*.com", "com"));
  // A zone's wildcard claim needs the same wildcard.
  EXPECT_TRUE(CertificateNameCovers("*.example.com", "*.example.com"));
  EXPECT_FALSE(CertificateNameCovers("www.example.com", "*.example.com"));
  EXPECT_FALSE(CertificateNameCovers("*.example.com", "*.a.example.com"));
  EXPECT_FALSE(CertificateNameCovers("w*.example.com", "www.example.com"));
}

TEST_F(TlsCertificateTest, NamesTheHostnamesNotCovered) {
  auto chain = ParseCertificateChain(ReadTestFile(site_->chain));
  ASSERT_TRUE(chain.ok());
  EXPECT_TRUE(
      UncoveredHostnames(*chain, {"example.com", "www.example.com", "*.example.com"}).empty());
  EXPECT_EQ(UncoveredHostnames(*chain, {"example.com", "a.b.example.com", "example.org"}),
            (std::vector<std::string>{"a.b.example.com", "example.org"}));
}

TEST_F(TlsCertificateTest, ExpiredAndNotYetValid) {
  const int64_t now = Now();
  auto expired = MakeSiteCertificate(*pki_, "expired", {"example.com"}, now - 40 * 24 * 3600,
                                     now - 10 * 24 * 3600);
  ASSERT_TRUE(expired.ok()) << expired.status();
  auto chain = ParseCertificateChain(ReadTestFile(expired->chain));
  ASSERT_TRUE(chain.ok()) << chain.status();
  EXPECT_EQ(chain->not_after_unix, now - 10 * 24 * 3600);
  EXPECT_EQ(Message(CheckCertificateValidAt(*chain, now)),
            "the certificate expired on " + FormatUnixTimeUtc(now - 10 * 24 * 3600));
  EXPECT_NE(Message(CheckCertificateValidAt(*chain, now - 50 * 24 * 3600)).find("not valid before"),
            std::string::npos);
  EXPECT_TRUE(ExpiresWithin(chain->not_after_unix, now, kCertificateExpiryWarningSeconds));
  EXPECT_TRUE(ExpiresWithin(now + 13 * 24 * 3600, now, kCertificateExpiryWarningSeconds));
  EXPECT_FALSE(ExpiresWithin(now + 15 * 24 * 3600, now, kCertificateExpiryWarningSeconds));
  EXPECT_EQ(FormatUnixTimeUtc(0), "1970-01-01 00:00:00 UTC");
}

}  // namespace
}  // namespace gatehouse
