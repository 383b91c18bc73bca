#pragma once

// The phase API. A product's phase declares what it reads (inputs) and what it may produce
// (outputs) as types, and its callback receives a PhaseView that offers exactly those: calling an
// accessor for an input or output the phase did not declare does not compile, and neither does
// declaring what the phase cannot have (the response status in a request phase, request edits in
// a response phase). phase_api_test.cc proves both. The declarations, turned into data, let the
// engine check the phase graph at start-up.

#include <functional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "modules/sdk/request_view.h"
#include "plan/phase.h"
#include "plan/zone_plan.h"

namespace gatehouse::sdk {

// ---- Inputs a phase may declare -------------------------------------------------------------
namespace in {
struct RequestFields {};   // rules evaluation over the request (and, in response phases, response)
struct ClientIp {};        // the client's address, as text
struct RayId {};           // the request's ray ID
struct ResponseStatus {};  // the status code (response phases only)
struct OwnRuleset {};      // the zone's compiled ruleset for this phase (the product's config)
struct SkippedManagedRules {};  // managed rules a `skip` turned off for this request
}  // namespace in

// ---- Outputs a phase may declare ------------------------------------------------------------
namespace out {
struct Respond {};          // terminal: the edge answers
struct Route {};            // choose the origin (request phases)
struct Fallback {};         // the fallback proxy serves the request (request phases)
struct RewriteUri {};       // rewrite the path and query (request phases)
struct RequestHeaders {};   // set / add / remove request headers (request phases)
struct ResponseHeaders {};  // set / add / remove response headers (response phases)
struct Skip {};             // turn off later phases or products for this request (request phases)
struct RecordMatch {};      // note a matched rule for logs
}  // namespace out

template <typename... T>
struct Inputs {};
template <typename... T>
struct Outputs {};

template <typename T, typename... List>
inline constexpr bool kDeclared = (std::is_same_v<T, List> || ...);

template <typename InputList, typename OutputList>
class PhaseView;

// What a phase's callback sees. Every accessor is constrained on the phase's declarations.
template <typename... In, typename... Out>
class PhaseView<Inputs<In...>, Outputs<Out...>> {
 public:
  PhaseView(RequestView& request, const plan::CompiledRuleset* ruleset)
      : request_(request), ruleset_(ruleset) {}

  // Inputs.
  rules::Evaluation& fields() requires kDeclared<in::RequestFields, In...> {
    return request_.evaluation();
  }
  std::string_view client_ip() const requires kDeclared<in::ClientIp, In...> {
    return request_.client_ip();
  }
  std::string_view ray_id() const requires kDeclared<in::RayId, In...> {
    return request_.ray_id();
  }
  int response_status() const requires kDeclared<in::ResponseStatus, In...> {
    return request_.response_status();
  }
  const plan::CompiledRuleset& ruleset() const requires kDeclared<in::OwnRuleset, In...> {
    return *ruleset_;
  }
  std::span<const std::string> skipped_managed_rules(std::string_view ruleset) const
      requires kDeclared<in::SkippedManagedRules, In...> {
    return request_.SkippedManagedRules(ruleset);
  }
  // The query string now (for redirects that keep it); part of the request fields.
  std::string_view query() const requires kDeclared<in::RequestFields, In...> {
    return request_.query();
  }

  // Outputs.
  bool Respond(LocalResponse response, const plan::CompiledRule* rule)
      requires kDeclared<out::Respond, Out...> {
    return request_.Respond(std::move(response), rule);
  }
  void ChooseRoute(Route route) requires kDeclared<out::Route, Out...> {
    request_.ChooseRoute(std::move(route));
  }
  void MarkNotHandled() requires kDeclared<out::Fallback, Out...> { request_.MarkNotHandled(); }
  bool RewritePath(std::string path, const plan::CompiledRule* rule)
      requires kDeclared<out::RewriteUri, Out...> {
    return request_.RewritePath(std::move(path), rule);
  }
  bool RewriteQuery(std::string query, const plan::CompiledRule* rule)
      requires kDeclared<out::RewriteUri, Out...> {
    return request_.RewriteQuery(std::move(query), rule);
  }
  bool SetRequestHeader(std::string_view name, std::string value, const plan::CompiledRule* rule)
      requires kDeclared<out::RequestHeaders, Out...> {
    return request_.SetRequestHeader(name, std::move(value), rule);
  }
  bool AddRequestHeader(std::string_view name, std::string value, const plan::CompiledRule* rule)
      requires kDeclared<out::RequestHeaders, Out...> {
    return request_.AddRequestHeader(name, std::move(value), rule);
  }
  void RemoveRequestHeader(std::string_view name) requires kDeclared<out::RequestHeaders, Out...> {
    request_.RemoveRequestHeader(name);
  }
  bool SetResponseHeader(std::string_view name, std::string value, const plan::CompiledRule* rule)
      requires kDeclared<out::ResponseHeaders, Out...> {
    return request_.SetResponseHeader(name, std::move(value), rule);
  }
  bool AddResponseHeader(std::string_view name, std::string value, const plan::CompiledRule* rule)
      requires kDeclared<out::ResponseHeaders, Out...> {
    return request_.AddResponseHeader(name, std::move(value), rule);
  }
  void RemoveResponseHeader(std::string_view name)
      requires kDeclared<out::ResponseHeaders, Out...> {
    request_.RemoveResponseHeader(name);
  }
  void SkipPhase(plan::Phase phase) requires kDeclared<out::Skip, Out...> {
    request_.SkipPhase(phase);
  }
  void SkipProduct(std::string product) requires kDeclared<out::Skip, Out...> {
    request_.SkipProduct(std::move(product));
  }
  void SkipManagedRules(std::string_view ruleset, std::span<const std::string> rule_ids)
      requires kDeclared<out::Skip, Out...> {
    request_.SkipManagedRules(ruleset, rule_ids);
  }
  void RecordMatch(const plan::CompiledRule* rule) requires kDeclared<out::RecordMatch, Out...> {
    request_.RecordMatch(rule);
  }
  void RecordManagedMatches(std::string_view ruleset, std::span<const std::string> rule_ids,
                            int64_t score) requires kDeclared<out::RecordMatch, Out...> {
    request_.RecordManagedMatches(ruleset, rule_ids, score);
  }

