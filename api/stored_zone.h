#pragma once

// How the control plane stores a zone version: the record it appends to the ConfigStore (the
// config's canonical JSON and hash, and the program compiled from it with its prefilter
// databases), and how it reads the program back at start, so a restart compiles nothing. The
// config controller and the tools that write a store directly (benchmarks) share this.

#include <string>

#include "api/config_store.h"
#include "schemas/config.pb.h"
#include "schemas/snapshot.pb.h"

namespace gatehouse::api {

// The program as stored and published: a CompiledZone holding only `program`, stamped with the
// hash of the config it was compiled from.
snapshot::v1::CompiledZone StoredProgram(const plan::v1::ZoneProgram& program,
                                         const std::string& config_hash);

// A new version of `config` for ConfigStore::Append, carrying `stored` (StoredProgram).
ZoneRecord NewZoneRecord(const config::v1::ZoneConfig& config, const std::string& config_hash,
                         const snapshot::v1::CompiledZone& stored, const std::string& author);

// The program stored with `record` into `zone`, when it holds one this release links. False
// for a record of an older release (no program, or another program version): the zone must be
// compiled again.
bool ReadStoredProgram(const ZoneRecord& record, snapshot::v1::CompiledZone* zone);

}  // namespace gatehouse::api
