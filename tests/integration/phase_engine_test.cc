// The engine runs a registry's phases in phase order, only where the zone has the phase's
// ruleset, and stops the request phases at the first answer.
#include "engine/phase_engine.h"

#include "compiler/zone_compiler.h"
#include "gtest/gtest.h"
#include "rules/scratch.h"

namespace gatehouse::engine {
namespace {

using plan::Phase;
namespace in = sdk::in;
namespace out = sdk::out;

using Counter = sdk::DeclaredPhase<Phase::kFirewallCustom, sdk::Inputs<in::OwnRuleset>,
                                   sdk::Outputs<out::RecordMatch>>;
using Responder = sdk::DeclaredPhase<Phase::kDynamicRedirect, sdk::Inputs<>,
                                     sdk::Outputs<out::Respond>>;
using Late = sdk::DeclaredPhase<Phase::kLateTransform, sdk::Inputs<>, sdk::Outputs<>>;

sdk::ActionDefinition Count() {
  return sdk::DefineAction<sdk::v1::CustomResponse, sdk::v1::CustomResponse, sdk::NoConfig>(
      "count", {Phase::kFirewallCustom},
      [](const sdk::v1::CustomResponse& p, sdk::ActionCompileContext&) { return p; },
      [](const sdk::v1::CustomResponse&, sdk::ActionLinkContext&) { return sdk::NoConfig(); });
}

std::shared_ptr<const plan::ZonePlan> Zone(const sdk::ProductRegistry& products,
                                           const std::string& rulesets) {
  compiler::ZoneCompileOptions options;
  options.products = &products;
  auto result = compiler::CompileZoneJson(
      R"({"zone": "a.com", "hostnames": ["a.com"],
          "origins": [{"name": "o", "servers": ["127.0.0.1:1"]}], "rulesets": [)" +
          rulesets + "]}",
      options);
  EXPECT_TRUE(result.ok()) << result.RenderedDiagnostics();
  return result.plan;
}

TEST(PhaseEngineTest, PhasesReadingARulesetRunOnlyWhereTheZoneHasOne) {
  int runs = 0;
  size_t rules_seen = 0;
  std::vector<sdk::ProductDefinition> products;
  products.push_back({"counter",
                      {Count()},
                      {Counter::Define([&](Counter::View& v) {
                        ++runs;
                        rules_seen = v.ruleset().rules.size();
                      })}});
  auto registry = sdk::ProductRegistry::Create(std::move(products));
  ASSERT_TRUE(registry.ok()) << registry.status();
  const PhaseEngine engine(**registry);
  rules::RequestData data;
  rules::Scratch scratch;
  data.raw_target = "/";

  auto without = Zone(**registry, "");
  RequestState no_rules(*without, data, "ray", "1.2.3.4", scratch);
  engine.RunRequestPhases(no_rules);
  EXPECT_EQ(runs, 0);

  auto with = Zone(**registry, R"({"phase": "http_request_firewall_custom", "rules": [
      {"id": "r", "expression": "true", "action": "count"}]})");
  RequestState has_rules(*with, data, "ray", "1.2.3.4", scratch);
  engine.RunRequestPhases(has_rules);
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(rules_seen, 1u);
}

TEST(PhaseEngineTest, ARespondingPhaseEndsTheRequestPhases) {
  bool late_ran = false;
  std::vector<sdk::ProductDefinition> products;
  products.push_back({"first", {}, {Responder::Define([](Responder::View& v) {
                        v.Respond(sdk::LocalResponse{301, "text/plain", "", {}}, nullptr);
                      })}});
  products.push_back({"late", {}, {Late::Define([&](Late::View&) { late_ran = true; })}});
  auto registry = sdk::ProductRegistry::Create(std::move(products));
  ASSERT_TRUE(registry.ok()) << registry.status();
  const PhaseEngine engine(**registry);
  auto zone = Zone(**registry, "");
  rules::RequestData data;
  rules::Scratch scratch;
  RequestState state(*zone, data, "ray", "ip", scratch);
  engine.RunRequestPhases(state);
  EXPECT_FALSE(late_ran);
  ASSERT_TRUE(state.local_response().has_value());
  EXPECT_EQ(state.local_response()->status, 301);
}

TEST(PhaseEngineTest, ASkippedProductDoesNotRun) {
  bool late_ran = false;
  std::vector<sdk::ProductDefinition> products;
  products.push_back({"late", {}, {Late::Define([&](Late::View&) { late_ran = true; })}});
  auto registry = sdk::ProductRegistry::Create(std::move(products));
  ASSERT_TRUE(registry.ok());
  const PhaseEngine engine(**registry);
  auto zone = Zone(**registry, "");
  rules::RequestData data;
  rules::Scratch scratch;
  RequestState state(*zone, data, "ray", "ip", scratch);
  state.SkipProduct("late");
  engine.RunRequestPhases(state);
  EXPECT_FALSE(late_ran);
}

}  // namespace
}  // namespace gatehouse::engine
