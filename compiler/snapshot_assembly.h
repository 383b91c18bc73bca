#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compiler/zone_compiler.h"
#include "compiler/zone_plan.h"
#include "schemas/snapshot.pb.h"

namespace gatehouse::compiler {

// The zones of one snapshot, by name. Zones are shared between consecutive snapshots: a change to
// one zone replaces one pointer.
using ZoneSet = std::map<std::string, std::shared_ptr<const snapshot::v1::CompiledZone>>;

// A snapshot's content hash: SHA-256 over every zone's name and config hash, in name order.
// `zones` holds (name, config hash) pairs sorted by name. The one definition every side uses.
std::string ContentHashOfZones(
    const std::vector<std::pair<std::string_view, std::string_view>>& zones);

std::string SnapshotContentHash(const ZoneSet& zones);
// Of a snapshot's zones as they are (its content_hash field is not consulted).
std::string SnapshotContentHash(const snapshot::v1::Snapshot& snapshot);

snapshot::v1::Snapshot AssembleSnapshot(uint64_t version, const ZoneSet& zones,
                                        std::string_view lineage = "");

// Puts every phase's serialised prefilter databases of `plan` into `zone`.
void AddPrefilters(const ZonePlan& plan, snapshot::v1::CompiledZone* zone);

// The prefilter databases `zone` carries, for CompileZone's `precompiled` option.
PrecompiledPrefilters ReadPrefilters(const snapshot::v1::CompiledZone& zone);

}  // namespace gatehouse::compiler
