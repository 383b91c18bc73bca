#include "modules/waf_custom/waf_custom.h"

#include <variant>

#include "runtime/engine/response_tokens.h"

namespace gatehouse::modules {

using runtime::in::ClientIp;
using runtime::in::OwnRuleset;
using runtime::in::RayId;
using runtime::in::RequestFields;

const compiler::CustomResponse& DefaultBlockResponse() {
  static const compiler::CustomResponse kResponse{403, "text/plain",
                                                  "Access denied. Ray ID: ::RAY_ID::\n"};
  return kResponse;
}

runtime::Module WafCustomModule() {
  using FirewallPhase =
      runtime::DeclaredPhase<runtime::Inputs<RequestFields, ClientIp, RayId, OwnRuleset>,
                     runtime::Outputs<runtime::out::Respond, runtime::out::Skip,
                                      runtime::out::RecordMatch>>;
  auto run = [](FirewallPhase::View& view) {
    const compiler::CompiledRuleset& ruleset = view.ruleset();
    std::vector<size_t> matched;
    ruleset.matcher->MatchAll(view.fields(), &matched);
    for (size_t index : matched) {
      const compiler::CompiledRule& rule = ruleset.rules[index];
      if (const auto* block = std::get_if<compiler::BlockAction>(&rule.action)) {
        const compiler::CustomResponse& custom =
            block->has_custom_response ? block->response : DefaultBlockResponse();
        view.RecordMatch(&rule);
        view.Respond(runtime::RenderCustomResponse(custom, view.ray_id(), view.client_ip()),
                     &rule);
        return;
      }
      if (std::holds_alternative<compiler::LogAction>(rule.action)) {
        view.RecordMatch(&rule);
        continue;
      }
      if (const auto* skip = std::get_if<compiler::SkipAction>(&rule.action)) {
        view.RecordMatch(&rule);
        for (compiler::Phase phase : skip->phases) view.SkipPhase(phase);
        for (const std::string& product : skip->products) view.SkipProduct(product);
        if (skip->rest_of_ruleset) return;
      }
    }
  };
  return {"waf_custom",
          {FirewallPhase::Define("waf_custom", compiler::Phase::kFirewallCustom,
                                 runtime::RequestKinds::kAll, run)}};
}

}  // namespace gatehouse::modules
