#include "modules/redirects/redirects.h"

#include <variant>

namespace gatehouse::modules {

std::string RedirectLocation(std::string target, std::string_view query, bool keep_query) {
  if (!keep_query || query.empty()) return target;
  target += target.find('?') == std::string::npos ? '?' : '&';
  target += query;
  return target;
}

runtime::Module RedirectsModule() {
  using RedirectPhase =
      runtime::DeclaredPhase<runtime::Inputs<runtime::in::RequestFields, runtime::in::OwnRuleset>,
                     runtime::Outputs<runtime::out::Respond, runtime::out::RecordMatch>>;
  auto run = [](RedirectPhase::View& view) {
    const compiler::CompiledRuleset& ruleset = view.ruleset();
    const auto first = ruleset.matcher->FirstMatch(view.fields());
    if (!first.has_value()) return;
    const compiler::CompiledRule& rule = ruleset.rules[*first];
    const auto& redirect = std::get<compiler::RedirectAction>(rule.action);
    std::string target = redirect.target_url.expression != nullptr
                             ? redirect.target_url.expression->Evaluate(view.fields())
                             : redirect.target_url.text;
    runtime::LocalResponse response;
    response.status = redirect.status_code;
    response.content_type = "text/plain";
    response.headers.emplace_back(
        "Location", RedirectLocation(std::move(target), view.query(),
                                     redirect.preserve_query_string));
    response.body = "Redirecting to " + response.headers.back().second + "\n";
    view.RecordMatch(&rule);
    view.Respond(std::move(response), &rule);
  };
  return {"redirects",
          {RedirectPhase::Define("redirects", compiler::Phase::kDynamicRedirect,
                                 runtime::RequestKinds::kAll, run)}};
}

}  // namespace gatehouse::modules
