#include "modules/managed_waf/managed_waf.h"

#include <algorithm>
#include <charconv>
#include <set>
#include <utility>

#include "modules/managed_waf/managed_waf.pb.h"
#include "modules/sdk/custom_response.h"
#include "modules/sdk/registry.h"
#include "waf/waf_program.pb.h"
#include "waf/zone_settings.h"

namespace gatehouse::modules {
namespace {

using plan::Phase;
using sdk::in::ClientIp;
using sdk::in::OwnRuleset;
using sdk::in::RayId;
using sdk::in::RequestFields;
namespace v1 = managed_waf::v1;

constexpr int64_t kMaxScoreThreshold = 100000;
constexpr std::string_view kCategoryPrefix = "attack-";

std::string Quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }

bool IsCategory(std::string_view tag) {
  return tag.size() > kCategoryPrefix.size() && tag.starts_with(kCategoryPrefix);
}

// The categories of a ruleset: its rules' "attack-*" tags, sorted.
std::set<std::string> Categories(const sdk::ManagedRulesetSummary& summary) {
  std::set<std::string> out;
  for (const sdk::ManagedRuleSummary& rule : summary.rules) {
    for (const std::string& tag : rule.tags) {
      if (IsCategory(tag)) out.insert(tag);
    }
  }
  return out;
}

// SecLang's severity names, by number (0 EMERGENCY .. 7 DEBUG); empty for none.
std::string SeverityName(int32_t severity) {
  static constexpr const char* kNames[] = {"EMERGENCY", "ALERT",  "CRITICAL", "ERROR",
                                           "WARNING",   "NOTICE", "INFO",     "DEBUG"};
  return severity >= 0 && severity < 8 ? kNames[severity] : "";
}

std::vector<sdk::ManagedRuleNote> Notes(
    const google::protobuf::RepeatedPtrField<waf::v1::OmittedRule>& rules) {
  std::vector<sdk::ManagedRuleNote> out;
  for (const waf::v1::OmittedRule& rule : rules) {
    out.push_back({rule.id(), rule.file(), static_cast<int>(rule.line()), rule.reason()});
  }
  return out;
}

std::string Joined(const std::set<std::string>& names) {
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

std::optional<v1::CompiledExecute> CompileExecute(const v1::ExecuteParameters& parameters,
                                                  sdk::ActionCompileContext& context) {
  bool ok = true;
  v1::CompiledExecute out;
  const sdk::ManagedRulesetSummary* summary = nullptr;
  if (parameters.id().empty()) {
    context.Error("id", "execute needs the id of a managed ruleset; available: " +
                            context.ManagedRulesetIds());
    ok = false;
  } else {
    summary = context.FindManagedRuleset(parameters.id());
    if (summary == nullptr) {
      context.Error("id", "unknown managed ruleset " + Quoted(parameters.id()) + "; available: " +
                              context.ManagedRulesetIds());
      ok = false;
    } else {
      out.set_ruleset_id(summary->id);
      out.set_ruleset_digest(summary->digest);
    }
  }
  const v1::Overrides& overrides = parameters.overrides();
  const int32_t level =
      overrides.has_paranoia_level() ? overrides.paranoia_level() : kDefaultParanoiaLevel;
  if (level < 1 || level > 4) {
    context.Error("overrides.paranoia_level",
                  "paranoia_level is 1 to 4, not " + std::to_string(level));
    ok = false;
  }
  out.set_paranoia_level(static_cast<uint32_t>(std::clamp(level, 1, 4)));
  const int64_t threshold =
      overrides.has_score_threshold() ? overrides.score_threshold() : kDefaultScoreThreshold;
  if (threshold <= 0 || threshold > kMaxScoreThreshold) {
    context.Error("overrides.score_threshold",
                  "score_threshold is above 0 and at most " + std::to_string(kMaxScoreThreshold) +
                      ", not " + std::to_string(threshold));
    ok = false;
  }
  out.set_score_threshold(threshold);
  if (overrides.action() == "log") {
    out.set_log_only(true);
  } else if (!overrides.action().empty() && overrides.action() != "block") {
    context.Error("overrides.action",
                  "action is \"block\" or \"log\", not " + Quoted(overrides.action()));
    ok = false;
  }

  std::set<std::string> categories;
  if (summary != nullptr) categories = Categories(*summary);
  std::set<std::string> seen;
  for (int i = 0; i < overrides.categories_size(); ++i) {
    const v1::CategoryOverride& category = overrides.categories(i);
    const std::string path = "overrides.categories[" + std::to_string(i) + "]";
    if (category.category().empty()) {
      context.Error(path + ".category", "a category override names its category (\"attack-sqli\")");
      ok = false;
      continue;
    }
    if (summary != nullptr && categories.count(category.category()) == 0) {
      context.Error(path + ".category", "unknown category " + Quoted(category.category()) +
                                            " in " + summary->id + "; its categories are " +
                                            Joined(categories));
      ok = false;
      continue;
    }
    if (!seen.insert(category.category()).second) {
      context.Error(path + ".category",
                    "category " + Quoted(category.category()) + " is overridden twice");
      ok = false;
      continue;
    }
    if (category.has_enabled() && !category.enabled()) {
      out.add_disabled_categories(category.category());
    }
  }

  seen.clear();
  for (int i = 0; i < overrides.rules_size(); ++i) {
    const v1::RuleOverride& rule = overrides.rules(i);
    const std::string path = "overrides.rules[" + std::to_string(i) + "]";
    if (rule.id().empty()) {
      context.Error(path + ".id", "a rule override names its rule (\"942100\")");
      ok = false;
      continue;
    }
    if (summary != nullptr && summary->FindRule(rule.id()) == nullptr) {
      context.Error(path + ".id",
                    "unknown rule id " + Quoted(rule.id()) + " in " + summary->id + " (" +
                        summary->version + ")");
      ok = false;
      continue;
    }
    if (!seen.insert(rule.id()).second) {
      context.Error(path + ".id", "rule " + Quoted(rule.id()) + " is overridden twice");
      ok = false;
      continue;
    }
    const bool disabled = rule.has_enabled() && !rule.enabled();
    const std::string& action = rule.action();
    if (action != "" && action != "default" && action != "block" && action != "log") {
      context.Error(path + ".action",
                    "action is \"block\", \"log\" or \"default\", not " + Quoted(action));
      ok = false;
      continue;
    }
    if (disabled && (action == "block" || action == "log")) {
      context.Error(path + ".action", "a disabled rule takes no action");
      ok = false;
      continue;
    }
    if (disabled) out.add_disabled_rules(rule.id());
    if (rule.has_enabled() && rule.enabled()) out.add_enabled_rules(rule.id());
    if (action == "block") out.add_block_rules(rule.id());
    if (action == "log") out.add_log_rules(rule.id());
  }
  if (!ok) return std::nullopt;
  // The proxy reads this much of a body before the request phases, so the rules see it.
  context.InspectBodyBytes(kManagedInspectBodyBytes);
  return out;
}

// The index of the rule with this id; nullopt when the ruleset has none.
std::optional<size_t> FindRuleIndex(const waf::LinkedProgram& program, std::string_view id) {
  int64_t number = 0;
  const auto [end, error] = std::from_chars(id.data(), id.data() + id.size(), number);
  if (error != std::errc() || end != id.data() + id.size() || number <= 0) return std::nullopt;
  return program.FindRule(number);
}

// Turns off the rules named by id: a zone's disabled overrides, and a request's skipped rules.
// An id the linked ruleset lacks (it changed since the zone was compiled: another CRS release)
// is passed over: there is nothing left to turn off.
template <typename Ids>
void DisableRules(const waf::LinkedProgram& program, const Ids& ids,
                  waf::EvaluationSettings* settings) {
  for (const std::string& id : ids) {
    if (const std::optional<size_t> index = FindRuleIndex(program, id)) {
      settings->modes[*index] = waf::RuleMode::kDisabled;
      settings->visits.TurnOff(*index);
    }
  }
}

absl::StatusOr<ExecuteConfig> LinkExecute(const v1::CompiledExecute& compiled,
                                          sdk::ActionLinkContext& context) {
  std::shared_ptr<const sdk::LinkedManagedRuleset> found =
      context.FindManagedRuleset(compiled.ruleset_id());
  if (found == nullptr) {
    return absl::FailedPreconditionError(
        "managed ruleset " + Quoted(compiled.ruleset_id()) +
        " is not in this snapshot (it carries: " + context.ManagedRulesetIds() +
        "); is the control plane running with --no-managed-rulesets or without the CRS?");
  }
  auto ruleset = std::dynamic_pointer_cast<const LinkedWafRuleset>(found);
  if (ruleset == nullptr) {
    return absl::FailedPreconditionError("managed ruleset " + Quoted(compiled.ruleset_id()) +
                                         " is not one the managed WAF runs");
  }
  if (compiled.paranoia_level() < 1 || compiled.paranoia_level() > 4 ||
      compiled.score_threshold() <= 0) {
    return absl::InvalidArgumentError("paranoia level or score threshold out of range");
  }
  const waf::LinkedProgram& program = ruleset->program();
  ExecuteConfig config;
  config.ruleset_id = compiled.ruleset_id();
  config.ruleset = ruleset;
  config.block = !compiled.log_only();
  config.paranoia_level = compiled.paranoia_level();
  config.score_threshold = compiled.score_threshold();

  // The zone's paranoia level and threshold into TX; rules above the level off.
  config.settings = waf::ZoneSettings(program, config.paranoia_level, config.score_threshold);
  // Built here, at link, rather than by the zone's first request.
  program.prefilter(config.paranoia_level);
  const std::vector<waf::LinkedRule>& rules = program.rules();
  std::vector<waf::RuleMode>& modes = config.settings.modes;
  // Rules in a category turned off.
  std::vector<bool> by_category(rules.size(), false);
  for (size_t i = 0; i < rules.size(); ++i) {
    if (modes[i] == waf::RuleMode::kDisabled) continue;
    for (const std::string& category : compiled.disabled_categories()) {
      if (rules[i].HasTag(category)) {
        modes[i] = waf::RuleMode::kDisabled;
        by_category[i] = true;
        break;
      }
    }
  }
  // Rule overrides name rules of the ruleset the zone was compiled against. A rule the linked
  // ruleset lacks (it changed since: another CRS release) is passed over: the override has
  // nothing left to change.
  for (const std::string& id : compiled.enabled_rules()) {
    const std::optional<size_t> index = FindRuleIndex(program, id);
    if (index.has_value() && by_category[*index]) {
      modes[*index] = waf::RuleMode::kDefault;
      by_category[*index] = false;
    }
  }
  const auto apply = [&](const auto& ids, waf::RuleMode mode) {
    for (const std::string& id : ids) {
      const std::optional<size_t> index = FindRuleIndex(program, id);
      if (!index.has_value()) continue;
      // A rule above the paranoia level stays off: the ruleset's gates skip it anyway; so does
      // one whose category is off.
      if (rules[*index].paranoia_level > config.paranoia_level || by_category[*index]) continue;
      modes[*index] = mode;
    }
  };
  DisableRules(program, compiled.disabled_rules(), &config.settings);
  apply(compiled.log_rules(), waf::RuleMode::kLogOnly);
  apply(compiled.block_rules(), waf::RuleMode::kBlock);
  config.settings.visits =
      waf::PlanVisits(program, config.settings.modes, config.settings.decisions);
  return config;
}

const sdk::ResponseConfig& BlockResponse() {
  // waf_custom's default block response: the zone's block page.
  static const sdk::ResponseConfig kResponse{403, "text/plain",
                                             "Access denied. Ray ID: ::RAY_ID::\n"};
  return kResponse;
}

using ManagedPhase = sdk::DeclaredPhase<
    Phase::kFirewallManaged,
    sdk::Inputs<RequestFields, ClientIp, RayId, OwnRuleset, sdk::in::SkippedManagedRules>,
    sdk::Outputs<sdk::out::Respond, sdk::out::RecordMatch>>;

void RunManaged(ManagedPhase::View& view) {
  // One evaluator per worker thread: it keeps its memory (transformation cache, TX, collections)
  // from request to request. The SDK has no per-worker product scratch yet (runtime/workers'
  // WorkerSlot is the runtime's own); until it has, a thread_local is that, since a worker is a
  // thread and a phase never yields.
  thread_local waf::Evaluator evaluator;
  thread_local waf::EvaluationResult result;
  thread_local std::vector<size_t> matched;
  thread_local std::vector<std::string> ids;
  // The zone's settings with the rules a `skip` turned off for this request also off.
  thread_local waf::EvaluationSettings masked;
  const plan::CompiledRuleset& ruleset = view.ruleset();
  matched.clear();
  ruleset.matcher->MatchAll(view.fields(), &matched);
  for (size_t index : matched) {
    const plan::CompiledRule& rule = ruleset.rules[index];
    const auto& config = rule.action_as<ExecuteConfig>();
    const waf::LinkedProgram& program = config.ruleset->program();
    const waf::EvaluationSettings* settings = &config.settings;
    if (const std::span<const std::string> skipped =
            view.skipped_managed_rules(config.ruleset_id);
        !skipped.empty()) {
      masked = config.settings;
      DisableRules(program, skipped, &masked);
      settings = &masked;
    }
    result.Clear();
    evaluator.Evaluate(program, view.fields().request(), *settings, &result);
    if (result.matches.empty() && !result.denied) continue;
    ids.clear();
    const auto add = [&](uint32_t rule_index) {
      const std::string& id = program.rules()[rule_index].id_text;
      if (!id.empty() && std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
    };
    for (const waf::RuleMatch& match : result.matches) add(match.rule_index);
    if (result.denied) add(result.deny_rule);
    view.RecordMatch(&rule);
    view.RecordManagedMatches(config.ruleset_id, ids, result.anomaly_score);
    if (result.denied && config.block) {
      view.Respond(sdk::RenderCustomResponse(BlockResponse(), view.ray_id(), view.client_ip()),
                   &rule);
      return;
    }
  }
}

absl::StatusOr<std::shared_ptr<const sdk::LinkedManagedRuleset>> LinkWafProgram(
    const google::protobuf::Any& any) {
  waf::v1::WafProgram program;
  if (!any.UnpackTo(&program)) {
    return absl::InvalidArgumentError("the compiled ruleset is not a gatehouse.waf.v1.WafProgram");
  }
  auto linked = waf::LinkedProgram::Link(program);
  if (!linked.ok()) return linked.status();
  return std::shared_ptr<const sdk::LinkedManagedRuleset>(
      std::make_shared<const LinkedWafRuleset>(*std::move(linked)));
}

}  // namespace

absl::StatusOr<sdk::ManagedRulesetSummary> SummarizeWafProgram(const google::protobuf::Any& any) {
  waf::v1::WafProgram program;
  if (!any.UnpackTo(&program)) {
    return absl::InvalidArgumentError("the compiled ruleset is not a gatehouse.waf.v1.WafProgram");
  }
  sdk::ManagedRulesetSummary summary;
  summary.id = program.ruleset_id();
  summary.version = program.ruleset_version();
  summary.digest = program.source_digest();
  for (const waf::v1::Rule& rule : program.rules()) {
    if (rule.id().empty()) continue;
    sdk::ManagedRuleSummary& out = summary.rules.emplace_back();
    out.id = rule.id();
    out.tags.assign(rule.tags().begin(), rule.tags().end());
    out.paranoia_level = static_cast<int>(rule.paranoia_level());
    out.phase = static_cast<int>(rule.phase());
    // A category override turns off every rule with the tag; CRS gives a rule one at most.
    for (const std::string& tag : rule.tags()) {
      if (IsCategory(tag)) {
        out.category = tag;
        break;
      }
    }
    out.severity = SeverityName(rule.severity());
    out.file = rule.file();
    out.line = static_cast<int>(rule.line());
    out.message = rule.msg();
  }
  summary.omitted = Notes(program.omitted());
  summary.adjusted = Notes(program.adjusted());
  return summary;
}

sdk::ProductDefinition ManagedWafProduct() {
  sdk::ProductDefinition product;
  product.name = "managed_waf";
  product.actions.push_back(
      sdk::DefineAction<v1::ExecuteParameters, v1::CompiledExecute, ExecuteConfig>(
          "execute", {Phase::kFirewallManaged}, CompileExecute, LinkExecute));
  product.phases.push_back(ManagedPhase::Define(RunManaged));
  sdk::ManagedRulesetDefinition waf_program;
  waf_program.type_name = waf::v1::WafProgram::descriptor()->full_name();
  waf_program.link = LinkWafProgram;
  waf_program.summarize = SummarizeWafProgram;
  product.managed_rulesets.push_back(std::move(waf_program));
  return product;
}

GATEHOUSE_REGISTER_PRODUCT(ManagedWafProduct);

}  // namespace gatehouse::modules
