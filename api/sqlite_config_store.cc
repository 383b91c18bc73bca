#include "api/sqlite_config_store.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <chrono>

#include "api/account_list.h"
#include "api/list_uses.h"

namespace gatehouse::api {
namespace {

int64_t NowUnixMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

constexpr char kSchema[] =
    "CREATE TABLE IF NOT EXISTS zone_versions ("
    "  sequence INTEGER PRIMARY KEY,"
    "  zone TEXT NOT NULL,"
    "  version INTEGER NOT NULL,"
    "  config_hash TEXT NOT NULL,"
    "  config_json TEXT NOT NULL,"
    "  author TEXT NOT NULL,"
    "  created_unix_ms INTEGER NOT NULL,"
    "  deleted INTEGER NOT NULL,"
    "  prefilters BLOB,"
    "  UNIQUE (zone, version));";

// Compiled managed rulesets, one per id (ConfigStore::CompiledManagedRuleset).
constexpr char kManagedRulesetsSchema[] =
    "CREATE TABLE IF NOT EXISTS managed_rulesets ("
    "  id TEXT PRIMARY KEY,"
    "  source_key TEXT NOT NULL,"
    "  compiled BLOB NOT NULL);";

// The certificates zones serve (ConfigStore::AppendWithCertificates); keys only sealed.
constexpr char kCertificatesSchema[] =
    "CREATE TABLE IF NOT EXISTS certificates ("
    "  zone TEXT NOT NULL,"
    "  fingerprint TEXT NOT NULL,"
    "  chain_pem TEXT NOT NULL,"
    "  sealed_key BLOB NOT NULL,"
    "  names TEXT NOT NULL,"
    "  not_before_unix INTEGER NOT NULL,"
    "  not_after_unix INTEGER NOT NULL,"
    "  created_unix_ms INTEGER NOT NULL,"
    "  author TEXT NOT NULL,"
    "  PRIMARY KEY (zone, fingerprint));";

// Account-level lists (ListStore), every version; `list` is the serialised items
// (rules.ir.v1.NamedList), `zones` the scope joined by newlines.
constexpr char kListVersionsSchema[] =
    "CREATE TABLE IF NOT EXISTS list_versions ("
    "  sequence INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  version INTEGER NOT NULL,"
    "  zones TEXT NOT NULL,"
    "  content_hash TEXT NOT NULL,"
    "  author TEXT NOT NULL,"
    "  created_unix_ms INTEGER NOT NULL,"
    "  deleted INTEGER NOT NULL,"
    "  list BLOB NOT NULL,"
    "  UNIQUE (name, version));";

// The account-level lists each live zone's newest version names (ZoneRecord::account_lists):
// what a list version that takes a list from zones checks, in its own transaction.
constexpr char kZoneListUsesSchema[] =
    "CREATE TABLE IF NOT EXISTS zone_list_uses ("
    "  zone TEXT NOT NULL,"
    "  list TEXT NOT NULL,"
    "  PRIMARY KEY (zone, list));"
    "CREATE INDEX IF NOT EXISTS zone_list_uses_by_list ON zone_list_uses (list);";

// Zone and list versions share one change log: the next sequence is above both tables'.
constexpr char kNextSequence[] =
    "(SELECT MAX(s) + 1 FROM (SELECT COALESCE(MAX(sequence), 0) AS s FROM zone_versions "
    "UNION ALL SELECT COALESCE(MAX(sequence), 0) FROM list_versions))";

constexpr char kListColumns[] =
    "SELECT name, version, sequence, zones, content_hash, author, created_unix_ms, deleted, list "
    "FROM list_versions ";

// Stores made before the prefilters column get it (NULL: such versions publish without).
constexpr char kAddPrefiltersColumn[] = "ALTER TABLE zone_versions ADD COLUMN prefilters BLOB;";

constexpr char kColumns[] =
    "SELECT zone, version, sequence, config_hash, config_json, author, created_unix_ms, deleted, "
    "prefilters FROM zone_versions ";

// Finalises a statement when it leaves scope.
class Statement {
 public:
  Statement(sqlite3* db, const std::string& sql) {
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt_, nullptr) != SQLITE_OK) stmt_ = nullptr;
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  sqlite3_stmt* get() const { return stmt_; }
  explicit operator bool() const { return stmt_ != nullptr; }
  void Bind(int index, const std::string& text) {
    sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  }
  void Bind(int index, int64_t number) { sqlite3_bind_int64(stmt_, index, number); }
  void BindBlob(int index, const std::string& bytes) {
    sqlite3_bind_blob(stmt_, index, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

std::string Column(sqlite3_stmt* stmt, int index) {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, index));
  return text == nullptr ? std::string()
                         : std::string(text, static_cast<size_t>(sqlite3_column_bytes(stmt, index)));
}

ZoneRecord ReadRecord(sqlite3_stmt* stmt) {
  ZoneRecord record;
  record.zone = Column(stmt, 0);
  record.version = static_cast<uint64_t>(sqlite3_column_int64(stmt, 1));
  record.sequence = static_cast<uint64_t>(sqlite3_column_int64(stmt, 2));
  record.config_hash = Column(stmt, 3);
  record.config_json = Column(stmt, 4);
  record.author = Column(stmt, 5);
  record.created_unix_ms = sqlite3_column_int64(stmt, 6);
  record.deleted = sqlite3_column_int64(stmt, 7) != 0;
  const void* prefilters = sqlite3_column_blob(stmt, 8);
  if (prefilters != nullptr) {
    record.prefilters.assign(static_cast<const char*>(prefilters),
                             static_cast<size_t>(sqlite3_column_bytes(stmt, 8)));
  }
  return record;
}

std::string JoinLines(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& part : parts) out += (out.empty() ? "" : "\n") + part;
  return out;
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> out;
  if (text.empty()) return out;
  size_t start = 0;
  for (size_t end = text.find('\n'); end != std::string::npos; end = text.find('\n', start)) {
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  out.push_back(text.substr(start));
  return out;
}

std::optional<ListRecord> ReadListRecord(sqlite3_stmt* stmt) {
  ListRecord record;
  record.name = Column(stmt, 0);
  record.version = static_cast<uint64_t>(sqlite3_column_int64(stmt, 1));
  record.sequence = static_cast<uint64_t>(sqlite3_column_int64(stmt, 2));
  record.zones = SplitLines(Column(stmt, 3));
  record.content_hash = Column(stmt, 4);
  record.author = Column(stmt, 5);
  record.created_unix_ms = sqlite3_column_int64(stmt, 6);
  record.deleted = sqlite3_column_int64(stmt, 7) != 0;
  rules::ir::v1::NamedList list;
  const void* blob = sqlite3_column_blob(stmt, 8);
  if (!list.ParseFromArray(blob, sqlite3_column_bytes(stmt, 8)) ||
      !DecodeListItems(list, &record)) {
    return std::nullopt;
  }
  return record;
}

}  // namespace

// A write transaction (BEGIN IMMEDIATE) that rolls back unless it was committed.
class SqliteConfigStore::Transaction {
 public:
  explicit Transaction(const SqliteConfigStore& store) : store_(store) {}
  ~Transaction() {
    if (begun_ && !committed_) (void)store_.Exec("ROLLBACK;");
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  absl::Status Begin() {
    absl::Status status = store_.Exec("BEGIN IMMEDIATE;");
    begun_ = status.ok();
    return status;
  }
  absl::Status Commit() {
    absl::Status status = store_.Exec("COMMIT;");
    committed_ = status.ok();
    return status;
  }

 private:
  const SqliteConfigStore& store_;
  bool begun_ = false;
  bool committed_ = false;
};

absl::StatusOr<std::unique_ptr<SqliteConfigStore>> SqliteConfigStore::Open(
    const std::string& dir) {
  // mkdir -p: every missing parent too.
  for (size_t slash = dir.find('/', 1); ; slash = dir.find('/', slash + 1)) {
    const std::string prefix = dir.substr(0, slash);
    if (mkdir(prefix.c_str(), 0700) != 0 && errno != EEXIST) {
      return absl::UnavailableError("cannot create " + prefix + ": " + std::strerror(errno));
    }
    if (slash == std::string::npos) break;
  }
  const std::string path = dir + "/gatehouse.db";
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                                            SQLITE_OPEN_FULLMUTEX, nullptr) != SQLITE_OK) {
    const std::string error = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return absl::UnavailableError("cannot open " + path + ": " + error);
  }
  std::unique_ptr<SqliteConfigStore> store(new SqliteConfigStore(db));
  sqlite3_busy_timeout(db, 5000);
  for (const char* sql : {"PRAGMA journal_mode=WAL;", "PRAGMA synchronous=FULL;", kSchema,
                          kManagedRulesetsSchema, kCertificatesSchema, kListVersionsSchema}) {
    if (auto status = store->Exec(sql); !status.ok()) return status;
  }
  if (!store->HasColumn("zone_versions", "prefilters")) {
    if (auto status = store->Exec(kAddPrefiltersColumn); !status.ok()) return status;
  }
  if (!store->HasTable("zone_list_uses")) {
    // A store from before the table: what the live zones name, from their stored programs. The
    // table and its rows in one transaction: a crash between them would leave an empty table
    // that the next open takes as filled, and lists could be deleted under zones naming them.
    Transaction transaction(*store);
    if (auto status = transaction.Begin(); !status.ok()) return status;
    if (auto status = store->Exec(kZoneListUsesSchema); !status.ok()) return status;
    if (auto status = store->FillListUses(); !status.ok()) return status;
    if (auto status = transaction.Commit(); !status.ok()) return status;
  }
  if (auto status = store->LoadLineage(); !status.ok()) return status;
  return store;
}

