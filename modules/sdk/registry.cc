#include "modules/sdk/registry.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>

#include "common/logging.h"

namespace gatehouse::sdk {
namespace {

std::vector<ProductDefinition (*)()>& Factories() {
  static auto* factories = new std::vector<ProductDefinition (*)()>();
  return *factories;
}

std::string Where(const PhaseDeclaration& d) {
  return "product " + d.product + " (phase " + std::string(plan::PhaseName(d.phase)) + ")";
}

std::string OrList(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
    out += names[i];
  }
  return out;
}

}  // namespace

bool ProductRegistry::Register(ProductDefinition (*factory)()) {
  Factories().push_back(factory);
  return true;
}

const ProductRegistry& ProductRegistry::Linked() {
  static const ProductRegistry* const linked = [] {
    std::vector<ProductDefinition> products;
    for (auto* factory : Factories()) products.push_back(factory());
    // Registration order depends on the link order; the product list does not.
    std::sort(products.begin(), products.end(),
              [](const auto& a, const auto& b) { return a.name < b.name; });
    auto registry = Create(std::move(products));
    if (!registry.ok()) {
      GH_LOG(ERROR) << "the products linked into this binary do not fit together: "
                    << registry.status().message();
      std::abort();
    }
    return registry->release();
  }();
  return *linked;
}

absl::StatusOr<std::unique_ptr<const ProductRegistry>> ProductRegistry::Create(
    std::vector<ProductDefinition> products) {
  std::unique_ptr<ProductRegistry> registry(new ProductRegistry());
  registry->products_ = std::move(products);
  std::set<std::string> product_names;
  std::map<std::string, std::string> action_products;
  std::array<std::map<std::string, const PhaseDeclaration*>, plan::kPhaseCount> exclusive;
  for (ProductDefinition& product : registry->products_) {
    if (product.name.empty()) return absl::InvalidArgumentError("a product has no name");
    if (!product_names.insert(product.name).second) {
      return absl::InvalidArgumentError("two products are called " + product.name);
    }
    for (RegisteredPhase& phase : product.phases) {
      phase.declaration.product = product.name;
      const size_t slot = plan::PhaseIndex(phase.declaration.phase);
      if (phase.declaration.needs_ruleset) {
        const ProductDefinition*& owner = registry->owners_[slot];
        if (owner != nullptr && owner != &product) {
          return absl::InvalidArgumentError(
              "products " + owner->name + " and " + product.name + " both read the ruleset of " +
              std::string(plan::PhaseName(phase.declaration.phase)) +
              ": a phase's ruleset belongs to one product");
        }
        owner = &product;
      }
      for (const std::string& output : phase.declaration.exclusive_outputs) {
        const auto [it, inserted] = exclusive[slot].emplace(output, &phase.declaration);
        if (!inserted) {
          return absl::FailedPreconditionError(Where(phase.declaration) + " and " +
                                               Where(*it->second) + " both produce output " +
                                               output + " in one phase: their order is ambiguous");
        }
      }
    }
  }
  for (const ProductDefinition& product : registry->products_) {
    for (const ActionDefinition& action : product.actions) {
      const auto [it, inserted] = action_products.emplace(action.name, product.name);
      if (!inserted) {
        return absl::InvalidArgumentError("products " + it->second + " and " + product.name +
                                          " both define action " + action.name);
      }
      if (action.phases.empty() || action.parameters == nullptr || !action.compile ||
          !action.link) {
        return absl::InvalidArgumentError("action " + action.name + " of product " +
                                          product.name + " is incomplete");
      }
      for (plan::Phase phase : action.phases) {
        if (registry->owners_[plan::PhaseIndex(phase)] != &product) {
          return absl::InvalidArgumentError(
              "action " + action.name + " of product " + product.name + " is allowed in " +
              std::string(plan::PhaseName(phase)) +
              ", but the product has no phase there that reads its ruleset");
        }
      }
      registry->actions_.push_back({&product, &action});
    }
    for (const ManagedRulesetDefinition& definition : product.managed_rulesets) {
      if (definition.type_name.empty() || !definition.link || !definition.summarize) {
        return absl::InvalidArgumentError("a managed ruleset definition of product " +
                                          product.name + " is incomplete");
      }
      if (const ManagedRulesetReader* other =
              registry->FindManagedRulesetReader(definition.type_name)) {
        return absl::InvalidArgumentError("products " + other->product->name + " and " +
                                          product.name + " both read managed rulesets of type " +
                                          definition.type_name);
      }
      registry->managed_readers_.push_back({&product, &definition});
    }
  }
  return std::unique_ptr<const ProductRegistry>(std::move(registry));
}

const ProductRegistry::Action* ProductRegistry::FindAction(std::string_view name) const {
  for (const Action& action : actions_) {
    if (action.action->name == name) return &action;
  }
  return nullptr;
}

const ProductRegistry::ManagedRulesetReader* ProductRegistry::FindManagedRulesetReader(
    std::string_view type_name) const {
  for (const ManagedRulesetReader& reader : managed_readers_) {
    if (reader.definition->type_name == type_name) return &reader;
  }
  return nullptr;
}

absl::StatusOr<ManagedRulesetSet::Entry> ProductRegistry::LinkManagedRuleset(
    std::string id, std::string version, std::string digest,
    const google::protobuf::Any& compiled, const ManagedRulesetSet* previous,
    bool summarize) const {
  ManagedRulesetSet::Entry entry;
  entry.id = std::move(id);
  entry.version = std::move(version);
  entry.digest = std::move(digest);
  const auto fail = [&entry](std::string_view why) {
    return absl::InvalidArgumentError("managed ruleset " + entry.id + " (" + entry.version +
                                      "): " + std::string(why));
  };
  if (entry.id.empty() || entry.digest.empty()) return fail("it has no id or no digest");
  if (previous != nullptr) {
    const ManagedRulesetSet::Entry* old = previous->Find(entry.id);
    if (old != nullptr && old->digest == entry.digest && (!summarize || old->summary != nullptr)) {
      return *old;  // the same ruleset: linked once per digest
    }
  }
  // "type.googleapis.com/gatehouse.waf.v1.WafProgram" -> the message's full name.
  std::string_view type = compiled.type_url();
  if (const size_t slash = type.rfind('/'); slash != std::string_view::npos) {
    type.remove_prefix(slash + 1);
  }
  const ManagedRulesetReader* reader = FindManagedRulesetReader(type);
  if (reader == nullptr) {
    return fail("no product linked into this binary reads a compiled ruleset of type " +
                std::string(type));
  }
  auto linked = reader->definition->link(compiled);
  if (!linked.ok()) return fail(std::string(linked.status().message()));
  entry.linked = *std::move(linked);
  if (summarize) {
    auto summary = reader->definition->summarize(compiled);
    if (!summary.ok()) return fail(std::string(summary.status().message()));
    entry.summary = std::make_shared<const ManagedRulesetSummary>(*std::move(summary));
  }
  return entry;
}

const ProductDefinition* ProductRegistry::FindProduct(std::string_view name) const {
  for (const ProductDefinition& product : products_) {
    if (product.name == name) return &product;
  }
  return nullptr;
}

std::string ProductRegistry::ActionNames() const {
  std::vector<std::string> names;
  for (const Action& action : actions_) names.push_back(action.action->name);
  return OrList(names);
}

std::string ProductRegistry::ProductNames() const {
  std::vector<std::string> names;
  for (const ProductDefinition& product : products_) names.push_back(product.name);
  return OrList(names);
}

}  // namespace gatehouse::sdk
