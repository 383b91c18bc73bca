// Control plane benchmarks with the real binaries on loopback (ports picked at run time):
//
//  1. Propagation: the time from a PutZoneConfig acknowledgement to the proxy serving the new
//     version (seen by polling the proxy for the version's marker), over N pushes: p50, p99, max.
//  2. Scale: a store of Z generated zones, each compiled and stored as the control plane stores a
//     push (its config and compiled program, api/stored_zone.h), then the control plane's
//     start-up time (spawn to ready line: it reads the programs, it compiles nothing), the
//     proxy's time to serve every zone and its resident memory, and propagation again at that
//     size.
//
//   bazel run -c opt //bench:control_propagation_bench -- [pushes] [zones] [state-dir]
//
// With a third argument `state-dir`, the proxy of the scale run persists what it serves
// (--state-dir, as deploy/gatehouse-proxy.service runs it), and the file's size is printed.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "api/sqlite_config_store.h"
#include "api/stored_zone.h"
#include "compiler/zone_compiler.h"
#include "compiler/zone_config_json.h"
#include "tests/support/control_plane.h"
#include "tests/support/http_client.h"

namespace gatehouse::testing {
namespace {

namespace v1 = api::v1;
using Clock = std::chrono::steady_clock;

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

long RssKb(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

std::string ZoneName(int i) { return "zone" + std::to_string(i) + ".example"; }

// Pushes `pushes` new versions of `zone` and times acknowledgement → served.
void Propagation(const std::string& label, const std::string& address, uint16_t proxy_port,
                 const std::string& zone, int pushes) {
  auto stub = v1::ConfigService::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  std::vector<double> samples;
  for (int i = 0; i < pushes; ++i) {
    const std::string marker = label + "-" + std::to_string(i);
    v1::PutZoneConfigRequest request;
    request.set_config_json(MarkerZoneJson(zone, marker));
    v1::PutZoneConfigResponse response;
    const grpc::Status status =
        stub->PutZoneConfig(ControlPlane::Context("").get(), request, &response);
    const auto acked = Clock::now();
    if (!status.ok()) {
      std::fprintf(stderr, "push failed: %s\n", status.error_message().c_str());
      return;
    }
    // Poll every 100 µs: fine enough for the measurement, without starving the proxy and the
    // control plane of CPU on a small machine.
    while (true) {
      auto result = HttpGet(proxy_port, zone, "/marker");
      if (result.ok() && result->body == marker) break;
      std::this_thread::sleep_for(std::chrono::microseconds(100));
      if (Clock::now() - acked > std::chrono::seconds(10)) {
        std::fprintf(stderr, "version %d never served\n", i);
        return;
      }
    }
    samples.push_back(Ms(Clock::now() - acked));
  }
  std::sort(samples.begin(), samples.end());
  auto pct = [&](double p) {
    return samples[std::min(samples.size() - 1, static_cast<size_t>(p * samples.size()))];
  };
  std::printf("%s: %zu pushes, ack -> served: p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
              label.c_str(), samples.size(), pct(0.50), pct(0.99), samples.back());
}

// Compiles `zones` zones and stores each into a fresh store under `dir`, as a push does.
bool GenerateStore(const std::string& dir, int zones) {
  auto store = api::SqliteConfigStore::Open(dir);
  if (!store.ok()) return false;
  for (int i = 0; i < zones; ++i) {
    auto config = compiler::ParseZoneConfigJson(MarkerZoneJson(ZoneName(i), "z" + std::to_string(i)));
    if (!config.ok()) return false;
    const compiler::ZoneCompileResult compiled = compiler::CompileZone(*config);
    if (!compiled.ok()) return false;
    const std::string hash = compiler::ZoneConfigHash(*config);
    auto stored = (*store)->Append(
        api::NewZoneRecord(*config, hash, api::StoredProgram(compiled.program, hash), "bench"),
        std::nullopt);
    if (!stored.ok()) return false;
  }
  return true;
}

int Main(int pushes, int zones, bool state_dir) {
  {
    ControlPlane control;
    if (!control.Start({}).ok()) return 1;
    ProxyProcess proxy;
    if (!proxy.Start(control.address(), "bench").ok()) return 1;
    Propagation("1 zone", control.address(), proxy.port(), "bench.example", pushes);
  }

  const std::string dir = TempPath("bench-control-" + std::to_string(getpid()));
  const auto generate_started = Clock::now();
  if (!GenerateStore(dir, zones)) {
    std::fprintf(stderr, "cannot generate the store in %s\n", dir.c_str());
    return 1;
  }
  std::printf("%d zones compiled and stored in %.0f ms\n", zones,
              Ms(Clock::now() - generate_started));

  const auto control_started = Clock::now();
  auto control = Subprocess::Start(
      {"api/control", "--listen=127.0.0.1:0", "--insecure-no-auth", "--data-dir=" + dir});
  if (!control.ok()) return 1;
  auto control_ready = (*control)->WaitReady(std::chrono::minutes(5));
  if (!control_ready.ok()) return 1;
  const std::string address = control_ready->at("grpc");
  std::printf("control start-up with %d zones: %.0f ms (spawn to ready), RSS %ld MB\n", zones,
              Ms(Clock::now() - control_started), RssKb((*control)->pid()) / 1024);

  const auto proxy_started = Clock::now();
  std::vector<std::string> proxy_args = {"runtime/proxy", "--listen=127.0.0.1:0", "--admin=",
                                         "--control=" + address, "--workers=2",
                                         "--node-id=bench"};
  const std::string proxy_state = TempPath("bench-proxy-state-" + std::to_string(getpid()));
  if (state_dir) proxy_args.push_back("--state-dir=" + proxy_state);
  auto proxy = Subprocess::Start(proxy_args);
  if (!proxy.ok()) return 1;
  auto proxy_ready = (*proxy)->WaitReady(std::chrono::minutes(5));
  if (!proxy_ready.ok()) return 1;
  const std::string http = proxy_ready->at("http");
  const uint16_t port = static_cast<uint16_t>(std::stoi(http.substr(http.rfind(':') + 1)));
  const std::string last = ZoneName(zones - 1);
  const std::string marker = "z" + std::to_string(zones - 1);
  if (WaitForMarker(port, last, marker, 300000) != marker) {
    std::fprintf(stderr, "the proxy never served %s\n", last.c_str());
    return 1;
  }
  std::printf("proxy serving all %d zones %.0f ms after spawn; proxy RSS %ld MB\n", zones,
              Ms(Clock::now() - proxy_started), RssKb((*proxy)->pid()) / 1024);
  Propagation(std::to_string(zones) + " zones", address, port, ZoneName(zones / 2), pushes);
  std::printf("after the pushes: proxy RSS %ld MB, control RSS %ld MB\n",
              RssKb((*proxy)->pid()) / 1024, RssKb((*control)->pid()) / 1024);
  if (state_dir) {
    std::ifstream persisted(proxy_state + "/last_good.snapshot", std::ios::binary | std::ios::ate);
    std::printf("the proxy's persisted snapshot: %.1f MB\n",
                persisted ? static_cast<double>(persisted.tellg()) / 1e6 : -1.0);
  }
  return 0;
}

}  // namespace
}  // namespace gatehouse::testing

int main(int argc, char** argv) {
  // Every file the run writes goes under one fresh directory.
  if (std::getenv("TEST_TMPDIR") == nullptr) {
    char dir[] = "/tmp/gatehouse-bench-XXXXXX";
    if (mkdtemp(dir) != nullptr) setenv("TEST_TMPDIR", dir, 1);
  }
  const int pushes = argc > 1 ? std::atoi(argv[1]) : 200;
  const int zones = argc > 2 ? std::atoi(argv[2]) : 10000;
  const bool state_dir = argc > 3 && std::string(argv[3]) == "state-dir";
  return gatehouse::testing::Main(pushes, zones, state_dir);
}