SqliteConfigStore::~SqliteConfigStore() { sqlite3_close(db_); }

std::optional<std::string> SqliteConfigStore::CompiledManagedRuleset(
    const std::string& source_key) const {
  std::lock_guard lock(mutex_);
  Statement select(db_, "SELECT compiled FROM managed_rulesets WHERE source_key = ?1;");
  if (!select) return std::nullopt;
  select.Bind(1, source_key);
  if (sqlite3_step(select.get()) != SQLITE_ROW) return std::nullopt;
  const void* blob = sqlite3_column_blob(select.get(), 0);
  if (blob == nullptr) return std::nullopt;
  return std::string(static_cast<const char*>(blob),
                     static_cast<size_t>(sqlite3_column_bytes(select.get(), 0)));
}

absl::Status SqliteConfigStore::StoreCompiledManagedRuleset(const std::string& id,
                                                            const std::string& source_key,
                                                            const std::string& compiled) {
  std::lock_guard lock(mutex_);
  Statement insert(db_,
                   "INSERT OR REPLACE INTO managed_rulesets (id, source_key, compiled) "
                   "VALUES (?1, ?2, ?3);");
  if (!insert) return absl::InternalError(std::string("sqlite: ") + sqlite3_errmsg(db_));
  insert.Bind(1, id);
  insert.Bind(2, source_key);
  insert.BindBlob(3, compiled);
  if (sqlite3_step(insert.get()) != SQLITE_DONE) {
    return absl::InternalError(std::string("sqlite: ") + sqlite3_errmsg(db_));
  }
  return absl::OkStatus();
}

