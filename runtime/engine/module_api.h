#pragma once

// The module API. A module is a list of phase definitions; each phase declares what it reads
// (inputs) and what it may produce (outputs) as types, and its callback receives a PhaseView
// that offers exactly those: calling an accessor for an input or output the phase did not
// declare does not compile (module_api_test.cc proves it). The same declarations, turned into
// data, let the engine check the phase graph at start-up (phase_graph.h).

#include <functional>
#include <string>
#include <string_view>
#include <type_traits>
#include <typeinfo>
#include <vector>

#include "compiler/phase.h"
#include "compiler/zone_plan.h"
#include "runtime/engine/request_state.h"

namespace gatehouse::runtime {

// ---- Inputs a phase may declare -------------------------------------------------------------
namespace in {
struct RequestFields {};   // rules evaluation over the request (and response) fields
struct ClientIp {};        // the client's address, as text
struct RayId {};           // the request's ray ID
struct ResponseStatus {};  // the status code (response phases)
struct OwnRuleset {};      // the zone's compiled ruleset for this phase (the module's config)
template <typename T>
struct Value {};           // a module value written by an earlier phase
}  // namespace in

// ---- Outputs a phase may declare ------------------------------------------------------------
namespace out {
struct Respond {};                // terminal: the edge answers
struct Route {};                  // choose the origin
struct Fallback {};               // mark the request not handled: the fallback proxy serves it
struct RewriteUri {};             // rewrite the path and query
struct RequestHeaders {};         // set / add / remove request headers
struct ResponseHeaders {};        // set / add / remove response headers
struct Skip {};                   // turn off later phases or products for this request
struct RecordMatch {};            // note a matched rule for logs
template <typename T>
struct Value {};                  // write a module value
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
  PhaseView(RequestState& state, const compiler::CompiledRuleset* ruleset)
      : state_(state), ruleset_(ruleset) {}

  // Inputs.
  rules::Evaluation& fields() requires kDeclared<in::RequestFields, In...> {
    return state_.evaluation();
  }
  std::string_view client_ip() const requires kDeclared<in::ClientIp, In...> {
    return state_.client_ip();
  }
  std::string_view ray_id() const requires kDeclared<in::RayId, In...> {
    return state_.ray_id();
  }
  int response_status() const requires kDeclared<in::ResponseStatus, In...> {
    return state_.response_status();
  }
  const compiler::CompiledRuleset& ruleset() const requires kDeclared<in::OwnRuleset, In...> {
    return *ruleset_;
  }
  // The query string now (for redirects that keep it); needs the request fields.
  std::string_view query() const requires kDeclared<in::RequestFields, In...> {
    return state_.query();
  }
  template <typename T>
  const T* value() const requires kDeclared<in::Value<T>, In...> {
    return state_.values().template Get<T>();
  }

  // Outputs.
  // The edits below return false, and change nothing, when a value cannot go on the wire
  // (RequestState notes it with the rule).
  bool Respond(LocalResponse response, const compiler::CompiledRule* rule)
      requires kDeclared<out::Respond, Out...> {
    return state_.Respond(std::move(response), rule);
  }
  void ChooseRoute(RequestState::Route route) requires kDeclared<out::Route, Out...> {
    state_.ChooseRoute(std::move(route));
  }
  void MarkNotHandled() requires kDeclared<out::Fallback, Out...> { state_.MarkNotHandled(); }
  bool RewritePath(std::string path, const compiler::CompiledRule* rule)
      requires kDeclared<out::RewriteUri, Out...> {
    return state_.RewritePath(std::move(path), rule);
  }
  bool RewriteQuery(std::string query, const compiler::CompiledRule* rule)
      requires kDeclared<out::RewriteUri, Out...> {
    return state_.RewriteQuery(std::move(query), rule);
  }
  bool SetRequestHeader(std::string_view name, std::string value,
                        const compiler::CompiledRule* rule)
      requires kDeclared<out::RequestHeaders, Out...> {
    return state_.SetRequestHeader(name, std::move(value), rule);
  }
  bool AddRequestHeader(std::string_view name, std::string value,
                        const compiler::CompiledRule* rule)
      requires kDeclared<out::RequestHeaders, Out...> {
    return state_.AddRequestHeader(name, std::move(value), rule);
  }
  void RemoveRequestHeader(std::string_view name) requires kDeclared<out::RequestHeaders, Out...> {
    state_.RemoveRequestHeader(name);
  }
  bool SetResponseHeader(std::string_view name, std::string value,
                         const compiler::CompiledRule* rule)
      requires kDeclared<out::ResponseHeaders, Out...> {
    return state_.SetResponseHeader(name, std::move(value), rule);
  }
  bool AddResponseHeader(std::string_view name, std::string value,
                         const compiler::CompiledRule* rule)
      requires kDeclared<out::ResponseHeaders, Out...> {
    return state_.AddResponseHeader(name, std::move(value), rule);
  }
  void RemoveResponseHeader(std::string_view name)
      requires kDeclared<out::ResponseHeaders, Out...> {
    state_.RemoveResponseHeader(name);
  }
  void SkipPhase(compiler::Phase phase) requires kDeclared<out::Skip, Out...> {
    state_.SkipPhase(phase);
  }
  void SkipProduct(std::string product) requires kDeclared<out::Skip, Out...> {
    state_.SkipProduct(std::move(product));
  }
  void RecordMatch(const compiler::CompiledRule* rule) requires kDeclared<out::RecordMatch, Out...> {
    state_.RecordMatch(rule);
  }
  template <typename T>
  void SetValue(T value) requires kDeclared<out::Value<T>, Out...> {
    state_.values().Set(std::move(value));
  }

