#include "api/store_follower.h"

#include "common/logging.h"

namespace gatehouse::api {

StoreFollower::StoreFollower(const EtcdConfigStore& store, ConfigController& controller,
                             ListController& lists, uint64_t published)
    : store_(store),
      controller_(controller),
      lists_(lists),
      watch_(
          store.client(), store.keyspace().prefix(), static_cast<int64_t>(published) + 1,
          [this](const auto& events) {
            for (const auto& event : events) {
              // Versions are only ever put (a deletion is a tombstone version); the other keys
              // under the prefix are skipped.
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
  if (store_.keyspace().ParseList(kv.key()).has_value()) {
    ApplyList(kv);
    return;
  }
  auto record = store_.ParseZoneVersion(kv);
  if (!record.ok()) {
    GH_LOG(ERROR) << "etcd key " << kv.key() << " is not a zone version; skipped";
    return;
  }
  if (record->has_value()) ApplyZone(**record, kv.mod_revision());
}

void StoreFollower::ApplyList(const mvccpb::KeyValue& kv) {
  auto record = store_.ParseListVersion(kv);
  if (!record.ok()) {
    GH_LOG(ERROR) << record.status().message() << "; skipped";
    return;
  }
  if (auto status = lists_.ApplyStored(*record); !status.ok()) {
    GH_LOG(ERROR) << "list " << record->name << " version " << record->version
                  << " not published: " << status.message();
  }
}

void StoreFollower::ApplyZone(const ZoneRecord& version, int64_t revision) {
  std::vector<StoredCertificate> certificates;
  if (!version.deleted) {
    // As they were at this version: a later change of them is a later version.
    auto at = store_.CertificatesAt(version.zone, revision);
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
