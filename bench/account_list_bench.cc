// Account-level lists on the proxy (issue 19), with a list of 100,000 IPv4 addresses:
//
//  - BM_MembershipPerRequest: `ip.src in $blocked` per request (the optimised plan; a tenth of
//    the requests' addresses are in the list).
//  - BM_CompileList: compiling the list from the snapshot's form, which a proxy does once per
//    list version.
//  - BM_ApplyListChange: a delta carrying only the changed list applied to a snapshot of Z
//    zones of which 2 name it (the list compiled, the 2 zones relinked, the rest shared): the
//    proxy's part of update-to-served.
//  - the heap the linked list holds, and the list's size as the snapshot carries it (counters).
//
//   bazel run -c opt //bench:account_list_bench
#include <malloc.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "api/account_list.h"
#include "benchmark/benchmark.h"
#include "compiler/rules/expression_compiler.h"
#include "compiler/zone_compiler.h"
#include "compiler/zone_config_json.h"
#include "rules/evaluation.h"
#include "rules/ir_linker.h"
#include "rules/scratch.h"
#include "rules/test_request.h"
#include "runtime/snapshot/linked_snapshot.h"

// Live heap bytes of this process, so a counter can say what one linked list holds.
namespace {
std::atomic<int64_t> live_bytes{0};
}  // namespace

void* operator new(size_t size) {
  void* p = std::malloc(size == 0 ? 1 : size);
  if (p == nullptr) throw std::bad_alloc();
  live_bytes.fetch_add(static_cast<int64_t>(malloc_usable_size(p)), std::memory_order_relaxed);
  return p;
}
void operator delete(void* p) noexcept {
  if (p == nullptr) return;
  live_bytes.fetch_sub(static_cast<int64_t>(malloc_usable_size(p)), std::memory_order_relaxed);
  std::free(p);
}
void operator delete(void* p, size_t) noexcept { operator delete(p); }

