#include "geoip/geo_databases.h"

#include <chrono>
#include <thread>

#include "geoip/geo_database_source.h"
#include "gtest/gtest.h"
#include "rules/ip_address.h"
#include "tests/support/geoip_test_db.h"
#include "tests/support/subprocess.h"

namespace gatehouse::geoip {
namespace {

using testing::TempPath;
using testing::WriteGeoIpDatabase;

constexpr char kCity[] = R"([
  {"network": "81.2.69.0/24", "data": {
    "country": {"iso_code": "GB", "is_in_european_union": false},
    "continent": {"code": "EU"},
    "city": {"names": {"en": "London"}},
    "postal": {"code": "EC1A"},
    "subdivisions": [{"iso_code": "ENG", "names": {"en": "England"}}, {"iso_code": "WSM"}],
    "location": {"latitude": 51.5142, "longitude": -0.0931, "time_zone": "Europe/London"}}},
  {"network": "2001:db8::/32", "data": {
    "country": {"iso_code": "FR", "is_in_european_union": true},
    "continent": {"code": "EU"}}},
  {"network": "198.51.100.0/24", "data": {
    "registered_country": {"iso_code": "US"},
    "location": {"metro_code": 623}}}
])";
constexpr char kAsn[] = R"([
  {"network": "81.2.69.0/24", "data": {"autonomous_system_number": 64500,
                                       "autonomous_system_organization": "Example"}}
])";

rules::IpAddress Ip(const char* text) { return *rules::ParseIpAddress(text); }

TEST(GeoDatabasesTest, ReadsCloudflaresFieldsFromCityAndAsnDatabases) {
  const std::string city = TempPath("city.mmdb");
  const std::string asn = TempPath("asn.mmdb");
  ASSERT_TRUE(WriteGeoIpDatabase(city, "GeoIP2-City", kCity).ok());
  ASSERT_TRUE(WriteGeoIpDatabase(asn, "GeoLite2-ASN", kAsn).ok());
  auto databases = GeoDatabases::Open({city, asn});
  ASSERT_TRUE(databases.ok()) << databases.status();

  rules::GeoLocation london;
  (*databases)->Locate(Ip("81.2.69.160"), london);
  EXPECT_EQ(london.country, "GB");
  EXPECT_EQ(london.continent, "EU");
  EXPECT_FALSE(london.is_in_european_union);
  EXPECT_EQ(london.city, "London");
  EXPECT_EQ(london.postal_code, "EC1A");
  EXPECT_EQ(london.region, "England");
  EXPECT_EQ(london.region_code, "ENG");
  EXPECT_EQ(london.subdivision_1_iso_code, "GB-ENG");
  EXPECT_EQ(london.subdivision_2_iso_code, "GB-WSM");
  EXPECT_EQ(london.lat, "51.5142");
  EXPECT_EQ(london.lon, "-0.0931");
  EXPECT_EQ(london.timezone_name, "Europe/London");
  EXPECT_EQ(london.metro_code, "");
  EXPECT_EQ(london.asnum, 64500);

  rules::GeoLocation paris;
  (*databases)->Locate(Ip("2001:db8::7"), paris);
  EXPECT_EQ(paris.country, "FR");
  EXPECT_TRUE(paris.is_in_european_union);
  EXPECT_EQ(paris.asnum, 0);

  rules::GeoLocation registered;
  (*databases)->Locate(Ip("198.51.100.9"), registered);
  EXPECT_EQ(registered.country, "US");  // no country: the registered one
  EXPECT_EQ(registered.metro_code, "623");

  // Unknown addresses leave nothing from an earlier lookup behind.
  (*databases)->Locate(Ip("10.1.2.3"), london);
  EXPECT_EQ(london.country, "");
  EXPECT_EQ(london.asnum, 0);
}

TEST(GeoDatabasesTest, MissingOrCorruptFilesAreErrors) {
  EXPECT_FALSE(GeoDatabases::Open({TempPath("nope.mmdb"), ""}).ok());
  const std::string garbage = TempPath("garbage.mmdb");
  testing::WriteFile(garbage, "not a MaxMind DB file");
  EXPECT_FALSE(GeoDatabases::Open({garbage, ""}).ok());
}

TEST(GeoDatabaseSourceTest, EmptyUntilLoadedThenSwapsOnChangeKeepingTheLastGood) {
  const std::string city = TempPath("swap.mmdb");
  GeoDatabaseSource source({city, ""}, std::chrono::milliseconds(50));
  rules::GeoLocation where;
  source.Locate(Ip("81.2.69.160"), where);
  EXPECT_EQ(where.country, "");
  EXPECT_FALSE(source.LoadNow().ok());  // no file yet: empty, not an error for lookups

  ASSERT_TRUE(WriteGeoIpDatabase(city, "GeoIP2-City", kCity).ok());
  ASSERT_TRUE(source.LoadNow().ok());
  source.Locate(Ip("81.2.69.160"), where);
  EXPECT_EQ(where.country, "GB");

  source.Start();
  ASSERT_TRUE(WriteGeoIpDatabase(city, "GeoIP2-City",
                                 R"([{"network": "81.2.69.0/24",
                                      "data": {"country": {"iso_code": "XX"}}}])")
                  .ok());
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (where.country != "XX" && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    source.Locate(Ip("81.2.69.160"), where);
  }
  EXPECT_EQ(where.country, "XX");

  // A corrupt file is refused; the last good databases keep serving.
  const uint64_t loads = source.loads();
  testing::WriteFile(city, "corrupt");
  source.RequestReload();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  source.Locate(Ip("81.2.69.160"), where);
  EXPECT_EQ(where.country, "XX");
  EXPECT_EQ(source.loads(), loads);
  source.Stop();
}

}  // namespace
}  // namespace gatehouse::geoip
