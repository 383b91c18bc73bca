#include "api/etcd_token_store.h"

#include <utility>

#include "api/etcd_records.pb.h"

namespace gatehouse::api {
namespace {

std::string Serialize(const TokenRecord& record) {
  etcd_records::Token token;
  token.set_id(record.id);
  token.set_token_hash(record.token_hash);
  token.set_permission(record.permission);
  for (const std::string& zone : record.zones) token.add_zones(zone);
  token.set_description(record.description);
  token.set_created_unix_ms(record.created_unix_ms);
  token.set_revoked(record.revoked);
  return token.SerializeAsString();
}

absl::StatusOr<TokenRecord> Parse(const std::string& key, const std::string& value) {
  etcd_records::Token token;
  if (!token.ParseFromString(value)) {
    return absl::DataLossError("etcd key " + key + " is not a token");
  }
  TokenRecord record;
  record.id = token.id();
  record.token_hash = token.token_hash();
  record.permission = static_cast<v1::Permission>(token.permission());
  record.zones.assign(token.zones().begin(), token.zones().end());
  record.description = token.description();
  record.created_unix_ms = token.created_unix_ms();
  record.revoked = token.revoked();
  return record;
}

etcdserverpb::Compare Absent(const std::string& key) {
  etcdserverpb::Compare compare;
  compare.set_key(key);
  compare.set_target(etcdserverpb::Compare::CREATE);
  compare.set_result(etcdserverpb::Compare::EQUAL);
  compare.set_create_revision(0);
  return compare;
}

void AddPut(etcdserverpb::TxnRequest* txn, const std::string& key, const std::string& value) {
  auto* put = txn->add_success()->mutable_request_put();
  put->set_key(key);
  put->set_value(value);
}

}  // namespace

EtcdTokenStore::EtcdTokenStore(const etcd::Client& client, const std::string& prefix,
                               int64_t revision)
    : client_(client), keys_(prefix), opened_at_(revision) {}

EtcdTokenStore::~EtcdTokenStore() { StopFollowing(); }

void EtcdTokenStore::StopFollowing() {
  if (watch_ != nullptr) watch_->Stop();
}

absl::StatusOr<std::unique_ptr<EtcdTokenStore>> EtcdTokenStore::Open(const etcd::Client& client,
                                                                     const std::string& prefix) {
  etcdserverpb::RangeRequest probe;
  probe.set_key(EtcdKeyspace(prefix).Tokens());
  probe.set_count_only(true);
  auto read = client.Range(probe);
  if (!read.ok()) return read.status();
  return std::unique_ptr<EtcdTokenStore>(
      new EtcdTokenStore(client, prefix, read->header().revision()));
}

void EtcdTokenStore::FollowRevocations(std::function<void()> on_revoked) {
  watch_ = std::make_unique<etcd::PrefixWatch>(
      client_, keys_.Tokens(), opened_at_ + 1,
      [this, on_revoked = std::move(on_revoked)](const auto& events) {
        bool revoked = false;
        for (const auto& event : events) {
          etcd_records::Token token;
          if (event.type() == mvccpb::Event::PUT && token.ParseFromString(event.kv().value()) &&
              token.revoked()) {
            revoked = true;
          }
        }
        if (!revoked) return;
        revocations_.fetch_add(1, std::memory_order_release);
        if (on_revoked) on_revoked();
      },
      // Without history the revocations since are unknown: every stream checks its token.
      [this, on_revoked]() -> absl::StatusOr<int64_t> {
        etcdserverpb::RangeRequest now;
        now.set_key(keys_.Tokens());
        now.set_count_only(true);
        auto read = client_.Range(now);
        if (!read.ok()) return read.status();
        revocations_.fetch_add(1, std::memory_order_release);
        if (on_revoked) on_revoked();
        return read->header().revision();
      });
  watch_->Start();
}

absl::Status EtcdTokenStore::Create(const TokenRecord& record) {
  etcdserverpb::TxnRequest txn;
  *txn.add_compare() = Absent(keys_.Tokens() + record.id);
  *txn.add_compare() = Absent(keys_.TokenHash(record.token_hash));
  const std::string value = Serialize(record);
  AddPut(&txn, keys_.Tokens() + record.id, value);
  AddPut(&txn, keys_.TokenHash(record.token_hash), value);
  auto done = client_.Txn(txn);
  if (!done.ok()) return done.status();
  if (!done->succeeded()) return absl::AlreadyExistsError("token id or hash already exists");
  return absl::OkStatus();
}

absl::StatusOr<TokenRecord> EtcdTokenStore::FindByHash(const std::string& token_hash) const {
  etcdserverpb::RangeRequest range;
  range.set_key(keys_.TokenHash(token_hash));
  auto read = client_.Range(range);
  if (!read.ok()) return read.status();
  if (read->kvs_size() != 1) return absl::NotFoundError("no such token");
  return Parse(read->kvs(0).key(), read->kvs(0).value());
}

std::vector<TokenRecord> EtcdTokenStore::List() const {
  etcdserverpb::RangeRequest range;
  range.set_key(keys_.Tokens());
  range.set_range_end(etcd::PrefixEnd(keys_.Tokens()));
  auto read = client_.Range(range);
  std::vector<TokenRecord> out;
  if (!read.ok()) return out;
  for (const auto& kv : read->kvs()) {
    auto record = Parse(kv.key(), kv.value());
    if (record.ok()) out.push_back(*std::move(record));
  }
  return out;
}

absl::Status EtcdTokenStore::Revoke(const std::string& id) {
  etcdserverpb::RangeRequest range;
  range.set_key(keys_.Tokens() + id);
  auto read = client_.Range(range);
  if (!read.ok()) return read.status();
  if (read->kvs_size() != 1) return absl::NotFoundError("no token with id " + id);
  auto record = Parse(read->kvs(0).key(), read->kvs(0).value());
  if (!record.ok()) return record.status();
  record->revoked = true;
  const std::string value = Serialize(*record);
  etcdserverpb::TxnRequest txn;
  AddPut(&txn, keys_.Tokens() + id, value);
  AddPut(&txn, keys_.TokenHash(record->token_hash), value);
  auto done = client_.Txn(txn);
  if (!done.ok()) return done.status();
  revocations_.fetch_add(1, std::memory_order_release);
  return absl::OkStatus();
}

}  // namespace gatehouse::api
