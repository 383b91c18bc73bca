#include "api/memory_config_store.h"

#include <algorithm>
#include <chrono>

#include "api/account_list.h"
#include "api/list_uses.h"

namespace gatehouse::api {
absl::StatusOr<ZoneRecord> MemoryConfigStore::Append(ZoneRecord record,
                                                     std::optional<uint64_t> expected_version) {
  std::lock_guard lock(mutex_);
  return AppendLocked(std::move(record), expected_version);
}

absl::StatusOr<ZoneRecord> MemoryConfigStore::AppendWithCertificates(
    ZoneRecord record, std::optional<uint64_t> expected_version,
    std::vector<StoredCertificate> certificates) {
  std::lock_guard lock(mutex_);
  const std::string zone = record.zone;
  auto appended = AppendLocked(std::move(record), expected_version);
  if (!appended.ok()) return appended;
  if (certificates.empty()) {
    certificates_.erase(zone);
  } else {
    std::sort(certificates.begin(), certificates.end(),
              [](const auto& a, const auto& b) { return a.fingerprint < b.fingerprint; });
    certificates_[zone] = std::move(certificates);
  }
  return appended;
}

std::vector<StoredCertificate> MemoryConfigStore::Certificates(const std::string& zone) const {
  std::lock_guard lock(mutex_);
  const auto it = certificates_.find(zone);
  return it == certificates_.end() ? std::vector<StoredCertificate>{} : it->second;
}

absl::StatusOr<ZoneRecord> MemoryConfigStore::AppendLocked(
    ZoneRecord record, std::optional<uint64_t> expected_version) {
  auto& history = zones_[record.zone];
  const uint64_t current = history.empty() ? 0 : history.back().version;
  if (expected_version.has_value() && *expected_version != current) {
    return absl::FailedPreconditionError("zone " + record.zone + " is at version " +
                                         std::to_string(current) + ", not " +
                                         std::to_string(*expected_version));
  }
  if (record.deleted) record.account_lists.emplace();
  if (record.account_lists.has_value()) {
    for (const std::string& name : *record.account_lists) {
      const auto list = lists_.find(name);
      if (auto status =
              CheckZoneMayName(record.zone, name, list == lists_.end() ? nullptr : &list->second);
          !status.ok()) {
        return status;
      }
    }
    zone_lists_[record.zone] = *record.account_lists;
  }
  record.version = current + 1;
  record.sequence = ++last_sequence_;
  if (record.created_unix_ms == 0) {
    record.created_unix_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count();
  }
  history.push_back(record);
  return record;
}

absl::StatusOr<ZoneRecord> MemoryConfigStore::Latest(const std::string& zone) const {
  std::lock_guard lock(mutex_);
  const auto it = zones_.find(zone);
  if (it == zones_.end() || it->second.empty()) {
    return absl::NotFoundError("no zone " + zone);
  }
  return it->second.back();
}

absl::StatusOr<ZoneRecord> MemoryConfigStore::Version(const std::string& zone,
                                                      uint64_t version) const {
  std::lock_guard lock(mutex_);
  const auto it = zones_.find(zone);
  if (it == zones_.end() || version == 0 || version > it->second.size()) {
    return absl::NotFoundError("no version " + std::to_string(version) + " of zone " + zone);
  }
  return it->second[version - 1];
}

std::vector<ZoneRecord> MemoryConfigStore::History(const std::string& zone) const {
  std::lock_guard lock(mutex_);
  const auto it = zones_.find(zone);
  return it == zones_.end() ? std::vector<ZoneRecord>{} : it->second;
}

std::vector<ZoneRecord> MemoryConfigStore::LatestOfAllZones() const {
  std::lock_guard lock(mutex_);
  std::vector<ZoneRecord> out;
  for (const auto& [zone, history] : zones_) {
    if (!history.empty() && !history.back().deleted) out.push_back(history.back());
  }
  return out;
}

uint64_t MemoryConfigStore::LastSequence() const {
  std::lock_guard lock(mutex_);
  return last_sequence_;
}

std::optional<std::string> MemoryConfigStore::CompiledManagedRuleset(
    const std::string& source_key) const {
  std::lock_guard lock(mutex_);
  for (const auto& [id, entry] : managed_rulesets_) {
    if (entry.first == source_key) return entry.second;
  }
  return std::nullopt;
}

absl::Status MemoryConfigStore::StoreCompiledManagedRuleset(const std::string& id,
                                                            const std::string& source_key,
                                                            const std::string& compiled) {
  std::lock_guard lock(mutex_);
  managed_rulesets_[id] = {source_key, compiled};
  return absl::OkStatus();
}

absl::StatusOr<ListRecord> MemoryConfigStore::AppendList(ListRecord record,
                                                         std::optional<uint64_t> expected_version) {
  std::lock_guard lock(mutex_);
  const auto it = lists_.find(record.name);
  const uint64_t current = it == lists_.end() ? 0 : it->second.version;
  if (expected_version.has_value() && *expected_version != current) {
    return absl::FailedPreconditionError("list " + record.name + " is at version " +
                                         std::to_string(current) + ", not " +
                                         std::to_string(*expected_version));
  }
  std::vector<std::string> users;
  for (const auto& [zone, names] : zone_lists_) {
    if (std::find(names.begin(), names.end(), record.name) != names.end()) users.push_back(zone);
  }
  if (auto status = CheckUsersKeepList(record, users); !status.ok()) return status;
  record.version = current + 1;
  record.sequence = ++last_sequence_;
  if (record.created_unix_ms == 0) {
    record.created_unix_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count();
  }
  list_history_[record.name].push_back(
      SummarizeListVersion(record, it == lists_.end() ? nullptr : &it->second));
  lists_[record.name] = record;
  return record;
}

absl::StatusOr<ListRecord> MemoryConfigStore::LatestList(const std::string& name) const {
  std::lock_guard lock(mutex_);
  const auto it = lists_.find(name);
  if (it == lists_.end()) return absl::NotFoundError("no list " + name);
  return it->second;
}

std::vector<ListRecord> MemoryConfigStore::LatestOfAllLists() const {
  std::lock_guard lock(mutex_);
  std::vector<ListRecord> out;
  for (const auto& [name, record] : lists_) {
    if (!record.deleted) out.push_back(record);
  }
  return out;
}

}  // namespace gatehouse::api

namespace gatehouse::api {

std::vector<ListVersionSummary> MemoryConfigStore::ListHistory(const std::string& name) const {
  std::lock_guard lock(mutex_);
  const auto it = list_history_.find(name);
  return it == list_history_.end() ? std::vector<ListVersionSummary>() : it->second;
}

}  // namespace gatehouse::api