absl::Status SqliteConfigStore::LoadLineage() {
  if (auto status = Exec("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);");
      !status.ok()) {
    return status;
  }
  {
    // A store made before lineages gets one now: proxies then take its snapshots once as a
    // replacement, as from a new store.
    Statement insert(db_, "INSERT OR IGNORE INTO meta (key, value) VALUES ('lineage', ?1);");
    insert.Bind(1, NewLineageId());
    if (!insert || sqlite3_step(insert.get()) != SQLITE_DONE) {
      return absl::InternalError(std::string("sqlite: ") + sqlite3_errmsg(db_));
    }
  }
  Statement select(db_, "SELECT value FROM meta WHERE key = 'lineage';");
  if (!select || sqlite3_step(select.get()) != SQLITE_ROW) {
    return absl::InternalError(std::string("sqlite: ") + sqlite3_errmsg(db_));
  }
  lineage_ = Column(select.get(), 0);
  return absl::OkStatus();
}

bool SqliteConfigStore::HasColumn(const char* table, const char* column) const {
  Statement info(db_, std::string("PRAGMA table_info(") + table + ");");
  while (info && sqlite3_step(info.get()) == SQLITE_ROW) {
    if (Column(info.get(), 1) == column) return true;
  }
  return false;
}

absl::Status SqliteConfigStore::Exec(const char* sql) const {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    const std::string message = error != nullptr ? error : "unknown error";
    sqlite3_free(error);
    return absl::InternalError(std::string("sqlite: ") + message + " in: " + sql);
  }
  return absl::OkStatus();
}

