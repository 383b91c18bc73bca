#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace gatehouse::runtime {

// One `Shard` per thread that writes, so writers on the request path never share a lock or a
// cache line; a reader (a scrape, a log writer) visits them all. Shards live as long as this
// object; several instances in one process (tests) keep theirs apart.
template <typename Shard>
class ThreadShards {
 public:
  ThreadShards() : id_(next_id_.fetch_add(1, std::memory_order_relaxed)) {}
  ThreadShards(const ThreadShards&) = delete;
  ThreadShards& operator=(const ThreadShards&) = delete;

  // The calling thread's shard, made on its first use.
  Shard& Local() {
    thread_local std::unordered_map<uint64_t, std::shared_ptr<Shard>> local;
    std::shared_ptr<Shard>& shard = local[id_];
    if (shard == nullptr) {
      shard = std::make_shared<Shard>();
      std::lock_guard lock(mutex_);
      shards_.push_back(shard);
    }
    return *shard;
  }

  // Every shard made so far.
  std::vector<std::shared_ptr<Shard>> All() const {
    std::lock_guard lock(mutex_);
    return shards_;
  }

 private:
  static inline std::atomic<uint64_t> next_id_{1};
  const uint64_t id_;
  mutable std::mutex mutex_;
  std::vector<std::shared_ptr<Shard>> shards_;
};

}  // namespace gatehouse::runtime
