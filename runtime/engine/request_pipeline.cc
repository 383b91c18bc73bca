#include "runtime/engine/request_pipeline.h"

#include <algorithm>
#include <variant>

#include "modules/custom_errors/custom_errors.h"
#include "modules/waf_custom/waf_custom.h"

namespace gatehouse::runtime {

const compiler::CustomResponse& DefaultBlockResponse() {
  static const compiler::CustomResponse kResponse{
      403, "text/plain", "Access denied. Ray ID: ::RAY_ID::\n"};
  return kResponse;
}

RequestVerdict RunRequestPhases(const compiler::ZonePlan& zone, rules::Evaluation& evaluation) {
  RequestVerdict verdict;
  std::vector<compiler::Phase> skipped;
  const auto runs = [&](compiler::Phase phase) -> const compiler::CompiledRuleset* {
    if (std::find(skipped.begin(), skipped.end(), phase) != skipped.end()) return nullptr;
    return zone.Ruleset(phase);
  };
  // http_request_origin runs before the firewall but its choice only matters if the firewall
  // lets the request through.
  verdict.route = modules::ChooseOrigin(runs(compiler::Phase::kRequestOrigin), evaluation);
  if (verdict.route.rule != nullptr) verdict.matched.push_back(verdict.route.rule);
  if (const auto* waf = runs(compiler::Phase::kFirewallCustom)) {
    modules::WafOutcome outcome = modules::RunWafCustom(*waf, evaluation);
    verdict.matched.insert(verdict.matched.end(), outcome.logged.begin(), outcome.logged.end());
    skipped.insert(skipped.end(), outcome.skipped_phases.begin(), outcome.skipped_phases.end());
    if (outcome.block != nullptr) {
      const auto& block = std::get<compiler::BlockAction>(outcome.block->action);
      verdict.local_response =
          block.has_custom_response ? &block.response : &DefaultBlockResponse();
      verdict.terminating_rule = outcome.block;
      verdict.matched.push_back(outcome.block);
      return verdict;
    }
  }
  return verdict;
}

const compiler::CustomResponse* RunResponsePhases(const compiler::ZonePlan& zone,
                                                  rules::Evaluation& evaluation,
                                                  const compiler::CompiledRule** rule) {
  const auto* errors = zone.Ruleset(compiler::Phase::kCustomErrors);
  if (errors == nullptr) return nullptr;
  const compiler::CompiledRule* chosen = modules::ChooseErrorPage(*errors, evaluation);
  if (chosen == nullptr) return nullptr;
  if (rule != nullptr) *rule = chosen;
  return &std::get<compiler::ServeErrorAction>(chosen->action).response;
}

}  // namespace gatehouse::runtime
