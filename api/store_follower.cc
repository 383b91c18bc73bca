#include "api/store_follower.h"

#include "common/logging.h"

namespace gatehouse::api {

StoreFollower::StoreFollower(const EtcdConfigStore& store, ConfigController& controller,
                             uint64_t published)
    : store_(store),
      controller_(controller),
      watch_(
          store.client(), store.keyspace().AllZoneVersions(), static_cast<int64_t>(published) + 1,
          [this](const auto& events) {
            for (const auto& event : events) {
              // Versions are only ever put; nothing else under the prefix changes.
              if (event.type() == mvccpb::Event::PUT) Apply(event.kv());
            }
          },
          [this] { return Resync(); }) {}

StoreFollower::~StoreFollower() { Stop(); }

void StoreFollower::Start() { watch_.Start(); }

void StoreFollower::Stop() { watch_.Stop(); }

absl::StatusOr<int64_t> StoreFollower::Resync() {
  int64_t revision = 0;
  auto state = store_.LatestStateAt(&revision);
  if (!state.ok()) return state.status();
  if (auto status = controller_.ApplyState(*state); !status.ok()) return status;
  return revision;
}

void StoreFollower::Apply(const mvccpb::KeyValue& kv) {
  auto record = store_.ParseZoneVersion(kv);
  if (!record.ok() || !record->has_value()) {
    GH_LOG(ERROR) << "etcd key " << kv.key() << " is not a zone version; skipped";
    return;
  }
  const ZoneRecord& version = **record;
  std::vector<StoredCertificate> certificates;
  if (!version.deleted) {
    // As they were at this version: a later change of them is a later version.
    auto at = store_.CertificatesAt(version.zone, kv.mod_revision());
    if (!at.ok()) {
      GH_LOG(ERROR) << "cannot read the certificates of zone " << version.zone << " at version "
                    << version.version << ": " << at.status().message()
                    << "; published with those it has now";
      at = store_.Certificates(version.zone);
    }
    certificates = *std::move(at);
  }
  if (auto status = controller_.ApplyStored(version, certificates); !status.ok()) {
    GH_LOG(ERROR) << "zone " << version.zone << " version " << version.version
                  << " not published: " << status.message();
  }
}

}  // namespace gatehouse::api
