#include "api/gatectl/rules_commands.h"

#include <cstdio>
#include <memory>
#include <variant>

#include "api/gatectl/config_file.h"
#include "api/gatectl/managed_rulesets.h"
#include "api/gatectl/request_file.h"
#include "compiler/rules/diagnostic.h"
#include "compiler/rules/expression_compiler.h"
#include "compiler/zone_compiler.h"
#include "engine/phase_engine.h"
#include "engine/request_state.h"
#include "geoip/geo_databases.h"
#include "modules/sdk/registry.h"
#include "rules/evaluation.h"
#include "rules/scratch.h"
#include "rules/types.h"

namespace gatehouse::gatectl {
namespace {

bool LooksLikeFile(const std::string& arg) {
  return arg.size() > 5 && arg.compare(arg.size() - 5, 5, ".json") == 0;
}

int CheckZoneFile(const std::string& path) {
  std::string json;
  if (!ReadZoneConfigFile(path, &json)) return kExitUsage;
  const auto result = compiler::CompileZoneJson(json, LocalCompileOptions());
  if (!result.ok()) {
    std::fputs(result.RenderedDiagnostics().c_str(), stderr);
    return kExitInvalid;
  }
  std::printf("%s: ok\n", path.c_str());
  return kExitOk;
}

int CheckExpression(const std::string& expr, const std::string& phase) {
  auto compiler = rules::ExpressionCompiler::Create({}, rules::Limits(), nullptr);
  std::vector<rules::Diagnostic> diagnostics;
  if ((*compiler).CompileTree(expr, phase, rules::ExpressionKind::kValue, &diagnostics) ==
      nullptr) {
    std::fputs(rules::FormatDiagnostics(expr, diagnostics, "expression").c_str(), stderr);
    return kExitInvalid;
  }
  std::printf("ok\n");
  return kExitOk;
}

std::optional<rules::TestRequest> ReadRequest(const std::string& path) {
  std::string json;
  if (!ReadFile(path, &json)) {
    std::fprintf(stderr, "gatectl: cannot read %s\n", path.c_str());
    return std::nullopt;
  }
  auto request = ParseRequestJson(json);
  if (!request.ok()) {
    std::fprintf(stderr, "gatectl: %s: %s\n", path.c_str(),
                 std::string(request.status().message()).c_str());
    return std::nullopt;
  }
  return *std::move(request);
}

int EvalExpression(const std::string& expr, const std::string& phase,
                   rules::TestRequest& request) {
  auto compiler = *rules::ExpressionCompiler::Create({}, rules::Limits(), nullptr);
  std::vector<rules::Diagnostic> diagnostics;
  const auto tree = compiler.CompileTree(expr, phase, rules::ExpressionKind::kValue, &diagnostics);
  if (tree == nullptr) {
    std::fputs(rules::FormatDiagnostics(expr, diagnostics, "expression").c_str(), stderr);
    return kExitInvalid;
  }
  rules::Scratch scratch;
  rules::Evaluation evaluation(request.data(), scratch);
  if (tree->type == rules::Type::Bool()) {
    // A filter: missing values make comparisons false, so the answer is always true or false.
    const auto filter = compiler.CompileFilter(expr, phase, &diagnostics);
    std::printf("%s\n", filter->Matches(evaluation) ? "true" : "false");
  } else {
    std::printf("%s\n", compiler.CompileValue(expr, phase, &diagnostics)->Evaluate(evaluation).c_str());
  }
  return kExitOk;
}

// The phase a rule of `zone` belongs to.
std::string_view PhaseOf(const plan::ZonePlan& zone, const plan::CompiledRule* rule) {
  for (const auto& ruleset : zone.rulesets) {
    if (!ruleset.has_value()) continue;
    for (const auto& candidate : ruleset->rules) {
      if (&candidate == rule) return plan::PhaseName(ruleset->phase);
    }
  }
  return "?";
}

void PrintMatches(const plan::ZonePlan& zone, const engine::RequestState& state,
                  size_t from) {
  for (size_t i = from; i < state.matched().size(); ++i) {
    const plan::CompiledRule* rule = state.matched()[i];
    std::printf("  %-32s rule %s: %s\n", std::string(PhaseOf(zone, rule)).c_str(),
                rule->id.c_str(), rule->action_name.c_str());
  }
}

int TraceZone(const std::string& path, rules::TestRequest& request) {
  std::string json;
  if (!ReadZoneConfigFile(path, &json)) return kExitUsage;
  const auto compiled = compiler::CompileZoneJson(json, LocalCompileOptions());
  if (!compiled.ok()) {
    std::fputs(compiled.RenderedDiagnostics().c_str(), stderr);
    return kExitInvalid;
  }
  const plan::ZonePlan& zone = *compiled.plan;
  const engine::PhaseEngine engine(sdk::ProductRegistry::Linked());
  const bool has_response = request.has_response;
  const int response_code = request.response_code;
  request.has_response = false;
  rules::Scratch scratch;
  engine::RequestState state(zone, request.data(), "0000000000000000", request.client_ip,
                             scratch);
  std::printf("zone %s\nrequest phases:\n", zone.zone.c_str());
  engine.RunRequestPhases(state);
  PrintMatches(zone, state, 0);
  for (const auto& managed : state.managed_matches()) {
    std::string ids;
    for (const std::string& id : managed.rule_ids) ids += " " + id;
    std::printf("  managed ruleset %s: anomaly score %lld, matched rules%s\n",
                managed.ruleset.c_str(), static_cast<long long>(managed.score), ids.c_str());
  }
  const size_t request_matches = state.matched().size();
  int status = response_code;
  bool run_response_phases = has_response;
  if (auto local = state.TakeLocalResponse()) {
    std::printf("result: the edge answers %d (rule %s)\n", local->status,
                state.deciding_rule()->id.c_str());
    // The edge's own answers go through the response phases too.
    status = local->status;
    run_response_phases = true;
    request.response_headers = {{"Content-Type", local->content_type}};
  } else {
    const auto& route = state.route();
    std::printf("result: forward %s %s to origin %s%s\n", request.method.c_str(),
                state.target().c_str(), zone.origins[route.origin_index].name.c_str(),
                route.host_header.empty() ? "" : (" with Host " + route.host_header).c_str());
  }
  if (run_response_phases) {
    rules::HeaderList response_headers;
    for (const auto& [name, value] : request.response_headers) {
      response_headers.emplace_back(name, value);
    }
    state.BeginResponse(status, response_headers);
    engine.RunResponsePhases(state);
    std::printf("response phases (status %d):\n", status);
    PrintMatches(zone, state, request_matches);
    if (auto page = state.TakeLocalResponse()) {
      std::printf("result: error page %d (rule %s)\n", page->status,
                  state.deciding_rule()->id.c_str());
    } else {
      std::printf("result: the response passes\n");
    }
  }
  return kExitOk;
}

}  // namespace

std::optional<int> RunRulesCommand(const std::vector<std::string>& args,
                                   const RulesCommandOptions& options) {
  const std::string& command = args[0];
  if (command == "check") {
    if (args.size() == 2) {
      return LooksLikeFile(args[1]) ? CheckZoneFile(args[1])
                                    : CheckExpression(args[1], options.phase);
    }
    if (args.size() == 1 && !options.expr.empty()) return CheckExpression(options.expr, options.phase);
    return std::nullopt;
  }
  if (command == "eval" && args.size() == 1) {
    if (options.request.empty() || options.expr.empty() == options.config.empty()) {
      std::fprintf(stderr, "gatectl eval: give --request and one of --expr or --config\n");
      return kExitUsage;
    }
    auto request = ReadRequest(options.request);
    if (!request.has_value()) return kExitUsage;
    if (!options.asn_db.empty() && options.geoip_db.empty()) {
      std::fprintf(stderr, "gatectl eval: --asn-db needs --geoip-db\n");
      return kExitUsage;
    }
    std::unique_ptr<const geoip::GeoDatabases> geo;
    if (!options.geoip_db.empty()) {
      auto opened = geoip::GeoDatabases::Open({options.geoip_db, options.asn_db});
      if (!opened.ok()) {
        std::fprintf(stderr, "gatectl eval: %s\n", std::string(opened.status().message()).c_str());
        return kExitUsage;
      }
      geo = *std::move(opened);
      request->geo = geo.get();
    }
    return options.config.empty() ? EvalExpression(options.expr, options.phase, *request)
                                  : TraceZone(options.config, *request);
  }
  return std::nullopt;
}

}  // namespace gatehouse::gatectl
