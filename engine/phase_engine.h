#pragma once

#include <array>
#include <vector>

#include "engine/request_state.h"
#include "modules/sdk/phase_api.h"
#include "modules/sdk/registry.h"
#include "plan/phase.h"

namespace gatehouse::engine {

// Runs the products' phases for a request in the fixed phase order. Built once at start-up from
// a checked product registry (the registry refuses products whose phases would be ambiguous).
class PhaseEngine {
 public:
  explicit PhaseEngine(const sdk::ProductRegistry& products);

  // The request phases, in order; stops at the first phase that answers (Respond).
  void RunRequestPhases(RequestState& state) const;
  // The response phases, in order; call after RequestState::BeginResponse.
  void RunResponsePhases(RequestState& state) const;

 private:
  void RunSlots(RequestState& state, bool response) const;

  std::array<std::vector<const sdk::RegisteredPhase*>, plan::kPhaseCount> slots_;
};

}  // namespace gatehouse::engine
