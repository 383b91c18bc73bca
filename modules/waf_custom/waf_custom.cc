#include "modules/waf_custom/waf_custom.h"

#include <map>
#include <set>
#include <utility>

#include "modules/sdk/registry.h"
#include "modules/waf_custom/waf_custom.pb.h"

namespace gatehouse::modules {
namespace {

using plan::Phase;
using sdk::in::ClientIp;
using sdk::in::OwnRuleset;
using sdk::in::RayId;
using sdk::in::RequestFields;
namespace v1 = waf_custom::v1;

struct BlockConfig : plan::ActionConfigOf<BlockConfig> {
  sdk::ResponseConfig response;
};
struct LogConfig : plan::ActionConfigOf<LogConfig> {};
struct SkipConfig : plan::ActionConfigOf<SkipConfig> {
  bool rest_of_ruleset = false;
  std::vector<Phase> phases;
  std::vector<std::string> products;
  // Managed ruleset id -> rule ids.
  std::vector<std::pair<std::string, std::vector<std::string>>> managed_rules;
};

std::optional<v1::CompiledBlock> CompileBlock(const v1::BlockParameters& parameters,
                                              sdk::ActionCompileContext& context) {
  v1::CompiledBlock out;
  if (parameters.has_response()) {
    auto response = sdk::CompileCustomResponse(parameters.response(), 403, "text/plain", 400, 499,
                                               context, "response");
    if (!response.has_value()) return std::nullopt;
    *out.mutable_response() = *std::move(response);
  }
  return out;
}

absl::StatusOr<BlockConfig> LinkBlock(const v1::CompiledBlock& compiled, sdk::ActionLinkContext&) {
  BlockConfig config;
  config.response = compiled.has_response() ? sdk::LinkCustomResponse(compiled.response())
                                            : DefaultBlockResponse();
  return config;
}

std::optional<v1::LogParameters> CompileLog(const v1::LogParameters& parameters,
                                            sdk::ActionCompileContext&) {
  return parameters;
}

absl::StatusOr<LogConfig> LinkLog(const v1::LogParameters&, sdk::ActionLinkContext&) {
  return LogConfig();
}

// A phase `skip` may turn off: a request phase after the rule's own.
bool IsSkippablePhase(std::optional<Phase> skipped, Phase from) {
  return skipped.has_value() && plan::PhaseIndex(*skipped) > plan::PhaseIndex(from) &&
         !plan::IsResponsePhase(*skipped);
}

// "rules": each ruleset one the compile knows, each rule id one of its rules, named once.
bool CompileSkippedManagedRules(const v1::SkipParameters& parameters,
                                sdk::ActionCompileContext& context) {
  bool ok = true;
  // Sorted, so that errors come in the same order every time.
  std::map<std::string, const google::protobuf::ListValue*> rulesets;
  for (const auto& [id, list] : parameters.rules()) rulesets.emplace(id, &list);
  for (const auto& [ruleset_id, list] : rulesets) {
    const std::string path = "rules." + ruleset_id;
    const sdk::ManagedRulesetSummary* summary = context.FindManagedRuleset(ruleset_id);
    if (summary == nullptr) {
      context.Error(path, "unknown managed ruleset \"" + ruleset_id +
                              "\"; available: " + context.ManagedRulesetIds());
      ok = false;
      continue;
    }
    if (list->values().empty()) {
      context.Error(path, "names no rule; give rule ids of " + ruleset_id + ", as [\"942100\"]");
      ok = false;
    }
    std::set<std::string> seen;
    for (int i = 0; i < list->values_size(); ++i) {
      const std::string item_path = path + "[" + std::to_string(i) + "]";
      const google::protobuf::Value& value = list->values(i);
      if (value.kind_case() != google::protobuf::Value::kStringValue) {
        context.Error(item_path, "a rule id is a string, as \"942100\"");
        ok = false;
        continue;
      }
      const std::string& rule_id = value.string_value();
      if (summary->FindRule(rule_id) == nullptr) {
        context.Error(item_path, "unknown rule id \"" + rule_id + "\" in " + summary->id + " (" +
                                     summary->version + ")");
        ok = false;
        continue;
      }
      if (!seen.insert(rule_id).second) {
        context.Error(item_path, "rule \"" + rule_id + "\" is named twice");
        ok = false;
      }
    }
  }
  return ok;
}

std::optional<v1::SkipParameters> CompileSkip(const v1::SkipParameters& parameters,
                                              sdk::ActionCompileContext& context) {
  bool ok = CompileSkippedManagedRules(parameters, context);
  if (!parameters.ruleset().empty() && parameters.ruleset() != "current") {
    context.Error("ruleset", "ruleset must be \"current\"");
    ok = false;
  }
  for (int i = 0; i < parameters.phases_size(); ++i) {
    if (!IsSkippablePhase(plan::PhaseFromName(parameters.phases(i)), context.phase())) {
      context.Error("phases[" + std::to_string(i) + "]",
                    "\"" + parameters.phases(i) + "\" is not a request phase after " +
                        std::string(plan::PhaseName(context.phase())));
      ok = false;
    }
  }
  const sdk::ProductRegistry& products = sdk::ProductRegistry::Linked();
  for (int i = 0; i < parameters.products_size(); ++i) {
    if (products.FindProduct(parameters.products(i)) == nullptr) {
      context.Error("products[" + std::to_string(i) + "]",
                    "unknown product \"" + parameters.products(i) + "\"; expected " +
                        products.ProductNames());
      ok = false;
    }
  }
  const int given =
      (parameters.ruleset().empty() ? 0 : 1) + (parameters.phases_size() > 0 ? 1 : 0) +
      (parameters.products_size() > 0 ? 1 : 0) + (parameters.rules().empty() ? 0 : 1);
  if (given != 1) {
    context.Error("", "skip needs exactly one of \"ruleset\": \"current\", \"phases\", "
                      "\"products\" or \"rules\"");
    ok = false;
  }
  if (!ok) return std::nullopt;
  return parameters;
}

absl::StatusOr<SkipConfig> LinkSkip(const v1::SkipParameters& compiled, sdk::ActionLinkContext&) {
  SkipConfig config;
  config.rest_of_ruleset = compiled.ruleset() == "current";
  for (const std::string& name : compiled.phases()) {
    const std::optional<Phase> phase = plan::PhaseFromName(name);
    if (!IsSkippablePhase(phase, Phase::kFirewallCustom)) {
      return absl::InvalidArgumentError("skip names phase \"" + name + "\", not one it can skip");
    }
    config.phases.push_back(*phase);
  }
  config.products.assign(compiled.products().begin(), compiled.products().end());
  for (const auto& [ruleset, list] : compiled.rules()) {
    std::vector<std::string>& ids =
        config.managed_rules.emplace_back(ruleset, std::vector<std::string>()).second;
    for (const google::protobuf::Value& value : list.values()) ids.push_back(value.string_value());
  }
  return config;
}

using FirewallPhase =
    sdk::DeclaredPhase<Phase::kFirewallCustom, sdk::Inputs<RequestFields, ClientIp, RayId, OwnRuleset>,
                       sdk::Outputs<sdk::out::Respond, sdk::out::Skip, sdk::out::RecordMatch>>;

void RunFirewall(FirewallPhase::View& view) {
  const plan::CompiledRuleset& ruleset = view.ruleset();
  std::vector<size_t> matched;
  ruleset.matcher->MatchAll(view.fields(), &matched);
  for (size_t index : matched) {
    const plan::CompiledRule& rule = ruleset.rules[index];
    view.RecordMatch(&rule);
    if (const auto* block = rule.action_if<BlockConfig>()) {
      view.Respond(sdk::RenderCustomResponse(block->response, view.ray_id(), view.client_ip()),
                   &rule);
      return;
    }
    if (const auto* skip = rule.action_if<SkipConfig>()) {
      for (Phase phase : skip->phases) view.SkipPhase(phase);
      for (const std::string& product : skip->products) view.SkipProduct(product);
      for (const auto& [ruleset, ids] : skip->managed_rules) view.SkipManagedRules(ruleset, ids);
      if (skip->rest_of_ruleset) return;
    }
    // log: recorded, and the next rule runs.
  }
}

}  // namespace

const sdk::ResponseConfig& DefaultBlockResponse() {
  static const sdk::ResponseConfig kResponse{403, "text/plain",
                                             "Access denied. Ray ID: ::RAY_ID::\n"};
  return kResponse;
}

sdk::ProductDefinition WafCustomProduct() {
  sdk::ProductDefinition product;
  product.name = "waf_custom";
  const std::vector<Phase> firewall = {Phase::kFirewallCustom};
  product.actions.push_back(sdk::DefineAction<v1::BlockParameters, v1::CompiledBlock, BlockConfig>(
      "block", firewall, CompileBlock, LinkBlock));
  product.actions.push_back(sdk::DefineAction<v1::LogParameters, v1::LogParameters, LogConfig>(
      "log", firewall, CompileLog, LinkLog));
  product.actions.push_back(sdk::DefineAction<v1::SkipParameters, v1::SkipParameters, SkipConfig>(
      "skip", firewall, CompileSkip, LinkSkip));
  product.phases.push_back(FirewallPhase::Define(RunFirewall));
  return product;
}

GATEHOUSE_REGISTER_PRODUCT(WafCustomProduct);

}  // namespace gatehouse::modules