absl::StatusOr<ZoneRecord> SqliteConfigStore::Append(ZoneRecord record,
                                                     std::optional<uint64_t> expected_version) {
  std::lock_guard lock(mutex_);
  return AppendInTransaction(std::move(record), expected_version, nullptr);
}

absl::StatusOr<ZoneRecord> SqliteConfigStore::AppendWithCertificates(
    ZoneRecord record, std::optional<uint64_t> expected_version,
    std::vector<StoredCertificate> certificates) {
  std::lock_guard lock(mutex_);
  return AppendInTransaction(std::move(record), expected_version, &certificates);
}

absl::Status SqliteConfigStore::ReplaceCertificates(
    const std::string& zone, const std::vector<StoredCertificate>& certificates) {
  {
    Statement remove(db_, "DELETE FROM certificates WHERE zone = ?1;");
    remove.Bind(1, zone);
    if (!remove || sqlite3_step(remove.get()) != SQLITE_DONE) {
      return absl::InternalError(std::string("sqlite: ") + sqlite3_errmsg(db_));
    }
  }
  for (const StoredCertificate& certificate : certificates) {
    Statement insert(db_,
                     "INSERT INTO certificates (zone, fingerprint, chain_pem, sealed_key, names, "
                     "not_before_unix, not_after_unix, created_unix_ms, author) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9);");
    std::string names;
    for (const std::string& name : certificate.names) names += name + "\n";
    insert.Bind(1, zone);
    insert.Bind(2, certificate.fingerprint);
    insert.Bind(3, certificate.chain_pem);
    insert.BindBlob(4, certificate.sealed_key);
    insert.Bind(5, names);
    insert.Bind(6, certificate.not_before_unix);
    insert.Bind(7, certificate.not_after_unix);
    insert.Bind(8, certificate.created_unix_ms);
    insert.Bind(9, certificate.author);
    if (!insert || sqlite3_step(insert.get()) != SQLITE_DONE) {
      return absl::InternalError(std::string("sqlite: ") + sqlite3_errmsg(db_));
    }
  }
  return absl::OkStatus();
}

std::vector<StoredCertificate> SqliteConfigStore::Certificates(const std::string& zone) const {
  std::lock_guard lock(mutex_);
  std::vector<StoredCertificate> out;
  Statement select(db_,
                   "SELECT fingerprint, chain_pem, sealed_key, names, not_before_unix, "
                   "not_after_unix, created_unix_ms, author FROM certificates WHERE zone = ?1 "
                   "ORDER BY fingerprint;");
  if (!select) return out;
  select.Bind(1, zone);
  while (sqlite3_step(select.get()) == SQLITE_ROW) {
    StoredCertificate certificate;
    certificate.zone = zone;
    certificate.fingerprint = Column(select.get(), 0);
    certificate.chain_pem = Column(select.get(), 1);
    if (const void* sealed = sqlite3_column_blob(select.get(), 2); sealed != nullptr) {
      certificate.sealed_key.assign(static_cast<const char*>(sealed),
                                    static_cast<size_t>(sqlite3_column_bytes(select.get(), 2)));
    }
    const std::string names = Column(select.get(), 3);
    for (size_t start = 0, end; (end = names.find('\n', start)) != std::string::npos;
         start = end + 1) {
      certificate.names.push_back(names.substr(start, end - start));
    }
    certificate.not_before_unix = sqlite3_column_int64(select.get(), 4);
    certificate.not_after_unix = sqlite3_column_int64(select.get(), 5);
    certificate.created_unix_ms = sqlite3_column_int64(select.get(), 6);
    certificate.author = Column(select.get(), 7);
    out.push_back(std::move(certificate));
  }
  return out;
}

