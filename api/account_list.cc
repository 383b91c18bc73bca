#include "api/account_list.h"

#include <set>

#include "common/content_hash.h"
#include "rules/ir_codes.h"
#include "rules/ir_linker.h"

namespace gatehouse::api {

std::string AccountListHash(std::string_view kind, const std::vector<std::string>& items) {
  std::string data;
  auto add = [&](std::string_view part) {
    data += std::to_string(part.size());
    data += ':';
    data += part;
  };
  add(kind);
  for (const std::string& item : items) add(item);
  return Sha256Hex(data);
}

rules::ir::v1::NamedList EncodeListItems(const ListRecord& record) {
  rules::ir::v1::NamedList list;
  list.set_name(record.name);
  list.set_kind(rules::ir_codes::EncodeListKind(record.kind));
  list.mutable_items()->Reserve(static_cast<int>(record.items.size()));
  for (const std::string& item : record.items) list.add_items(item);
  return list;
}

bool DecodeListItems(const rules::ir::v1::NamedList& list, ListRecord* record) {
  const std::string_view kind = rules::ir_codes::DecodeListKind(list.kind());
  if (kind.empty()) return false;
  record->kind = std::string(kind);
  record->items.assign(list.items().begin(), list.items().end());
  return true;
}

ListVersionSummary SummarizeListVersion(const ListRecord& record, const ListRecord* before) {
  ListVersionSummary out;
  ListRecord& meta = out.record;
  meta.name = record.name;
  meta.version = record.version;
  meta.sequence = record.sequence;
  meta.kind = record.kind;
  meta.zones = record.zones;
  meta.content_hash = record.content_hash;
  meta.author = record.author;
  meta.created_unix_ms = record.created_unix_ms;
  meta.deleted = record.deleted;
  out.item_count = record.items.size();
  static const std::vector<std::string> kNone;
  const std::vector<std::string>& previous =
      before == nullptr || before->deleted ? kNone : before->items;
  const std::set<std::string_view> was(previous.begin(), previous.end());
  const std::set<std::string_view> is(record.items.begin(), record.items.end());
  for (std::string_view item : is) out.items_added += was.count(item) == 0 ? 1 : 0;
  for (std::string_view item : was) out.items_removed += is.count(item) == 0 ? 1 : 0;
  return out;
}

snapshot::v1::AccountList PublishedList(const ListRecord& record) {
  snapshot::v1::AccountList out;
  out.set_name(record.name);
  out.set_version(record.version);
  out.set_content_hash(record.content_hash);
  *out.mutable_list() = EncodeListItems(record);
  return out;
}

absl::StatusOr<rules::CompiledList> CompileAccountList(const rules::ir::v1::NamedList& list,
                                                       const rules::Limits& limits) {
  return rules::CompileListIr(list, limits);
}

}  // namespace gatehouse::api
