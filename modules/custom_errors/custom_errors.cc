#include "modules/custom_errors/custom_errors.h"

#include <variant>

#include "runtime/engine/response_tokens.h"

namespace gatehouse::modules {

using runtime::in::ClientIp;
using runtime::in::OwnRuleset;
using runtime::in::RayId;
using runtime::in::RequestFields;
using runtime::in::ResponseStatus;

runtime::Module CustomErrorsModule() {
  using ErrorsPhase =
      runtime::DeclaredPhase<runtime::Inputs<RequestFields, ResponseStatus, ClientIp, RayId, OwnRuleset>,
                     runtime::Outputs<runtime::out::Respond, runtime::out::RecordMatch>>;
  auto run = [](ErrorsPhase::View& view) {
    const compiler::CompiledRuleset& ruleset = view.ruleset();
    const auto first = ruleset.matcher->FirstMatch(view.fields());
    if (!first.has_value()) return;
    const compiler::CompiledRule& rule = ruleset.rules[*first];
    const auto& serve = std::get<compiler::ServeErrorAction>(rule.action);
    view.RecordMatch(&rule);
    view.Respond(runtime::RenderCustomResponse(serve.response, view.ray_id(), view.client_ip()),
                 &rule);
  };
  return {"custom_errors",
          {ErrorsPhase::Define("custom_errors", compiler::Phase::kCustomErrors,
                               runtime::RequestKinds::kAll, run)}};
}

}  // namespace gatehouse::modules
