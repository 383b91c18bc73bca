#pragma once

// The managed rulesets as ConfigService's ListManagedRulesets / GetManagedRuleset answer, from
// the summaries the control plane (and gatectl, file-only) keeps of what it imported: one
// conversion for both, so `gatectl managed show` prints the same from either.

#include <cstdint>
#include <string_view>

#include "absl/status/status.h"
#include "modules/sdk/managed_ruleset.h"
#include "schemas/api.pb.h"

namespace gatehouse::api {

// Every managed ruleset of `rulesets`, by id.
void ListManagedRulesets(const sdk::ManagedRulesetSet& rulesets,
                         v1::ListManagedRulesetsResponse* out);

// The ruleset `id`: its rules (those that run at `paranoia_level`; 0: all), and every rule of
// its source it left out or adjusted. NOT_FOUND for an unknown id (naming those there are),
// INVALID_ARGUMENT for a paranoia level above 4.
absl::Status DescribeManagedRuleset(const sdk::ManagedRulesetSet& rulesets, std::string_view id,
                                    uint32_t paranoia_level, v1::GetManagedRulesetResponse* out);

}  // namespace gatehouse::api
