#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "api/config_store.h"

struct sqlite3;

namespace gatehouse::api {

// The durable ConfigStore: SQLite in WAL mode with synchronous=FULL, so a version is on disk
// before Append returns and a crash at any moment leaves each zone at its old or its new
// version. One connection, serialised by a mutex: the control plane's write rate is low.
class SqliteConfigStore : public ConfigStore {
 public:
  // Opens (creating it and its directories if needed) `<dir>/gatehouse.db`.
  static absl::StatusOr<std::unique_ptr<SqliteConfigStore>> Open(const std::string& dir);
  ~SqliteConfigStore() override;

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
  explicit SqliteConfigStore(sqlite3* db) : db_(db) {}

  class Transaction;

  absl::Status Exec(const char* sql) const;
  // The newest version of `key` (its `key_column`) in `table`, 0 for none; FAILED_PRECONDITION
  // naming the `kind` and `key` when `expected_version` is set and differs. In a transaction.
  absl::StatusOr<uint64_t> CurrentVersion(const char* table, const char* key_column,
                                          const char* kind, const std::string& key,
                                          std::optional<uint64_t> expected_version) const;
  // One transaction: the append and, when `certificates` is set, the zone's new certificates.
  absl::StatusOr<ZoneRecord> AppendInTransaction(
      ZoneRecord record, std::optional<uint64_t> expected_version,
      const std::vector<StoredCertificate>* certificates);
  absl::Status ReplaceCertificates(const std::string& zone,
                                   const std::vector<StoredCertificate>& certificates);
  bool HasColumn(const char* table, const char* column) const;
  bool HasTable(const char* table) const;
  // In a zone's append: checks `zone` may name each of `lists` (api/list_uses.h), then
  // WriteListUses.
  absl::Status ReplaceListUses(const std::string& zone, const std::vector<std::string>& lists);
  // The lists `zone` names become `lists`. In a transaction (or at open).
  absl::Status WriteListUses(const std::string& zone, const std::vector<std::string>& lists);
  // At open, for a store made before zone_list_uses: fills it from the live zones' programs.
  absl::Status FillListUses();
  std::vector<ZoneRecord> Query(const std::string& sql, const std::string& zone,
                                int64_t number) const;

  std::vector<ListRecord> QueryLists(const std::string& sql, const std::string& name) const;

  // Reads the store's lineage id, creating it on first open.
  absl::Status LoadLineage();

  mutable std::mutex mutex_;
  sqlite3* db_;
  std::string lineage_;
};

}  // namespace gatehouse::api
