#include "tests/example_product/request_stamp.h"

#include "absl/strings/ascii.h"
#include "modules/sdk/registry.h"
#include "tests/example_product/request_stamp.pb.h"

namespace gatehouse::examples {
namespace {

using plan::Phase;
namespace v1 = request_stamp::v1;

// What the phase reads: the linked form of one rule's parameters.
struct StampConfig : plan::ActionConfigOf<StampConfig> {
  std::string header;
  sdk::ValueSource value;
};

// Control plane: validate the parameters and compile the value.
std::optional<v1::CompiledStamp> CompileStamp(const v1::StampParameters& parameters,
                                              sdk::ActionCompileContext& context) {
  v1::CompiledStamp out;
  bool ok = true;
  if (parameters.header().empty()) {
    context.Error("header", "a stamp needs a header name");
    ok = false;
  } else if (!context.CheckHeaderName(parameters.header(), "header")) {
    ok = false;
  }
  out.set_header(absl::AsciiStrToLower(parameters.header()));
  if (!context.CompileValue(parameters.value(), sdk::WireValue::kHeaderValue, "value",
                            out.mutable_value())) {
    ok = false;
  }
  if (!ok) return std::nullopt;
  return out;
}

// Proxy: link the compiled form.
absl::StatusOr<StampConfig> LinkStamp(const v1::CompiledStamp& compiled,
                                      sdk::ActionLinkContext& context) {
  StampConfig config;
  config.header = compiled.header();
  auto value = context.LinkValue(compiled.value());
  if (!value.ok()) return value.status();
  config.value = *std::move(value);
  return config;
}

// The phase: what it reads and writes is declared, and only that is offered.
using StampPhase = sdk::DeclaredPhase<
    Phase::kRequestSanitize, sdk::Inputs<sdk::in::RequestFields, sdk::in::OwnRuleset>,
    sdk::Outputs<sdk::out::RequestHeaders, sdk::out::RecordMatch>>;

void RunStamps(StampPhase::View& view) {
  std::vector<size_t> matched;
  view.ruleset().matcher->MatchAll(view.fields(), &matched);
  for (size_t index : matched) {
    const plan::CompiledRule& rule = view.ruleset().rules[index];
    const auto& stamp = rule.action_as<StampConfig>();
    view.RecordMatch(&rule);
    view.SetRequestHeader(stamp.header, stamp.value.Resolve(view.fields()), &rule);
  }
}

}  // namespace

sdk::ProductDefinition RequestStampProduct() {
  sdk::ProductDefinition product;
  product.name = "request_stamp";
  product.actions.push_back(sdk::DefineAction<v1::StampParameters, v1::CompiledStamp, StampConfig>(
      "stamp", {Phase::kRequestSanitize}, CompileStamp, LinkStamp));
  product.phases.push_back(StampPhase::Define(RunStamps));
  return product;
}

GATEHOUSE_REGISTER_PRODUCT(RequestStampProduct);

}  // namespace gatehouse::examples
