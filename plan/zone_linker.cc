#include "plan/zone_linker.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "rules/ir_linker.h"
#include "rules/ir_version.h"

namespace gatehouse::plan {
namespace {

// Links one program; keeps the zone's expression state (lists, shared sub-plans).
class ZoneLinking : public sdk::ActionLinkContext {
 public:
  ZoneLinking(const v1::ZoneProgram& program, const LinkOptions& options)
      : program_(program),
        options_(options),
        products_(options.products != nullptr ? *options.products
                                              : sdk::ProductRegistry::Linked()) {}

  absl::StatusOr<std::shared_ptr<const ZonePlan>> Run() {
    if (program_.program_version() != kProgramVersion) {
      return absl::FailedPreconditionError(
          "zone " + program_.zone() + " was compiled into program version " +
          std::to_string(program_.program_version()) + "; this proxy links version " +
          std::to_string(kProgramVersion));
    }
    if (auto status = rules::CheckIrVersion(program_.ir_version()); !status.ok()) {
      return Fail("rules", status);
    }
    auto plan = std::make_shared<ZonePlan>();
    plan_ = plan.get();
    plan->zone = program_.zone();
    plan->config_hash = program_.config_hash();
    plan->hostnames.assign(program_.hostnames().begin(), program_.hostnames().end());
    plan->max_request_body_bytes = program_.max_request_body_bytes();
    plan->inspect_body_bytes = program_.inspect_body_bytes();
    plan->shadow = program_.shadow();
    if (!program_.fallback().empty()) {
      auto fallback = ParseHostPort(program_.fallback(), /*allow_zero_port=*/false);
      if (!fallback.ok()) return Fail("settings.fallback", fallback.status());
      plan->fallback = *std::move(fallback);
    }
    for (const v1::Origin& origin : program_.origins()) {
      CompiledOrigin linked;
      linked.name = origin.name();
      for (const std::string& server : origin.servers()) {
        auto parsed = ParseHostPort(server, /*allow_zero_port=*/false);
        if (!parsed.ok()) return Fail("origin " + origin.name(), parsed.status());
        linked.servers.push_back(*std::move(parsed));
      }
      plan->origins.push_back(std::move(linked));
    }
    if (plan->origins.empty()) return Fail("origins", absl::InvalidArgumentError("none"));
    if (auto status = LinkLists(); !status.ok()) return status;
    const PrecompiledPrefilters carried = ReadPrefilters(program_);
    const PrecompiledPrefilters& prefilters =
        options_.prefilters != nullptr ? *options_.prefilters : carried;
    for (const v1::Ruleset& ruleset : program_.rulesets()) {
      if (auto status = LinkRuleset(ruleset, prefilters); !status.ok()) return status;
    }
    return std::shared_ptr<const ZonePlan>(std::move(plan));
  }

  absl::StatusOr<sdk::ValueSource> LinkValue(const sdk::v1::CompiledValue& compiled) override {
    sdk::ValueSource value;
    value.text = compiled.text();
    if (!compiled.has_expression()) return value;
    auto expression = expressions_->LinkValue(compiled.expression());
    if (!expression.ok()) return expression.status();
    value.expression = *std::move(expression);
    return value;
  }

  size_t origin_count() const override { return plan_->origins.size(); }

  std::shared_ptr<const sdk::LinkedManagedRuleset> FindManagedRuleset(
      std::string_view id) override {
    if (options_.managed_rulesets == nullptr) return nullptr;
    const sdk::ManagedRulesetSet::Entry* entry = options_.managed_rulesets->Find(id);
    if (entry == nullptr) return nullptr;
    // Which digest the plan was linked against: a snapshot whose ruleset changed relinks it.
    auto& used = plan_->managed_rulesets;
    if (std::find_if(used.begin(), used.end(), [&](const auto& u) { return u.first == id; }) ==
        used.end()) {
      used.emplace_back(entry->id, entry->digest);
    }
    return entry->linked;
  }

  std::string ManagedRulesetIds() const override {
    return options_.managed_rulesets == nullptr ? "none" : options_.managed_rulesets->Ids();
  }

 private:
  absl::Status Fail(const std::string& where, const absl::Status& status) const {
    return absl::Status(status.code(), "zone " + program_.zone() + ", " + where + ": " +
                                           std::string(status.message()));
  }

