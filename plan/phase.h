#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace gatehouse::plan {

// The edge's pipeline: the fixed, ordered list of phases (after Cloudflare's). Request phases
// run in this order, then the response phases. Products claim phases (modules/sdk/product.h);
// the order is part of the product and docs/config.md documents it.
enum class Phase {
  kRequestSanitize,
  kDynamicRedirect,
  kRequestTransform,
  kRequestOrigin,
  kFirewallCustom,
  kFirewallManaged,
  kLateTransform,
  kCustomErrors,
  kResponseHeadersTransform,
};

inline constexpr size_t kPhaseCount = 9;

inline constexpr std::array<Phase, kPhaseCount> kAllPhases = {
    Phase::kRequestSanitize,  Phase::kDynamicRedirect,  Phase::kRequestTransform,
    Phase::kRequestOrigin,    Phase::kFirewallCustom,   Phase::kFirewallManaged,
    Phase::kLateTransform,    Phase::kCustomErrors,     Phase::kResponseHeadersTransform,
};

// The configuration name, e.g. "http_request_firewall_custom".
std::string_view PhaseName(Phase phase);
std::optional<Phase> PhaseFromName(std::string_view name);

// Response phases see http.response.* fields and run after the origin (or the edge) answered.
// constexpr: the module API refuses response-only inputs in request phases at compile time.
constexpr bool IsResponsePhase(Phase phase) {
  return phase == Phase::kCustomErrors || phase == Phase::kResponseHeadersTransform;
}

constexpr size_t PhaseIndex(Phase phase) { return static_cast<size_t>(phase); }

}  // namespace gatehouse::plan
