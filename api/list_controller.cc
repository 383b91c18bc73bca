#include "api/list_controller.h"

#include <algorithm>
#include <set>
#include <utility>

#include "api/account_list.h"
#include "api/list_uses.h"
#include "common/logging.h"

namespace gatehouse::api {

ListController::ListController(ListStore& store, SnapshotPublisher& publisher,
                               AccountListCatalog& catalog, rules::Limits limits, PublishMode mode)
    : store_(store), publisher_(publisher), catalog_(catalog), limits_(limits), mode_(mode) {}

absl::StatusOr<ListRecord> ListController::Find(const Principal& caller, const std::string& name,
                                                bool edit) const {
  std::optional<ListRecord> found = catalog_.Find(name);
  if (found.has_value() &&
      (edit ? caller.CanEditList(found->zones) : caller.CanReadList(found->zones))) {
    return *std::move(found);
  }
  if (!found.has_value() && caller.admin) return absl::NotFoundError("no list " + name);
  return Principal::ListDenied(name);
}

absl::StatusOr<ListRecord> ListController::FindForChange(const Principal& caller,
                                                         const std::string& name,
                                                         uint64_t expected_version) const {
  auto current = Find(caller, name, /*edit=*/true);
  if (!current.ok()) return current.status();
  if (expected_version != 0 && expected_version != current->version) {
    return absl::FailedPreconditionError("list " + name + " is at version " +
                                         std::to_string(current->version) + ", not " +
                                         std::to_string(expected_version));
  }
  return current;
}

absl::Status ListController::InUseError(const Principal& caller, const std::string& name,
                                        const std::vector<std::string>& zones) {
  std::string named;
  size_t hidden = 0;
  for (const std::string& zone : zones) {
    if (!caller.CanRead(zone)) {
      ++hidden;
      continue;
    }
    named += (named.empty() ? "" : ", ") + zone;
  }
  std::string message = "list " + name + " is still named by ";
  if (!named.empty()) message += "zone(s) " + named;
  if (hidden != 0) {
    message += (named.empty() ? "" : " and ") + std::to_string(hidden) +
               " zone(s) this token may not read";
  }
  return absl::FailedPreconditionError(message + "; change them first");
}

absl::Status ListController::CheckNewScope(const Principal& caller,
                                           std::vector<std::string>* zones) {
  std::sort(zones->begin(), zones->end());
  zones->erase(std::unique(zones->begin(), zones->end()), zones->end());
  for (const std::string& zone : *zones) {
    if (!caller.CanEdit(zone)) {
      return absl::PermissionDeniedError("this token may not give a list to zone \"" + zone + "\"");
    }
  }
  return absl::OkStatus();
}

absl::Status ListController::CheckNoOwnList(const std::string& name,
                                            const std::vector<std::string>& zones) const {
  // A zone of the scope with its own list of this name would make `$name` mean two things.
  const auto state = publisher_.Current();
  for (const std::string& zone : zones) {
    const auto* held = state->zones.Find(zone);
    if (held == nullptr) continue;
    for (const auto& own : (*held)->config().lists()) {
      if (own.name() == name) {
        return absl::FailedPreconditionError("zone " + zone + " defines its own list $" + name +
                                             "; rename one of them");
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<ListController::Change> ListController::StoreLocked(ListRecord record,
                                                                   uint64_t current_version,
                                                                   const ListRecord* current,
                                                                   const Principal& caller) {
  record.content_hash = AccountListHash(record.kind, record.items);
  if (!record.deleted && current != nullptr && record.content_hash == current->content_hash &&
      record.zones == current->zones) {
    return Change{std::move(record), /*unchanged=*/true};
  }
  rules::CompiledList compiled;
  snapshot::v1::AccountList published;
  if (!record.deleted) {
    published = PublishedList(record);
    auto checked = CompileAccountList(published.list(), limits_);
    if (!checked.ok()) return checked.status();
    compiled = *std::move(checked);
  }
  record.author = caller.id;
  record.created_unix_ms = 0;
  const std::string name = record.name;
  auto stored = store_.AppendList(std::move(record), current_version);
  if (!stored.ok()) {
    // Zones named only as far as the caller may read them.
    if (auto users = ListInUseZones(stored.status())) return InUseError(caller, name, *users);
    return stored.status();
  }
  if (mode_ == PublishMode::kDirect) Publish(*stored, std::move(compiled), std::move(published));
  return Change{*std::move(stored), false};
}

void ListController::Publish(const ListRecord& record, rules::CompiledList compiled,
                             snapshot::v1::AccountList published) {
  if (record.deleted) {
    catalog_.Remove(record.name);
    publisher_.PublishList(record.sequence, record.name, nullptr);
    return;
  }
  published.set_version(record.version);
  catalog_.Set(record, std::move(compiled));
  publisher_.PublishList(record.sequence, record.name,
                         std::make_shared<const snapshot::v1::AccountList>(std::move(published)));
}

absl::StatusOr<ListController::Change> ListController::Published(
    absl::StatusOr<Change> change) const {
  if (mode_ != PublishMode::kFromStore || !change.ok() || change->unchanged) return change;
  if (!publisher_.AwaitPublished(change->record.sequence, kFromStorePublishWait)) {
    GH_LOG(WARNING) << "list " << change->record.name << " sequence " << change->record.sequence
                    << " is not published yet (the store's watch is behind)";
  }
  return change;
}

absl::Status ListController::ApplyStored(const ListRecord& record) {
  if (record.sequence <= publisher_.Current()->version) return absl::OkStatus();
  if (record.deleted) {
    Publish(record, {}, {});
    return absl::OkStatus();
  }
  snapshot::v1::AccountList published = PublishedList(record);
  auto compiled = CompileAccountList(published.list(), limits_);
  if (!compiled.ok()) {
    return absl::DataLossError("stored list " + record.name + " version " +
                               std::to_string(record.version) +
                               " does not compile: " + std::string(compiled.status().message()));
  }
  Publish(record, *std::move(compiled), std::move(published));
  return absl::OkStatus();
}

absl::StatusOr<ListController::Change> ListController::Create(const Principal& caller,
                                                              const std::string& name,
                                                              const std::string& kind,
                                                              std::vector<std::string> items,
                                                              std::vector<std::string> zones) {
  if (!caller.admin && caller.permission != v1::PERMISSION_EDIT) {
    return Principal::ListDenied(name);
  }
  if (zones.empty()) {
    if (caller.admin) {
      return absl::InvalidArgumentError("list " + name +
                                        ": name the zones that may use it (--zone)");
    }
    zones.assign(caller.zones.begin(), caller.zones.end());
  }
  if (auto status = CheckNewScope(caller, &zones); !status.ok()) return status;
  std::unique_lock lock(mutex_);
  uint64_t current_version = 0;
  if (auto latest = store_.LatestList(name); latest.ok()) {
    if (!latest->deleted) {
      if (!caller.CanReadList(latest->zones)) return Principal::ListDenied(name);
      return absl::AlreadyExistsError("list " + name + " exists (version " +
                                      std::to_string(latest->version) + ")");
    }
    current_version = latest->version;
  } else if (latest.status().code() != absl::StatusCode::kNotFound) {
    return latest.status();
  }
  if (auto status = CheckNoOwnList(name, zones); !status.ok()) return status;
  ListRecord record;
  record.name = name;
  record.kind = kind;
  record.zones = std::move(zones);
  record.items = std::move(items);
  auto change = StoreLocked(std::move(record), current_version, nullptr, caller);
  lock.unlock();
  return Published(std::move(change));
}

absl::StatusOr<ListController::Change> ListController::Replace(const Principal& caller,
                                                               const std::string& name,
                                                               std::vector<std::string> items,
                                                               uint64_t expected_version) {
  std::unique_lock lock(mutex_);
  auto current = FindForChange(caller, name, expected_version);
  if (!current.ok()) return current.status();
  ListRecord record = *current;
  record.items = std::move(items);
  auto change = StoreLocked(std::move(record), current->version, &*current, caller);
  lock.unlock();
  return Published(std::move(change));
}

absl::StatusOr<ListController::Change> ListController::Edit(const Principal& caller,
                                                            const std::string& name,
                                                            const std::vector<std::string>& add,
                                                            const std::vector<std::string>& remove,
                                                            uint64_t expected_version) {
  std::unique_lock lock(mutex_);
  auto current = FindForChange(caller, name, expected_version);
  if (!current.ok()) return current.status();
  const std::set<std::string> dropped(remove.begin(), remove.end());
  ListRecord record = *current;
  record.items.clear();
  std::set<std::string> present;
  for (const std::string& item : current->items) {
    if (dropped.count(item) == 0 && present.insert(item).second) record.items.push_back(item);
  }
  for (const std::string& item : add) {
    if (present.insert(item).second) record.items.push_back(item);
  }
  auto change = StoreLocked(std::move(record), current->version, &*current, caller);
  lock.unlock();
  return Published(std::move(change));
}

absl::StatusOr<ListController::Change> ListController::Delete(const Principal& caller,
                                                              const std::string& name,
                                                              uint64_t expected_version) {
  std::unique_lock lock(mutex_);
  auto current = FindForChange(caller, name, expected_version);
  if (!current.ok()) return current.status();
  ListRecord record = *current;
  record.items.clear();
  record.deleted = true;
  auto change = StoreLocked(std::move(record), current->version, &*current, caller);
  lock.unlock();
  return Published(std::move(change));
}

absl::StatusOr<ListController::Change> ListController::SetScope(const Principal& caller,
                                                                const std::string& name,
                                                                std::vector<std::string> zones,
                                                                uint64_t expected_version) {
  std::unique_lock lock(mutex_);
  // Edit on every zone of the scope it has: else refused as for a list that does not exist.
  auto current = FindForChange(caller, name, expected_version);
  if (!current.ok()) return current.status();
  if (zones.empty()) {
    return absl::InvalidArgumentError("list " + name + ": a scope holds at least one zone");
  }
  if (auto status = CheckNewScope(caller, &zones); !status.ok()) return status;
  if (auto status = CheckNoOwnList(name, zones); !status.ok()) return status;
  ListRecord record = *current;
  record.zones = std::move(zones);
  // A zone leaving the scope that names the list: the store refuses, in the same transaction.
  auto change = StoreLocked(std::move(record), current->version, &*current, caller);
  lock.unlock();
  return Published(std::move(change));
}

absl::StatusOr<std::vector<ListVersionSummary>> ListController::History(
    const Principal& caller, const std::string& name) const {
  if (!caller.admin && !caller.CanUseConfigService()) return Principal::ListDenied(name);
  // Read on the list's last scope (a deleted list's too); past scopes show only the zones the
  // caller may read.
  auto latest = store_.LatestList(name);
  if (!latest.ok() && latest.status().code() != absl::StatusCode::kNotFound) {
    return latest.status();
  }
  if (!latest.ok() || !caller.CanReadList(latest->zones)) {
    if (!latest.ok() && caller.admin) return absl::NotFoundError("no list " + name);
    return Principal::ListDenied(name);
  }
  std::vector<ListVersionSummary> versions = store_.ListHistory(name);
  // A list of the same name before a deletion may have been another tenant's (its authors, its
  // items' hash): past the last deletion before the current version, only the admin looks.
  if (!caller.admin && versions.size() > 1) {
    for (size_t i = versions.size() - 1; i-- > 0;) {
      if (versions[i].record.deleted) {
        versions.erase(versions.begin(), versions.begin() + static_cast<ptrdiff_t>(i) + 1);
        break;
      }
    }
  }
  return versions;
}

absl::StatusOr<ListRecord> ListController::Get(const Principal& caller,
                                               const std::string& name) const {
  if (!caller.admin && !caller.CanUseConfigService()) return Principal::ListDenied(name);
  return Find(caller, name, /*edit=*/false);
}

std::vector<ListRecord> ListController::List(const Principal& caller) const {
  std::vector<ListRecord> out;
  for (ListRecord& record : catalog_.All()) {
    if (caller.CanReadList(record.zones)) out.push_back(std::move(record));
  }
  return out;
}

}  // namespace gatehouse::api