  absl::Status LinkLists() {
    // Only the account lists the program names, so an unrelated list never shadows or joins it.
    rules::ListTable named;
    for (const std::string& name : program_.account_lists()) {
      const rules::CompiledList* list = nullptr;
      if (options_.account_lists != nullptr) {
        const auto found = options_.account_lists->find(name);
        if (found != options_.account_lists->end()) list = &found->second;
      }
      if (list == nullptr) {
        return Fail("lists", absl::FailedPreconditionError("account-level list $" + name +
                                                           " is not in the snapshot"));
      }
      named.emplace(name, *list);
    }
    auto linker = rules::ExpressionLinker::Create(program_.lists(), options_.limits, &named);
    if (!linker.ok()) return Fail("lists", linker.status());
    expressions_.emplace(*std::move(linker));
    return absl::OkStatus();
  }

  absl::Status LinkRuleset(const v1::Ruleset& ruleset, const PrecompiledPrefilters& prefilters) {
    const std::optional<Phase> phase = PhaseFromName(ruleset.phase());
    if (!phase.has_value()) {
      return Fail("ruleset", absl::InvalidArgumentError("unknown phase \"" + ruleset.phase() + "\""));
    }
    const sdk::ProductDefinition* owner = products_.PhaseOwner(*phase);
    if (owner == nullptr) {
      return Fail(ruleset.phase(),
                  absl::FailedPreconditionError("no product linked into this proxy runs the phase"));
    }
    auto& slot = plan_->rulesets[PhaseIndex(*phase)];
    if (slot.has_value()) {
      return Fail(ruleset.phase(), absl::InvalidArgumentError("a second ruleset for the phase"));
    }
    slot.emplace();
    slot->phase = *phase;
    std::vector<rules::PhaseRule> phase_rules;
    for (const v1::Rule& rule : ruleset.rules()) {
      const sdk::ProductRegistry::Action* action = products_.FindAction(rule.action());
      if (action == nullptr || action->product != owner) {
        return Fail("rule " + rule.id(),
                    absl::FailedPreconditionError("action \"" + rule.action() +
                                                  "\" is not one product " + owner->name +
                                                  " of this proxy runs in " + ruleset.phase()));
      }
      auto filter = expressions_->LinkFilter(rule.filter());
      if (!filter.ok()) return Fail("rule " + rule.id() + " filter", filter.status());
      rules::PhaseRule phase_rule = *std::move(filter);
      auto config = action->action->link(rule.parameters(), *this);
      if (!config.ok()) return Fail("rule " + rule.id(), config.status());
      CompiledRule linked;
      linked.id = rule.id();
      linked.action_name = rule.action();
      linked.filter = phase_rule.filter;
      linked.action = *std::move(config);
      slot->rules.push_back(std::move(linked));
      phase_rules.push_back(std::move(phase_rule));
    }
    const auto found = prefilters.find(*phase);
    auto matcher = rules::PhaseMatcher::Build(std::move(phase_rules),
                                              found == prefilters.end() ? nullptr : &found->second);
    if (!matcher.ok()) return Fail(ruleset.phase(), matcher.status());
    slot->matcher = *std::move(matcher);
    return absl::OkStatus();
  }

  const v1::ZoneProgram& program_;
  const LinkOptions& options_;
  const sdk::ProductRegistry& products_;
  ZonePlan* plan_ = nullptr;
  std::optional<rules::ExpressionLinker> expressions_;
};

}  // namespace

absl::StatusOr<std::shared_ptr<const ZonePlan>> LinkZone(const v1::ZoneProgram& program,
                                                         const LinkOptions& options) {
  return ZoneLinking(program, options).Run();
}

PrecompiledPrefilters ReadPrefilters(const v1::ZoneProgram& program) {
  PrecompiledPrefilters out;
  for (const auto& database : program.prefilters()) {
    const auto phase = PhaseFromName(database.phase());
    if (!phase.has_value()) continue;  // a newer control plane's phase: compile instead
    out[*phase].push_back({database.field(), database.pattern_digest(), database.database()});
  }
  return out;
}

void AddPrefilters(const ZonePlan& plan, v1::ZoneProgram* program) {
  program->clear_prefilters();
  for (const auto& ruleset : plan.rulesets) {
    if (!ruleset.has_value() || ruleset->matcher == nullptr) continue;
    for (rules::SerializedDatabase& database : ruleset->matcher->Serialize()) {
      auto* out = program->add_prefilters();
      out->set_phase(std::string(PhaseName(ruleset->phase)));
      out->set_field(database.field);
      out->set_pattern_digest(std::move(database.pattern_digest));
      out->set_database(std::move(database.bytes));
    }
  }
}

}  // namespace gatehouse::plan
