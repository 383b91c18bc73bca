#include "modules/origin_routing/origin_routing.h"

#include <variant>

namespace gatehouse::modules {

runtime::Module OriginRoutingModule() {
  using OriginPhase =
      runtime::DeclaredPhase<runtime::Inputs<runtime::in::RequestFields, runtime::in::OwnRuleset>,
                     runtime::Outputs<runtime::out::Route, runtime::out::Fallback,
                                      runtime::out::RecordMatch>>;
  auto run = [](OriginPhase::View& view) {
    const compiler::CompiledRuleset& ruleset = view.ruleset();
    const auto first = ruleset.matcher->FirstMatch(view.fields());
    if (!first.has_value()) return;
    const compiler::CompiledRule& rule = ruleset.rules[*first];
    view.RecordMatch(&rule);
    if (std::holds_alternative<compiler::FallbackAction>(rule.action)) {
      view.MarkNotHandled();
      return;
    }
    const auto& route = std::get<compiler::RouteAction>(rule.action);
    view.ChooseRoute({route.origin_index, route.host_header, route.port});
  };
  return {"origin_routing",
          {OriginPhase::Define("origin_routing", compiler::Phase::kRequestOrigin,
                               runtime::RequestKinds::kAll, run)}};
}

}  // namespace gatehouse::modules
