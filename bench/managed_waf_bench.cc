// Engine time per request of the managed WAF (OWASP CRS 3.3.4 as Debian ships it) next to
// libmodsecurity 3.0.9 running the same CRS through its public API, on the same requests:
//   bazel run -c opt //bench:managed_waf_bench
// Gatehouse: waf::Evaluator over the imported, linked program (what a proxy runs per request,
// body parsing included). libmodsecurity: one transaction per request, as nginx's connector
// drives it (connection, URI, headers, body, intervention), in blocking mode.
#include <cstdlib>  // libmodsecurity's headers use free and NULL without including it

#include <modsecurity/intervention.h>
#include <modsecurity/modsecurity.h>
#include <modsecurity/rules_set.h>
#include <modsecurity/transaction.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "benchmark/benchmark.h"
#include "compiler/seclang_import/crs_import.h"
#include "waf/evaluator.h"
#include "waf/linked_program.h"

namespace gatehouse::bench {
namespace {

struct Request {
  std::string method;
  std::string uri;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

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
  return {"GET", "/catalog/item?id=1234&colour=blue&size=m&ref=homepage", BrowserHeaders(), ""};
}

Request FormPost() {
  Request request{"POST", "/account/profile", BrowserHeaders(), ""};
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
          BrowserHeaders(), ""};
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

void RunGatehouse(benchmark::State& state, const Request& request) {
  const Gatehouse& crs = LinkedCrs();
  rules::HeaderList headers;
  for (const auto& [name, value] : request.headers) headers.emplace_back(name, value);
  rules::RequestData data;
  data.method = request.method;
  data.raw_target = request.uri;
  data.headers = &headers;
  data.body = request.body;
  data.body_size = request.body.size();
  waf::EvaluationSettings settings;
  const std::string level = std::to_string(state.range(0));
  settings.tx = {{"executing_paranoia_level", level},
                 {"inbound_anomaly_score_threshold", "5"},
                 {"paranoia_level", level}};
  waf::Evaluator evaluator;
  waf::EvaluationResult result;
  for (auto _ : state) {
    evaluator.Evaluate(*crs.program, data, settings, &result);
    benchmark::DoNotOptimize(result.denied);
  }
  state.counters["denied"] = result.denied ? 1 : 0;
  state.counters["matches"] = static_cast<double>(result.matches.size());
}

// ------------------------------------------------------------------------------------------
// libmodsecurity

struct ModSecurity {
  std::unique_ptr<modsecurity::ModSecurity> engine = std::make_unique<modsecurity::ModSecurity>();
  std::unique_ptr<modsecurity::RulesSet> rules = std::make_unique<modsecurity::RulesSet>();
};

const ModSecurity& ModSecurityCrs(int paranoia_level) {
  static ModSecurity* engines[5] = {};
  if (engines[paranoia_level] == nullptr) {
    auto* engine = new ModSecurity();
    // As a connector installs one: the lines go to its log, here nowhere.
    engine->engine->setServerLogCb([](void*, const void*) {});
    const std::string configuration =
        "Include /etc/nginx/modsecurity.conf\n"
        "SecRuleEngine On\nSecAuditEngine Off\nSecResponseBodyAccess Off\nSecStatusEngine Off\n"
        "Include /etc/modsecurity/crs/crs-setup.conf\n"
        "SecAction \"id:900000,phase:1,nolog,pass,setvar:tx.paranoia_level=" +
        std::to_string(paranoia_level) +
        "\"\nInclude /usr/share/modsecurity-crs/rules/*.conf\n";
    if (engine->rules->load(configuration.c_str()) < 0) {
      std::fprintf(stderr, "libmodsecurity: %s\n", engine->rules->getParserError().c_str());
      std::abort();
    }
    engines[paranoia_level] = engine;
  }
  return *engines[paranoia_level];
}

void RunModSecurity(benchmark::State& state, const Request& request) {
  const ModSecurity& crs = ModSecurityCrs(static_cast<int>(state.range(0)));
  bool denied = false;
  for (auto _ : state) {
    modsecurity::Transaction transaction(crs.engine.get(), crs.rules.get(), nullptr);
    transaction.processConnection("192.0.2.10", 40000, "127.0.0.1", 80);
    transaction.processURI(request.uri.c_str(), request.method.c_str(), "1.1");
    for (const auto& [name, value] : request.headers) {
      transaction.addRequestHeader(name, value);
    }
    transaction.processRequestHeaders();
    if (!request.body.empty()) {
      transaction.appendRequestBody(reinterpret_cast<const unsigned char*>(request.body.data()),
                                    request.body.size());
    }
    transaction.processRequestBody();
    modsecurity::ModSecurityIntervention intervention;
    modsecurity::intervention::clean(&intervention);
    denied = transaction.intervention(&intervention) && intervention.disruptive != 0;
    modsecurity::intervention::free(&intervention);
    benchmark::DoNotOptimize(denied);
  }
  state.counters["denied"] = denied ? 1 : 0;
}

BENCHMARK_CAPTURE(RunGatehouse, benign_get, BenignGet())->Arg(1)->Arg(4);
BENCHMARK_CAPTURE(RunModSecurity, benign_get, BenignGet())->Arg(1)->Arg(4);
BENCHMARK_CAPTURE(RunGatehouse, form_post_1200, FormPost())->Arg(1)->Arg(4);
BENCHMARK_CAPTURE(RunModSecurity, form_post_1200, FormPost())->Arg(1)->Arg(4);
BENCHMARK_CAPTURE(RunGatehouse, sqli_get, SqliGet())->Arg(1)->Arg(4);
BENCHMARK_CAPTURE(RunModSecurity, sqli_get, SqliGet())->Arg(1)->Arg(4);

}  // namespace
}  // namespace gatehouse::bench

BENCHMARK_MAIN();
