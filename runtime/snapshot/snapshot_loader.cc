#include "runtime/snapshot/snapshot_loader.h"

#include <sys/stat.h>

#include <cstdio>

#include "common/logging.h"
#include "plan/snapshot_file.h"
#include "plan/snapshot_hash.h"

namespace gatehouse::runtime {

SnapshotLoader::SnapshotLoader(SnapshotStore& store, std::string state_dir)
    : store_(store), state_dir_(std::move(state_dir)) {}

std::string SnapshotLoader::persisted_path() const {
  return state_dir_.empty() ? "" : state_dir_ + "/last_good.snapshot";
}

absl::Status SnapshotLoader::Fail(absl::Status status) {
  failures_.fetch_add(1, std::memory_order_relaxed);
  const auto current = store_.Current();
  GH_LOG(WARNING) << "snapshot refused, " << ServingNote(current.get()) << ": "
                  << status.message();
  return status;
}

absl::Status SnapshotLoader::Apply(const snapshot::v1::Snapshot& snapshot) {
  std::lock_guard lock(apply_mutex_);
  const auto previous = store_.Current();
  if (previous != nullptr && previous->version() == snapshot.version() &&
      previous->lineage() == snapshot.lineage() &&
      previous->content_hash() == plan::SnapshotContentHash(snapshot)) {
    return absl::OkStatus();  // the same snapshot again (e.g. a file touched, not changed)
  }
  std::vector<ZoneOutcome> outcomes;
  auto linked = LinkedSnapshot::Link(snapshot, previous.get(), &outcomes);
  for (const ZoneOutcome& outcome : outcomes) {
    if (!outcome.error.empty()) {
      GH_LOG(WARNING) << "snapshot " << snapshot.version() << ": zone " << outcome.zone
                      << " version " << outcome.version << " rejected: " << outcome.error;
    }
  }
  if (!linked.ok()) {
    const std::string reason =
        "snapshot " + std::to_string(snapshot.version()) + ": " +
        std::string(linked.status().message());
    store_.NoteRefused(reason);
    return Fail(absl::Status(linked.status().code(), reason));
  }
  if (!store_.Swap(*std::move(linked))) {
    // Same lineage, lower version: an older compile. Swap counted the refusal.
    return Fail(absl::FailedPreconditionError(store_.refusals().last));
  }
  Persist(snapshot);
  return absl::OkStatus();
}

absl::Status SnapshotLoader::ApplyFile(const std::string& path) {
  auto snapshot = plan::ReadSnapshotFile(path);
  if (!snapshot.ok()) return Fail(snapshot.status());
  return Apply(*snapshot);
}

absl::Status SnapshotLoader::LoadPersisted() {
  if (state_dir_.empty()) return absl::NotFoundError("no state directory");
  struct stat info;
  if (::stat(persisted_path().c_str(), &info) != 0) {
    return absl::NotFoundError("no persisted snapshot in " + state_dir_);
  }
  return ApplyFile(persisted_path());
}

void SnapshotLoader::Persist(const snapshot::v1::Snapshot& snapshot) {
  if (state_dir_.empty()) return;
  PersistPayload(snapshot.version(), snapshot.SerializeAsString());
}

void SnapshotLoader::PersistPayload(uint64_t version, std::string_view payload) {
  if (state_dir_.empty()) return;
  std::lock_guard lock(persist_mutex_);
  ::mkdir(state_dir_.c_str(), 0755);
  if (auto status = plan::WriteSnapshotPayloadAtomic(persisted_path(), payload); !status.ok()) {
    // Serving goes on; only the restart without a control plane is at risk.
    persist_failures_.fetch_add(1, std::memory_order_relaxed);
    GH_LOG(ERROR) << "cannot persist snapshot " << version << ": " << status.message();
  }
}

}  // namespace gatehouse::runtime