absl::StatusOr<uint64_t> SqliteConfigStore::CurrentVersion(
    const char* table, const char* key_column, const char* kind, const std::string& key,
    std::optional<uint64_t> expected_version) const {
  Statement select(db_, std::string("SELECT COALESCE(MAX(version), 0) FROM ") + table +
                            " WHERE " + key_column + " = ?1;");
  select.Bind(1, key);
  if (!select || sqlite3_step(select.get()) != SQLITE_ROW) {
    return absl::InternalError(std::string("sqlite: ") + sqlite3_errmsg(db_));
  }
  const auto current = static_cast<uint64_t>(sqlite3_column_int64(select.get(), 0));
  if (expected_version.has_value() && *expected_version != current) {
    return absl::FailedPreconditionError(std::string(kind) + " " + key + " is at version " +
                                         std::to_string(current) + ", not " +
                                         std::to_string(*expected_version));
  }
  return current;
}

absl::StatusOr<ZoneRecord> SqliteConfigStore::AppendInTransaction(
    ZoneRecord record, std::optional<uint64_t> expected_version,
    const std::vector<StoredCertificate>* certificates) {
  Transaction transaction(*this);
  if (auto status = transaction.Begin(); !status.ok()) return status;
  auto current = CurrentVersion("zone_versions", "zone", "zone", record.zone, expected_version);
  if (!current.ok()) return current.status();
  if (record.deleted) record.account_lists.emplace();
  if (record.account_lists.has_value()) {
    if (auto status = ReplaceListUses(record.zone, *record.account_lists); !status.ok()) {
      return status;
    }
  }
  record.version = *current + 1;
  if (record.created_unix_ms == 0) record.created_unix_ms = NowUnixMs();
  {
    Statement insert(db_,
                     std::string("INSERT INTO zone_versions (sequence, zone, version, config_hash, "
                                 "config_json, author, created_unix_ms, deleted, prefilters) "
                                 "VALUES (") +
                         kNextSequence + ", ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8);");
    insert.Bind(1, record.zone);
    insert.Bind(2, static_cast<int64_t>(record.version));
    insert.Bind(3, record.config_hash);
    insert.Bind(4, record.config_json);
    insert.Bind(5, record.author);
    insert.Bind(6, record.created_unix_ms);
    insert.Bind(7, static_cast<int64_t>(record.deleted ? 1 : 0));
    insert.BindBlob(8, record.prefilters);
    if (!insert || sqlite3_step(insert.get()) != SQLITE_DONE) {
      return absl::InternalError(std::string("sqlite: ") + sqlite3_errmsg(db_));
    }
  }
  record.sequence = static_cast<uint64_t>(sqlite3_last_insert_rowid(db_));
  if (certificates != nullptr) {
    if (auto status = ReplaceCertificates(record.zone, *certificates); !status.ok()) {
      return status;
    }
  }
  if (auto status = transaction.Commit(); !status.ok()) return status;
  return record;
}

absl::Status SqliteConfigStore::ReplaceListUses(const std::string& zone,
                                                const std::vector<std::string>& lists) {
  for (const std::string& name : lists) {
    // The scope and state only: a list's items may be many.
    Statement select(db_,
                     "SELECT zones, deleted FROM list_versions WHERE name = ?1 "
                     "ORDER BY version DESC LIMIT 1;");
    if (!select) return absl::InternalError(std::string("sqlite: ") + sqlite3_errmsg(db_));
    select.Bind(1, name);
    std::optional<ListRecord> latest;
    if (sqlite3_step(select.get()) == SQLITE_ROW) {
      latest.emplace();
      latest->name = name;
      latest->zones = SplitLines(Column(select.get(), 0));
      latest->deleted = sqlite3_column_int64(select.get(), 1) != 0;
    }
    if (auto status = CheckZoneMayName(zone, name, latest.has_value() ? &*latest : nullptr);
        !status.ok()) {
      return status;
    }
  }
  return WriteListUses(zone, lists);
}

