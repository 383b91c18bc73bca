// Heavy configs and the control plane (issue 12, item 8), with the real binary on loopback:
//
//  1. The cost of one push of a zone of R regex rules (compiled on the control plane).
//  2. Tenant A fires K such pushes at once; D ms later (once they are queued) tenant B pushes a
//     one-rule zone. B's latency should be at most one of A's compiles (one running), not K.
//
//   bazel run -c opt //bench:compile_fairness_bench -- [rules=9000] [pushes=4] [threads=1]
//       [delay_ms=1000]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/control_plane.h"

namespace gatehouse::testing {
namespace {

namespace v1 = api::v1;
using Clock = std::chrono::steady_clock;

constexpr char kAdmin[] = "bench-admin";

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// A zone of `rules` regex rules; `variant` makes each push's content different.
std::string HeavyZone(const std::string& zone, int rules, int variant) {
  std::string json = R"({"zone": ")" + zone + R"(", "hostnames": [")" + zone +
                     R"("], "origins": [{"name": "app", "servers": ["127.0.0.1:9"]}],
    "rulesets": [{"phase": "http_request_firewall_custom", "rules": [)";
  for (int i = 0; i < rules; ++i) {
    if (i > 0) json += ",";
    json += R"({"id": "r)" + std::to_string(i) +
            R"(", "expression": "http.request.uri.path matches \"^/api/v)" + std::to_string(i) +
            "/[a-z]+/" + std::to_string(variant) +
            R"(/delete$\"", "action": "block"})";
  }
  return json + "]}]}";
}

std::string Token(ControlPlane& control, const std::string& zone) {
  v1::CreateTokenRequest request;
  request.set_permission(v1::PERMISSION_EDIT);
  request.add_zones(zone);
  v1::CreateTokenResponse response;
  auto context = ControlPlane::Context(kAdmin);
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  if (!control.TokenStub()->CreateToken(context.get(), request, &response).ok()) std::abort();
  return response.token();
}

// One push with a deadline generous enough for the heaviest compile; returns its latency.
double Push(ControlPlane& control, const std::string& token, const std::string& json) {
  v1::PutZoneConfigRequest request;
  request.set_config_json(json);
  v1::PutZoneConfigResponse response;
  auto context = ControlPlane::Context(token);
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(10));
  const auto started = Clock::now();
  const grpc::Status status =
      control.ConfigStub()->PutZoneConfig(context.get(), request, &response);
  if (!status.ok()) std::fprintf(stderr, "push failed: %s\n", status.error_message().c_str());
  return Seconds(Clock::now() - started);
}

int Main(int argc, char** argv) {
  const int rules = argc > 1 ? std::atoi(argv[1]) : 9000;
  const int pushes = argc > 2 ? std::atoi(argv[2]) : 4;
  const int threads = argc > 3 ? std::atoi(argv[3]) : 1;
  const int delay_ms = argc > 4 ? std::atoi(argv[4]) : 1000;
  ControlPlane control;
  if (!control
           .Start({kAdmin,
                   {"--max-config-bytes=16777216", "--compile-threads=" + std::to_string(threads)}})
           .ok()) {
    std::fprintf(stderr, "control did not start\n");
    return 1;
  }
  const std::string a = Token(control, "heavy.test");
  const std::string b = Token(control, "small.test");
  std::printf("zone of %d regex rules, %d concurrent pushes, --compile-threads=%d, B after %d ms\n",
              rules, pushes, threads, delay_ms);

  const double single = Push(control, a, HeavyZone("heavy.test", rules, 0));
  std::printf("one push alone: %.2f s\n", single);
  std::printf("small push alone: %.3f s\n", Push(control, b, HeavyZone("small.test", 1, 0)));

  std::vector<std::thread> heavy;
  std::vector<double> heavy_seconds(pushes);
  const auto burst_started = Clock::now();
  for (int i = 0; i < pushes; ++i) {
    heavy.emplace_back([&, i] {
      heavy_seconds[i] = Push(control, a, HeavyZone("heavy.test", rules, i + 1));
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
  const double small = Push(control, b, HeavyZone("small.test", 1, 1));
  for (std::thread& thread : heavy) thread.join();
  const double burst = Seconds(Clock::now() - burst_started);
  double slowest = 0;
  for (double s : heavy_seconds) slowest = std::max(slowest, s);
  std::printf("tenant B's small push during A's burst: %.2f s (%.2f compiles of A's zone)\n", small,
              small / single);
  std::printf("tenant A's %d pushes: all done in %.2f s, slowest %.2f s\n", pushes, burst, slowest);
  return 0;
}

}  // namespace
}  // namespace gatehouse::testing

int main(int argc, char** argv) { return gatehouse::testing::Main(argc, argv); }
