#pragma once

// What a product is: its name, its actions (the parameter schema of each, how the control plane
// compiles the parameters and how a proxy links the compiled form) and its phases. A product
// defines one ProductDefinition and registers it (registry.h); nothing outside its folder names
// it except the list of linked products (//modules:all_products).

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/any.pb.h"
#include "google/protobuf/message.h"
#include "modules/sdk/managed_ruleset.h"
#include "modules/sdk/phase_api.h"
#include "modules/sdk/sdk.pb.h"
#include "modules/sdk/value_source.h"
#include "plan/phase.h"
#include "plan/zone_plan.h"

namespace gatehouse::sdk {

// Where a value goes on the wire, which decides the bytes it may hold.
enum class WireValue { kHeaderValue, kPath, kQuery };

// What the zone compiler offers an action's compile function, for one rule. Problems are
// reported here, with a path relative to the rule's "action_parameters" ("" for the object
// itself); reporting does not stop the compile, so a config gets every error at once.
class ActionCompileContext {
 public:
  virtual ~ActionCompileContext() = default;
  virtual plan::Phase phase() const = 0;
  virtual void Error(std::string_view path, std::string message) = 0;
  // A static value (checked for `where` with a caret under a bad byte) or an expression
  // (type-checked for this phase). False after reporting.
  virtual bool CompileValue(const v1::ValueOrExpression& in, WireValue where, std::string_view path,
                            v1::CompiledValue* out) = 0;
  // A header name that may go on the wire. False after reporting.
  virtual bool CheckHeaderName(std::string_view name, std::string_view path) = 0;
  // The index of the zone's origin called `name`.
  virtual std::optional<size_t> FindOrigin(std::string_view name) const = 0;
  virtual size_t max_custom_content_bytes() const = 0;
  // The managed ruleset `id` as this compile knows it (its rules, to validate overrides
  // against); null when there is none. Naming one records that the zone uses it.
  virtual const ManagedRulesetSummary* FindManagedRuleset(std::string_view id) = 0;
  // The ids of the managed rulesets there are, for messages ("owasp-crs"; "none").
  virtual std::string ManagedRulesetIds() const = 0;
  // The zone's phases read at least this much of a request body (the proxy reads the prefix
  // before the request phases run). The zone's own settings.inspect_body_bytes, when given, wins.
  virtual void InspectBodyBytes(uint64_t bytes) = 0;
};

// What the zone linker offers an action's link function, on a proxy.
class ActionLinkContext {
 public:
  virtual ~ActionLinkContext() = default;
  virtual absl::StatusOr<ValueSource> LinkValue(const v1::CompiledValue& compiled) = 0;
  virtual size_t origin_count() const = 0;
  // The managed ruleset `id` of the snapshot being linked; null when it carries none (the zone
  // is then rejected with the reason the link function gives).
  virtual std::shared_ptr<const LinkedManagedRuleset> FindManagedRuleset(std::string_view id) = 0;
  // The ids of the managed rulesets there are, for messages.
  virtual std::string ManagedRulesetIds() const = 0;
};

// One action a rule may name ("block", "redirect"...).
struct ActionDefinition {
  std::string name;
  // Where a rule with this action may stand; each phase must be one its product owns.
  std::vector<plan::Phase> phases;
  // The parameters' message: the JSON "action_parameters" object is read as this type.
  const google::protobuf::Message* parameters = nullptr;
  // Validates `parameters` (of the type above) and packs the compiled form into `compiled`.
  // Returns false when it reported an error.
  std::function<bool(const google::protobuf::Message& parameters, ActionCompileContext& context,
                     google::protobuf::Any* compiled)>
      compile;
  // Turns the compiled form into the config the product's phases read. An error rejects the
  // zone on that proxy (a compiled form this build cannot read).
  std::function<absl::StatusOr<std::shared_ptr<const plan::ActionConfig>>(
      const google::protobuf::Any& compiled, ActionLinkContext& context)>
      link;
};

// Defines an action from typed functions: `compile` takes the parameters message and returns
// the compiled message (nullopt after reporting an error); `link` turns the compiled message
// into the product's ActionConfig subclass.
template <typename Parameters, typename Compiled, typename Config>
ActionDefinition DefineAction(
    std::string name, std::vector<plan::Phase> phases,
    std::function<std::optional<Compiled>(const Parameters&, ActionCompileContext&)> compile,
    std::function<absl::StatusOr<Config>(const Compiled&, ActionLinkContext&)> link) {
  static_assert(std::is_base_of_v<plan::ActionConfigOf<Config>, Config>,
                "a product's config type derives from plan::ActionConfigOf<itself>");
  ActionDefinition action;
  action.name = std::move(name);
  action.phases = std::move(phases);
  action.parameters = &Parameters::default_instance();
  action.compile = [compile = std::move(compile)](const google::protobuf::Message& parameters,
                                                  ActionCompileContext& context,
                                                  google::protobuf::Any* out) {
    std::optional<Compiled> compiled =
        compile(static_cast<const Parameters&>(parameters), context);
    if (!compiled.has_value()) return false;
    out->PackFrom(*compiled);
    return true;
  };
  action.link = [link = std::move(link)](const google::protobuf::Any& in,
                                         ActionLinkContext& context)
      -> absl::StatusOr<std::shared_ptr<const plan::ActionConfig>> {
    Compiled compiled;
    if (!in.UnpackTo(&compiled)) {
      return absl::InvalidArgumentError("compiled parameters are not a " +
                                        Compiled::descriptor()->full_name());
    }
    absl::StatusOr<Config> config = link(compiled, context);
    if (!config.ok()) return config.status();
    return std::make_shared<const Config>(*std::move(config));
  };
  return action;
}

// An action without parameters: its config is this (empty) type.
struct NoConfig : plan::ActionConfigOf<NoConfig> {};

// A product: its name (written only here: `skip` names it in "products", logs and metrics show
// it), its actions and its phases.
struct ProductDefinition {
  std::string name;
  std::vector<ActionDefinition> actions;
  std::vector<RegisteredPhase> phases;
  // The managed rulesets' compiled forms this product links (managed_ruleset.h).
  std::vector<ManagedRulesetDefinition> managed_rulesets;
};

}  // namespace gatehouse::sdk
