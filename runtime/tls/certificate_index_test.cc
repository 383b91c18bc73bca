#include "runtime/tls/certificate_index.h"

#include "gtest/gtest.h"

namespace gatehouse::runtime::tls {
namespace {

std::shared_ptr<const ServedCertificate> Certificate(std::string zone, std::string fingerprint,
                                                     std::vector<std::string> names,
                                                     int64_t not_after = 1000) {
  auto out = std::make_shared<ServedCertificate>();
  out->zone = std::move(zone);
  out->fingerprint = std::move(fingerprint);
  out->names = std::move(names);
  out->not_after_unix = not_after;
  return out;
}

std::string FingerprintOf(const ServedCertificate* certificate) {
  return certificate == nullptr ? "none" : certificate->fingerprint;
}

TEST(CertificateIndexTest, ExactNameOverWildcard) {
  const CertificateIndex index(
      {Certificate("a", "wild", {"*.a.test"}), Certificate("a", "www", {"www.a.test"})}, "");
  EXPECT_EQ(FingerprintOf(index.Select("www.a.test")), "www");
  EXPECT_EQ(FingerprintOf(index.Select("api.a.test")), "wild");
}

TEST(CertificateIndexTest, WildcardCoversOneLabelOnly) {
  const CertificateIndex index({Certificate("a", "wild", {"*.a.test"})}, "");
  EXPECT_EQ(FingerprintOf(index.Select("x.a.test")), "wild");
  EXPECT_EQ(FingerprintOf(index.Select("a.test")), "none");
  EXPECT_EQ(FingerprintOf(index.Select("y.x.a.test")), "none");
  EXPECT_EQ(FingerprintOf(index.Select(".a.test")), "none");
}

TEST(CertificateIndexTest, DefaultZoneAnswersNoNameAndUnknownNames) {
  const CertificateIndex index(
      {Certificate("a", "fa", {"a.test"}), Certificate("b", "fb", {"b.test"})}, "b");
  EXPECT_EQ(FingerprintOf(index.Select("")), "fb");
  EXPECT_EQ(FingerprintOf(index.Select("unknown.test")), "fb");
  EXPECT_EQ(FingerprintOf(index.Select("a.test")), "fa");
}

TEST(CertificateIndexTest, WithoutDefaultZoneUnknownNamesGetNothing) {
  const CertificateIndex index({Certificate("a", "fa", {"a.test"})}, "");
  EXPECT_EQ(FingerprintOf(index.Select("")), "none");
  EXPECT_EQ(FingerprintOf(index.Select("b.test")), "none");
  // A default zone without a certificate is no default.
  const CertificateIndex missing({Certificate("a", "fa", {"a.test"})}, "nope");
  EXPECT_EQ(FingerprintOf(missing.Select("b.test")), "none");
}

TEST(CertificateIndexTest, TheLongestValidOfTwoForOneNameWins) {
  // A renewal served beside the certificate it replaces: the new one answers.
  const CertificateIndex index(
      {Certificate("a", "old", {"a.test"}, 100), Certificate("a", "new", {"a.test"}, 200)}, "a");
  EXPECT_EQ(FingerprintOf(index.Select("a.test")), "new");
  EXPECT_EQ(FingerprintOf(index.Select("")), "new");
  // The same validity: the lower fingerprint, whatever the order given.
  const CertificateIndex tie(
      {Certificate("a", "f2", {"a.test"}), Certificate("a", "f1", {"a.test"})}, "");
  EXPECT_EQ(FingerprintOf(tie.Select("a.test")), "f1");
}

}  // namespace
}  // namespace gatehouse::runtime::tls
