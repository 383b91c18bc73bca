// The module pipeline's cost per request: a zone with no products, and one with all five
// products at 100 rules each. Everything but network IO: request state, every request phase,
// the response phases.
// Run: bazel run -c opt //bench:pipeline_bench
#include <memory>
#include <string>

#include "benchmark/benchmark.h"
#include "compiler/zone_compiler.h"
#include "engine/phase_engine.h"
#include "engine/request_state.h"
#include "modules/sdk/registry.h"
#include "rules/scratch.h"

namespace gatehouse {
namespace {

std::string Rule(const std::string& id, const std::string& expression, const std::string& action,
                 const std::string& parameters) {
  return R"({"id": ")" + id + R"(", "expression": ")" + expression + R"(", "action": ")" + action +
         R"(", "action_parameters": )" + parameters + "}";
}

// 100 rules per product, each testing its own literal, so an ordinary request matches few.
std::string AllProducts() {
  std::string redirect, transform, origin, firewall, errors, response;
  for (int i = 0; i < 100; ++i) {
    const std::string k = std::to_string(i);
    const std::string sep = i == 0 ? "" : ",";
    redirect += sep + Rule("r" + k, "http.request.uri.path eq \\\"/old" + k + "\\\"", "redirect",
                           R"({"from_value": {"target_url": {"value": "/new"}}})");
    transform += sep + Rule("t" + k, "starts_with(http.request.uri.path, \\\"/t" + k + "/\\\")",
                            "rewrite", R"({"headers": {"X-T": {"operation": "set", "value": "1"}}})");
    origin += sep + Rule("o" + k, "http.request.uri.path contains \\\"/api" + k + "/\\\"", "route",
                         R"({"origin": "api"})");
    firewall += sep + Rule("f" + k, "http.user_agent contains \\\"bot" + k + "\\\" or http.request.uri.query contains \\\"x" + k + "=\\\"",
                           "block", "{}");
    errors += sep + Rule("e" + k, "http.response.code eq " + std::to_string(400 + i) +
                                      " and starts_with(http.request.uri.path, \\\"/e" + k + "\\\")",
                         "serve_error", R"({"status_code": 500, "content_type": "text/plain", "content": "x"})");
    response += sep + Rule("h" + k, "http.request.uri.path eq \\\"/h" + k + "\\\"", "rewrite",
                           R"({"headers": {"X-H": {"operation": "set", "value": "1"}}})");
  }
  return R"({"phase": "http_request_dynamic_redirect", "rules": [)" + redirect + "]}," +
         R"({"phase": "http_request_transform", "rules": [)" + transform + "]}," +
         R"({"phase": "http_request_origin", "rules": [)" + origin + "]}," +
         R"({"phase": "http_request_firewall_custom", "rules": [)" + firewall + "]}," +
         R"({"phase": "http_custom_errors", "rules": [)" + errors + "]}," +
         R"({"phase": "http_response_headers_transform", "rules": [)" + response + "]}";
}

std::shared_ptr<const plan::ZonePlan> Zone(const std::string& rulesets) {
  auto compiled = compiler::CompileZoneJson(
      R"({"zone": "bench.test", "hostnames": ["bench.test"],
          "origins": [{"name": "app", "servers": ["127.0.0.1:1"]},
                      {"name": "api", "servers": ["127.0.0.1:2"]}], "rulesets": [)" +
      rulesets + "]}");
  if (!compiled.ok()) {
    std::fprintf(stderr, "%s", compiled.RenderedDiagnostics().c_str());
    std::abort();
  }
  return compiled.plan;
}

void RunPipeline(benchmark::State& bench, const plan::ZonePlan& zone) {
  const auto engine = std::make_unique<const engine::PhaseEngine>(sdk::ProductRegistry::Linked());
  const rules::HeaderList headers = {{"Host", "bench.test"},
                                     {"User-Agent", "Mozilla/5.0 (X11; Linux x86_64)"},
                                     {"Accept", "text/html"},
                                     {"Cookie", "session=abc"}};
  const rules::HeaderList response_headers = {{"Content-Type", "text/html"},
                                              {"Content-Length", "1234"}};
  rules::RequestData data;
  data.method = "GET";
  data.host = "bench.test";
  data.raw_target = "/products/list?page=2&sort=price";
  data.headers = &headers;
  data.client_ip.is_v4 = true;
  data.client_ip.bytes = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1};
  rules::Scratch scratch;  // the worker's
  for (auto _ : bench) {
    engine::RequestState state(zone, data, "0123456789abcdef", "192.0.2.1", scratch);
    engine->RunRequestPhases(state);
    state.BeginResponse(200, response_headers);
    engine->RunResponsePhases(state);
    benchmark::DoNotOptimize(state.route().origin_index);
  }
}

void BM_PipelineNoProducts(benchmark::State& bench) {
  static const auto zone = Zone("");
  RunPipeline(bench, *zone);
}
BENCHMARK(BM_PipelineNoProducts);

void BM_PipelineAllFiveProducts100RulesEach(benchmark::State& bench) {
  static const auto zone = Zone(AllProducts());
  RunPipeline(bench, *zone);
}
BENCHMARK(BM_PipelineAllFiveProducts100RulesEach);

}  // namespace
}  // namespace gatehouse
