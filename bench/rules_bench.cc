// Rules-language benchmarks: compile time of a phase, building rules from text (control plane)
// vs linking them from IR (proxy), and per-request evaluation of a phase prefiltered by
// Hyperscan vs rule by rule (optimised plan, reference interpreter).
// Run: bazel run -c opt //bench:rules_bench
#include <atomic>
#include <cstdlib>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "compiler/rules/expression_compiler.h"
#include "rules/evaluation.h"
#include "rules/scratch.h"
#include "rules/ir_linker.h"
#include "rules/ir_writer.h"
#include "rules/phase_matcher.h"
#include "rules/test_request.h"

// Heap allocations made by this process, so the benchmark can report how many one request costs.
namespace {
std::atomic<uint64_t> heap_allocations{0};
}  // namespace

void* operator new(size_t size) {
  heap_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }

namespace gatehouse::rules {
namespace {

constexpr std::string_view kPhase = "http_request_firewall_custom";

struct Phase {
  std::vector<PhaseRule> rules;
  std::vector<std::shared_ptr<const Filter>> reference;
  std::shared_ptr<const PhaseMatcher> matcher;
};

// A mixed phase shaped like a real zone's firewall rules: each rule tests its own literals,
// patterns or sets (so few match any one request), with a tenth that no literal can prefilter.
std::vector<std::string> Sources(int n) {
  std::vector<std::string> sources;
  for (int i = 0; i < n; ++i) {
    std::string k = std::to_string(i);
    switch (i % 10) {
      case 0: sources.push_back("starts_with(http.request.uri.path, \"/p" + k + "/\")"); break;
      case 1: sources.push_back("http.request.uri.path contains \"/x" + k + "\" and http.request.method eq \"POST\""); break;
      case 2: sources.push_back("http.user_agent matches \"bot" + k + "[0-9]+\""); break;
      case 3: sources.push_back("lower(http.request.uri.query) contains \"k" + k + "=\""); break;
      case 4: sources.push_back("http.host eq \"h" + k + ".example.com\" and not ip.src in $ips"); break;
      case 5: sources.push_back("(http.request.uri.path wildcard \"*/w" + k + "/*\" or http.cookie contains \"c" + k + "=\") and ssl"); break;
      case 6: sources.push_back("http.request.uri.path.extension in {\"e" + k + "\" \"f" + k + "\"} and http.request.body.size gt 10"); break;
      case 7: sources.push_back("http.request.full_uri contains \"/api/v" + k + "/\""); break;
      case 8: sources.push_back("ends_with(http.request.uri.path, \".s" + k + "\") or http.referer contains \"r" + k + ".example\""); break;
      default: sources.push_back("http.request.headers[\"x-k" + k + "\"][0] eq \"v\" or ip.src in {203.0.113." + std::to_string(i % 250) + "}"); break;
    }
  }
  return sources;
}

Phase Build(const std::vector<std::string>& sources, bool with_reference) {
  ExpressionCompiler compiler =
      *ExpressionCompiler::Create({{"ips", "ip", {"10.0.0.0/8", "2001:db8::/32"}}}, Limits(), nullptr);
  Phase phase;
  for (const std::string& s : sources) {
    phase.rules.push_back(compiler.CompileRule(s, kPhase, nullptr));
    if (with_reference) phase.reference.push_back(compiler.CompileReferenceFilter(s, kPhase, nullptr));
  }
  phase.matcher = *PhaseMatcher::Build(phase.rules);
  return phase;
}

// Ordinary traffic: a few requests hit one rule each, most hit none.
std::vector<TestRequest> Requests() {
  std::vector<TestRequest> requests;
  for (int i = 0; i < 64; ++i) {
    TestRequest r;
    r.method = i % 5 == 0 ? "POST" : "GET";
    r.scheme = i % 2 ? "https" : "http";
    r.host = "www.example.com";
    std::string k = std::to_string(i * 37);
    r.target = "/shop/items/" + k + "/detail.html?id=" + k + "&ref=home";
    if (i % 8 == 0) r.target = "/p" + k + "/x";  // hits a starts_with rule
    r.headers = {{"User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0"},
                 {"Accept", "text/html"},
                 {"Cookie", "session=" + k + "; theme=dark"},
                 {"Referer", "https://www.example.com/shop"}};
    r.client_ip = "198.51.100." + std::to_string(i);
    requests.push_back(std::move(r));
  }
  return requests;
}

void BM_CompilePhase(benchmark::State& state) {
  std::vector<std::string> sources = Sources(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    Phase phase = Build(sources, false);
    benchmark::DoNotOptimize(phase.matcher);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_CompilePhase)->Arg(10)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

const std::vector<NamedListDefinition>& BenchLists() {
  static const auto* lists =
      new std::vector<NamedListDefinition>{{"ips", "ip", {"10.0.0.0/8", "2001:db8::/32"}}};
  return *lists;
}

// What the proxy did before the IR: every rule from text (lex, parse, check, plan) in a fresh
// zone, so nothing is shared with an earlier iteration. No Hyperscan (the same on both sides).
void BM_RulesFromText(benchmark::State& state) {
  std::vector<std::string> sources = Sources(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    ExpressionCompiler compiler = *ExpressionCompiler::Create(BenchLists(), Limits(), nullptr);
    for (const std::string& s : sources) {
      PhaseRule rule = compiler.CompileRule(s, kPhase, nullptr);
      benchmark::DoNotOptimize(rule.filter);
    }
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

// What the proxy does with the IR: every rule from its serialised IR (parse the bytes, verify,
// build regexes and sets, plan) in a fresh zone.
void BM_RulesFromIr(benchmark::State& state) {
  std::vector<std::string> sources = Sources(static_cast<int>(state.range(0)));
  ExpressionCompiler compiler = *ExpressionCompiler::Create(BenchLists(), Limits(), nullptr);
  std::vector<std::string> wire;
  for (const std::string& s : sources) {
    wire.push_back(
        compiler.CompileIr(s, kPhase, ExpressionKind::kFilter, nullptr)->SerializeAsString());
  }
  google::protobuf::RepeatedPtrField<ir::v1::NamedList> lists;
  for (const NamedListDefinition& list : BenchLists()) *lists.Add() = EncodeNamedList(list);
  for (auto _ : state) {
    ExpressionLinker linker = *ExpressionLinker::Create(lists, Limits());
    ir::v1::Expression ir;
    for (const std::string& bytes : wire) {
      ir.ParseFromString(bytes);
      absl::StatusOr<PhaseRule> rule = linker.LinkFilter(ir);
      benchmark::DoNotOptimize(rule->filter);
    }
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_RulesFromText)->Arg(1)->Arg(1000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_RulesFromIr)->Arg(1)->Arg(1000)->Unit(benchmark::kMicrosecond);

// The part the IR replaces, without the planning both sides share: text -> checked tree against
// serialised IR -> verified checked tree (regexes and sets built on both sides).
void BM_TreesFromText(benchmark::State& state) {
  std::vector<std::string> sources = Sources(static_cast<int>(state.range(0)));
  ExpressionCompiler compiler = *ExpressionCompiler::Create(BenchLists(), Limits(), nullptr);
  for (auto _ : state) {
    for (const std::string& s : sources) {
      benchmark::DoNotOptimize(compiler.CompileTree(s, kPhase, ExpressionKind::kFilter, nullptr));
    }
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void BM_TreesFromIr(benchmark::State& state) {
  std::vector<std::string> sources = Sources(static_cast<int>(state.range(0)));
  ExpressionCompiler compiler = *ExpressionCompiler::Create(BenchLists(), Limits(), nullptr);
  std::vector<std::string> wire;
  for (const std::string& s : sources) {
    wire.push_back(
        compiler.CompileIr(s, kPhase, ExpressionKind::kFilter, nullptr)->SerializeAsString());
  }
  google::protobuf::RepeatedPtrField<ir::v1::NamedList> lists;
  for (const NamedListDefinition& list : BenchLists()) *lists.Add() = EncodeNamedList(list);
  ExpressionLinker linker = *ExpressionLinker::Create(lists, Limits());
  ir::v1::Expression ir;
  for (auto _ : state) {
    for (const std::string& bytes : wire) {
      ir.ParseFromString(bytes);
      benchmark::DoNotOptimize(linker.LinkTree(ir, ExpressionKind::kFilter));
    }
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_TreesFromText)->Arg(1000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_TreesFromIr)->Arg(1000)->Unit(benchmark::kMicrosecond);

enum class Mode { kPrefiltered, kPlanRuleByRule, kReferenceRuleByRule };

void RunPhase(benchmark::State& state, Mode mode) {
  Phase phase = Build(Sources(static_cast<int>(state.range(0))), mode == Mode::kReferenceRuleByRule);
  std::vector<TestRequest> requests = Requests();
  std::vector<const RequestData*> data;
  for (auto& r : requests) data.push_back(&r.data());
  std::vector<size_t> matched;
  Scratch scratch;  // the worker's
  size_t i = 0;
  size_t total = 0;
  const uint64_t allocations_before = heap_allocations.load();
  for (auto _ : state) {
    // As the proxy does: the worker's scratch hands back an Evaluation of an earlier request.
    EvaluationLease lease = scratch.AcquireEvaluation(*data[i++ % data.size()]);
    Evaluation& evaluation = *lease;
    matched.clear();
    switch (mode) {
      case Mode::kPrefiltered:
        phase.matcher->MatchAll(evaluation, &matched);
        break;
      case Mode::kPlanRuleByRule:
        for (size_t r = 0; r < phase.rules.size(); ++r) {
          if (phase.rules[r].filter->Matches(evaluation)) matched.push_back(r);
        }
        break;
      case Mode::kReferenceRuleByRule:
        for (size_t r = 0; r < phase.reference.size(); ++r) {
          if (phase.reference[r]->Matches(evaluation)) matched.push_back(r);
        }
        break;
    }
    total += matched.size();
    benchmark::DoNotOptimize(matched.data());
  }
  state.counters["matches_per_request"] =
      benchmark::Counter(static_cast<double>(total) / static_cast<double>(state.iterations()));
  state.counters["prefiltered_rules"] = static_cast<double>(phase.matcher->prefiltered_rule_count());
  state.counters["allocs_per_request"] = benchmark::Counter(
      static_cast<double>(heap_allocations.load() - allocations_before) /
      static_cast<double>(state.iterations()));
}

void BM_PhasePrefiltered(benchmark::State& state) { RunPhase(state, Mode::kPrefiltered); }
void BM_PhasePlanRuleByRule(benchmark::State& state) { RunPhase(state, Mode::kPlanRuleByRule); }
void BM_PhaseReferenceRuleByRule(benchmark::State& state) { RunPhase(state, Mode::kReferenceRuleByRule); }
BENCHMARK(BM_PhasePrefiltered)->Arg(1)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_PhasePlanRuleByRule)->Arg(1)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_PhaseReferenceRuleByRule)->Arg(1)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace gatehouse::rules