absl::Status SqliteConfigStore::WriteListUses(const std::string& zone,
                                              const std::vector<std::string>& lists) {
  Statement remove(db_, "DELETE FROM zone_list_uses WHERE zone = ?1;");
  remove.Bind(1, zone);
  if (!remove || sqlite3_step(remove.get()) != SQLITE_DONE) {
    return absl::InternalError(std::string("sqlite: ") + sqlite3_errmsg(db_));
  }
  for (const std::string& name : lists) {
    Statement insert(db_, "INSERT OR IGNORE INTO zone_list_uses (zone, list) VALUES (?1, ?2);");
    insert.Bind(1, zone);
    insert.Bind(2, name);
    if (!insert || sqlite3_step(insert.get()) != SQLITE_DONE) {
      return absl::InternalError(std::string("sqlite: ") + sqlite3_errmsg(db_));
    }
  }
  return absl::OkStatus();
}

absl::Status SqliteConfigStore::FillListUses() {
  for (const ZoneRecord& zone : LatestOfAllZones()) {
    snapshot::v1::CompiledZone stored;
    if (zone.prefilters.empty() || !stored.ParseFromString(zone.prefilters)) continue;
    const auto& names = stored.program().account_lists();
    if (names.empty()) continue;
    std::lock_guard lock(mutex_);
    if (auto status = WriteListUses(zone.zone, {names.begin(), names.end()}); !status.ok()) {
      return status;
    }
  }
  return absl::OkStatus();
}

