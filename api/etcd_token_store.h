#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "api/etcd_keyspace.h"
#include "api/token_store.h"
#include "etcd/etcd_client.h"
#include "etcd/etcd_watch.h"

namespace gatehouse::api {

// TokenStore in etcd, shared by the control replicas: each token under its id and, the same
// record, under its hash (one read authenticates a call); only the hash, never the secret.
// Every replica watches the tokens, so a revocation through one replica ends the Watch streams
// of that token on the others too (`on_revoked`). Thread-safe.
class EtcdTokenStore : public TokenStore {
 public:
  // `client` outlives the store.
  static absl::StatusOr<std::unique_ptr<EtcdTokenStore>> Open(const etcd::Client& client,
                                                              const std::string& prefix);
  ~EtcdTokenStore() override;

  // Starts following revocations through any replica: each bumps revocation_count and calls
  // `on_revoked` (on the watch's thread; may be null).
  void FollowRevocations(std::function<void()> on_revoked);
  // Stops following (before what `on_revoked` calls goes away).
  void StopFollowing();

  absl::Status Create(const TokenRecord& record) override;
  absl::StatusOr<TokenRecord> FindByHash(const std::string& token_hash) const override;
  std::vector<TokenRecord> List() const override;
  absl::Status Revoke(const std::string& id) override;
  uint64_t revocation_count() const override {
    return revocations_.load(std::memory_order_acquire);
  }

 private:
  EtcdTokenStore(const etcd::Client& client, const std::string& prefix, int64_t revision);

  const etcd::Client& client_;
  const EtcdKeyspace keys_;
  const int64_t opened_at_;  // the revision revocations are followed from
  std::atomic<uint64_t> revocations_{0};
  std::unique_ptr<etcd::PrefixWatch> watch_;
};

}  // namespace gatehouse::api
