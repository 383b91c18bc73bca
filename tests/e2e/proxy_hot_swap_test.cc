// Hot swap under load: clients keep requesting on keep-alive connections while the zone's config
// is pushed 100 times. No request fails; every response names a version that was published; on
// one connection versions never go backwards; old snapshots are freed afterwards.
#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "tests/support/edge_cluster.h"

namespace gatehouse::testing {
namespace {

constexpr int kPushes = 100;
constexpr int kClients = 4;

std::string ZoneJson(uint16_t port, int generation) {
  return absl::StrReplaceAll(R"json({
  "zone": "example.com",
  "hostnames": ["example.com"],
  "origins": [{"name": "app", "servers": ["127.0.0.1:PORT"]}],
  "rulesets": [{"phase": "http_request_firewall_custom", "rules": [
    {"id": "gen", "expression": "http.request.uri.path eq \"/blocked/GEN\"", "action": "block"}]}]
})json",
                             {{"PORT", std::to_string(port)}, {"GEN", std::to_string(generation)}});
}

// "zone example.com: version 7" -> 7.
// The snapshot version `gatectl push` reports ("…, snapshot N (hash)").
uint64_t PushedVersion(const std::string& out) {
  const size_t at = out.find("snapshot ");
  uint64_t version = 0;
  if (at == std::string::npos) return 0;
  size_t end = at + 9;
  while (end < out.size() && std::isdigit(static_cast<unsigned char>(out[end]))) ++end;
  (void)absl::SimpleAtoi(out.substr(at + 9, end - at - 9), &version);
  return version;
}

double MetricValue(const std::string& text, const std::string& name) {
  const size_t at = text.find("\n" + name + " ");
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + name.size() + 2));
}

TEST(ProxyHotSwapTest, HundredPushesUnderLoadFailNothingAndNeverGoBack) {
  EdgeCluster cluster;
  ASSERT_TRUE(cluster.Start({1, 2, {}}).ok());
  const uint16_t port = cluster.origin_port(0);
  std::set<uint64_t> published;
  const auto first = cluster.Push(ZoneJson(port, 0));
  ASSERT_EQ(first.exit_code, 0) << first.err;
  published.insert(PushedVersion(first.out));
  ASSERT_TRUE(cluster.GetUntil("example.com", "/", [](const HttpResult& r) {
    return r.status == 200;
  }).ok());

  std::atomic<bool> done{false};
  std::atomic<int> failures{0};
  std::atomic<int> backwards{0};
  std::atomic<int> requests{0};
  std::vector<std::vector<uint64_t>> seen(kClients);
  std::vector<std::string> errors(kClients);
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      auto client = KeepAliveClient::Connect(cluster.proxy_port());
      if (!client.ok()) {
        errors[c] = std::string(client.status().message());
        ++failures;
        return;
      }
      uint64_t last = 0;
      // Bounded: stops when the pushes are done, or after a generous number of requests.
      for (int i = 0; i < 200000 && !done.load(); ++i) {
        auto result = (*client)->Send({"GET", "/item/" + std::to_string(i), "example.com", {}, ""});
        ++requests;
        if (!result.ok() || result->status != 200) {
          errors[c] = result.ok() ? "status " + std::to_string(result->status)
                                  : std::string(result.status().message());
          ++failures;
          return;
        }
        uint64_t version = 0;
        if (!absl::SimpleAtoi(result->headers["gatehouse-zone-version"], &version)) {
          errors[c] = "no version header";
          ++failures;
          return;
        }
        if (version < last) ++backwards;
        last = version;
        if (seen[c].empty() || seen[c].back() != version) seen[c].push_back(version);
      }
    });
  }
  for (int i = 1; i <= kPushes; ++i) {
    const auto pushed = cluster.Push(ZoneJson(port, i));
    ASSERT_EQ(pushed.exit_code, 0) << pushed.err;
    published.insert(PushedVersion(pushed.out));
  }
  // Let the last version reach the clients before stopping them.
  ASSERT_TRUE(cluster.GetUntil("example.com", "/blocked/" + std::to_string(kPushes),
                               [](const HttpResult& r) { return r.status == 403; })
                  .ok());
  done = true;
  for (auto& client : clients) client.join();

  EXPECT_EQ(failures.load(), 0) << errors[0] << " " << errors[1] << " " << errors[2] << " "
                                << errors[3];
  EXPECT_EQ(backwards.load(), 0);
  EXPECT_GT(requests.load(), kClients);
  size_t distinct = 0;
  for (const auto& versions : seen) {
    distinct = std::max(distinct, versions.size());
    for (uint64_t version : versions) {
      EXPECT_EQ(published.count(version), 1u) << "unpublished version " << version;
    }
  }
  EXPECT_GT(distinct, 1u);  // the load really ran across swaps

  // With no request in flight, only the served snapshot remains.
  double live = -1;
  for (int i = 0; i < 100; ++i) {
    auto metrics = HttpGet(cluster.admin_port(), "admin", "/metrics");
    ASSERT_TRUE(metrics.ok());
    live = MetricValue(metrics->body, "gatehouse_live_snapshots");
    if (live == 1) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(live, 1);
}

}  // namespace
}  // namespace gatehouse::testing
