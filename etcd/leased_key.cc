#include "etcd/leased_key.h"

#include <utility>

#include "common/logging.h"

namespace gatehouse::etcd {

LeasedKey::LeasedKey(const Client& client, std::string key, std::string value,
                     std::chrono::seconds ttl)
    : client_(client), key_(std::move(key)), value_(std::move(value)), ttl_(ttl) {}

LeasedKey::~LeasedKey() { Stop(); }

absl::Status LeasedKey::PutUnderNewLease() {
  auto lease = client_.GrantLease(ttl_.count());
  if (!lease.ok()) return lease.status();
  etcdserverpb::PutRequest put;
  put.set_key(key_);
  put.set_value(value_);
  put.set_lease(*lease);
  if (auto status = client_.Put(put); !status.ok()) return status.status();
  lease_ = *lease;
  return absl::OkStatus();
}

absl::Status LeasedKey::Start() {
  if (auto status = PutUnderNewLease(); !status.ok()) return status;
  thread_ = std::thread([this] { Run(); });
  return absl::OkStatus();
}

void LeasedKey::Run() {
  // Three renewals per TTL: one lost renewal does not let the key expire.
  const auto period = std::chrono::duration_cast<std::chrono::milliseconds>(ttl_) / 3;
  while (true) {
    {
      std::unique_lock lock(mutex_);
      if (stop_cv_.wait_for(lock, period, [&] { return stopping_; })) break;
    }
    absl::Status status = client_.KeepAlive(lease_);
    if (absl::IsNotFound(status)) {
      GH_LOG(WARNING) << "etcd lease of " << key_ << " expired; putting it again";
      status = PutUnderNewLease();
    }
    if (!status.ok()) GH_LOG(WARNING) << "cannot keep " << key_ << " alive: " << status.message();
  }
  // Gone at once, rather than when the lease runs out.
  (void)client_.RevokeLease(lease_);
}

void LeasedKey::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace gatehouse::etcd
