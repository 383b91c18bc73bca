#pragma once

#include <bitset>
#include <forward_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "modules/sdk/request_view.h"
#include "plan/phase.h"
#include "plan/zone_plan.h"
#include "rules/evaluation.h"
#include "rules/request_data.h"
#include "rules/scratch.h"

namespace gatehouse::engine {

using sdk::LocalResponse;

// A header list read from its owner's storage until the first edit, and copied then: the common
// request, which edits nothing, copies nothing.
class CopyOnWriteHeaders {
 public:
  CopyOnWriteHeaders() = default;
  CopyOnWriteHeaders(const CopyOnWriteHeaders&) = delete;
  CopyOnWriteHeaders& operator=(const CopyOnWriteHeaders&) = delete;

  // `source` (null: no headers) must outlive this, or the next Reset.
  void Reset(const rules::HeaderList* source) {
    source_ = source != nullptr ? source : &owned_;
    owned_.clear();
    edited_ = false;
  }
  const rules::HeaderList& get() const { return edited_ ? owned_ : *source_; }
  rules::HeaderList& Mutable() {
    if (!edited_) {
      if (source_ != &owned_) owned_ = *source_;
      edited_ = true;
    }
    return owned_;
  }

 private:
  const rules::HeaderList* source_ = &owned_;
  rules::HeaderList owned_;
  bool edited_ = false;
};

// Everything the phases of one request read and write. Owned by the runtime; products never see
// it, only the abstract RequestView through the typed view of what their phases declared
// (modules/sdk/phase_api.h).
class RequestState final : public sdk::RequestView {
 public:
  // `request` is copied; its views (its header list included), `ray_id` and `client_ip` must
  // outlive the state, and so must `scratch`: what the rules' evaluations reuse on this thread
  // of work (the proxy's worker's, or a tool's own).
  RequestState(const plan::ZonePlan& zone, const rules::RequestData& request,
               std::string_view ray_id, std::string_view client_ip, rules::Scratch& scratch);
  RequestState(const RequestState&) = delete;
  RequestState& operator=(const RequestState&) = delete;

  const plan::ZonePlan& zone() const { return zone_; }
  std::string_view ray_id() const override { return ray_id_; }
  std::string_view client_ip() const override { return client_ip_; }

  // Rule evaluation over the request as it is now (after earlier rewrites).
  rules::Evaluation& evaluation() override;

  // The request-target as it will be forwarded.
  const std::string& target() const { return target_; }
  std::string_view path() const;
  std::string_view query() const override;  // without '?'; empty when none
  // Edits that would put bytes on the wire that break the message (CR, LF, NUL, a space in the
  // request line) are not applied: they return false and are noted in refused_values() with
  // `rule`. The same holds for the header edits and Respond below.
  bool RewritePath(std::string path, const plan::CompiledRule* rule) override;
  bool RewriteQuery(std::string query, const plan::CompiledRule* rule) override;

  // Request headers as they will be forwarded (names as given, values owned here).
  const rules::HeaderList& request_headers() const { return request_headers_.get(); }
  // Whether a transform rewrote the target or the request headers (else they are as received).
  bool request_rewritten() const { return request_rewritten_; }
  bool SetRequestHeader(std::string_view name, std::string value,
                        const plan::CompiledRule* rule) override;
  bool AddRequestHeader(std::string_view name, std::string value,
                        const plan::CompiledRule* rule) override;
  void RemoveRequestHeader(std::string_view name) override;

  // Response phases: the response the client will get, as it is now. `headers` must outlive the
  // state (or the next BeginResponse).
  void BeginResponse(int status, const rules::HeaderList& headers);
  bool has_response() const { return data_.has_response; }
  int response_status() const override { return data_.response_code; }
  const rules::HeaderList& response_headers() const { return response_headers_.get(); }
  bool SetResponseHeader(std::string_view name, std::string value,
                         const plan::CompiledRule* rule) override;
  bool AddResponseHeader(std::string_view name, std::string value,
                         const plan::CompiledRule* rule) override;
  void RemoveResponseHeader(std::string_view name) override;
  bool response_headers_changed() const { return response_headers_changed_; }
  // The response fields a response phase edited; null when they are the response's own.
  const rules::HeaderList* edited_response_headers() const {
    return response_headers_changed_ ? &response_headers() : nullptr;
  }