namespace gatehouse {
namespace {

constexpr int kItems = 100000;

// 10.x.y.z, spread over 10.0.0.0/8; every tenth listed address is what a request comes from.
std::string Address(int i) {
  return "10." + std::to_string((i >> 16) & 255) + "." + std::to_string((i >> 8) & 255) + "." +
         std::to_string(i & 255);
}

api::ListRecord BlockedList(uint64_t version, int extra = 0) {
  api::ListRecord record;
  record.name = "blocked";
  record.kind = "ip";
  record.version = version;
  for (int i = 0; i < kItems; ++i) record.items.push_back(Address(i * 97 + extra));
  record.content_hash = api::AccountListHash(record.kind, record.items);
  return record;
}

void BM_MembershipPerRequest(benchmark::State& state) {
  const api::ListRecord record = BlockedList(1);
  auto compiled = api::CompileAccountList(api::EncodeListItems(record), rules::Limits());
  auto table = std::make_shared<rules::ListTable>();
  table->emplace("blocked", *compiled);
  auto compiler = rules::ExpressionCompiler::Create({}, rules::Limits(), nullptr, table);
  const rules::PhaseRule rule =
      compiler->CompileRule("ip.src in $blocked", "http_request_firewall_custom", nullptr);
  std::vector<rules::TestRequest> requests(64);
  for (size_t i = 0; i < requests.size(); ++i) {
    requests[i].host = "a.example";
    requests[i].target = "/";
    // Every tenth is listed; the others are near listed ones, not in the list.
    requests[i].client_ip = i % 10 == 0 ? Address(static_cast<int>(i) * 97 * 101)
                                        : Address(static_cast<int>(i) * 97 * 101 + 1);
  }
  rules::Scratch scratch;
  size_t i = 0;
  int64_t matched = 0;
  for (auto _ : state) {
    rules::EvaluationLease lease =
        scratch.AcquireEvaluation(requests[i++ % requests.size()].data());
    matched += rule.filter->Matches(*lease) ? 1 : 0;
  }
  state.counters["matched_fraction"] =
      static_cast<double>(matched) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_MembershipPerRequest);

void BM_CompileList(benchmark::State& state) {
  const rules::ir::v1::NamedList list = api::EncodeListItems(BlockedList(1));
  for (auto _ : state) {
    auto compiled = rules::CompileListIr(list, rules::Limits());
    benchmark::DoNotOptimize(compiled);
  }
  // What the compiled list holds on the heap, and the list as the snapshot carries it (the
  // proxy keeps that too with --state-dir, to write its served snapshot).
  const int64_t before = live_bytes.load();
  auto kept = rules::CompileListIr(list, rules::Limits());
  state.counters["compiled_heap_bytes"] = static_cast<double>(live_bytes.load() - before);
  state.counters["snapshot_bytes"] = static_cast<double>(list.ByteSizeLong());
  benchmark::DoNotOptimize(kept);
}
BENCHMARK(BM_CompileList)->Unit(benchmark::kMillisecond);

// A zone blocking `expression`, compiled with the account lists it may name.
snapshot::v1::CompiledZone Zone(const std::string& name, const std::string& expression,
                                const std::shared_ptr<const rules::ListTable>& lists) {
  const std::string json = R"({"zone": ")" + name + R"(", "hostnames": [")" + name +
                           R"("], "origins": [{"name": "app", "servers": ["127.0.0.1:9"]}],
      "rulesets": [{"phase": "http_request_firewall_custom", "rules": [
        {"id": "r", "expression": ")" +
                           expression + R"(", "action": "block"}]}]})";
  compiler::ZoneCompileOptions options;
  options.account_lists = lists;
  auto config = compiler::ParseZoneConfigJson(json);
  compiler::ZoneCompileResult compiled = compiler::CompileZone(*config, options);
  if (!compiled.ok()) std::abort();
  snapshot::v1::CompiledZone zone;
  zone.set_zone(name);
  zone.set_version(1);
  zone.set_config_hash(compiled.program.config_hash());
  *zone.mutable_program() = std::move(compiled.program);
  return zone;
}

void BM_ApplyListChange(benchmark::State& state) {
  const int zones = static_cast<int>(state.range(0));
  api::ListRecord record = BlockedList(1);
  auto compiled = api::CompileAccountList(api::EncodeListItems(record), rules::Limits());
  auto table = std::make_shared<rules::ListTable>();
  table->emplace("blocked", *compiled);
  snapshot::v1::Snapshot full;
  full.set_format(snapshot::v1::FORMAT_VERSION_1);
  full.set_version(1);
  *full.add_account_lists() = api::PublishedList(record);
  for (int i = 0; i < zones; ++i) {
    const std::string name = "zone" + std::to_string(i) + ".example";
    *full.add_zones() = Zone(name, i < 2 ? "ip.src in $blocked" : "ip.src eq 192.0.2.1", table);
  }
  auto base = runtime::LinkedSnapshot::Link(full, nullptr);
  if (!base.ok()) std::abort();
  // Two versions of the list, applied in turn, so each delta is a change.
  google::protobuf::RepeatedPtrField<snapshot::v1::AccountList> changes[2];
  *changes[0].Add() = api::PublishedList(BlockedList(2, 1));
  *changes[1].Add() = api::PublishedList(BlockedList(3));
  std::shared_ptr<const runtime::LinkedSnapshot> current = *base;
  uint64_t version = 1;
  size_t relinked = 0;
  for (auto _ : state) {
    std::vector<runtime::ZoneOutcome> outcomes;
    ++version;
    current = runtime::LinkedSnapshot::LinkDelta(version, "", current.get(), {}, {}, &outcomes,
                                                 changes[version % 2], {});
    relinked = outcomes.size();
  }
  state.counters["zones_relinked"] = static_cast<double>(relinked);
}
BENCHMARK(BM_ApplyListChange)->Arg(2)->Arg(1000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace gatehouse
