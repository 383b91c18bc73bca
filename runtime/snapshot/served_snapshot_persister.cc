#include "runtime/snapshot/served_snapshot_persister.h"

#include <utility>

#include "schemas/api.pb.h"
#include "schemas/snapshot.pb.h"

namespace gatehouse::runtime {
namespace {

// Appends field `number` of wire type 2 (length-delimited) holding `bytes`, as protobuf's
// encoder would: a repeated message field is its entries one after another, in any order
// relative to the other fields.
void AppendLengthDelimited(uint32_t number, std::string_view bytes, std::string* out) {
  auto varint = [out](uint64_t value) {
    while (value >= 0x80) {
      out->push_back(static_cast<char>((value & 0x7f) | 0x80));
      value >>= 7;
    }
    out->push_back(static_cast<char>(value));
  };
  varint((static_cast<uint64_t>(number) << 3) | 2);
  varint(bytes.size());
  out->append(bytes);
}

constexpr uint32_t kZonesField = snapshot::v1::Snapshot::kZonesFieldNumber;
constexpr uint32_t kManagedRulesetsField = snapshot::v1::Snapshot::kManagedRulesetsFieldNumber;
constexpr uint32_t kAccountListsField = snapshot::v1::Snapshot::kAccountListsFieldNumber;

}  // namespace

ServedSnapshotPersister::ServedSnapshotPersister(Writer write)
    : write_(std::move(write)), thread_([this] { Run(); }) {}

ServedSnapshotPersister::~ServedSnapshotPersister() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void ServedSnapshotPersister::OnServed(const api::v1::SnapshotUpdate& update,
                                       const LinkedSnapshot& served) {
  ZoneBytes::Editor zones = update.has_snapshot() ? ZoneBytes::Editor() : ZoneBytes::Editor(zones_);
  if (update.has_snapshot()) {
    auto managed = std::make_shared<std::string>();
    for (const snapshot::v1::ManagedRuleset& ruleset : update.snapshot().managed_rulesets()) {
      AppendLengthDelimited(kManagedRulesetsField, ruleset.SerializeAsString(), managed.get());
    }
    managed_ = std::move(managed);
    have_full_ = true;
  }
  const auto& changed_lists =
      update.has_snapshot() ? update.snapshot().account_lists() : update.changed_lists();
  if (update.has_snapshot() || !changed_lists.empty() || !update.removed_lists().empty()) {
    // Lists are few: a change copies the map of the others' bytes.
    auto lists = update.has_snapshot()
                     ? std::make_shared<std::map<std::string, std::string>>()
                     : std::make_shared<std::map<std::string, std::string>>(*lists_);
    for (const std::string& name : update.removed_lists()) lists->erase(name);
    for (const auto& list : changed_lists) (*lists)[list.name()] = list.SerializeAsString();
    lists_ = std::move(lists);
  }
  for (const std::string& name : update.removed_zones()) zones.Erase(name);
  const auto& changed = update.has_snapshot() ? update.snapshot().zones() : update.changed_zones();
  for (const snapshot::v1::CompiledZone& zone : changed) {
    // A zone rejected alone keeps its last good config.
    const auto* kept = served.zones().Find(zone.zone());
    if (kept != nullptr && (*kept)->version == zone.version()) {
      zones.Set(zone.zone(), std::make_shared<const std::string>(zone.SerializeAsString()));
    }
  }
  zones_ = std::move(zones).Finish();

  Served next;
  next.version = served.version();
  next.lineage = served.lineage();
  next.content_hash = served.content_hash();
  next.zones = zones_;
  next.managed = managed_;
  next.lists = lists_;
  {
    std::lock_guard lock(mutex_);
    pending_ = std::move(next);  // an older one not yet written is superseded
  }
  changed_.notify_all();
}

void ServedSnapshotPersister::Flush() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return !pending_.has_value() && !writing_; });
}

std::string ServedSnapshotPersister::Payload(const Served& served) {
  snapshot::v1::Snapshot head;
  head.set_format(snapshot::v1::FORMAT_VERSION_1);
  head.set_version(served.version);
  head.set_lineage(served.lineage);
  head.set_content_hash(served.content_hash);
  std::string out = head.SerializeAsString();
  size_t bytes = out.size() + served.managed->size();
  for (const auto& [name, zone] : served.zones) bytes += zone->size() + 16;
  out.reserve(bytes);
  // Snapshot.zones is sorted by name.
  for (const auto* entry : served.zones.Sorted()) {
    AppendLengthDelimited(kZonesField, *entry->second, &out);
  }
  out += *served.managed;
  for (const auto& [name, list] : *served.lists)
    AppendLengthDelimited(kAccountListsField, list, &out);
  return out;
}

void ServedSnapshotPersister::Run() {
  std::unique_lock lock(mutex_);
  while (true) {
    changed_.wait(lock, [this] { return pending_.has_value() || stopping_; });
    if (!pending_.has_value()) return;  // stopping, everything written
    Served served = *std::move(pending_);
    pending_.reset();
    writing_ = true;
    lock.unlock();
    write_(served.version, Payload(served));
    lock.lock();
    writing_ = false;
    changed_.notify_all();
  }
}

}  // namespace gatehouse::runtime
