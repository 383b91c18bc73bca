// The product API's guarantees: a phase can use only what it declared, and can declare only what
// its phase has (checked at compile time, here with static assertions over the types); a set of
// products that does not fit together is refused when the registry is built.
#include "modules/sdk/phase_api.h"

#include "gtest/gtest.h"
#include "modules/sdk/registry.h"

namespace gatehouse::sdk {
namespace {

using plan::Phase;

// ---- Compile-time: undeclared inputs and outputs are not there. -----------------------------

// Concepts over a view type: each asks whether an accessor can be called at all.
template <typename V> concept CanReadFields = requires(V& v) { v.fields(); };
template <typename V> concept CanReadRayId = requires(V& v) { v.ray_id(); };
template <typename V> concept CanReadClientIp = requires(V& v) { v.client_ip(); };
template <typename V> concept CanReadRuleset = requires(V& v) { v.ruleset(); };
template <typename V> concept CanReadStatus = requires(V& v) { v.response_status(); };
template <typename V> concept CanRespond = requires(V& v) { v.Respond(LocalResponse{}, nullptr); };
template <typename V> concept CanRewrite = requires(V& v) { v.RewritePath(std::string(), nullptr); };
template <typename V>
concept CanSetRequestHeader = requires(V& v) { v.SetRequestHeader("a", std::string(), nullptr); };
template <typename V>
concept CanSetResponseHeader = requires(V& v) { v.SetResponseHeader("a", std::string(), nullptr); };

using ReadOnlyFields = PhaseView<Inputs<in::RequestFields>, Outputs<>>;
static_assert(CanReadFields<ReadOnlyFields>);
static_assert(!CanReadRayId<ReadOnlyFields>, "ray ID was not declared");
static_assert(!CanReadClientIp<ReadOnlyFields>, "client IP was not declared");
static_assert(!CanReadRuleset<ReadOnlyFields>, "the ruleset was not declared");
static_assert(!CanRespond<ReadOnlyFields>, "responding was not declared");
static_assert(!CanRewrite<ReadOnlyFields>, "rewriting was not declared");
static_assert(!CanSetRequestHeader<ReadOnlyFields>, "request headers were not declared");

// Declaring the client's address does not grant the request fields (the body among them).
using ClientIpOnly = PhaseView<Inputs<in::ClientIp>, Outputs<out::ResponseHeaders>>;
static_assert(CanReadClientIp<ClientIpOnly>);
static_assert(!CanReadFields<ClientIpOnly>, "request fields were not declared");
static_assert(CanSetResponseHeader<ClientIpOnly>);
static_assert(!CanSetRequestHeader<ClientIpOnly>, "response headers do not grant request headers");

// The checks above must be able to fail: a view that declares everything passes them all.
using Everything = PhaseView<Inputs<in::RequestFields, in::RayId, in::ClientIp, in::OwnRuleset,
                                    in::ResponseStatus>,
                             Outputs<out::Respond, out::RewriteUri, out::RequestHeaders>>;
static_assert(CanReadRayId<Everything> && CanReadClientIp<Everything> &&
              CanReadRuleset<Everything> && CanRespond<Everything> && CanRewrite<Everything> &&
              CanSetRequestHeader<Everything> && CanReadStatus<Everything>);

// ---- Compile-time: a phase declares only what its phase has. ------------------------------

template <typename D> concept Declarable = requires { typename D::View; };

static_assert(Declarable<DeclaredPhase<Phase::kCustomErrors, Inputs<in::ResponseStatus>, Outputs<>>>);
static_assert(!Declarable<DeclaredPhase<Phase::kFirewallCustom, Inputs<in::ResponseStatus>, Outputs<>>>,
              "a request phase has no response status");
static_assert(!Declarable<DeclaredPhase<Phase::kLateTransform, Inputs<>, Outputs<out::ResponseHeaders>>>,
              "a request phase cannot edit response headers");
static_assert(Declarable<DeclaredPhase<Phase::kLateTransform, Inputs<>, Outputs<out::RequestHeaders>>>);
static_assert(!Declarable<DeclaredPhase<Phase::kResponseHeadersTransform, Inputs<>,
                                        Outputs<out::RequestHeaders>>>,
              "a response phase cannot edit the request");
static_assert(!Declarable<DeclaredPhase<Phase::kCustomErrors, Inputs<>, Outputs<out::Route>>>,
              "a response phase cannot route");

// ---- Start-up: products that do not fit together. -------------------------------------------

using Responder = DeclaredPhase<Phase::kFirewallCustom, Inputs<>, Outputs<out::Respond>>;
using OwnsFirewall = DeclaredPhase<Phase::kFirewallCustom, Inputs<in::OwnRuleset>, Outputs<>>;

ProductDefinition Product(std::string name, std::vector<RegisteredPhase> phases,
                          std::vector<ActionDefinition> actions = {}) {
  return ProductDefinition{std::move(name), std::move(actions), std::move(phases)};
}

ActionDefinition Action(std::string name, Phase phase) {
  return DefineAction<sdk::v1::CustomResponse, sdk::v1::CustomResponse, NoConfig>(
      std::move(name), {phase},
      [](const sdk::v1::CustomResponse& p, ActionCompileContext&) { return p; },
      [](const sdk::v1::CustomResponse&, ActionLinkContext&) { return NoConfig(); });
}

std::string CreateError(std::vector<ProductDefinition> products) {
  auto registry = ProductRegistry::Create(std::move(products));
  return registry.ok() ? "" : std::string(registry.status().message());
}

TEST(ProductRegistryTest, TwoRespondersInOnePhaseAreAmbiguous) {
  std::vector<ProductDefinition> products;
  products.push_back(Product("a", {Responder::Define([](Responder::View&) {})}));
  products.push_back(Product("b", {Responder::Define([](Responder::View&) {})}));
  EXPECT_NE(CreateError(std::move(products)).find("both produce output respond"),
            std::string::npos);
}

TEST(ProductRegistryTest, APhaseRulesetHasOneOwner) {
  std::vector<ProductDefinition> products;
  products.push_back(Product("a", {OwnsFirewall::Define([](OwnsFirewall::View&) {})}));
  products.push_back(Product("b", {OwnsFirewall::Define([](OwnsFirewall::View&) {})}));
  EXPECT_NE(CreateError(std::move(products)).find("both read the ruleset"), std::string::npos);
}

TEST(ProductRegistryTest, AnActionStandsOnlyInPhasesItsProductOwns) {
  std::vector<ProductDefinition> products;
  products.push_back(Product("a", {OwnsFirewall::Define([](OwnsFirewall::View&) {})},
                             {Action("stamp", Phase::kLateTransform)}));
  EXPECT_NE(CreateError(std::move(products)).find("has no phase there"), std::string::npos);
}

TEST(ProductRegistryTest, NamesAreUnique) {
  std::vector<ProductDefinition> twice;
  twice.push_back(Product("a", {}));
  twice.push_back(Product("a", {}));
  EXPECT_NE(CreateError(std::move(twice)).find("two products are called a"), std::string::npos);

  std::vector<ProductDefinition> actions;
  actions.push_back(Product("a", {OwnsFirewall::Define([](OwnsFirewall::View&) {})},
                            {Action("x", Phase::kFirewallCustom),
                             Action("x", Phase::kFirewallCustom)}));
  EXPECT_NE(CreateError(std::move(actions)).find("both define action x"), std::string::npos);
}

TEST(ProductRegistryTest, AFittingSetIsAcceptedAndLookedUp) {
  std::vector<ProductDefinition> products;
  products.push_back(Product("a", {OwnsFirewall::Define([](OwnsFirewall::View&) {})},
                             {Action("x", Phase::kFirewallCustom)}));
  auto registry = ProductRegistry::Create(std::move(products));
  ASSERT_TRUE(registry.ok()) << registry.status();
  ASSERT_NE((*registry)->FindAction("x"), nullptr);
  EXPECT_EQ((*registry)->FindAction("x")->product->name, "a");
  EXPECT_EQ((*registry)->PhaseOwner(Phase::kFirewallCustom)->name, "a");
  EXPECT_EQ((*registry)->PhaseOwner(Phase::kLateTransform), nullptr);
  EXPECT_EQ((*registry)->products()[0].phases[0].declaration.product, "a");
}

}  // namespace
}  // namespace gatehouse::sdk
