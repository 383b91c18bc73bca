#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "api/list_store.h"
#include "rules/ir.pb.h"
#include "rules/limits.h"
#include "rules/value_set.h"
#include "schemas/snapshot.pb.h"

namespace gatehouse::api {

// One definition of an account-level list's forms, shared by the stores, the controller and
// the proxy's view of a snapshot, so that each reads and hashes a list alike.

// Hex SHA-256 over the kind and the items, each length-prefixed: equal hashes, equal lists.
std::string AccountListHash(std::string_view kind, const std::vector<std::string>& items);

// The record's name, kind and items as the rules IR carries a list (stores keep items so, as
// bytes: a bytes list may hold any octets).
rules::ir::v1::NamedList EncodeListItems(const ListRecord& record);
// Sets `record`'s kind and items from `list`; false when the kind is unknown.
bool DecodeListItems(const rules::ir::v1::NamedList& list, ListRecord* record);

// The summary of `record` (items dropped), with what it changed from `before` (null: none,
// or a tombstone: every item is new).
ListVersionSummary SummarizeListVersion(const ListRecord& record, const ListRecord* before);

// The record as a snapshot carries it.
snapshot::v1::AccountList PublishedList(const ListRecord& record);

// Compiles a list as a zone's own list compiles: INVALID_ARGUMENT naming the list and the
// first bad item with its index, an unknown kind or too many items.
absl::StatusOr<rules::CompiledList> CompileAccountList(const rules::ir::v1::NamedList& list,
                                                       const rules::Limits& limits);

}  // namespace gatehouse::api
