#include "modules/transforms/transforms.h"

#include <variant>

namespace gatehouse::modules {
namespace {

using runtime::in::OwnRuleset;
using runtime::in::RequestFields;

// The text of a rewrite's value, static or computed for this request.
template <typename View>
std::string Resolve(const compiler::ValueSource& source, View& view) {
  return source.expression != nullptr ? source.expression->Evaluate(view.fields()) : source.text;
}

// The rules of the phase that match, computed before any of them applies.
template <typename View>
std::vector<const compiler::CompiledRule*> Matching(View& view) {
  const compiler::CompiledRuleset& ruleset = view.ruleset();
  std::vector<size_t> matched;
  ruleset.matcher->MatchAll(view.fields(), &matched);
  std::vector<const compiler::CompiledRule*> out;
  for (size_t index : matched) out.push_back(&ruleset.rules[index]);
  return out;
}

using RequestTransformPhase =
    runtime::DeclaredPhase<runtime::Inputs<RequestFields, OwnRuleset>,
                   runtime::Outputs<runtime::out::RewriteUri, runtime::out::RequestHeaders,
                                    runtime::out::RecordMatch>>;
using ResponseTransformPhase =
    runtime::DeclaredPhase<runtime::Inputs<RequestFields, OwnRuleset>,
                   runtime::Outputs<runtime::out::ResponseHeaders, runtime::out::RecordMatch>>;

void RunRequestTransforms(RequestTransformPhase::View& view) {
  for (const compiler::CompiledRule* rule : Matching(view)) {
    const auto& rewrite = std::get<compiler::RewriteAction>(rule->action);
    view.RecordMatch(rule);
    if (rewrite.rewrite_path) view.RewritePath(Resolve(rewrite.path, view), rule);
    if (rewrite.rewrite_query) view.RewriteQuery(Resolve(rewrite.query, view), rule);
    for (const compiler::HeaderRewrite& header : rewrite.headers) {
      switch (header.operation) {
        case compiler::HeaderOperation::kSet:
          view.SetRequestHeader(header.name, Resolve(header.value, view), rule);
          break;
        case compiler::HeaderOperation::kAdd:
          view.AddRequestHeader(header.name, Resolve(header.value, view), rule);
          break;
        case compiler::HeaderOperation::kRemove:
          view.RemoveRequestHeader(header.name);
          break;
      }
    }
  }
}

void RunResponseTransforms(ResponseTransformPhase::View& view) {
  for (const compiler::CompiledRule* rule : Matching(view)) {
    const auto& rewrite = std::get<compiler::RewriteAction>(rule->action);
    view.RecordMatch(rule);
    for (const compiler::HeaderRewrite& header : rewrite.headers) {
      switch (header.operation) {
        case compiler::HeaderOperation::kSet:
          view.SetResponseHeader(header.name, Resolve(header.value, view), rule);
          break;
        case compiler::HeaderOperation::kAdd:
          view.AddResponseHeader(header.name, Resolve(header.value, view), rule);
          break;
        case compiler::HeaderOperation::kRemove:
          view.RemoveResponseHeader(header.name);
          break;
      }
    }
  }
}

}  // namespace

runtime::Module TransformsModule() {
  return {"transforms",
          {RequestTransformPhase::Define("transforms", compiler::Phase::kRequestTransform,
                                         runtime::RequestKinds::kAll, RunRequestTransforms),
           RequestTransformPhase::Define("transforms", compiler::Phase::kLateTransform,
                                         runtime::RequestKinds::kAll, RunRequestTransforms),
           ResponseTransformPhase::Define("transforms",
                                          compiler::Phase::kResponseHeadersTransform,
                                          runtime::RequestKinds::kAll, RunResponseTransforms)}};
}

}  // namespace gatehouse::modules
