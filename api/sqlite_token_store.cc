#include "api/sqlite_token_store.h"

#include <sqlite3.h>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace gatehouse::api {
namespace {

constexpr char kSchema[] =
    "CREATE TABLE IF NOT EXISTS tokens ("
    "  id TEXT PRIMARY KEY,"
    "  token_hash TEXT NOT NULL UNIQUE,"
    "  permission INTEGER NOT NULL,"
    "  zones TEXT NOT NULL,"  // comma-separated; zone names cannot contain commas
    "  description TEXT NOT NULL,"
    "  created_unix_ms INTEGER NOT NULL,"
    "  revoked INTEGER NOT NULL);";

std::string Column(sqlite3_stmt* stmt, int index) {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, index));
  return text == nullptr ? std::string()
                         : std::string(text, static_cast<size_t>(sqlite3_column_bytes(stmt, index)));
}

absl::Status Exec(sqlite3* db, const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    const std::string message = error != nullptr ? error : "unknown error";
    sqlite3_free(error);
    return absl::InternalError("sqlite: " + message);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteTokenStore>> SqliteTokenStore::Open(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK) {
    const std::string error = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return absl::UnavailableError("cannot open " + path + ": " + error);
  }
  std::unique_ptr<SqliteTokenStore> store(new SqliteTokenStore(db));
  sqlite3_busy_timeout(db, 5000);
  const bool memory = path == ":memory:";
  for (const char* sql : {memory ? "PRAGMA journal_mode=MEMORY;" : "PRAGMA journal_mode=WAL;",
                          "PRAGMA synchronous=FULL;", kSchema}) {
    if (auto status = Exec(db, sql); !status.ok()) return status;
  }
  return store;
}

SqliteTokenStore::~SqliteTokenStore() { sqlite3_close(db_); }

absl::Status SqliteTokenStore::Create(const TokenRecord& record) {
  std::lock_guard lock(mutex_);
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_,
                         "INSERT INTO tokens (id, token_hash, permission, zones, description, "
                         "created_unix_ms, revoked) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7);",
                         -1, &stmt, nullptr) != SQLITE_OK) {
    return absl::InternalError(std::string("sqlite: ") + sqlite3_errmsg(db_));
  }
  const std::string zones = absl::StrJoin(record.zones, ",");
  sqlite3_bind_text(stmt, 1, record.id.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(stmt, 2, record.token_hash.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(stmt, 3, record.permission);
  sqlite3_bind_text(stmt, 4, zones.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(stmt, 5, record.description.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(stmt, 6, record.created_unix_ms);
  sqlite3_bind_int64(stmt, 7, record.revoked ? 1 : 0);
  const int rc = sqlite3_step(stmt);
  sqlite3_finalize(stmt);
  if (rc == SQLITE_CONSTRAINT) return absl::AlreadyExistsError("token id or hash already exists");
  if (rc != SQLITE_DONE) return absl::InternalError(std::string("sqlite: ") + sqlite3_errmsg(db_));
  return absl::OkStatus();
}

std::vector<TokenRecord> SqliteTokenStore::Query(const std::string& where,
                                                 const std::string& arg) const {
  std::lock_guard lock(mutex_);
  std::vector<TokenRecord> out;
  sqlite3_stmt* stmt = nullptr;
  const std::string sql =
      "SELECT id, token_hash, permission, zones, description, created_unix_ms, revoked FROM "
      "tokens " + where + ";";
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) return out;
  if (!arg.empty()) sqlite3_bind_text(stmt, 1, arg.c_str(), -1, SQLITE_TRANSIENT);
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    TokenRecord& record = out.emplace_back();
    record.id = Column(stmt, 0);
    record.token_hash = Column(stmt, 1);
    record.permission = static_cast<v1::Permission>(sqlite3_column_int64(stmt, 2));
    const std::string zones = Column(stmt, 3);
    if (!zones.empty()) record.zones = absl::StrSplit(zones, ',');
    record.description = Column(stmt, 4);
    record.created_unix_ms = sqlite3_column_int64(stmt, 5);
    record.revoked = sqlite3_column_int64(stmt, 6) != 0;
  }
  sqlite3_finalize(stmt);
  return out;
}

absl::StatusOr<TokenRecord> SqliteTokenStore::FindByHash(const std::string& token_hash) const {
  auto rows = Query("WHERE token_hash = ?1", token_hash);
  if (rows.empty()) return absl::NotFoundError("no such token");
  return rows.front();
}

std::vector<TokenRecord> SqliteTokenStore::List() const { return Query("ORDER BY id", ""); }

absl::Status SqliteTokenStore::Revoke(const std::string& id) {
  std::lock_guard lock(mutex_);
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, "UPDATE tokens SET revoked = 1 WHERE id = ?1;", -1, &stmt,
                         nullptr) != SQLITE_OK) {
    return absl::InternalError(std::string("sqlite: ") + sqlite3_errmsg(db_));
  }
  sqlite3_bind_text(stmt, 1, id.c_str(), -1, SQLITE_TRANSIENT);
  const int rc = sqlite3_step(stmt);
  sqlite3_finalize(stmt);
  if (rc != SQLITE_DONE) return absl::InternalError(std::string("sqlite: ") + sqlite3_errmsg(db_));
  if (sqlite3_changes(db_) == 0) return absl::NotFoundError("no token with id " + id);
  revocations_.fetch_add(1, std::memory_order_release);
  return absl::OkStatus();
}

}  // namespace gatehouse::api
