#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "compiler/zone_compiler.h"
#include "compiler/zone_plan.h"
#include "schemas/snapshot.pb.h"

namespace gatehouse::compiler {

// The zones of one snapshot, by name. Zones are shared between consecutive snapshots: a change to
// one zone replaces one pointer.
using ZoneSet = std::map<std::string, std::shared_ptr<const snapshot::v1::CompiledZone>>;

// SHA-256 over every zone's name and config hash, in name order.
std::string SnapshotContentHash(const ZoneSet& zones);

snapshot::v1::Snapshot AssembleSnapshot(uint64_t version, const ZoneSet& zones);

// Puts every phase's serialised prefilter databases of `plan` into `zone`.
void AddPrefilters(const ZonePlan& plan, snapshot::v1::CompiledZone* zone);

// The prefilter databases `zone` carries, for CompileZone's `precompiled` option.
PrecompiledPrefilters ReadPrefilters(const snapshot::v1::CompiledZone& zone);

}  // namespace gatehouse::compiler