bool SqliteConfigStore::HasTable(const char* table) const {
  Statement select(db_, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1;");
  select.Bind(1, std::string(table));
  return select && sqlite3_step(select.get()) == SQLITE_ROW;
}

std::vector<ZoneRecord> SqliteConfigStore::Query(const std::string& sql, const std::string& zone,
                                                 int64_t number) const {
  std::lock_guard lock(mutex_);
  std::vector<ZoneRecord> out;
  Statement statement(db_, std::string(kColumns) + sql);
  if (!statement) return out;
  if (sql.find("?1") != std::string::npos) statement.Bind(1, zone);
  if (sql.find("?2") != std::string::npos) statement.Bind(2, number);
  while (sqlite3_step(statement.get()) == SQLITE_ROW) out.push_back(ReadRecord(statement.get()));
  return out;
}

absl::StatusOr<ZoneRecord> SqliteConfigStore::Latest(const std::string& zone) const {
  auto rows = Query("WHERE zone = ?1 ORDER BY version DESC LIMIT 1;", zone, 0);
  if (rows.empty()) return absl::NotFoundError("no zone " + zone);
  return rows.front();
}

absl::StatusOr<ZoneRecord> SqliteConfigStore::Version(const std::string& zone,
                                                      uint64_t version) const {
  auto rows = Query("WHERE zone = ?1 AND version = ?2;", zone, static_cast<int64_t>(version));
  if (rows.empty()) {
    return absl::NotFoundError("no version " + std::to_string(version) + " of zone " + zone);
  }
  return rows.front();
}

std::vector<ZoneRecord> SqliteConfigStore::History(const std::string& zone) const {
  return Query("WHERE zone = ?1 ORDER BY version;", zone, 0);
}

std::vector<ZoneRecord> SqliteConfigStore::LatestOfAllZones() const {
  return Query(
      "WHERE sequence IN (SELECT MAX(sequence) FROM zone_versions GROUP BY zone) AND deleted = 0 "
      "ORDER BY zone;",
      "", 0);
}

uint64_t SqliteConfigStore::LastSequence() const {
  std::lock_guard lock(mutex_);
  Statement statement(db_, std::string("SELECT ") + kNextSequence + " - 1;");
  if (!statement || sqlite3_step(statement.get()) != SQLITE_ROW) return 0;
  return static_cast<uint64_t>(sqlite3_column_int64(statement.get(), 0));
}

absl::StatusOr<ListRecord> SqliteConfigStore::AppendList(ListRecord record,
                                                         std::optional<uint64_t> expected_version) {
  std::lock_guard lock(mutex_);
  Transaction transaction(*this);
  if (auto status = transaction.Begin(); !status.ok()) return status;
  auto current = CurrentVersion("list_versions", "name", "list", record.name, expected_version);
  if (!current.ok()) return current.status();
  {
    std::vector<std::string> users;
    Statement select(db_, "SELECT zone FROM zone_list_uses WHERE list = ?1;");
    if (!select) return absl::InternalError(std::string("sqlite: ") + sqlite3_errmsg(db_));
    select.Bind(1, record.name);
    while (sqlite3_step(select.get()) == SQLITE_ROW) users.push_back(Column(select.get(), 0));
    if (auto status = CheckUsersKeepList(record, users); !status.ok()) return status;
  }
  record.version = *current + 1;
  if (record.created_unix_ms == 0) record.created_unix_ms = NowUnixMs();
  {
    Statement insert(db_, std::string("INSERT INTO list_versions (sequence, name, version, zones, "
                                      "content_hash, author, created_unix_ms, deleted, list) "
                                      "VALUES (") +
                              kNextSequence + ", ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8);");
    insert.Bind(1, record.name);
    insert.Bind(2, static_cast<int64_t>(record.version));
    insert.Bind(3, JoinLines(record.zones));
    insert.Bind(4, record.content_hash);
    insert.Bind(5, record.author);
    insert.Bind(6, record.created_unix_ms);
    insert.Bind(7, static_cast<int64_t>(record.deleted ? 1 : 0));
    insert.BindBlob(8, EncodeListItems(record).SerializeAsString());
    if (!insert || sqlite3_step(insert.get()) != SQLITE_DONE) {
      return absl::InternalError(std::string("sqlite: ") + sqlite3_errmsg(db_));
    }
  }
  record.sequence = static_cast<uint64_t>(sqlite3_last_insert_rowid(db_));
  if (auto status = transaction.Commit(); !status.ok()) return status;
  return record;
}

std::vector<ListRecord> SqliteConfigStore::QueryLists(const std::string& sql,
                                                      const std::string& name) const {
  std::lock_guard lock(mutex_);
  std::vector<ListRecord> out;
  Statement statement(db_, std::string(kListColumns) + sql);
  if (!statement) return out;
  if (sql.find("?1") != std::string::npos) statement.Bind(1, name);
  while (sqlite3_step(statement.get()) == SQLITE_ROW) {
    std::optional<ListRecord> record = ReadListRecord(statement.get());
    if (record.has_value()) out.push_back(*std::move(record));
  }
  return out;
}

absl::StatusOr<ListRecord> SqliteConfigStore::LatestList(const std::string& name) const {
  auto rows = QueryLists("WHERE name = ?1 ORDER BY version DESC LIMIT 1;", name);
  if (rows.empty()) return absl::NotFoundError("no list " + name);
  return rows.front();
}

std::vector<ListVersionSummary> SqliteConfigStore::ListHistory(const std::string& name) const {
  // Every version keeps its items: what each changed is read from them.
  const std::vector<ListRecord> versions = QueryLists("WHERE name = ?1 ORDER BY version;", name);
  std::vector<ListVersionSummary> out;
  for (size_t i = 0; i < versions.size(); ++i) {
    out.push_back(SummarizeListVersion(versions[i], i == 0 ? nullptr : &versions[i - 1]));
  }
  return out;
}

std::vector<ListRecord> SqliteConfigStore::LatestOfAllLists() const {
  return QueryLists(
      "WHERE sequence IN (SELECT MAX(sequence) FROM list_versions GROUP BY name) AND deleted = 0 "
      "ORDER BY name;",
      "");
}

}  // namespace gatehouse::api
