#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace gatehouse::compiler {

// The fixed, ordered list of phases (after Cloudflare's). Request phases run in this order, then
// the response phases. The order is part of the product: docs/config.md documents it.
enum class Phase {
  kRequestSanitize,
  kDynamicRedirect,
  kRequestTransform,
  kRequestOrigin,
  kFirewallCustom,
  kFirewallManaged,  // reserved for managed rulesets
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
bool IsResponsePhase(Phase phase);

inline size_t PhaseIndex(Phase phase) { return static_cast<size_t>(phase); }

// The products (modules) a `skip` rule may name in "products".
inline constexpr std::array<std::string_view, 5> kProducts = {
    "waf_custom", "redirects", "transforms", "origin_routing", "custom_errors"};

}  // namespace gatehouse::compiler
