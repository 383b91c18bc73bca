#pragma once

#include <string>

#include "schemas/snapshot.pb.h"

namespace gatehouse::plan {

// ZoneContentHash (common/content_hash.h) of `zone`: its config hash and its certificates'
// fingerprints.
std::string ZoneContentHash(const snapshot::v1::CompiledZone& zone);

// A snapshot's content hash from its zones and managed rulesets as they are (its content_hash
// field is not consulted): ContentHashOfSnapshot over every zone's name and config hash and
// every managed ruleset's id and digest.
std::string SnapshotContentHash(const snapshot::v1::Snapshot& snapshot);

}  // namespace gatehouse::plan
