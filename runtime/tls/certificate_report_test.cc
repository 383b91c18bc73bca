#include "runtime/tls/certificate_report.h"

#include "gtest/gtest.h"
#include "tests/support/test_zones.h"

namespace gatehouse::runtime::tls {
namespace {

constexpr int64_t kNow = 1'800'000'000;
constexpr int64_t kDay = 24 * 3600;

snapshot::v1::ZoneCertificate Certificate(int64_t not_after, bool with_key = true) {
  snapshot::v1::ZoneCertificate certificate;
  certificate.set_fingerprint(std::to_string(not_after));
  certificate.set_not_after_unix(not_after);
  if (with_key) certificate.set_key_pem("key");
  return certificate;
}

TEST(CertificateReportTest, CountsExpiringAndExpiredAndZonesWithoutKeys) {
  snapshot::v1::Snapshot proto;
  proto.set_format(snapshot::v1::FORMAT_VERSION_1);
  proto.set_version(1);
  auto a = testing::CompiledTestZone("a.test", 1);
  *a.add_certificates() = Certificate(kNow + 90 * kDay);
  *a.add_certificates() = Certificate(kNow + 3 * kDay);
  auto b = testing::CompiledTestZone("b.test", 1);
  *b.add_certificates() = Certificate(kNow - kDay, /*with_key=*/false);
  *proto.add_zones() = a;
  *proto.add_zones() = b;
  *proto.add_zones() = testing::CompiledTestZone("c.test", 1);
  auto linked = LinkedSnapshot::Link(proto, nullptr);
  ASSERT_TRUE(linked.ok());
  const CertificateReport report = ReportCertificates(**linked, kNow);
  EXPECT_EQ(report.certificates, 3);
  EXPECT_EQ(report.expiring_soon, 1);
  EXPECT_EQ(report.expired, 1);
  EXPECT_EQ(report.soonest_not_after, kNow - kDay);
  EXPECT_EQ(report.zones_without_keys, std::vector<std::string>{"b.test"});
  EXPECT_STREQ(ExpiryState(Certificate(kNow + 14 * kDay), kNow), "expiring_soon");
  EXPECT_STREQ(ExpiryState(Certificate(kNow + 15 * kDay), kNow), "ok");
}

}  // namespace
}  // namespace gatehouse::runtime::tls
