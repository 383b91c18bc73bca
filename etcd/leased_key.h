#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "etcd/etcd_client.h"

namespace gatehouse::etcd {

// A key that exists while its owner lives: put with a lease that a thread keeps alive. When the
// process dies the lease expires within `ttl` and etcd deletes the key; when etcd lost the lease
// (a long partition) the key is put again under a new one. Stop revokes it at once.
class LeasedKey {
 public:
  LeasedKey(const Client& client, std::string key, std::string value,
            std::chrono::seconds ttl = std::chrono::seconds(5));
  ~LeasedKey();
  LeasedKey(const LeasedKey&) = delete;
  LeasedKey& operator=(const LeasedKey&) = delete;

  // Puts the key (an error when etcd cannot be reached) and starts keeping it alive.
  absl::Status Start();
  void Stop();

 private:
  absl::Status PutUnderNewLease();
  void Run();

  const Client& client_;
  const std::string key_;
  const std::string value_;
  const std::chrono::seconds ttl_;
  int64_t lease_ = 0;  // keep-alive thread only, once started
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;  // under mutex_
};

}  // namespace gatehouse::etcd
