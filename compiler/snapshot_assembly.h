#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "schemas/snapshot.pb.h"

namespace gatehouse::compiler {

// The zones of one snapshot, by name. Zones are shared between consecutive snapshots: a change to
// one zone replaces one pointer.
using ZoneSet = std::map<std::string, std::shared_ptr<const snapshot::v1::CompiledZone>>;

// The managed rulesets a snapshot carries (the managed WAF's CRS), sorted by id.
using ManagedRulesets = std::vector<snapshot::v1::ManagedRuleset>;

std::string SnapshotContentHash(const ZoneSet& zones, const ManagedRulesets* managed = nullptr);

snapshot::v1::Snapshot AssembleSnapshot(uint64_t version, const ZoneSet& zones,
                                        std::string_view lineage = "",
                                        const ManagedRulesets* managed = nullptr);

}  // namespace gatehouse::compiler
