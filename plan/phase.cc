#include "plan/phase.h"

namespace gatehouse::plan {

std::string_view PhaseName(Phase phase) {
  switch (phase) {
    case Phase::kRequestSanitize: return "http_request_sanitize";
    case Phase::kDynamicRedirect: return "http_request_dynamic_redirect";
    case Phase::kRequestTransform: return "http_request_transform";
    case Phase::kRequestOrigin: return "http_request_origin";
    case Phase::kFirewallCustom: return "http_request_firewall_custom";
    case Phase::kFirewallManaged: return "http_request_firewall_managed";
    case Phase::kLateTransform: return "http_request_late_transform";
    case Phase::kCustomErrors: return "http_custom_errors";
    case Phase::kResponseHeadersTransform: return "http_response_headers_transform";
  }
  return "unknown";
}

std::optional<Phase> PhaseFromName(std::string_view name) {
  for (Phase phase : kAllPhases) {
    if (PhaseName(phase) == name) return phase;
  }
  return std::nullopt;
}

}  // namespace gatehouse::plan