 private:
  RequestView& request_;
  const plan::CompiledRuleset* ruleset_;
};

// A phase's declarations as data, for the start-up graph check.
struct PhaseDeclaration {
  std::string product;  // filled in by the registry from the product's name
  plan::Phase phase = plan::Phase::kRequestSanitize;
  std::vector<std::string> exclusive_outputs;  // outputs two phases must not share in one slot
  bool needs_ruleset = false;  // runs only where the zone has this phase's ruleset (owns it)
};

// A phase, type-erased for the engine: its declaration and how to run it.
struct RegisteredPhase {
  PhaseDeclaration declaration;
  std::function<void(RequestView&, const plan::CompiledRuleset*)> run;
};

namespace phase_api_internal {

template <typename T>
void AddExclusive(std::vector<std::string>* out) {
  if constexpr (std::is_same_v<T, out::Respond>) out->push_back("respond");
  if constexpr (std::is_same_v<T, out::Route>) out->push_back("route");
  if constexpr (std::is_same_v<T, out::Fallback>) out->push_back("fallback");
  if constexpr (std::is_same_v<T, out::RewriteUri>) out->push_back("rewrite_uri");
}

template <typename T>
inline constexpr bool kRequestOnlyOutput =
    std::is_same_v<T, out::Route> || std::is_same_v<T, out::Fallback> ||
    std::is_same_v<T, out::RewriteUri> || std::is_same_v<T, out::RequestHeaders> ||
    std::is_same_v<T, out::Skip>;

}  // namespace phase_api_internal

// Whether a phase of `P` may declare these: the response status and response-header edits only
// in response phases; routing, request edits, fallback and skip only in request phases.
template <plan::Phase P, typename... In>
inline constexpr bool kAllowedInputs =
    plan::IsResponsePhase(P) || !kDeclared<in::ResponseStatus, In...>;
template <plan::Phase P, typename... Out>
inline constexpr bool kAllowedOutputs =
    plan::IsResponsePhase(P)
        ? !(phase_api_internal::kRequestOnlyOutput<Out> || ...)
        : !kDeclared<out::ResponseHeaders, Out...>;

// Declares a phase of `P`: `callback` is any callable taking PhaseView<InputList, OutputList>&.
// A declaration the phase cannot have has no definition, so it does not compile.
template <plan::Phase P, typename InputList, typename OutputList>
struct DeclaredPhase;

template <plan::Phase P, typename... In, typename... Out>
  requires(kAllowedInputs<P, In...> && kAllowedOutputs<P, Out...>)
struct DeclaredPhase<P, Inputs<In...>, Outputs<Out...>> {
  using View = PhaseView<Inputs<In...>, Outputs<Out...>>;

  template <typename Callback>
  static RegisteredPhase Define(Callback callback) {
    static_assert(std::is_invocable_v<Callback, View&>,
                  "a phase callback takes the PhaseView of its declarations");
    RegisteredPhase registered;
    registered.declaration.phase = P;
    (phase_api_internal::AddExclusive<Out>(&registered.declaration.exclusive_outputs), ...);
    registered.declaration.needs_ruleset = kDeclared<in::OwnRuleset, In...>;
    registered.run = [callback = std::move(callback)](RequestView& request,
                                                      const plan::CompiledRuleset* ruleset) {
      View view(request, ruleset);
      callback(view);
    };
    return registered;
  }
};

}  // namespace gatehouse::sdk