 private:
  RequestState& state_;
  const compiler::CompiledRuleset* ruleset_;
};

// Which requests a phase runs for.
enum class RequestKinds { kAll, kHttpOnly };

// A phase's declarations as data, for the start-up graph check.
struct PhaseDeclaration {
  std::string module;
  compiler::Phase phase = compiler::Phase::kRequestSanitize;
  std::vector<std::string> values_read;     // module value types, by name
  std::vector<std::string> values_written;
  std::vector<std::string> exclusive_outputs;  // outputs two phases must not share in one slot
  bool needs_ruleset = false;               // runs only where the zone has this phase's ruleset
};

// A phase, type-erased for the engine: its declaration and how to run it.
struct RegisteredPhase {
  PhaseDeclaration declaration;
  RequestKinds kinds = RequestKinds::kAll;
  // The module's own filter, beyond "the zone has a ruleset for this phase".
  std::function<bool(const compiler::ZonePlan&)> filter;
  std::function<void(RequestState&, const compiler::CompiledRuleset*)> run;
};

namespace module_api_internal {

template <typename T>
struct ValueName {
  static void Add(std::vector<std::string>*) {}
};
template <typename T>
struct ValueName<in::Value<T>> {
  static void Add(std::vector<std::string>* out) { out->push_back(typeid(T).name()); }
};
template <typename T>
struct ValueName<out::Value<T>> {
  static void Add(std::vector<std::string>* out) { out->push_back(typeid(T).name()); }
};

template <typename T>
void AddExclusive(std::vector<std::string>* out) {
  if constexpr (std::is_same_v<T, out::Respond>) out->push_back("respond");
  if constexpr (std::is_same_v<T, out::Route>) out->push_back("route");
  if constexpr (std::is_same_v<T, out::Fallback>) out->push_back("fallback");
  if constexpr (std::is_same_v<T, out::RewriteUri>) out->push_back("rewrite_uri");
}

}  // namespace module_api_internal

// Declares a phase: `callback` is any callable taking PhaseView<InputList, OutputList>&.
template <typename InputList, typename OutputList>
struct DeclaredPhase;

template <typename... In, typename... Out>
struct DeclaredPhase<Inputs<In...>, Outputs<Out...>> {
  using View = PhaseView<Inputs<In...>, Outputs<Out...>>;

  template <typename Callback>
  static RegisteredPhase Define(std::string module, compiler::Phase phase, RequestKinds kinds,
                                Callback callback,
                                std::function<bool(const compiler::ZonePlan&)> filter = {}) {
    static_assert(std::is_invocable_v<Callback, View&>,
                  "a phase callback takes the PhaseView of its declarations");
    RegisteredPhase registered;
    registered.declaration.module = std::move(module);
    registered.declaration.phase = phase;
    (module_api_internal::ValueName<In>::Add(&registered.declaration.values_read), ...);
    (module_api_internal::ValueName<Out>::Add(&registered.declaration.values_written), ...);
    (module_api_internal::AddExclusive<Out>(&registered.declaration.exclusive_outputs), ...);
    registered.declaration.needs_ruleset = kDeclared<in::OwnRuleset, In...>;
    registered.kinds = kinds;
    registered.filter = std::move(filter);
    registered.run = [callback = std::move(callback)](RequestState& state,
                                                      const compiler::CompiledRuleset* ruleset) {
      View view(state, ruleset);
      callback(view);
    };
    return registered;
  }
};

// A product: a name (what `skip` with "products" names) and its phases.
struct Module {
  std::string name;
  std::vector<RegisteredPhase> phases;
};

}  // namespace gatehouse::runtime
