#include "compiler/snapshot_assembly.h"

#include <chrono>

#include "common/content_hash.h"

namespace gatehouse::compiler {

std::string SnapshotContentHash(const ZoneSet& zones) {
  std::string input;
  for (const auto& [name, zone] : zones) {
    input += name;
    input += '\0';
    input += zone->config_hash();
    input += '\n';
  }
  return Sha256Hex(input);
}

snapshot::v1::Snapshot AssembleSnapshot(uint64_t version, const ZoneSet& zones) {
  snapshot::v1::Snapshot out;
  out.set_format(snapshot::v1::FORMAT_VERSION_1);
  out.set_version(version);
  out.set_content_hash(SnapshotContentHash(zones));
  out.set_created_unix_ms(std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count());
  for (const auto& [name, zone] : zones) *out.add_zones() = *zone;
  return out;
}

}  // namespace gatehouse::compiler
