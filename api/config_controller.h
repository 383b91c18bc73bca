#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "api/config_store.h"
#include "api/snapshot_publisher.h"
#include "compiler/zone_compiler.h"

namespace gatehouse::api {

// The control plane's logic, apart from gRPC: accept a zone config only once it compiles, store
// it durably, then publish a new snapshot. Thread-safe.
class ConfigController {
 public:
  ConfigController(ConfigStore& store, SnapshotPublisher& publisher,
                   compiler::ZoneCompileOptions options = {});

  // Publishes the newest version of every zone the store holds (used at start).
  absl::Status LoadFromStore();

  struct PutResult {
    ZoneRecord record;
    bool unchanged = false;
  };

  // INVALID_ARGUMENT (with `diagnostics` filled) when the config does not compile;
  // FAILED_PRECONDITION when expected_version is non-zero and not the current version.
  absl::StatusOr<PutResult> Put(std::string_view config_json, uint64_t expected_version,
                                const std::string& author,
                                std::vector<compiler::ZoneDiagnostic>* diagnostics);

  // A full compile that stores nothing.
  compiler::ZoneCompileResult Validate(std::string_view config_json) const;

 private:
  void PublishRecord(const ZoneRecord& record, const config::v1::ZoneConfig& config);

  ConfigStore& store_;
  SnapshotPublisher& publisher_;
  const compiler::ZoneCompileOptions options_;
  // Puts are serialised so that the hash comparison, the append and the publish of one put are
  // not interleaved with another's: no lost update, no out-of-order publish.
  std::mutex put_mutex_;
};

}  // namespace gatehouse::api
