#include "api/etcd_config_store.h"

#include <chrono>
#include <map>
#include <set>
#include <utility>

#include "absl/strings/numbers.h"
#include "api/account_list.h"
#include "api/etcd_records.pb.h"
#include "api/list_uses.h"
#include "common/logging.h"

namespace gatehouse::api {
namespace {

// Appends without expected_version retry this often when other replicas keep winning the race
// for the same zone.
constexpr int kAppendAttempts = 100;
// etcd's default limit on the operations of one transaction.
constexpr int kMaxTxnOps = 128;

etcdserverpb::RangeRequest Prefix(const std::string& prefix) {
  etcdserverpb::RangeRequest range;
  range.set_key(prefix);
  range.set_range_end(etcd::PrefixEnd(prefix));
  return range;
}

etcdserverpb::RangeRequest Key(const std::string& key) {
  etcdserverpb::RangeRequest range;
  range.set_key(key);
  return range;
}

void AddPut(etcdserverpb::TxnRequest* txn, const std::string& key, const std::string& value) {
  auto* put = txn->add_success()->mutable_request_put();
  put->set_key(key);
  put->set_value(value);
}

// "Not created or changed after `revision`", for the key or (with `prefix`) every key under it.
etcdserverpb::Compare UnchangedSince(const std::string& key, int64_t revision,
                                     bool prefix = false) {
  etcdserverpb::Compare compare;
  compare.set_key(key);
  if (prefix) compare.set_range_end(etcd::PrefixEnd(key));
  compare.set_target(etcdserverpb::Compare::MOD);
  // An absent key compares as revision 0.
  compare.set_result(etcdserverpb::Compare::LESS);
  compare.set_mod_revision(revision + 1);
  return compare;
}

int64_t NowUnixMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string SerializeListHistoryEntry(const ListVersionSummary& summary) {
  etcd_records::ListHistoryEntry out;
  out.set_kind(summary.record.kind);
  for (const std::string& zone : summary.record.zones) out.add_zones(zone);
  out.set_content_hash(summary.record.content_hash);
  out.set_author(summary.record.author);
  out.set_created_unix_ms(summary.record.created_unix_ms);
  out.set_deleted(summary.record.deleted);
  out.set_item_count(summary.item_count);
  out.set_items_added(summary.items_added);
  out.set_items_removed(summary.items_removed);
  return out.SerializeAsString();
}

std::string SerializeCertificate(const StoredCertificate& certificate) {
  etcd_records::Certificate out;
  out.set_chain_pem(certificate.chain_pem);
  out.set_sealed_key(certificate.sealed_key);
  for (const std::string& name : certificate.names) out.add_names(name);
  out.set_not_before_unix(certificate.not_before_unix);
  out.set_not_after_unix(certificate.not_after_unix);
  out.set_created_unix_ms(certificate.created_unix_ms);
  out.set_author(certificate.author);
  return out.SerializeAsString();
}

absl::StatusOr<std::vector<StoredCertificate>> ParseCertificates(
    const std::string& zone, const etcdserverpb::RangeResponse& range) {
  std::vector<StoredCertificate> out;
  for (const auto& kv : range.kvs()) {
    etcd_records::Certificate stored;
    if (!stored.ParseFromString(kv.value())) {
      return absl::DataLossError("etcd key " + kv.key() + " is not a certificate");
    }
    StoredCertificate& certificate = out.emplace_back();
    certificate.zone = zone;
    certificate.fingerprint = kv.key().substr(kv.key().rfind('/') + 1);
    certificate.chain_pem = stored.chain_pem();
    certificate.sealed_key = stored.sealed_key();
    certificate.names.assign(stored.names().begin(), stored.names().end());
    certificate.not_before_unix = stored.not_before_unix();
    certificate.not_after_unix = stored.not_after_unix();
    certificate.created_unix_ms = stored.created_unix_ms();
    certificate.author = stored.author();
  }
  return out;
}

}  // namespace

EtcdConfigStore::EtcdConfigStore(const etcd::Client& client, const std::string& prefix)
    : client_(client), keys_(prefix), host_claims_(client_, keys_) {}

absl::StatusOr<std::unique_ptr<EtcdConfigStore>> EtcdConfigStore::Open(const etcd::Client& client,
                                                                       const std::string& prefix) {
  std::unique_ptr<EtcdConfigStore> store(new EtcdConfigStore(client, prefix));
  if (auto status = store->LoadLineage(); !status.ok()) return status;
  return store;
}

absl::Status EtcdConfigStore::LoadLineage() {
  // Created once, by whichever replica comes first; the others read it.
  etcdserverpb::TxnRequest txn;
  auto* absent = txn.add_compare();
  absent->set_key(keys_.Lineage());
  absent->set_target(etcdserverpb::Compare::CREATE);
  absent->set_result(etcdserverpb::Compare::EQUAL);
  absent->set_create_revision(0);
  AddPut(&txn, keys_.Lineage(), NewLineageId());
  *txn.add_failure()->mutable_request_range() = Key(keys_.Lineage());
  auto done = client_.Txn(txn);
  if (!done.ok()) return done.status();
  auto read = client_.Range(Key(keys_.Lineage()));
  if (!read.ok()) return read.status();
  if (read->kvs_size() != 1) return absl::InternalError("etcd lost the store's lineage key");
  lineage_ = read->kvs(0).value();
  return absl::OkStatus();
}

absl::StatusOr<std::optional<ZoneRecord>> EtcdConfigStore::ParseZoneVersion(
    const mvccpb::KeyValue& kv) const {
  const auto key = keys_.ParseZoneVersion(kv.key());
  if (!key.has_value()) return std::optional<ZoneRecord>();
  etcd_records::ZoneVersion stored;
  if (!stored.ParseFromString(kv.value())) {
    return absl::DataLossError("etcd key " + kv.key() + " is not a zone version");
  }
  ZoneRecord record;
  record.zone = key->zone;
  record.version = key->version;
  // Written once, so its creation is the transaction that appended it.
  record.sequence = static_cast<uint64_t>(kv.create_revision());
  record.config_hash = stored.config_hash();
  record.config_json = stored.config_json();
  record.author = stored.author();
  record.created_unix_ms = stored.created_unix_ms();
  record.deleted = stored.deleted();
  record.prefilters = stored.prefilters();
  return std::optional<ZoneRecord>(std::move(record));
}

absl::StatusOr<ZoneRecord> EtcdConfigStore::Append(ZoneRecord record,
                                                   std::optional<uint64_t> expected_version) {
  return AppendVersion(std::move(record), expected_version, nullptr);
}

absl::StatusOr<ZoneRecord> EtcdConfigStore::AppendWithCertificates(
    ZoneRecord record, std::optional<uint64_t> expected_version,
    std::vector<StoredCertificate> certificates) {
  return AppendVersion(std::move(record), expected_version, &certificates);
}

absl::StatusOr<ZoneRecord> EtcdConfigStore::AppendVersion(
    ZoneRecord record, std::optional<uint64_t> expected_version,
    const std::vector<StoredCertificate>* certificates) {
  if (record.created_unix_ms == 0) record.created_unix_ms = NowUnixMs();
  etcd_records::ZoneVersion value;
  value.set_config_hash(record.config_hash);
  value.set_config_json(record.config_json);
  value.set_author(record.author);
  value.set_created_unix_ms(record.created_unix_ms);
  value.set_deleted(record.deleted);
  value.set_prefilters(record.prefilters);
  const std::string serialized = value.SerializeAsString();
  for (int attempt = 0; attempt < kAppendAttempts; ++attempt) {
    auto head = client_.Range(Key(keys_.Head(record.zone)));
    if (!head.ok()) return head.status();
    uint64_t current = 0;
    int64_t head_revision = 0;  // a missing key compares as revision 0
    if (head->kvs_size() == 1) {
      if (!absl::SimpleAtoi(head->kvs(0).value(), &current)) {
        return absl::DataLossError("etcd key " + keys_.Head(record.zone) + " is not a version");
      }
      head_revision = head->kvs(0).mod_revision();
    }
    if (expected_version.has_value() && *expected_version != current) {
      return absl::FailedPreconditionError("zone " + record.zone + " is at version " +
                                           std::to_string(current) + ", not " +
                                           std::to_string(*expected_version));
    }
    record.version = current + 1;
    etcdserverpb::TxnRequest txn;
    auto* unchanged = txn.add_compare();
    unchanged->set_key(keys_.Head(record.zone));
    unchanged->set_target(etcdserverpb::Compare::MOD);
    unchanged->set_result(etcdserverpb::Compare::EQUAL);
    unchanged->set_mod_revision(head_revision);
    AddPut(&txn, keys_.Head(record.zone), std::to_string(record.version));
    AddPut(&txn, keys_.ZoneVersion(record.zone, record.version), serialized);
    AddPut(&txn, keys_.Sequence(), "");
    if (record.deleted || record.host_claims.has_value()) {
      if (auto status = host_claims_.AddToVersionTxn(
              record.zone, record.deleted ? std::vector<std::string>() : *record.host_claims, &txn);
          !status.ok()) {
        return status;
      }
    }
    if (record.deleted || record.account_lists.has_value()) {
      if (auto status = AddListUsesToTxn(
              record.zone, record.deleted ? std::vector<std::string>() : *record.account_lists,
              &txn);
          !status.ok()) {
        return status;
      }
    }
    if (certificates != nullptr) {
      // etcd refuses a transaction that deletes a range and puts into it: the certificates that
      // go are deleted one by one. They change only with the head, which the compare guards.
      etcdserverpb::RangeRequest held = Prefix(keys_.Certificates(record.zone));
      held.set_keys_only(true);
      auto current_certificates = client_.Range(held);
      if (!current_certificates.ok()) return current_certificates.status();
      std::set<std::string> kept;
      for (const StoredCertificate& certificate : *certificates) {
        kept.insert(keys_.Certificates(record.zone) + certificate.fingerprint);
      }
      for (const auto& kv : current_certificates->kvs()) {
        if (kept.count(kv.key()) > 0) continue;
        txn.add_success()->mutable_request_delete_range()->set_key(kv.key());
      }
      for (const StoredCertificate& certificate : *certificates) {
        AddPut(&txn, keys_.Certificates(record.zone) + certificate.fingerprint,
               SerializeCertificate(certificate));
      }
    }
    auto done = client_.Txn(txn);
    if (!done.ok()) return done.status();
    if (done->succeeded()) {
      record.sequence = static_cast<uint64_t>(done->header().revision());
      return record;
    }
    // Another replica appended in between: with an expected version that is a stale put (the
    // next read says so); without, the append goes on top of the new version.
  }
  return absl::AbortedError("zone " + record.zone +
                            " changed too often during the append; try again");
}

absl::StatusOr<std::vector<ZoneRecord>> EtcdConfigStore::ReadVersions(const std::string& zone,
                                                                      bool newest_only) const {
  etcdserverpb::RangeRequest range = Prefix(keys_.ZoneVersions(zone));
  if (newest_only) {
    range.set_sort_order(etcdserverpb::RangeRequest::DESCEND);
    range.set_sort_target(etcdserverpb::RangeRequest::KEY);
    range.set_limit(1);
  }
  auto read = client_.Range(range);
  if (!read.ok()) return read.status();
  std::vector<ZoneRecord> out;
  for (const auto& kv : read->kvs()) {
    auto record = ParseZoneVersion(kv);
    if (!record.ok()) return record.status();
    if (record->has_value()) out.push_back(**std::move(record));
  }
  return out;
}

absl::StatusOr<ZoneRecord> EtcdConfigStore::Latest(const std::string& zone) const {
  auto newest = ReadVersions(zone, /*newest_only=*/true);
  if (!newest.ok()) return newest.status();
  if (newest->empty()) return absl::NotFoundError("no zone " + zone);
  return newest->front();
}

absl::StatusOr<ZoneRecord> EtcdConfigStore::Version(const std::string& zone,
                                                    uint64_t version) const {
  auto read = client_.Range(Key(keys_.ZoneVersion(zone, version)));
  if (!read.ok()) return read.status();
  if (read->kvs_size() == 1) {
    auto record = ParseZoneVersion(read->kvs(0));
    if (!record.ok()) return record.status();
    if (record->has_value()) return **std::move(record);
  }
  return absl::NotFoundError("no version " + std::to_string(version) + " of zone " + zone);
}

std::vector<ZoneRecord> EtcdConfigStore::History(const std::string& zone) const {
  auto all = ReadVersions(zone, /*newest_only=*/false);
  if (!all.ok()) {
    GH_LOG(WARNING) << "cannot read the history of zone " << zone << ": " << all.status();
    return {};
  }
  return *std::move(all);
}

absl::StatusOr<StoreState> EtcdConfigStore::LatestState() const {
  int64_t revision = 0;
  return LatestStateAt(&revision);
}

absl::StatusOr<StoreState> EtcdConfigStore::LatestStateAt(int64_t* read_at) const {
  auto heads = client_.Range(Prefix(keys_.Heads()));
  if (!heads.ok()) return heads.status();
  const int64_t revision = heads->header().revision();
  *read_at = revision;
  StoreState state;
  etcdserverpb::RangeRequest sequence = Key(keys_.Sequence());
  sequence.set_revision(revision);
  auto last = client_.Range(sequence);
  if (!last.ok()) return last.status();
  if (last->kvs_size() == 1) {
    state.last_sequence = static_cast<uint64_t>(last->kvs(0).mod_revision());
  }
  // Every zone's certificates in one read, at the same revision (not one read per zone).
  etcdserverpb::RangeRequest certificates = Prefix(keys_.AllCertificates());
  certificates.set_revision(revision);
  auto held = client_.Range(certificates);
  if (!held.ok()) return held.status();
  std::map<std::string, etcdserverpb::RangeResponse> by_zone;
  for (const auto& kv : held->kvs()) {
    const size_t zone_start = keys_.AllCertificates().size();
    const size_t slash = kv.key().find('/', zone_start);
    if (slash == std::string::npos) continue;
    *by_zone[kv.key().substr(zone_start, slash - zone_start)].add_kvs() = kv;
  }
  for (const auto& [zone, range] : by_zone) {
    auto parsed = ParseCertificates(zone, range);
    if (!parsed.ok()) return parsed.status();
    state.certificates[zone] = *std::move(parsed);
  }
  // Versions are never rewritten: each head's version is read in batches, at any revision.
  for (int start = 0; start < heads->kvs_size(); start += kMaxTxnOps) {
    etcdserverpb::TxnRequest batch;
    for (int i = start; i < std::min(start + kMaxTxnOps, heads->kvs_size()); ++i) {
      const auto& head = heads->kvs(i);
      uint64_t version = 0;
      if (!absl::SimpleAtoi(head.value(), &version)) {
        return absl::DataLossError("etcd key " + head.key() + " is not a version");
      }
      *batch.add_success()->mutable_request_range() =
          Key(keys_.ZoneVersion(head.key().substr(keys_.Heads().size()), version));
    }
    auto read = client_.Txn(batch);
    if (!read.ok()) return read.status();
    for (const auto& response : read->responses()) {
      for (const auto& kv : response.response_range().kvs()) {
        auto record = ParseZoneVersion(kv);
        if (!record.ok()) return record.status();
        if (record->has_value() && !(*record)->deleted) {
          state.zones.push_back(**std::move(record));
        }
      }
    }
  }
  auto lists = ReadLists(revision);
  if (!lists.ok()) return lists.status();
  state.lists = *std::move(lists);
  return state;
}

std::vector<ZoneRecord> EtcdConfigStore::LatestOfAllZones() const {
  auto state = LatestState();
  if (!state.ok()) {
    GH_LOG(WARNING) << "cannot read the zones from etcd: " << state.status();
    return {};
  }
  return std::move(state->zones);
}

uint64_t EtcdConfigStore::LastSequence() const {
  auto read = client_.Range(Key(keys_.Sequence()));
  if (!read.ok() || read->kvs_size() != 1) return 0;
  return static_cast<uint64_t>(read->kvs(0).mod_revision());
}

absl::StatusOr<std::vector<StoredCertificate>> EtcdConfigStore::CertificatesAt(
    const std::string& zone, int64_t revision) const {
  etcdserverpb::RangeRequest range = Prefix(keys_.Certificates(zone));
  range.set_revision(revision);
  auto read = client_.Range(range);
  if (!read.ok()) return read.status();
  return ParseCertificates(zone, *read);
}

std::vector<StoredCertificate> EtcdConfigStore::Certificates(const std::string& zone) const {
  auto read = client_.Range(Prefix(keys_.Certificates(zone)));
  absl::StatusOr<std::vector<StoredCertificate>> parsed =
      read.ok() ? ParseCertificates(zone, *read) : read.status();
  if (!parsed.ok()) {
    GH_LOG(WARNING) << "cannot read the certificates of zone " << zone << ": " << parsed.status();
    return {};
  }
  return *std::move(parsed);
}

std::optional<std::string> EtcdConfigStore::CompiledManagedRuleset(
    const std::string& source_key) const {
  auto read = client_.Range(Prefix(keys_.ManagedRulesets()));
  if (!read.ok()) return std::nullopt;
  for (const auto& kv : read->kvs()) {
    etcd_records::ManagedRuleset stored;
    if (stored.ParseFromString(kv.value()) && stored.source_key() == source_key) {
      return stored.compiled();
    }
  }
  return std::nullopt;
}

absl::Status EtcdConfigStore::StoreCompiledManagedRuleset(const std::string& id,
                                                          const std::string& source_key,
                                                          const std::string& compiled) {
  etcd_records::ManagedRuleset stored;
  stored.set_source_key(source_key);
  stored.set_compiled(compiled);
  etcdserverpb::PutRequest put;
  put.set_key(keys_.ManagedRulesets() + id);
  put.set_value(stored.SerializeAsString());
  return client_.Put(put).status();
}

absl::StatusOr<ListRecord> EtcdConfigStore::AppendList(ListRecord record,
                                                       std::optional<uint64_t> expected_version) {
  if (record.created_unix_ms == 0) record.created_unix_ms = NowUnixMs();
  const std::string key = keys_.List(record.name);
  for (int attempt = 0; attempt < kAppendAttempts; ++attempt) {
    auto held = client_.Range(Key(key));
    if (!held.ok()) return held.status();
    uint64_t current = 0;
    int64_t held_revision = 0;  // a missing key compares as revision 0
    std::optional<ListRecord> before;
    if (held->kvs_size() == 1) {
      auto latest = ParseListVersion(held->kvs(0));
      if (!latest.ok()) return latest.status();
      current = latest->version;
      held_revision = held->kvs(0).mod_revision();
      before = *std::move(latest);
    }
    if (expected_version.has_value() && *expected_version != current) {
      return absl::FailedPreconditionError("list " + record.name + " is at version " +
                                           std::to_string(current) + ", not " +
                                           std::to_string(*expected_version));
    }
    record.version = current + 1;
    etcdserverpb::TxnRequest txn;
    auto* unchanged = txn.add_compare();
    unchanged->set_key(key);
    unchanged->set_target(etcdserverpb::Compare::MOD);
    unchanged->set_result(etcdserverpb::Compare::EQUAL);
    unchanged->set_mod_revision(held_revision);
    if (auto status = AddListUsersCheckToTxn(record, &txn); !status.ok()) return status;
    AddPut(&txn, key, SerializeListVersion(record));
    AddPut(&txn, keys_.ListVersion(record.name, record.version),
           SerializeListHistoryEntry(
               SummarizeListVersion(record, before.has_value() ? &*before : nullptr)));
    AddPut(&txn, keys_.Sequence(), "");
    auto done = client_.Txn(txn);
    if (!done.ok()) return done.status();
    if (done->succeeded()) {
      record.sequence = static_cast<uint64_t>(done->header().revision());
      return record;
    }
  }
  return absl::AbortedError("list " + record.name +
                            " changed too often during the append; try again");
}

absl::Status EtcdConfigStore::AddListUsesToTxn(const std::string& zone,
                                               const std::vector<std::string>& lists,
                                               etcdserverpb::TxnRequest* txn) const {
  // What the zone names now changes only with its head, which the transaction compares.
  etcdserverpb::RangeRequest held = Prefix(keys_.ZoneLists(zone));
  held.set_keys_only(true);
  auto read = client_.Range(held);
  if (!read.ok()) return read.status();
  std::set<std::string> before;
  for (const auto& kv : read->kvs()) before.insert(kv.key().substr(keys_.ZoneLists(zone).size()));
  const std::set<std::string> after(lists.begin(), lists.end());
  for (const std::string& name : after) {
    auto list = client_.Range(Key(keys_.List(name)));
    if (!list.ok()) return list.status();
    std::optional<ListRecord> latest;
    if (list->kvs_size() == 1) {
      auto parsed = ParseListVersion(list->kvs(0));
      if (!parsed.ok()) return parsed.status();
      latest = *std::move(parsed);
    }
    if (auto status = CheckZoneMayName(zone, name, latest.has_value() ? &*latest : nullptr);
        !status.ok()) {
      return status;
    }
    // A version of the list stored in between (a deletion, a narrower scope) fails the append.
    *txn->add_compare() = UnchangedSince(keys_.List(name), list->header().revision());
    if (before.count(name) == 0) {
      AddPut(txn, keys_.ZoneLists(zone) + name, "");
      AddPut(txn, keys_.ListUsers(name) + zone, "");
    }
  }
  for (const std::string& name : before) {
    if (after.count(name) > 0) continue;
    txn->add_success()->mutable_request_delete_range()->set_key(keys_.ZoneLists(zone) + name);
    txn->add_success()->mutable_request_delete_range()->set_key(keys_.ListUsers(name) + zone);
  }
  return absl::OkStatus();
}

absl::Status EtcdConfigStore::AddListUsersCheckToTxn(const ListRecord& record,
                                                     etcdserverpb::TxnRequest* txn) const {
  const std::string users_prefix = keys_.ListUsers(record.name);
  etcdserverpb::RangeRequest range = Prefix(users_prefix);
  range.set_keys_only(true);
  auto read = client_.Range(range);
  if (!read.ok()) return read.status();
  std::vector<std::string> users;
  for (const auto& kv : read->kvs()) users.push_back(kv.key().substr(users_prefix.size()));
  if (auto status = CheckUsersKeepList(record, users); !status.ok()) return status;
  // A zone version that starts naming the list in between fails this version.
  *txn->add_compare() = UnchangedSince(users_prefix, read->header().revision(), /*prefix=*/true);
  return absl::OkStatus();
}

absl::StatusOr<ListRecord> EtcdConfigStore::ParseListVersion(const mvccpb::KeyValue& kv) const {
  etcd_records::ListVersion stored;
  if (!stored.ParseFromString(kv.value())) {
    return absl::DataLossError("etcd key " + kv.key() + " is not a list version");
  }
  ListRecord record;
  record.name = kv.key().substr(keys_.Lists().size());
  record.version = stored.version();
  record.sequence = static_cast<uint64_t>(kv.mod_revision());
  record.kind = stored.kind();
  record.zones.assign(stored.zones().begin(), stored.zones().end());
  record.items.assign(stored.items().begin(), stored.items().end());
  record.content_hash = stored.content_hash();
  record.author = stored.author();
  record.created_unix_ms = stored.created_unix_ms();
  record.deleted = stored.deleted();
  return record;
}

std::string EtcdConfigStore::SerializeListVersion(const ListRecord& record) {
  etcd_records::ListVersion out;
  out.set_version(record.version);
  out.set_kind(record.kind);
  for (const std::string& zone : record.zones) out.add_zones(zone);
  out.mutable_items()->Reserve(static_cast<int>(record.items.size()));
  for (const std::string& item : record.items) out.add_items(item);
  out.set_content_hash(record.content_hash);
  out.set_author(record.author);
  out.set_created_unix_ms(record.created_unix_ms);
  out.set_deleted(record.deleted);
  return out.SerializeAsString();
}

absl::StatusOr<ListRecord> EtcdConfigStore::LatestList(const std::string& name) const {
  auto read = client_.Range(Key(keys_.List(name)));
  if (!read.ok()) return read.status();
  if (read->kvs_size() != 1) return absl::NotFoundError("no list " + name);
  return ParseListVersion(read->kvs(0));
}

absl::StatusOr<std::vector<ListRecord>> EtcdConfigStore::ReadLists(int64_t revision) const {
  etcdserverpb::RangeRequest range = Prefix(keys_.Lists());
  range.set_revision(revision);
  auto read = client_.Range(range);
  if (!read.ok()) return read.status();
  std::vector<ListRecord> out;
  for (const auto& kv : read->kvs()) {
    auto record = ParseListVersion(kv);
    if (!record.ok()) return record.status();
    if (!record->deleted) out.push_back(*std::move(record));
  }
  return out;
}

std::vector<ListVersionSummary> EtcdConfigStore::ListHistory(const std::string& name) const {
  auto read = client_.Range(Prefix(keys_.ListVersions(name)));
  if (!read.ok()) {
    GH_LOG(WARNING) << "cannot read the history of list " << name << ": " << read.status();
    return {};
  }
  std::vector<ListVersionSummary> out;
  for (const auto& kv : read->kvs()) {
    etcd_records::ListHistoryEntry stored;
    uint64_t version = 0;
    if (!stored.ParseFromString(kv.value()) ||
        !absl::SimpleAtoi(kv.key().substr(keys_.ListVersions(name).size()), &version)) {
      GH_LOG(WARNING) << "etcd key " << kv.key() << " is not a list history entry; skipped";
      continue;
    }
    ListVersionSummary& summary = out.emplace_back();
    summary.record.name = name;
    summary.record.version = version;
    summary.record.sequence = static_cast<uint64_t>(kv.create_revision());
    summary.record.kind = stored.kind();
    summary.record.zones.assign(stored.zones().begin(), stored.zones().end());
    summary.record.content_hash = stored.content_hash();
    summary.record.author = stored.author();
    summary.record.created_unix_ms = stored.created_unix_ms();
    summary.record.deleted = stored.deleted();
    summary.item_count = stored.item_count();
    summary.items_added = stored.items_added();
    summary.items_removed = stored.items_removed();
  }
  return out;
}

std::vector<ListRecord> EtcdConfigStore::LatestOfAllLists() const {
  auto lists = ReadLists(0);
  if (!lists.ok()) {
    GH_LOG(WARNING) << "cannot read the lists from etcd: " << lists.status();
    return {};
  }
  return *std::move(lists);
}

}  // namespace gatehouse::api
