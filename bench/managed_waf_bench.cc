// Engine time per request of the managed WAF (OWASP CRS 3.3.4 as Debian ships it) next to
// libmodsecurity 3.0.9 running the same CRS through its public API, on the same requests:
//   bazel run -c opt //bench:managed_waf_bench
// Gatehouse: waf::Evaluator over the imported, linked program (what a proxy runs per request,
// body parsing included). libmodsecurity: one transaction per request, as nginx's connector
// drives it (connection, URI, headers, body, intervention), in blocking mode
// (bench/modsecurity_crs.h). Both at CRS's threshold 5, Gatehouse as a zone runs it
// (waf::ZoneSettings: rules above the paranoia level off).
#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "bench/modsecurity_crs.h"
#include "benchmark/benchmark.h"
#include "compiler/seclang_import/crs_import.h"
#include "crs_conformance/engine_request.h"
#include "ftw/request_builder.h"
#include "waf/evaluator.h"
#include "waf/linked_program.h"
#include "waf/zone_settings.h"

namespace gatehouse::bench {
namespace {

using Request = ftw::Request;

// bench/lib.sh's `browser` load sends the same (with its zone's host): keep the two alike.
std::vector<std::pair<std::string, std::string>> BrowserHeaders() {
  return {{"Host", "shop.example.com"},
          {"User-Agent",
           "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/120.0 Safari/537.36"},
          {"Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
          {"Accept-Language", "en-GB,en;q=0.9"},
          {"Accept-Encoding", "gzip, deflate, br"},
          {"Cookie", "session=8f3a2c1d9e7b6a5f4e3d2c1b0a9f8e7d; theme=dark; consent=yes"},
          {"Referer", "https://shop.example.com/catalog?page=2"}};
}

Request BenignGet() {
  return {"GET", "/catalog/item?id=1234&colour=blue&size=m&ref=homepage", "HTTP/1.1",
          BrowserHeaders(), ""};
}

// What bench/waf_compare.sh's wrk sends.
Request MinimalGet() {
  return {"GET", "/bench/path?q=1", "HTTP/1.1", {{"Host", "bench.test"}}, ""};
}

Request FormPost() {
  Request request{"POST", "/account/profile", "HTTP/1.1", BrowserHeaders(), ""};
  std::string body =
      "first_name=Siobhan&last_name=O%27Brien&email=siobhan.obrien%40example.ie&phone=%2B353+1+"
      "555+0199&street=12+Rock%27n%27Roll+Lane&city=Dublin&postcode=D02+X285&country=IE&bio=";
  while (body.size() < 1200) {
    body += "I+love+hiking+in+the+Wicklow+mountains%2C+reading+and+cooking+for+friends.+";
  }
  request.body = body.substr(0, 1200);
  request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  request.headers.emplace_back("Content-Length", std::to_string(request.body.size()));
  return request;
}

Request SqliGet() {
  return {"GET", "/catalog/item?id=1%27%20UNION%20SELECT%20username,password%20FROM%20users--",
          "HTTP/1.1", BrowserHeaders(), ""};
}

// ------------------------------------------------------------------------------------------
// Gatehouse

struct Gatehouse {
  std::shared_ptr<const waf::LinkedProgram> program;
};

const Gatehouse& LinkedCrs() {
  static const Gatehouse* gatehouse = [] {
    const auto start = std::chrono::steady_clock::now();
    absl::StatusOr<waf::v1::WafProgram> program =
        seclang_import::ImportCrs(seclang_import::CrsImportOptions{});
    if (!program.ok()) {
      std::fprintf(stderr, "import: %s\n", std::string(program.status().message()).c_str());
      std::abort();
    }
    const auto imported = std::chrono::steady_clock::now();
    absl::StatusOr<std::shared_ptr<const waf::LinkedProgram>> linked =
        waf::LinkedProgram::Link(*program);
    if (!linked.ok()) std::abort();
    const auto done = std::chrono::steady_clock::now();
    std::fprintf(stderr,
                 "CRS: %d rules, import %.0f ms, link (regexes, Hyperscan prefilter of %zu "
                 "rules) %.0f ms\n",
                 program->rules_size(),
                 std::chrono::duration<double, std::milli>(imported - start).count(),
                 (*linked)->prefilter().covered_count(),
                 std::chrono::duration<double, std::milli>(done - imported).count());
    return new Gatehouse{*linked};
  }();
  return *gatehouse;
}

// One request evaluated again and again by one evaluator, at the paranoia level the benchmark's
// argument gives, with the zone settings a proxy links (the level's prefilter built first).
class CrsRun {
 public:
  CrsRun(const benchmark::State& state, const Request& request)
      : crs_(LinkedCrs()),
        request_(request),
        settings_(waf::ZoneSettings(*crs_.program, static_cast<uint32_t>(state.range(0)), 5)) {
    crs_.program->prefilter(settings_.paranoia_level);
  }
  void Evaluate() {
    evaluator_.Evaluate(*crs_.program, request_.data(), settings_, &result_);
    benchmark::DoNotOptimize(result_.denied);
  }
  const waf::EvaluationResult& result() const { return result_; }

 private:
  const Gatehouse& crs_;
  const crs_conformance::EngineRequest request_;
  const waf::EvaluationSettings settings_;
  waf::Evaluator evaluator_;
  waf::EvaluationResult result_;
};

void RunGatehouse(benchmark::State& state, const Request& request) {
  CrsRun run(state, request);
  for (auto _ : state) run.Evaluate();
  state.counters["denied"] = run.result().denied ? 1 : 0;
  state.counters["matches"] = static_cast<double>(run.result().matches.size());
}

// The same with the caches refilled by other data before each request, as a proxy's own
// network work leaves them between two requests (a proxy running the CRS spends more per
// request than the warm loop above shows). The refill is outside the timing; pausing the timer
// makes CPU-clock system calls, so this includes what RunGatehouseAfterSystemCall measures.
void RunGatehouseCold(benchmark::State& state, const Request& request) {
  CrsRun run(state, request);
  std::vector<char> other(1 << 20);  // twice an EPYC core's L2
  for (auto _ : state) {
    state.PauseTiming();
    for (size_t i = 0; i < other.size(); i += 64) other[i] = static_cast<char>(other[i] + 1);
    benchmark::ClobberMemory();
    state.ResumeTiming();
    run.Evaluate();
  }
}

// The same after one system call, as a proxy makes several between two requests. Where the
// kernel isolates its page tables and the CPU has no PCID (this project's bench machine), each
// call empties the TLB, and a request then walks the page tables again for every page of code
// and data it touches. The time includes the call itself, which RunSystemCallOnly measures.
void RunGatehouseAfterSystemCall(benchmark::State& state, const Request& request) {
  CrsRun run(state, request);
  for (auto _ : state) {
    benchmark::DoNotOptimize(syscall(SYS_getppid));
    run.Evaluate();
  }
}

void RunSystemCallOnly(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(syscall(SYS_getppid));
}

// ------------------------------------------------------------------------------------------
// libmodsecurity

const ModSecurityCrs& ModSecurityAt(int paranoia_level) {
  static const ModSecurityCrs* engines[5] = {};
  if (engines[paranoia_level] == nullptr) {
    engines[paranoia_level] = new ModSecurityCrs(paranoia_level, /*score_threshold=*/5);
  }
  return *engines[paranoia_level];
}

void RunModSecurity(benchmark::State& state, const Request& request) {
  const ModSecurityCrs& crs = ModSecurityAt(static_cast<int>(state.range(0)));
  bool denied = false;
  for (auto _ : state) {
    denied = crs.Check(request, /*rule_ids=*/false).blocked;
    benchmark::DoNotOptimize(denied);
  }
  state.counters["denied"] = denied ? 1 : 0;
}

BENCHMARK_CAPTURE(RunGatehouse, minimal_get, MinimalGet())->Arg(1);
BENCHMARK_CAPTURE(RunModSecurity, minimal_get, MinimalGet())->Arg(1);
BENCHMARK_CAPTURE(RunGatehouseCold, minimal_get, MinimalGet())->Arg(1);
BENCHMARK_CAPTURE(RunGatehouseAfterSystemCall, minimal_get, MinimalGet())->Arg(1);
BENCHMARK(RunSystemCallOnly);
BENCHMARK_CAPTURE(RunGatehouse, benign_get, BenignGet())->Arg(1)->Arg(4);
BENCHMARK_CAPTURE(RunGatehouseCold, benign_get, BenignGet())->Arg(1);
BENCHMARK_CAPTURE(RunGatehouseAfterSystemCall, benign_get, BenignGet())->Arg(1);
BENCHMARK_CAPTURE(RunModSecurity, benign_get, BenignGet())->Arg(1)->Arg(4);
BENCHMARK_CAPTURE(RunGatehouse, form_post_1200, FormPost())->Arg(1)->Arg(4);
BENCHMARK_CAPTURE(RunModSecurity, form_post_1200, FormPost())->Arg(1)->Arg(4);
BENCHMARK_CAPTURE(RunGatehouse, sqli_get, SqliGet())->Arg(1)->Arg(4);
BENCHMARK_CAPTURE(RunModSecurity, sqli_get, SqliGet())->Arg(1)->Arg(4);

}  // namespace
}  // namespace gatehouse::bench

BENCHMARK_MAIN();