  // Terminal output: the edge answers instead of the origin (or replaces its answer).
  bool Respond(LocalResponse response, const plan::CompiledRule* rule) override;
  const std::optional<LocalResponse>& local_response() const { return local_response_; }
  // Hands the response to the runtime and clears it, so a response phase can decide anew.
  std::optional<LocalResponse> TakeLocalResponse() {
    std::optional<LocalResponse> out = std::move(local_response_);
    local_response_.reset();
    return out;
  }
  const plan::CompiledRule* deciding_rule() const { return deciding_rule_; }

  // Origin choice (http_request_origin).
  using Route = sdk::Route;
  void ChooseRoute(Route route) override { route_ = std::move(route); }
  const Route& route() const { return route_; }
  // A module declared the request not handled here: it goes unchanged to the fallback proxy.
  void MarkNotHandled() override { not_handled_ = true; }
  bool not_handled() const { return not_handled_; }

  // Later phases and products turned off for this request (skip).
  void SkipPhase(plan::Phase phase) override { skipped_phases_.set(plan::PhaseIndex(phase)); }
  void SkipProduct(std::string product) override {
    skipped_products_.push_back(std::move(product));
  }
  void SkipManagedRules(std::string_view ruleset,
                        std::span<const std::string> rule_ids) override;
  std::span<const std::string> SkippedManagedRules(std::string_view ruleset) const override;
  bool IsPhaseSkipped(plan::Phase phase) const {
    return skipped_phases_.test(plan::PhaseIndex(phase));
  }
  bool IsProductSkipped(std::string_view product) const;

  // Rules that matched and acted, in order (for logs).
  void RecordMatch(const plan::CompiledRule* rule) override { matched_.push_back(rule); }
  const std::vector<const plan::CompiledRule*>& matched() const { return matched_; }
  // What managed rulesets found (RecordManagedMatches), in order.
  struct ManagedMatches {
    std::string ruleset;
    std::vector<std::string> rule_ids;
    int64_t score = 0;
  };
  void RecordManagedMatches(std::string_view ruleset, std::span<const std::string> rule_ids,
                            int64_t score) override {
    managed_matches_.push_back(
        {std::string(ruleset), std::vector<std::string>(rule_ids.begin(), rule_ids.end()), score});
  }
  const std::vector<ManagedMatches>& managed_matches() const { return managed_matches_; }


  // An action a rule could not apply because a value it computed cannot go on the wire.
  struct RefusedValue {
    const plan::CompiledRule* rule = nullptr;
    std::string_view reason;  // static text
  };
  const std::vector<RefusedValue>& refused_values() const { return refused_values_; }

 private:
  std::string_view Own(std::string value);
  // The header lists, copied on their first edit; keep data_ pointing at the current ones.
  rules::HeaderList& EditRequestHeaders();
  rules::HeaderList& EditResponseHeaders();
  void Invalidate() { evaluation_.reset(); }
  // Notes a refused value and returns false, for the edits' early returns.
  bool Refuse(const plan::CompiledRule* rule, std::string_view reason);
  bool CheckHeader(std::string_view name, std::string_view value,
                   const plan::CompiledRule* rule);
  static void EditHeaders(rules::HeaderList& headers, std::string_view name,
                          std::optional<std::string_view> value, bool replace);

  const plan::ZonePlan& zone_;
  rules::Scratch& scratch_;
  rules::RequestData data_;
  std::string_view ray_id_;
  std::string_view client_ip_;
  std::string target_;
  CopyOnWriteHeaders request_headers_;
  CopyOnWriteHeaders response_headers_;
  bool response_headers_changed_ = false;
  bool request_rewritten_ = false;
  // Storage for every string a rewrite produced; a list keeps earlier views valid (and, unlike a
  // deque, allocates nothing while empty).
  std::forward_list<std::string> owned_;
  rules::EvaluationLease evaluation_;  // from scratch_: no allocation when warm
  std::optional<LocalResponse> local_response_;
  const plan::CompiledRule* deciding_rule_ = nullptr;
  Route route_;
  bool not_handled_ = false;
  std::bitset<plan::kPhaseCount> skipped_phases_;
  std::vector<std::string> skipped_products_;
  // Per managed ruleset id, the rule ids skips turned off (few rulesets: a vector).
  std::vector<std::pair<std::string, std::vector<std::string>>> skipped_managed_rules_;
  std::vector<const plan::CompiledRule*> matched_;
  std::vector<ManagedMatches> managed_matches_;
  std::vector<RefusedValue> refused_values_;
};

}  // namespace gatehouse::engine
