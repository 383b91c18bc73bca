#pragma once

#include <map>
#include <mutex>

#include "api/config_store.h"

namespace gatehouse::api {

// A ConfigStore that keeps everything in memory: for tests, and for `control --data-dir=""`.
class MemoryConfigStore : public ConfigStore {
 public:
  absl::StatusOr<ZoneRecord> Append(ZoneRecord record,
                                    std::optional<uint64_t> expected_version) override;
  absl::StatusOr<ZoneRecord> AppendWithCertificates(
      ZoneRecord record, std::optional<uint64_t> expected_version,
      std::vector<StoredCertificate> certificates) override;
  std::vector<StoredCertificate> Certificates(const std::string& zone) const override;
  absl::StatusOr<ZoneRecord> Latest(const std::string& zone) const override;
  absl::StatusOr<ZoneRecord> Version(const std::string& zone, uint64_t version) const override;
  std::vector<ZoneRecord> History(const std::string& zone) const override;
  std::vector<ZoneRecord> LatestOfAllZones() const override;
  uint64_t LastSequence() const override;
  std::string Lineage() const override { return lineage_; }
  std::optional<std::string> CompiledManagedRuleset(const std::string& source_key) const override;
  absl::Status StoreCompiledManagedRuleset(const std::string& id, const std::string& source_key,
                                           const std::string& compiled) override;
  absl::StatusOr<ListRecord> AppendList(ListRecord record,
                                        std::optional<uint64_t> expected_version) override;
  absl::StatusOr<ListRecord> LatestList(const std::string& name) const override;
  std::vector<ListRecord> LatestOfAllLists() const override;
  std::vector<ListVersionSummary> ListHistory(const std::string& name) const override;

 private:
  absl::StatusOr<ZoneRecord> AppendLocked(ZoneRecord record,
                                          std::optional<uint64_t> expected_version);

  mutable std::mutex mutex_;
  std::map<std::string, std::vector<ZoneRecord>> zones_;
  uint64_t last_sequence_ = 0;
  std::map<std::string, std::vector<StoredCertificate>> certificates_;
  // id -> (source key, compiled)
  std::map<std::string, std::pair<std::string, std::string>> managed_rulesets_;
  // Each list's newest record (tombstones included).
  std::map<std::string, ListRecord> lists_;
  std::map<std::string, std::vector<ListVersionSummary>> list_history_;
  // The lists each live zone's newest version names.
  std::map<std::string, std::vector<std::string>> zone_lists_;
  const std::string lineage_ = NewLineageId();
};

}  // namespace gatehouse::api
