#pragma once

#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace gatehouse::runtime {

// Shards of one object that the workers write and others read (the metrics, the access log).
// Each worker is given its own shard when it is made, keeps it in its WorkerContext and writes
// only that one, so writers on the request path never share a lock or a cache line; a reader (a
// scrape, the log writer) visits them all. A shard lives as long as this object, which must
// outlive the workers. Tests and tools that write from threads of their own add a shard per
// thread the same way.
template <typename Shard>
class WorkerShards {
 public:
  WorkerShards() = default;
  WorkerShards(const WorkerShards&) = delete;
  WorkerShards& operator=(const WorkerShards&) = delete;

  // A new shard, made with `args`, for one worker. Its address never changes.
  template <typename... Args>
  Shard& Add(Args&&... args) {
    auto entry = std::make_unique<Entry>(std::forward<Args>(args)...);
    Shard& shard = entry->shard;
    std::lock_guard lock(mutex_);
    entries_.push_back(std::move(entry));
    return shard;
  }

  // Every shard made so far.
  std::vector<Shard*> All() const {
    std::vector<Shard*> all;
    std::lock_guard lock(mutex_);
    all.reserve(entries_.size());
    for (const auto& entry : entries_) all.push_back(&entry->shard);
    return all;
  }

 private:
  // A cache line (at least) each, so one worker's writes never slow another's.
  struct alignas(64) Entry {
    template <typename... Args>
    explicit Entry(Args&&... args) : shard(std::forward<Args>(args)...) {}
    Shard shard;
  };

  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<Entry>> entries_;
};

}  // namespace gatehouse::runtime
