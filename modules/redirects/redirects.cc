#include "modules/redirects/redirects.h"

#include <algorithm>
#include <iterator>

#include "modules/redirects/redirects.pb.h"
#include "modules/sdk/registry.h"

namespace gatehouse::modules {
namespace {

using plan::Phase;
namespace v1 = redirects::v1;

struct RedirectConfig : plan::ActionConfigOf<RedirectConfig> {
  int status_code = 301;
  sdk::ValueSource target_url;
  bool preserve_query_string = false;
};

std::optional<v1::CompiledRedirect> CompileRedirect(const v1::RedirectParameters& parameters,
                                                    sdk::ActionCompileContext& context) {
  const v1::RedirectFromValue& from = parameters.from_value();
  v1::CompiledRedirect out;
  out.set_status_code(from.status_code() == 0 ? 301 : from.status_code());
  static constexpr uint32_t kRedirectCodes[] = {301, 302, 303, 307, 308};
  bool ok = true;
  if (std::find(std::begin(kRedirectCodes), std::end(kRedirectCodes), out.status_code()) ==
      std::end(kRedirectCodes)) {
    context.Error("from_value.status_code",
                  "a redirect's status_code is 301, 302, 303, 307 or 308, got " +
                      std::to_string(out.status_code()));
    ok = false;
  }
  out.set_preserve_query_string(from.preserve_query_string());
  if (!context.CompileValue(from.target_url(), sdk::WireValue::kHeaderValue,
                            "from_value.target_url", out.mutable_target_url())) {
    ok = false;
  }
  if (!ok) return std::nullopt;
  return out;
}

absl::StatusOr<RedirectConfig> LinkRedirect(const v1::CompiledRedirect& compiled,
                                            sdk::ActionLinkContext& context) {
  RedirectConfig config;
  config.status_code = static_cast<int>(compiled.status_code());
  auto target = context.LinkValue(compiled.target_url());
  if (!target.ok()) return target.status();
  config.target_url = *std::move(target);
  config.preserve_query_string = compiled.preserve_query_string();
  return config;
}

using RedirectPhase =
    sdk::DeclaredPhase<Phase::kDynamicRedirect, sdk::Inputs<sdk::in::RequestFields, sdk::in::OwnRuleset>,
                       sdk::Outputs<sdk::out::Respond, sdk::out::RecordMatch>>;

void RunRedirects(RedirectPhase::View& view) {
  const plan::CompiledRuleset& ruleset = view.ruleset();
  const auto first = ruleset.matcher->FirstMatch(view.fields());
  if (!first.has_value()) return;
  const plan::CompiledRule& rule = ruleset.rules[*first];
  const auto& redirect = rule.action_as<RedirectConfig>();
  sdk::LocalResponse response;
  response.status = redirect.status_code;
  response.content_type = "text/plain";
  response.headers.emplace_back(
      "Location", RedirectLocation(redirect.target_url.Resolve(view.fields()), view.query(),
                                   redirect.preserve_query_string));
  response.body = "Redirecting to " + response.headers.back().second + "\n";
  view.RecordMatch(&rule);
  view.Respond(std::move(response), &rule);
}

}  // namespace

std::string RedirectLocation(std::string target, std::string_view query, bool keep_query) {
  if (!keep_query || query.empty()) return target;
  target += target.find('?') == std::string::npos ? '?' : '&';
  target += query;
  return target;
}

sdk::ProductDefinition RedirectsProduct() {
  sdk::ProductDefinition product;
  product.name = "redirects";
  product.actions.push_back(
      sdk::DefineAction<v1::RedirectParameters, v1::CompiledRedirect, RedirectConfig>(
          "redirect", {Phase::kDynamicRedirect}, CompileRedirect, LinkRedirect));
  product.phases.push_back(RedirectPhase::Define(RunRedirects));
  return product;
}

GATEHOUSE_REGISTER_PRODUCT(RedirectsProduct);

}  // namespace gatehouse::modules
