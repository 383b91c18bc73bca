// Account-level lists with the real binaries on loopback (ports picked at run time): a list of
// 100,000 IPv4 addresses named by two zones, a proxy serving both. Measures, over N changes of
// the list (the test's own address added, then removed), the time from the EditListItems
// acknowledgement to the proxy answering accordingly on both zones (p50, max), and the proxy's
// resident memory before the list exists and once it serves it.
//
//   bazel run -c opt //bench:list_propagation_bench -- [changes=20]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_replace.h"
#include "tests/support/control_plane.h"
#include "tests/support/http_client.h"
#include "tests/support/scripted_origin.h"

namespace gatehouse::testing {
namespace {

namespace v1 = api::v1;
using Clock = std::chrono::steady_clock;

constexpr char kAdmin[] = "list-bench-admin";

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

long RssKb(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

std::string ZoneJson(const std::string& zone, uint16_t origin, const std::string& expression) {
  return absl::StrReplaceAll(R"({"zone": "Z", "hostnames": ["Z"],
    "origins": [{"name": "app", "servers": ["127.0.0.1:P"]}],
    "rulesets": [{"phase": "http_request_firewall_custom", "rules": [
      {"id": "deny", "expression": "E", "action": "block",
       "action_parameters": {"response": {"status_code": 403, "content_type": "text/plain",
                                          "content": "blocked"}}}]}]})",
                             {{"Z", zone}, {"P", std::to_string(origin)}, {"E", expression}});
}

// Polls until GET / on `host` answers `want` ("blocked" or "origin"); false after 10 s.
bool WaitFor(uint16_t port, const std::string& host, const std::string& want) {
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (Clock::now() < deadline) {
    auto result = HttpGet(port, host, "/");
    if (result.ok() && result->body == want) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return false;
}

int Run(int changes) {
  ScriptedOrigin origin([](const ScriptedOrigin::Request&) {
    return ScriptedOrigin::Reply{"HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\norigin"};
  });
  ControlPlane control;
  if (!control.Start({kAdmin, {}}).ok()) {
    std::fprintf(stderr, "list_propagation_bench: failed at line %d\n", __LINE__);
    return 1;
  }
  auto config = control.ConfigStub();
  auto lists = control.ListStub();
  for (const char* zone : {"a.example", "b.example"}) {
    v1::PutZoneConfigRequest put;
    put.set_config_json(ZoneJson(zone, origin.port(), "ip.src eq 192.0.2.1"));
    v1::PutZoneConfigResponse done;
    if (!config->PutZoneConfig(ControlPlane::Context(kAdmin).get(), put, &done).ok()) {
    std::fprintf(stderr, "list_propagation_bench: failed at line %d\n", __LINE__);
    return 1;
  }
  }
  ProxyProcess proxy;
  if (!proxy.Start(control.address(), "bench-edge", kAdmin).ok()) {
    std::fprintf(stderr, "list_propagation_bench: failed at line %d\n", __LINE__);
    return 1;
  }
  if (!WaitFor(proxy.port(), "b.example", "origin")) {
    std::fprintf(stderr, "list_propagation_bench: failed at line %d\n", __LINE__);
    return 1;
  }
  const long rss_before = RssKb(proxy.pid());

  v1::CreateListRequest create;
  create.set_name("blocked");
  create.set_kind("ip");
  create.add_zones("a.example");
  create.add_zones("b.example");
  // One under the limit of 100,000 items: the changes below add an address and take it out.
  for (int i = 0; i < 99999; ++i) {
    create.add_items("10." + std::to_string((i >> 16) & 255) + "." +
                     std::to_string((i >> 8) & 255) + "." + std::to_string(i & 255));
  }
  v1::ListChangeResponse created;
  const auto create_started = Clock::now();
  grpc::Status status = lists->CreateList(ControlPlane::Context(kAdmin).get(), create, &created);
  if (!status.ok()) {
    std::fprintf(stderr, "create: %s\n", status.error_message().c_str());
    std::fprintf(stderr, "list_propagation_bench: failed at line %d\n", __LINE__);
    return 1;
  }
  const double create_ms = Ms(Clock::now() - create_started);
  for (const char* zone : {"a.example", "b.example"}) {
    v1::PutZoneConfigRequest put;
    put.set_config_json(ZoneJson(zone, origin.port(), "ip.src in $blocked"));
    v1::PutZoneConfigResponse done;
    if (!config->PutZoneConfig(ControlPlane::Context(kAdmin).get(), put, &done).ok()) {
    std::fprintf(stderr, "list_propagation_bench: failed at line %d\n", __LINE__);
    return 1;
  }
  }
  if (!WaitFor(proxy.port(), "b.example", "origin")) {
    std::fprintf(stderr, "list_propagation_bench: failed at line %d\n", __LINE__);
    return 1;
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const long rss_with_list = RssKb(proxy.pid());

  std::vector<double> served_ms;
  for (int i = 0; i < changes; ++i) {
    const bool add = i % 2 == 0;
    v1::EditListItemsRequest edit;
    edit.set_name("blocked");
    (add ? edit.add_add() : edit.add_remove())->assign("127.0.0.1");
    v1::ListChangeResponse changed;
    status = lists->EditListItems(ControlPlane::Context(kAdmin).get(), edit, &changed);
    if (!status.ok()) {
      std::fprintf(stderr, "edit: %s\n", status.error_message().c_str());
    std::fprintf(stderr, "list_propagation_bench: failed at line %d\n", __LINE__);
    return 1;
  }
    const auto acknowledged = Clock::now();
    const std::string want = add ? "blocked" : "origin";
    if (!WaitFor(proxy.port(), "a.example", want) || !WaitFor(proxy.port(), "b.example", want)) {
      std::fprintf(stderr, "change %d not served within 10 s\n", i);
      std::fprintf(stderr, "list_propagation_bench: failed at line %d\n", __LINE__);
    return 1;
    }
    served_ms.push_back(Ms(Clock::now() - acknowledged));
  }
  std::sort(served_ms.begin(), served_ms.end());
  std::printf("list of 99,999-100,000 IPv4 addresses, 2 zones naming it, %d changes\n", changes);
  std::printf("create (store + compile + publish, acknowledged): %.1f ms\n", create_ms);
  std::printf("update acknowledged -> both zones served: p50 %.1f ms, max %.1f ms\n",
              served_ms[served_ms.size() / 2], served_ms.back());
  std::printf("proxy RSS: %ld MiB without the list, %ld MiB serving it (+%ld MiB)\n",
              rss_before / 1024, rss_with_list / 1024, (rss_with_list - rss_before) / 1024);
  return 0;
}

}  // namespace
}  // namespace gatehouse::testing

int main(int argc, char** argv) {
  return gatehouse::testing::Run(argc > 1 ? std::atoi(argv[1]) : 20);
}
