#include "waf/visit_plan.h"

namespace gatehouse::waf {

VisitPlan PlanVisits(const LinkedProgram& program, const std::vector<RuleMode>& modes,
                     const std::vector<RuleDecision>& decisions) {
  const std::vector<LinkedRule>& rules = program.rules();
  VisitPlan plan;
  plan.effective.Reset(rules.size());
  plan.jumps.Reset(rules.size());
  plan.jump_targets.assign(rules.size(), 0);
  for (size_t index = 0; index < rules.size(); ++index) {
    const LinkedRule& rule = rules[index];
    const RuleMode mode = modes.empty() ? RuleMode::kDefault : modes[index];
    const RuleDecision decision = decisions.empty() ? RuleDecision::kUndecided : decisions[index];
    if (mode == RuleMode::kDisabled || (rule.inert && mode != RuleMode::kBlock) ||
        decision == RuleDecision::kFails) {
      continue;
    }
    plan.effective.Set(index);
    // A decided match that logs nothing, refuses nothing and allows nothing: only its skip is
    // left. (One without a skip is still visited: a ctl:ruleEngine=Off earlier in the request
    // ends evaluation at the next rule that matches.)
    if (decision == RuleDecision::kMatches && rule.skip_to != 0 && !rule.log &&
        mode != RuleMode::kBlock && rule.disruptive != v1::Rule::DENY &&
        rule.disruptive != v1::Rule::ALLOW) {
      plan.jumps.Set(index);
      plan.jump_targets[index] = rule.skip_to;
    }
  }
  return plan;
}

}  // namespace gatehouse::waf
