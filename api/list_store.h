#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace gatehouse::api {

// One accepted version of an account-level list (ListService).
struct ListRecord {
  std::string name;
  uint64_t version = 0;   // the list's own version: 1, 2, 3, …
  uint64_t sequence = 0;  // position in the deployment-wide change log, shared with zones
  std::string kind;       // "ip", "int" or "bytes"
  // The scope: the zones that may name the list, sorted.
  std::vector<std::string> zones;
  std::vector<std::string> items;  // as given, in order
  std::string content_hash;        // AccountListHash(kind, items)
  std::string author;
  int64_t created_unix_ms = 0;
  bool deleted = false;  // a tombstone: the list was deleted at this version
};

// One version of a list as its history shows it: the record without its items, and what it
// changed from the version before.
struct ListVersionSummary {
  ListRecord record;  // items left empty
  size_t item_count = 0;
  size_t items_added = 0;  // every item for a first version, or one after a deletion
  size_t items_removed = 0;
};

// Durable history of account-level lists. Its versions take sequences from the same change log
// as zone versions, so that one snapshot version orders both. Implementations are thread-safe.
class ListStore {
 public:
  virtual ~ListStore() = default;

  // Appends the next version of `record.name` (version and sequence are assigned and
  // returned). When expected_version is set and differs from the list's current version (0 for
  // none), fails with FAILED_PRECONDITION and stores nothing. When a zone the version takes
  // the list from (a tombstone: every zone; else those outside its scope) names the list, fails
  // with ListInUseError (api/list_uses.h), checked in the same transaction as the write.
  // Returns once it is durable.
  virtual absl::StatusOr<ListRecord> AppendList(ListRecord record,
                                                std::optional<uint64_t> expected_version) = 0;
  // The newest record of a list (which may be a tombstone), or NOT_FOUND.
  virtual absl::StatusOr<ListRecord> LatestList(const std::string& name) const = 0;
  // The newest record of every list that is not deleted, by name.
  virtual std::vector<ListRecord> LatestOfAllLists() const = 0;
  // Every version of the list, oldest first; empty when there is none (or the store cannot be
  // read, which is logged).
  virtual std::vector<ListVersionSummary> ListHistory(const std::string& name) const = 0;
};

}  // namespace gatehouse::api
