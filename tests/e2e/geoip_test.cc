// Geolocation with the real proxy on loopback: --geoip-db names a MaxMind DB file (written at
// test time), a client whose address the trusted X-Forwarded-For path sets is blocked by
// `ip.src.country eq "XX"`, a rewrite of the file is picked up without a restart, and a proxy
// without a database reads the geolocation fields empty. Also the edge fields of issue 19.
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "tests/support/geoip_test_db.h"
#include "tests/support/http_client.h"
#include "tests/support/proxy_process.h"
#include "tests/support/scripted_origin.h"

namespace gatehouse::testing {
namespace {

constexpr char kGreatBritain[] = R"([
  {"network": "81.2.69.0/24", "data": {"country": {"iso_code": "GB"}}},
  {"network": "192.0.2.0/24", "data": {"country": {"iso_code": "XX"}}}
])";
constexpr char kEverywhereXX[] = R"([
  {"network": "81.2.69.0/24", "data": {"country": {"iso_code": "XX"}}},
  {"network": "192.0.2.0/24", "data": {"country": {"iso_code": "XX"}}}
])";

std::string ZoneJson(uint16_t origin_port) {
  return absl::StrReplaceAll(R"json({
  "zone": "example.com", "hostnames": ["example.com"],
  "origins": [{"name": "app", "servers": ["127.0.0.1:PORT"]}],
  "rulesets": [{"phase": "http_request_firewall_custom", "rules": [
    {"id": "geo", "expression": "ip.src.country eq \"XX\"",
     "action": "block", "action_parameters": {"response": {
       "status_code": 403, "content_type": "text/plain", "content": "blocked ::CLIENT_IP::"}}},
    {"id": "edge", "expression": "http.request.uri.path eq \"/edge\" and cf.ray_id ne \"\" and cf.edge.server_ip eq 127.0.0.1 and http.request.timestamp.msec lt 1000 and len(cf.random_seed) eq 16 and http.request.accepted_languages[0] eq \"da\"",
     "action": "block", "action_parameters": {"response": {
       "status_code": 452, "content_type": "text/plain", "content": "edge"}}}]}]
})json",
                             {{"PORT", std::to_string(origin_port)}});
}

class GeoIpTest : public ::testing::Test {
 protected:
  GeoIpTest()
      : origin_([](const ScriptedOrigin::Request&) {
          return ScriptedOrigin::Reply{"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", false,
                                       false};
        }) {}

  ProxyProcess Start(std::vector<std::string> flags) {
    flags.push_back("--trusted-proxies=127.0.0.1/32");
    flags.push_back("--workers=2");
    auto proxy = StartProxyServing({ZoneJson(origin_.port())}, std::move(flags));
    EXPECT_TRUE(proxy.ok()) << proxy.status();
    return proxy.ok() ? *std::move(proxy) : ProxyProcess{};
  }

  // The status for a request that the trusted proxy in front says comes from `client`.
  static int StatusFor(const ProxyProcess& proxy, const std::string& client,
                       const std::string& target = "/") {
    HttpCall call;
    call.host = "example.com";
    call.target = target;
    call.headers = {{"X-Forwarded-For", client}, {"Accept-Language", "en;q=0.5, da"}};
    auto result = HttpRequestOnce(proxy.port, call);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? result->status : -1;
  }

  ScriptedOrigin origin_;
};

TEST_F(GeoIpTest, BlocksByCountryAndPicksUpANewDatabase) {
  const std::string db = UniqueTestPath("city") + ".mmdb";
  ASSERT_TRUE(WriteGeoIpDatabase(db, "GeoIP2-City", kGreatBritain).ok());
  ProxyProcess proxy = Start({"--geoip-db=" + db, "--snapshot-poll-ms=100"});
  ASSERT_NE(proxy.port, 0);

  EXPECT_EQ(StatusFor(proxy, "81.2.69.160"), 200);  // GB
  EXPECT_EQ(StatusFor(proxy, "192.0.2.9"), 403);    // XX
  EXPECT_EQ(StatusFor(proxy, "10.9.9.9"), 200);     // not in the database: empty country
  EXPECT_EQ(StatusFor(proxy, "81.2.69.160", "/edge"), 452);

  // The file is replaced: within the poll interval the proxy serves the new one.
  ASSERT_TRUE(WriteGeoIpDatabase(db, "GeoIP2-City", kEverywhereXX).ok());
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while ((status = StatusFor(proxy, "81.2.69.160")) != 403 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(status, 403);

  // A corrupt file is refused; the last good database keeps serving.
  WriteFile(db + ".bad", "not a database");
  ASSERT_EQ(std::rename((db + ".bad").c_str(), db.c_str()), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  EXPECT_EQ(StatusFor(proxy, "81.2.69.160"), 403);
  EXPECT_EQ(StatusFor(proxy, "192.0.2.9"), 403);
}

TEST_F(GeoIpTest, WithoutADatabaseTheFieldsAreEmpty) {
  ProxyProcess proxy = Start({});
  ASSERT_NE(proxy.port, 0);
  EXPECT_EQ(StatusFor(proxy, "192.0.2.9"), 200);
  EXPECT_EQ(StatusFor(proxy, "81.2.69.160", "/edge"), 452);
}

TEST_F(GeoIpTest, AnUnreadableDatabaseStopsTheStart) {
  auto proxy =
      StartProxyServing({ZoneJson(origin_.port())}, {"--geoip-db=" + UniqueTestPath("no")});
  ASSERT_FALSE(proxy.ok());
  EXPECT_EQ(proxy.status().message().find("gatectl compile"), std::string::npos) << proxy.status();
}

}  // namespace
}  // namespace gatehouse::testing
