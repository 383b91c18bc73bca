#include "api/stored_zone.h"

#include "compiler/zone_config_json.h"
#include "plan/zone_linker.h"

namespace gatehouse::api {

snapshot::v1::CompiledZone StoredProgram(const plan::v1::ZoneProgram& program,
                                         const std::string& config_hash) {
  snapshot::v1::CompiledZone stored;
  *stored.mutable_program() = program;
  stored.mutable_program()->set_config_hash(config_hash);
  return stored;
}

ZoneRecord NewZoneRecord(const config::v1::ZoneConfig& config, const std::string& config_hash,
                         const snapshot::v1::CompiledZone& stored, const std::string& author) {
  ZoneRecord record;
  record.zone = config.zone();
  record.config_hash = config_hash;
  record.config_json = compiler::ZoneConfigToJson(config);
  record.author = author;
  record.prefilters = stored.SerializeAsString();
  record.host_claims.emplace(config.hostnames().begin(), config.hostnames().end());
  record.account_lists.emplace(stored.program().account_lists().begin(),
                               stored.program().account_lists().end());
  return record;
}

bool ReadStoredProgram(const ZoneRecord& record, snapshot::v1::CompiledZone* zone) {
  return !record.prefilters.empty() && zone->ParseFromString(record.prefilters) &&
         zone->has_program() && zone->program().program_version() == plan::kProgramVersion;
}

}  // namespace gatehouse::api
