#include "api/account_list_catalog.h"

#include <algorithm>
#include <utility>

#include "api/account_list.h"

namespace gatehouse::api {

absl::StatusOr<compiler::AccountLists> AccountListCatalog::Load(
    const std::vector<ListRecord>& records, const rules::Limits& limits) {
  std::map<std::string, Entry> loaded;
  compiler::AccountLists published;
  for (const ListRecord& record : records) {
    snapshot::v1::AccountList list = PublishedList(record);
    auto compiled = CompileAccountList(list.list(), limits);
    if (!compiled.ok()) {
      return absl::DataLossError("stored list " + record.name + " version " +
                                 std::to_string(record.version) +
                                 " does not compile: " + std::string(compiled.status().message()));
    }
    loaded.emplace(record.name, Entry{record, *std::move(compiled)});
    published.emplace(record.name,
                      std::make_shared<const snapshot::v1::AccountList>(std::move(list)));
  }
  std::lock_guard lock(mutex_);
  lists_ = std::move(loaded);
  return published;
}

void AccountListCatalog::Set(ListRecord record, rules::CompiledList compiled) {
  std::lock_guard lock(mutex_);
  const std::string name = record.name;
  lists_.insert_or_assign(name, Entry{std::move(record), std::move(compiled)});
}

void AccountListCatalog::Remove(const std::string& name) {
  std::lock_guard lock(mutex_);
  lists_.erase(name);
}

std::shared_ptr<const rules::ListTable> AccountListCatalog::VisibleTo(
    const std::string& zone) const {
  std::lock_guard lock(mutex_);
  std::shared_ptr<rules::ListTable> table;
  for (const auto& [name, entry] : lists_) {
    const auto& scope = entry.record.zones;
    if (std::find(scope.begin(), scope.end(), zone) == scope.end()) continue;
    if (table == nullptr) table = std::make_shared<rules::ListTable>();
    table->emplace(name, entry.compiled);
  }
  return table;
}

std::optional<ListRecord> AccountListCatalog::Find(const std::string& name) const {
  std::lock_guard lock(mutex_);
  const auto it = lists_.find(name);
  if (it == lists_.end()) return std::nullopt;
  return it->second.record;
}

std::vector<ListRecord> AccountListCatalog::All() const {
  std::lock_guard lock(mutex_);
  std::vector<ListRecord> out;
  out.reserve(lists_.size());
  for (const auto& [name, entry] : lists_) out.push_back(entry.record);
  return out;
}

}  // namespace gatehouse::api
