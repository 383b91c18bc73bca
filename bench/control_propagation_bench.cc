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
//   bazel run -c opt //bench:control_propagation_bench -- [pushes] [zones] [state-dir] [etcd]
//
// With `state-dir`, the proxy of the scale run persists what it serves (--state-dir, as
// deploy/gatehouse-proxy.service runs it), and the file's size is printed. With `etcd`, the
// control plane runs over a real 3-member etcd cluster on loopback (control --store etcd://…)
// instead of SQLite.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "api/etcd_config_store.h"
#include "api/sqlite_config_store.h"
#include "api/stored_zone.h"
#include "compiler/zone_compiler.h"
#include "compiler/zone_config_json.h"
#include "etcd/test_etcd_cluster.h"
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

// Compiles `zones` zones and stores each into `store`, as a push does, on `threads` threads
// (etcd commits concurrent transactions together; SQLite takes one writer anyway).
bool GenerateStore(api::ConfigStore& store, int zones, int threads) {
  std::atomic<bool> ok{true};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (int i = t; i < zones && ok; i += threads) {
        auto config =
            compiler::ParseZoneConfigJson(MarkerZoneJson(ZoneName(i), "z" + std::to_string(i)));
        if (!config.ok()) return void(ok = false);
        const compiler::ZoneCompileResult compiled = compiler::CompileZone(*config);
        if (!compiled.ok()) return void(ok = false);
        const std::string hash = compiler::ZoneConfigHash(*config);
        auto stored = store.Append(
            api::NewZoneRecord(*config, hash, api::StoredProgram(compiled.program, hash), "bench"),
            std::nullopt);
        if (!stored.ok()) return void(ok = false);
      }
    });
  }
  for (auto& worker : workers) worker.join();
  return ok;
}

int Main(int pushes, int zones, bool state_dir, bool over_etcd) {
  etcd::TestEtcdCluster cluster;
  std::unique_ptr<etcd::Client> etcd_client;
  if (over_etcd) {
    if (auto started = cluster.Start(3); !started.ok()) {
      std::fprintf(stderr, "etcd: %s\n", std::string(started.message()).c_str());
      return 1;
    }
    etcd::ClientOptions options;
    options.endpoints = cluster.endpoints();
    etcd_client = *etcd::Client::Connect(options);
    std::printf("store: etcd, 3 members on loopback\n");
  } else {
    std::printf("store: SQLite\n");
  }
  // The control plane's store flags; etcd: each run under its own prefix.
  auto store_flags = [&](const std::string& prefix) -> std::vector<std::string> {
    if (!over_etcd) return {};
    return {"--store=" + cluster.Url(), "--etcd-prefix=" + prefix};
  };
  {
    ControlPlane control;
    if (!control.Start({"", store_flags("/bench-one/")}).ok()) return 1;
    ProxyProcess proxy;
    if (!proxy.Start(control.address(), "bench").ok()) return 1;
    Propagation("1 zone", control.address(), proxy.port(), "bench.example", pushes);
  }

  const std::string dir = TempPath("bench-control-" + std::to_string(getpid()));
  const auto generate_started = Clock::now();
  std::unique_ptr<api::ConfigStore> store;
  if (over_etcd) {
    auto opened = api::EtcdConfigStore::Open(*etcd_client, "/bench-scale/");
    if (opened.ok()) store = *std::move(opened);
  } else {
    auto opened = api::SqliteConfigStore::Open(dir);
    if (opened.ok()) store = *std::move(opened);
  }
  if (store == nullptr || !GenerateStore(*store, zones, over_etcd ? 16 : 1)) {
    std::fprintf(stderr, "cannot generate the store\n");
    return 1;
  }
  std::printf("%d zones compiled and stored in %.0f ms\n", zones,
              Ms(Clock::now() - generate_started));

  const auto control_started = Clock::now();
  std::vector<std::string> control_args = {"api/control", "--listen=127.0.0.1:0",
                                           "--insecure-no-auth", "--data-dir=" + dir};
  for (const std::string& flag : store_flags("/bench-scale/")) control_args.push_back(flag);
  auto control = Subprocess::Start(control_args);
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
  bool state_dir = false;
  bool over_etcd = false;
  for (int i = 3; i < argc; ++i) {
    state_dir |= std::string(argv[i]) == "state-dir";
    over_etcd |= std::string(argv[i]) == "etcd";
  }
  return gatehouse::testing::Main(pushes, zones, state_dir, over_etcd);
}
