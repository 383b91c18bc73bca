#include "modules/transforms/transforms.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "modules/sdk/registry.h"
#include "modules/transforms/transforms.pb.h"

namespace gatehouse::modules {
namespace {

using plan::Phase;
using sdk::in::OwnRuleset;
using sdk::in::RequestFields;
namespace v1 = transforms::v1;

struct HeaderRewrite {
  std::string name;  // lower-cased
  v1::CompiledHeaderRewrite::Operation operation = v1::CompiledHeaderRewrite::SET;
  sdk::ValueSource value;
};

struct RewriteConfig : plan::ActionConfigOf<RewriteConfig> {
  std::optional<sdk::ValueSource> path;
  std::optional<sdk::ValueSource> query;
  std::vector<HeaderRewrite> headers;
};

std::optional<v1::CompiledRewrite> CompileRewrite(const v1::RewriteParameters& parameters,
                                                  sdk::ActionCompileContext& context) {
  v1::CompiledRewrite out;
  bool ok = true;
  if (parameters.has_uri()) {
    if (plan::IsResponsePhase(context.phase())) {
      context.Error("uri", "a response phase cannot rewrite the URI");
      ok = false;
    }
    if (parameters.uri().has_path() &&
        !context.CompileValue(parameters.uri().path(), sdk::WireValue::kPath, "uri.path",
                              out.mutable_path())) {
      ok = false;
    }
    if (parameters.uri().has_query() &&
        !context.CompileValue(parameters.uri().query(), sdk::WireValue::kQuery, "uri.query",
                              out.mutable_query())) {
      ok = false;
    }
  }
  std::vector<std::pair<std::string, v1::HeaderRewrite>> headers(parameters.headers().begin(),
                                                                 parameters.headers().end());
  std::sort(headers.begin(), headers.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [name, spec] : headers) {
    const std::string path = "headers[\"" + name + "\"]";
    v1::CompiledHeaderRewrite* header = out.add_headers();
    header->set_name(absl::AsciiStrToLower(name));
    if (!context.CheckHeaderName(name, path)) ok = false;
    if (spec.operation() == "set") {
      header->set_operation(v1::CompiledHeaderRewrite::SET);
    } else if (spec.operation() == "add") {
      header->set_operation(v1::CompiledHeaderRewrite::ADD);
    } else if (spec.operation() == "remove") {
      header->set_operation(v1::CompiledHeaderRewrite::REMOVE);
      continue;
    } else {
      context.Error(path + ".operation",
                    "operation must be set, add or remove, got \"" + spec.operation() + "\"");
      ok = false;
      continue;
    }
    sdk::v1::ValueOrExpression source;
    source.set_value(spec.value());
    source.set_expression(spec.expression());
    if (!context.CompileValue(source, sdk::WireValue::kHeaderValue, path,
                              header->mutable_value())) {
      ok = false;
    }
  }
  if (!parameters.has_uri() && parameters.headers().empty()) {
    context.Error("", "a rewrite needs \"uri\" or \"headers\"");
    ok = false;
  }
  if (!ok) return std::nullopt;
  return out;
}

absl::StatusOr<RewriteConfig> LinkRewrite(const v1::CompiledRewrite& compiled,
                                          sdk::ActionLinkContext& context) {
  RewriteConfig config;
  if (compiled.has_path()) {
    auto path = context.LinkValue(compiled.path());
    if (!path.ok()) return path.status();
    config.path = *std::move(path);
  }
  if (compiled.has_query()) {
    auto query = context.LinkValue(compiled.query());
    if (!query.ok()) return query.status();
    config.query = *std::move(query);
  }
  for (const v1::CompiledHeaderRewrite& header : compiled.headers()) {
    HeaderRewrite linked;
    linked.name = header.name();
    linked.operation = header.operation();
    if (header.operation() != v1::CompiledHeaderRewrite::REMOVE) {
      auto value = context.LinkValue(header.value());
      if (!value.ok()) return value.status();
      linked.value = *std::move(value);
    }
    config.headers.push_back(std::move(linked));
  }
  return config;
}

// The rules of the phase that match, computed before any of them applies.
template <typename View>
std::vector<const plan::CompiledRule*> Matching(View& view) {
  const plan::CompiledRuleset& ruleset = view.ruleset();
  std::vector<size_t> matched;
  ruleset.matcher->MatchAll(view.fields(), &matched);
  std::vector<const plan::CompiledRule*> out;
  for (size_t index : matched) out.push_back(&ruleset.rules[index]);
  return out;
}

template <Phase P>
using RequestTransformPhase =
    sdk::DeclaredPhase<P, sdk::Inputs<RequestFields, OwnRuleset>,
                       sdk::Outputs<sdk::out::RewriteUri, sdk::out::RequestHeaders,
                                    sdk::out::RecordMatch>>;
using ResponseTransformPhase =
    sdk::DeclaredPhase<Phase::kResponseHeadersTransform, sdk::Inputs<RequestFields, OwnRuleset>,
                       sdk::Outputs<sdk::out::ResponseHeaders, sdk::out::RecordMatch>>;
using RequestView = RequestTransformPhase<Phase::kRequestTransform>::View;

void RunRequestTransforms(RequestView& view) {
  for (const plan::CompiledRule* rule : Matching(view)) {
    const auto& rewrite = rule->action_as<RewriteConfig>();
    view.RecordMatch(rule);
    if (rewrite.path.has_value()) view.RewritePath(rewrite.path->Resolve(view.fields()), rule);
    if (rewrite.query.has_value()) view.RewriteQuery(rewrite.query->Resolve(view.fields()), rule);
    for (const HeaderRewrite& header : rewrite.headers) {
      switch (header.operation) {
        case v1::CompiledHeaderRewrite::ADD:
          view.AddRequestHeader(header.name, header.value.Resolve(view.fields()), rule);
          break;
        case v1::CompiledHeaderRewrite::REMOVE:
          view.RemoveRequestHeader(header.name);
          break;
        default:
          view.SetRequestHeader(header.name, header.value.Resolve(view.fields()), rule);
          break;
      }
    }
  }
}

void RunResponseTransforms(ResponseTransformPhase::View& view) {
  for (const plan::CompiledRule* rule : Matching(view)) {
    const auto& rewrite = rule->action_as<RewriteConfig>();
    view.RecordMatch(rule);
    for (const HeaderRewrite& header : rewrite.headers) {
      switch (header.operation) {
        case v1::CompiledHeaderRewrite::ADD:
          view.AddResponseHeader(header.name, header.value.Resolve(view.fields()), rule);
          break;
        case v1::CompiledHeaderRewrite::REMOVE:
          view.RemoveResponseHeader(header.name);
          break;
        default:
          view.SetResponseHeader(header.name, header.value.Resolve(view.fields()), rule);
          break;
      }
    }
  }
}

}  // namespace

sdk::ProductDefinition TransformsProduct() {
  sdk::ProductDefinition product;
  product.name = "transforms";
  product.actions.push_back(
      sdk::DefineAction<v1::RewriteParameters, v1::CompiledRewrite, RewriteConfig>(
          "rewrite",
          {Phase::kRequestTransform, Phase::kLateTransform, Phase::kResponseHeadersTransform},
          CompileRewrite, LinkRewrite));
  product.phases.push_back(
      RequestTransformPhase<Phase::kRequestTransform>::Define(RunRequestTransforms));
  product.phases.push_back(
      RequestTransformPhase<Phase::kLateTransform>::Define(RunRequestTransforms));
  product.phases.push_back(ResponseTransformPhase::Define(RunResponseTransforms));
  return product;
}

GATEHOUSE_REGISTER_PRODUCT(TransformsProduct);

}  // namespace gatehouse::modules
