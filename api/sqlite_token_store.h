#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "api/token_store.h"

struct sqlite3;

namespace gatehouse::api {

// TokenStore in SQLite: the `tokens` table of the control plane's database (its own connection;
// WAL lets it share the file with the config store), or an in-memory database for ":memory:".
class SqliteTokenStore : public TokenStore {
 public:
  // `path` is a database file (created if needed) or ":memory:".
  static absl::StatusOr<std::unique_ptr<SqliteTokenStore>> Open(const std::string& path);
  ~SqliteTokenStore() override;

  absl::Status Create(const TokenRecord& record) override;
  absl::StatusOr<TokenRecord> FindByHash(const std::string& token_hash) const override;
  std::vector<TokenRecord> List() const override;
  absl::Status Revoke(const std::string& id) override;
  uint64_t revocation_count() const override {
    return revocations_.load(std::memory_order_acquire);
  }

 private:
  explicit SqliteTokenStore(sqlite3* db) : db_(db) {}
  std::vector<TokenRecord> Query(const std::string& where, const std::string& arg) const;

  mutable std::mutex mutex_;
  sqlite3* db_;
  std::atomic<uint64_t> revocations_{0};
};

}  // namespace gatehouse::api
