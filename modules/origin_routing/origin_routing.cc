#include "modules/origin_routing/origin_routing.h"

#include "absl/strings/ascii.h"
#include "common/host_ownership.h"
#include "modules/origin_routing/origin_routing.pb.h"
#include "modules/sdk/registry.h"

namespace gatehouse::modules {
namespace {

using plan::Phase;
namespace v1 = origin_routing::v1;

struct RouteConfig : plan::ActionConfigOf<RouteConfig> {
  sdk::Route route;
};

std::optional<v1::CompiledRoute> CompileRoute(const v1::RouteParameters& parameters,
                                              sdk::ActionCompileContext& context) {
  v1::CompiledRoute out;
  bool ok = true;
  const std::optional<size_t> origin = context.FindOrigin(parameters.origin());
  if (!origin.has_value()) {
    context.Error("origin", "unknown origin \"" + parameters.origin() +
                                "\"; this zone's origins are named in \"origins\"");
    ok = false;
  } else {
    out.set_origin_index(static_cast<uint32_t>(*origin));
  }
  if (!parameters.host_header().empty() &&
      !IsValidHostname(absl::AsciiStrToLower(parameters.host_header()), false)) {
    context.Error("host_header", "\"" + parameters.host_header() + "\" is not a host name");
    ok = false;
  }
  out.set_host_header(parameters.host_header());
  if (parameters.port() > 65535) {
    context.Error("port", "port must be from 1 to 65535");
    ok = false;
  }
  out.set_port(parameters.port());
  if (!ok) return std::nullopt;
  return out;
}

absl::StatusOr<RouteConfig> LinkRoute(const v1::CompiledRoute& compiled,
                                      sdk::ActionLinkContext& context) {
  if (compiled.origin_index() >= context.origin_count() || compiled.port() > 65535) {
    return absl::InvalidArgumentError("a route names an origin or port the zone does not have");
  }
  RouteConfig config;
  config.route = {compiled.origin_index(), compiled.host_header(),
                  static_cast<uint16_t>(compiled.port())};
  return config;
}

struct FallbackConfig : plan::ActionConfigOf<FallbackConfig> {};

std::optional<v1::FallbackParameters> CompileFallback(const v1::FallbackParameters& parameters,
                                                      sdk::ActionCompileContext&) {
  return parameters;
}

absl::StatusOr<FallbackConfig> LinkFallback(const v1::FallbackParameters&,
                                            sdk::ActionLinkContext&) {
  return FallbackConfig();
}

using OriginPhase = sdk::DeclaredPhase<
    Phase::kRequestOrigin, sdk::Inputs<sdk::in::RequestFields, sdk::in::OwnRuleset>,
    sdk::Outputs<sdk::out::Route, sdk::out::Fallback, sdk::out::RecordMatch>>;

void RunOriginRouting(OriginPhase::View& view) {
  const plan::CompiledRuleset& ruleset = view.ruleset();
  const auto first = ruleset.matcher->FirstMatch(view.fields());
  if (!first.has_value()) return;
  const plan::CompiledRule& rule = ruleset.rules[*first];
  view.RecordMatch(&rule);
  if (const auto* route = rule.action_if<RouteConfig>()) {
    view.ChooseRoute(route->route);
  } else {
    view.MarkNotHandled();
  }
}

}  // namespace

sdk::ProductDefinition OriginRoutingProduct() {
  sdk::ProductDefinition product;
  product.name = "origin_routing";
  product.actions.push_back(sdk::DefineAction<v1::RouteParameters, v1::CompiledRoute, RouteConfig>(
      "route", {Phase::kRequestOrigin}, CompileRoute, LinkRoute));
  product.actions.push_back(
      sdk::DefineAction<v1::FallbackParameters, v1::FallbackParameters, FallbackConfig>(
          "fallback", {Phase::kRequestOrigin}, CompileFallback, LinkFallback));
  product.phases.push_back(OriginPhase::Define(RunOriginRouting));
  return product;
}

GATEHOUSE_REGISTER_PRODUCT(OriginRoutingProduct);

}  // namespace gatehouse::modules
