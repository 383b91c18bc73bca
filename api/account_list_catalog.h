#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "api/list_store.h"
#include "compiler/snapshot_assembly.h"
#include "rules/limits.h"
#include "rules/list_table.h"

namespace gatehouse::api {

// The control plane's live account-level lists, compiled once per version: what a zone push
// type-checks `$name` against (only the lists whose scope holds the zone), and what ListService
// reads. Thread-safe.
class AccountListCatalog {
 public:
  // Compiles every record (a store's live lists, at start) and replaces the catalog with them.
  // DATA_LOSS naming the list when a stored list no longer compiles. Returns them as a
  // snapshot carries them.
  absl::StatusOr<compiler::AccountLists> Load(const std::vector<ListRecord>& records,
                                              const rules::Limits& limits);
  // `record` compiled as `compiled`.
  void Set(ListRecord record, rules::CompiledList compiled);
  void Remove(const std::string& name);

  // The lists `zone` may name, by name; null when there are none.
  std::shared_ptr<const rules::ListTable> VisibleTo(const std::string& zone) const;
  // One live list, or every live list by name.
  std::optional<ListRecord> Find(const std::string& name) const;
  std::vector<ListRecord> All() const;

 private:
  struct Entry {
    ListRecord record;
    rules::CompiledList compiled;
  };

  mutable std::mutex mutex_;
  std::map<std::string, Entry> lists_;
};

}  // namespace gatehouse::api
