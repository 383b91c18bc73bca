#include "engine/phase_engine.h"

namespace gatehouse::engine {

PhaseEngine::PhaseEngine(const sdk::ProductRegistry& products) {
  for (const sdk::ProductDefinition& product : products.products()) {
    for (const sdk::RegisteredPhase& phase : product.phases) {
      slots_[plan::PhaseIndex(phase.declaration.phase)].push_back(&phase);
    }
  }
}

void PhaseEngine::RunSlots(RequestState& state, bool response) const {
  const plan::ZonePlan& zone = state.zone();
  for (plan::Phase slot : plan::kAllPhases) {
    if (plan::IsResponsePhase(slot) != response || state.IsPhaseSkipped(slot)) continue;
    const plan::CompiledRuleset* ruleset = zone.Ruleset(slot);
    for (const sdk::RegisteredPhase* phase : slots_[plan::PhaseIndex(slot)]) {
      // A zone pays only for the products it uses.
      if (phase->declaration.needs_ruleset && ruleset == nullptr) continue;
      if (state.IsProductSkipped(phase->declaration.product)) continue;
      phase->run(state, ruleset);
      if (!response && state.local_response().has_value()) return;
    }
  }
}

void PhaseEngine::RunRequestPhases(RequestState& state) const { RunSlots(state, false); }

void PhaseEngine::RunResponsePhases(RequestState& state) const { RunSlots(state, true); }

}  // namespace gatehouse::engine
