#include "api/config_controller.h"

#include "compiler/zone_config_json.h"

namespace gatehouse::api {

ConfigController::ConfigController(ConfigStore& store, SnapshotPublisher& publisher,
                                   compiler::ZoneCompileOptions options)
    : store_(store), publisher_(publisher), options_(std::move(options)) {}

absl::Status ConfigController::LoadFromStore() {
  std::lock_guard lock(put_mutex_);
  for (const ZoneRecord& record : store_.LatestOfAllZones()) {
    auto config = compiler::ParseZoneConfigJson(record.config_json);
    if (!config.ok()) {
      return absl::DataLossError("stored zone " + record.zone + " version " +
                                 std::to_string(record.version) +
                                 " does not parse: " + std::string(config.status().message()));
    }
    PublishRecord(record, *config);
  }
  return absl::OkStatus();
}

absl::StatusOr<ConfigController::PutResult> ConfigController::Put(
    std::string_view config_json, uint64_t expected_version, const std::string& author,
    std::vector<compiler::ZoneDiagnostic>* diagnostics) {
  auto config = compiler::ParseZoneConfigJson(config_json);
  if (!config.ok()) {
    compiler::ZoneDiagnostic d;
    d.message = std::string(config.status().message());
    d.rendered = "error: " + d.message + "\n";
    diagnostics->push_back(d);
    return absl::InvalidArgumentError(d.rendered);
  }
  compiler::ZoneCompileResult compiled = compiler::CompileZone(*config, options_);
  if (!compiled.ok()) {
    *diagnostics = compiled.diagnostics;
    return absl::InvalidArgumentError(compiled.RenderedDiagnostics());
  }

  std::lock_guard lock(put_mutex_);
  auto latest = store_.Latest(config->zone());
  if (latest.ok() && !latest->deleted && latest->config_hash == compiled.plan->config_hash &&
      (expected_version == 0 || expected_version == latest->version)) {
    return PutResult{*std::move(latest), /*unchanged=*/true};
  }
  ZoneRecord record;
  record.zone = config->zone();
  record.config_hash = compiled.plan->config_hash;
  record.config_json = compiler::ZoneConfigToJson(*config);
  record.author = author;
  auto stored = store_.Append(std::move(record), expected_version == 0
                                                     ? std::nullopt
                                                     : std::optional<uint64_t>(expected_version));
  if (!stored.ok()) return stored.status();
  PublishRecord(*stored, *config);
  return PutResult{*std::move(stored), /*unchanged=*/false};
}

compiler::ZoneCompileResult ConfigController::Validate(std::string_view config_json) const {
  return compiler::CompileZoneJson(config_json, options_);
}

void ConfigController::PublishRecord(const ZoneRecord& record,
                                     const config::v1::ZoneConfig& config) {
  auto zone = std::make_shared<snapshot::v1::CompiledZone>();
  zone->set_zone(record.zone);
  zone->set_version(record.version);
  zone->set_config_hash(record.config_hash);
  *zone->mutable_config() = config;
  publisher_.Publish(record.sequence, record.zone, std::move(zone));
}

}  // namespace gatehouse::api
