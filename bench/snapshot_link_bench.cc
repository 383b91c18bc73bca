// What a proxy spends turning a snapshot it received into one it can serve: N zones, each with a
// firewall ruleset (5 rules), a redirect and a header transform, compiled by the control plane
// (programs with their prefilter databases), then linked as a proxy links a full snapshot.
// Run: bazel run -c opt //bench:snapshot_link_bench
#include <map>
#include <memory>
#include <string>

#include "absl/strings/str_replace.h"
#include "benchmark/benchmark.h"
#include "compiler/snapshot_assembly.h"
#include "compiler/zone_compiler.h"
#include "runtime/snapshot/linked_snapshot.h"

namespace gatehouse {
namespace {

std::string ZoneJson(int i) {
  return absl::StrReplaceAll(R"json({"zone": "NAME", "hostnames": ["NAME", "*.NAME"],
    "origins": [{"name": "app", "servers": ["127.0.0.1:8080"]}],
    "rulesets": [
      {"phase": "http_request_firewall_custom", "rules": [
        {"id": "admin", "expression": "starts_with(http.request.uri.path, \"/adminN\") and not ip.src in {10.0.0.0/8}", "action": "block"},
        {"id": "bots", "expression": "lower(http.user_agent) contains \"badbotN\"", "action": "block"},
        {"id": "sqli", "expression": "http.request.uri.query matches \"(?i)union.+select\"", "action": "block"},
        {"id": "php", "expression": "ends_with(http.request.uri.path, \".php\") and http.request.method eq \"POST\"", "action": "log"},
        {"id": "debug", "expression": "any(http.request.headers.names[*] eq \"x-debugN\")", "action": "block"}]},
      {"phase": "http_request_dynamic_redirect", "rules": [
        {"id": "old", "expression": "http.request.uri.path eq \"/oldN\"", "action": "redirect",
         "action_parameters": {"from_value": {"target_url": {"expression": "concat(\"https://NAME\", http.request.uri.path)"}}}}]},
      {"phase": "http_response_headers_transform", "rules": [
        {"id": "hsts", "expression": "true", "action": "rewrite",
         "action_parameters": {"headers": {"Strict-Transport-Security": {"operation": "set", "value": "max-age=31536000"}}}}]}]})json",
                             {{"NAME", "zone" + std::to_string(i) + ".test"},
                              {"N", std::to_string(i)}});
}

// The snapshot the control plane would publish for `zones` zones.
const snapshot::v1::Snapshot& SnapshotOf(int zones) {
  static std::map<int, snapshot::v1::Snapshot> built;
  auto& snapshot = built[zones];
  if (snapshot.zones_size() == zones) return snapshot;
  compiler::ZoneSet::Editor set;
  for (int i = 0; i < zones; ++i) {
    compiler::ZoneCompileResult compiled = compiler::CompileZoneJson(ZoneJson(i));
    if (!compiled.ok()) {
      std::fprintf(stderr, "%s", compiled.RenderedDiagnostics().c_str());
      std::abort();
    }
    auto zone = std::make_shared<snapshot::v1::CompiledZone>();
    zone->set_zone(compiled.program.zone());
    zone->set_version(1);
    zone->set_config_hash(compiled.program.config_hash());
    *zone->mutable_program() = std::move(compiled.program);
    std::string name = zone->zone();
    set.Set(std::move(name), std::move(zone));
  }
  snapshot = compiler::AssembleSnapshot(1, std::move(set).Finish(), "bench");
  return snapshot;
}

void BM_LinkSnapshot(benchmark::State& state) {
  const snapshot::v1::Snapshot& snapshot = SnapshotOf(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto linked = runtime::LinkedSnapshot::Link(snapshot, nullptr);
    if (!linked.ok() || (*linked)->zones().size() != static_cast<size_t>(state.range(0))) {
      state.SkipWithError("a zone did not link");
      return;
    }
    benchmark::DoNotOptimize(linked);
  }
  state.counters["zones"] = static_cast<double>(state.range(0));
}
BENCHMARK(BM_LinkSnapshot)->Arg(100)->Arg(10000)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
}  // namespace gatehouse
