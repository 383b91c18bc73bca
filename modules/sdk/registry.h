#pragma once

#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "modules/sdk/product.h"
#include "plan/phase.h"

namespace gatehouse::sdk {

// The products linked into this binary, checked as a whole. The zone compiler reads actions and
// phase owners from it; the zone linker links rules with it; the phase engine runs its phases.
class ProductRegistry {
 public:
  // Checks a set of products: unique product and action names; each action's phases owned by its
  // product (it has a phase there that reads its own ruleset); no phase owned twice; no two
  // phases of one slot producing the same exclusive output (their order would be ambiguous).
  static absl::StatusOr<std::unique_ptr<const ProductRegistry>> Create(
      std::vector<ProductDefinition> products);

  // Every product registered with GATEHOUSE_REGISTER_PRODUCT in this binary. Built on first use;
  // a set that does not check is a build mistake, so the process stops with the reason.
  static const ProductRegistry& Linked();
  // Called by GATEHOUSE_REGISTER_PRODUCT during static initialisation.
  static bool Register(ProductDefinition (*factory)());

  struct Action {
    const ProductDefinition* product = nullptr;
    const ActionDefinition* action = nullptr;
  };

  const std::vector<ProductDefinition>& products() const { return products_; }
  const Action* FindAction(std::string_view name) const;
  const ProductDefinition* FindProduct(std::string_view name) const;
  // The product whose phase reads `phase`'s ruleset; null when no product owns the phase.
  const ProductDefinition* PhaseOwner(plan::Phase phase) const {
    return owners_[plan::PhaseIndex(phase)];
  }
  // The product that reads compiled managed rulesets of message type `type_name`, and how.
  struct ManagedRulesetReader {
    const ProductDefinition* product = nullptr;
    const ManagedRulesetDefinition* definition = nullptr;
  };
  const ManagedRulesetReader* FindManagedRulesetReader(std::string_view type_name) const;
  // Links one compiled managed ruleset (and summarises it when `summarize`: where zones are
  // compiled), reusing `previous`'s linked object when it holds the same id and digest. An
  // error names the ruleset: a compiled form no product of this binary reads, or one its
  // product refuses.
  absl::StatusOr<ManagedRulesetSet::Entry> LinkManagedRuleset(
      std::string id, std::string version, std::string digest,
      const google::protobuf::Any& compiled, const ManagedRulesetSet* previous,
      bool summarize) const;

  // For messages: "block, log, skip or redirect".
  std::string ActionNames() const;
  std::string ProductNames() const;

 private:
  ProductRegistry() = default;

  std::vector<ProductDefinition> products_;
  std::vector<Action> actions_;
  std::vector<ManagedRulesetReader> managed_readers_;
  std::array<const ProductDefinition*, plan::kPhaseCount> owners_{};
};

}  // namespace gatehouse::sdk

// Registers a product with the binary it is linked into: `factory` is a function returning its
// ProductDefinition. The product's library must be `alwayslink`.
#define GATEHOUSE_REGISTER_PRODUCT(factory)                                  \
  [[maybe_unused]] static const bool gatehouse_product_registered_##factory = \
      ::gatehouse::sdk::ProductRegistry::Register(&factory)
