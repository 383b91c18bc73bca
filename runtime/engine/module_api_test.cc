// The module API's guarantees: a phase can use only what it declared (checked at compile time,
// here with static assertions over the view types), and the phase graph is checked when the
// engine is built.
#include "runtime/engine/module_api.h"

#include "compiler/zone_compiler.h"
#include "gtest/gtest.h"
#include "runtime/engine/phase_engine.h"

namespace gatehouse::runtime {
namespace {

using compiler::Phase;

struct Score {
  int value = 0;
};
struct Label {
  std::string text;
};

// ---- Compile-time: undeclared inputs and outputs are not there. -----------------------------

// Concepts over a view type: each asks whether an accessor can be called at all.
template <typename V> concept CanReadFields = requires(V& v) { v.fields(); };
template <typename V> concept CanReadRayId = requires(V& v) { v.ray_id(); };
template <typename V> concept CanReadClientIp = requires(V& v) { v.client_ip(); };
template <typename V> concept CanReadRuleset = requires(V& v) { v.ruleset(); };
template <typename V> concept CanRespond = requires(V& v) { v.Respond(LocalResponse{}, nullptr); };
template <typename V> concept CanRewrite = requires(V& v) { v.RewritePath(std::string(), nullptr); };
template <typename V>
concept CanSetRequestHeader = requires(V& v) { v.SetRequestHeader("a", std::string(), nullptr); };
template <typename V>
concept CanSetResponseHeader = requires(V& v) { v.SetResponseHeader("a", std::string(), nullptr); };
template <typename V, typename T> concept CanReadValue = requires(V& v) { v.template value<T>(); };
template <typename V, typename T> concept CanWriteValue = requires(V& v, T t) { v.SetValue(t); };

using ReadOnlyFields = PhaseView<Inputs<in::RequestFields>, Outputs<>>;
static_assert(CanReadFields<ReadOnlyFields>);
static_assert(!CanReadRayId<ReadOnlyFields>, "ray ID was not declared");
static_assert(!CanReadClientIp<ReadOnlyFields>, "client IP was not declared");
static_assert(!CanReadRuleset<ReadOnlyFields>, "the ruleset was not declared");
static_assert(!CanRespond<ReadOnlyFields>, "responding was not declared");
static_assert(!CanRewrite<ReadOnlyFields>, "rewriting was not declared");
static_assert(!CanSetRequestHeader<ReadOnlyFields>, "request headers were not declared");
static_assert(!CanReadValue<ReadOnlyFields, Score>, "reading a module value needs in::Value<T>");
static_assert(!CanWriteValue<ReadOnlyFields, Score>, "writing a value needs out::Value<T>");

using ScoreWriter = PhaseView<Inputs<in::RayId>, Outputs<out::Value<Score>>>;
static_assert(CanWriteValue<ScoreWriter, Score>);
static_assert(!CanWriteValue<ScoreWriter, Label>, "only the declared value type");
static_assert(CanReadRayId<ScoreWriter>);
static_assert(!CanReadFields<ScoreWriter>, "request fields were not declared");

using ScoreReader = PhaseView<Inputs<in::Value<Score>>, Outputs<out::ResponseHeaders>>;
static_assert(CanReadValue<ScoreReader, Score>);
static_assert(!CanReadValue<ScoreReader, Label>);
static_assert(CanSetResponseHeader<ScoreReader>);
static_assert(!CanSetRequestHeader<ScoreReader>, "response headers do not grant request headers");

// The checks above must be able to fail: a view that declares everything passes them all.
using Everything = PhaseView<Inputs<in::RequestFields, in::RayId, in::ClientIp, in::OwnRuleset>,
                             Outputs<out::Respond, out::RewriteUri, out::RequestHeaders>>;
static_assert(CanReadRayId<Everything> && CanReadClientIp<Everything> &&
              CanReadRuleset<Everything> && CanRespond<Everything> && CanRewrite<Everything> &&
              CanSetRequestHeader<Everything>);

// ---- Start-up: the phase graph. ---------------------------------------------------------------

using WriteScore = DeclaredPhase<Inputs<>, Outputs<out::Value<Score>>>;
using ReadScore = DeclaredPhase<Inputs<in::Value<Score>>, Outputs<out::ResponseHeaders>>;
using Responder = DeclaredPhase<Inputs<>, Outputs<out::Respond>>;

Module MakeModule(std::string name, std::vector<RegisteredPhase> phases) {
  return Module{std::move(name), std::move(phases)};
}

TEST(PhaseGraphTest, ValueWrittenEarlierIsFine) {
  std::vector<Module> modules;
  modules.push_back(MakeModule(
      "scorer", {WriteScore::Define("scorer", Phase::kRequestTransform, RequestKinds::kAll,
                                    [](WriteScore::View& v) { v.SetValue(Score{7}); })}));
  modules.push_back(MakeModule(
      "reader", {ReadScore::Define("reader", Phase::kResponseHeadersTransform, RequestKinds::kAll,
                                   [](ReadScore::View&) {})}));
  EXPECT_TRUE(PhaseEngine::CheckGraph(modules).ok());
}

TEST(PhaseGraphTest, ValueNobodyWritesEarlierStopsStartUp) {
  std::vector<Module> modules;
  modules.push_back(MakeModule(
      "reader", {ReadScore::Define("reader", Phase::kRequestTransform, RequestKinds::kAll,
                                   [](ReadScore::View&) {})}));
  modules.push_back(MakeModule(
      "scorer", {WriteScore::Define("scorer", Phase::kFirewallCustom, RequestKinds::kAll,
                                    [](WriteScore::View&) {})}));
  const absl::Status status = PhaseEngine::CheckGraph(modules);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(std::string(status.message()).find("module reader (phase http_request_transform) "
                                               "reads module value"),
            std::string::npos)
      << status;
  EXPECT_NE(std::string(status.message()).find("no earlier phase writes"), std::string::npos);
  EXPECT_FALSE(PhaseEngine::Create(std::move(modules)).ok());
}

TEST(PhaseGraphTest, ReadingAValueWrittenInTheSamePhaseIsAmbiguous) {
  std::vector<Module> modules;
  modules.push_back(MakeModule(
      "scorer", {WriteScore::Define("scorer", Phase::kFirewallCustom, RequestKinds::kAll,
                                    [](WriteScore::View&) {})}));
  modules.push_back(MakeModule(
      "reader", {ReadScore::Define("reader", Phase::kFirewallCustom, RequestKinds::kAll,
                                   [](ReadScore::View&) {})}));
  const absl::Status status = PhaseEngine::CheckGraph(modules);
  EXPECT_NE(std::string(status.message()).find("ambiguous"), std::string::npos) << status;
}

TEST(PhaseGraphTest, TwoRespondersInOnePhaseAreAmbiguous) {
  std::vector<Module> modules;
  modules.push_back(MakeModule("a", {Responder::Define("a", Phase::kFirewallCustom,
                                                       RequestKinds::kAll,
                                                       [](Responder::View&) {})}));
  modules.push_back(MakeModule("b", {Responder::Define("b", Phase::kFirewallCustom,
                                                       RequestKinds::kAll,
                                                       [](Responder::View&) {})}));
  const absl::Status status = PhaseEngine::CheckGraph(modules);
  EXPECT_NE(std::string(status.message()).find("both produce output respond"), std::string::npos)
      << status;
}

// ---- Running: filters, values, terminal outputs. --------------------------------------------

std::shared_ptr<const compiler::ZonePlan> Zone(const std::string& rulesets) {
  auto result = compiler::CompileZoneJson(
      R"({"zone": "a.com", "hostnames": ["a.com"],
          "origins": [{"name": "o", "servers": ["127.0.0.1:1"]}], "rulesets": [)" +
      rulesets + "]}");
  EXPECT_TRUE(result.ok()) << result.RenderedDiagnostics();
  return result.plan;
}

TEST(PhaseEngineTest, PhasesNeedingARulesetRunOnlyWhereTheZoneHasOne) {
  using NeedsRuleset = DeclaredPhase<Inputs<in::OwnRuleset>, Outputs<out::Value<Score>>>;
  int runs = 0;
  std::vector<Module> modules;
  modules.push_back(MakeModule(
      "m", {NeedsRuleset::Define("m", Phase::kFirewallCustom, RequestKinds::kAll,
                                 [&](NeedsRuleset::View& v) {
                                   ++runs;
                                   v.SetValue(Score{static_cast<int>(v.ruleset().rules.size())});
                                 })}));
  auto engine = PhaseEngine::Create(std::move(modules));
  ASSERT_TRUE(engine.ok());
  rules::RequestData data;
  data.raw_target = "/";

  auto without = Zone("");
  RequestState no_rules(*without, data, "ray", "1.2.3.4");
  (*engine)->RunRequestPhases(no_rules);
  EXPECT_EQ(runs, 0);
  EXPECT_EQ(no_rules.values().Get<Score>(), nullptr);

  auto with = Zone(R"({"phase": "http_request_firewall_custom", "rules": [
      {"id": "r", "expression": "true", "action": "log"}]})");
  RequestState has_rules(*with, data, "ray", "1.2.3.4");
  (*engine)->RunRequestPhases(has_rules);
  EXPECT_EQ(runs, 1);
  ASSERT_NE(has_rules.values().Get<Score>(), nullptr);
  EXPECT_EQ(has_rules.values().Get<Score>()->value, 1);
}

TEST(PhaseEngineTest, ARespondingPhaseEndsTheRequestPhases) {
  bool late_ran = false;
  using Late = DeclaredPhase<Inputs<>, Outputs<out::RecordMatch>>;
  std::vector<Module> modules;
  modules.push_back(MakeModule(
      "first", {Responder::Define("first", Phase::kDynamicRedirect, RequestKinds::kAll,
                                  [](Responder::View& v) {
                                    v.Respond(LocalResponse{301, "text/plain", "", {}}, nullptr);
                                  })}));
  modules.push_back(MakeModule("late", {Late::Define("late", Phase::kLateTransform,
                                                     RequestKinds::kAll,
                                                     [&](Late::View&) { late_ran = true; })}));
  auto engine = PhaseEngine::Create(std::move(modules));
  ASSERT_TRUE(engine.ok());
  auto zone = Zone("");
  rules::RequestData data;
  RequestState state(*zone, data, "ray", "ip");
  (*engine)->RunRequestPhases(state);
  EXPECT_FALSE(late_ran);
  ASSERT_TRUE(state.local_response().has_value());
  EXPECT_EQ(state.local_response()->status, 301);
}

}  // namespace
}  // namespace gatehouse::runtime
