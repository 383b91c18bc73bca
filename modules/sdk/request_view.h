#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "plan/phase.h"
#include "plan/zone_plan.h"
#include "rules/evaluation.h"

namespace gatehouse::sdk {

// A response the edge writes itself (a block, a redirect, an error page). Tokens are already
// rendered.
struct LocalResponse {
  int status = 200;
  std::string content_type;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // e.g. Location
};

// The origin a request goes to (http_request_origin).
struct Route {
  size_t origin_index = 0;  // into ZonePlan::origins
  std::string host_header;  // empty: keep the request's
  uint16_t port = 0;        // 0: the server's own port
};

// One request as the phases see it: the abstract view products are written against. The runtime
// implements it (engine/request_state.h); a product never sees that class, only the
// typed PhaseView of what its phase declared (phase_api.h), which forwards to this.
//
// The edits return false, and change nothing, when a value cannot go on the wire (CR, LF, NUL, a
// space in the request line): the runtime notes the refusal with `rule` for logs and metrics.
class RequestView {
 public:
  virtual ~RequestView() = default;

  // Rule evaluation over the request as it is now (after earlier rewrites).
  virtual rules::Evaluation& evaluation() = 0;
  virtual std::string_view client_ip() const = 0;
  virtual std::string_view ray_id() const = 0;
  // The query string now, without '?'.
  virtual std::string_view query() const = 0;
  // Response phases only.
  virtual int response_status() const = 0;

  virtual bool Respond(LocalResponse response, const plan::CompiledRule* rule) = 0;
  virtual void ChooseRoute(Route route) = 0;
  virtual void MarkNotHandled() = 0;
  virtual bool RewritePath(std::string path, const plan::CompiledRule* rule) = 0;
  virtual bool RewriteQuery(std::string query, const plan::CompiledRule* rule) = 0;
  virtual bool SetRequestHeader(std::string_view name, std::string value,
                                const plan::CompiledRule* rule) = 0;
  virtual bool AddRequestHeader(std::string_view name, std::string value,
                                const plan::CompiledRule* rule) = 0;
  virtual void RemoveRequestHeader(std::string_view name) = 0;
  virtual bool SetResponseHeader(std::string_view name, std::string value,
                                 const plan::CompiledRule* rule) = 0;
  virtual bool AddResponseHeader(std::string_view name, std::string value,
                                 const plan::CompiledRule* rule) = 0;
  virtual void RemoveResponseHeader(std::string_view name) = 0;
  virtual void SkipPhase(plan::Phase phase) = 0;
  virtual void SkipProduct(std::string product) = 0;
  // Exceptions: a `skip` turned off these rules of the managed ruleset `ruleset` (by rule id)
  // for this request; the product running that ruleset leaves them out. Copied; adds to what
  // earlier skips turned off.
  virtual void SkipManagedRules(std::string_view ruleset,
                                std::span<const std::string> rule_ids) = 0;
  // The rule ids of `ruleset` turned off so far for this request; empty when none.
  virtual std::span<const std::string> SkippedManagedRules(std::string_view ruleset) const = 0;
  virtual void RecordMatch(const plan::CompiledRule* rule) = 0;
  // What a managed ruleset found (for the access log and traces): the ids of the rules that
  // matched, in order, and the anomaly score it reached. Copied.
  virtual void RecordManagedMatches(std::string_view ruleset,
                                    std::span<const std::string> rule_ids, int64_t score) = 0;
};

}  // namespace gatehouse::sdk
