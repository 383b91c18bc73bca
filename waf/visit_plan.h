#pragma once

// What a zone decides about each rule of a linked program (its mode, and the gates its settings
// decide once), and what that leaves a request to visit. A request then passes over the rules
// the zone turned off or decided to fail without reading them, and follows a decided gate's
// skip without reading the gate: on a proxy, every rule read is a line fetched from memory.

#include <cstdint>
#include <vector>

#include "waf/linked_program.h"
#include "waf/rule_bits.h"

namespace gatehouse::waf {

// What a zone decides about one rule.
enum class RuleMode : uint8_t {
  kDefault,   // as the ruleset says
  kDisabled,  // never runs
  kLogOnly,   // runs and logs; its setvars (scores) and disruption are dropped
  kBlock,     // a match refuses the request outright
};

// What the zone's settings decide about a rule for every request (LinkedRule::tx_gate).
enum class RuleDecision : uint8_t { kUndecided, kMatches, kFails };

struct VisitPlan {
  // The rules that may change anything for a request of the zone: not off, not inert (unless
  // the zone makes them block), and not decided to fail.
  RuleBits effective;
  // Decided to match, and the match's only effect is the rule's skip: the index it skips to.
  RuleBits jumps;
  std::vector<uint32_t> jump_targets;  // per rule index; 0 where no jump

  // No plan: every rule is read and judged as it comes.
  bool empty() const { return effective.size() == 0; }
  // The rule at `index` turned off as well (for one request: a `skip` named it).
  void TurnOff(size_t index) {
    if (empty()) return;
    effective.Clear(index);
    jumps.Clear(index);
  }
};

// `modes` and `decisions` per rule index, or empty (every rule kDefault, kUndecided).
VisitPlan PlanVisits(const LinkedProgram& program, const std::vector<RuleMode>& modes,
                     const std::vector<RuleDecision>& decisions);

}  // namespace gatehouse::waf
