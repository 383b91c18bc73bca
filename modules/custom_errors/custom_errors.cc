#include "modules/custom_errors/custom_errors.h"

#include "modules/custom_errors/custom_errors.pb.h"
#include "modules/sdk/custom_response.h"
#include "modules/sdk/registry.h"

namespace gatehouse::modules {
namespace {

using plan::Phase;
using sdk::in::ClientIp;
using sdk::in::OwnRuleset;
using sdk::in::RayId;
using sdk::in::RequestFields;
namespace v1 = custom_errors::v1;

struct ServeErrorConfig : plan::ActionConfigOf<ServeErrorConfig> {
  sdk::ResponseConfig response;
};

std::optional<sdk::v1::CustomResponse> CompileServeError(
    const v1::ServeErrorParameters& parameters, sdk::ActionCompileContext& context) {
  sdk::v1::CustomResponse response;
  response.set_status_code(parameters.status_code());
  response.set_content_type(parameters.content_type());
  response.set_content(parameters.content());
  return sdk::CompileCustomResponse(response, 500, "text/html", 400, 599, context, "");
}

absl::StatusOr<ServeErrorConfig> LinkServeError(const sdk::v1::CustomResponse& compiled,
                                                sdk::ActionLinkContext&) {
  ServeErrorConfig config;
  config.response = sdk::LinkCustomResponse(compiled);
  return config;
}

using ErrorsPhase =
    sdk::DeclaredPhase<Phase::kCustomErrors, sdk::Inputs<RequestFields, ClientIp, RayId, OwnRuleset>,
                       sdk::Outputs<sdk::out::Respond, sdk::out::RecordMatch>>;

void RunCustomErrors(ErrorsPhase::View& view) {
  const plan::CompiledRuleset& ruleset = view.ruleset();
  const auto first = ruleset.matcher->FirstMatch(view.fields());
  if (!first.has_value()) return;
  const plan::CompiledRule& rule = ruleset.rules[*first];
  const auto& serve = rule.action_as<ServeErrorConfig>();
  view.RecordMatch(&rule);
  view.Respond(sdk::RenderCustomResponse(serve.response, view.ray_id(), view.client_ip()), &rule);
}

}  // namespace

sdk::ProductDefinition CustomErrorsProduct() {
  sdk::ProductDefinition product;
  product.name = "custom_errors";
  product.actions.push_back(
      sdk::DefineAction<v1::ServeErrorParameters, sdk::v1::CustomResponse, ServeErrorConfig>(
          "serve_error", {Phase::kCustomErrors}, CompileServeError, LinkServeError));
  product.phases.push_back(ErrorsPhase::Define(RunCustomErrors));
  return product;
}

GATEHOUSE_REGISTER_PRODUCT(CustomErrorsProduct);

}  // namespace gatehouse::modules
