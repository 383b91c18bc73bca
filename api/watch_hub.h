#pragma once

#include <memory>
#include <mutex>
#include <unordered_map>

namespace gatehouse::api {

// Something an open Watch stream does when the deployment or the set of valid tokens changes.
class Wakeable {
 public:
  virtual ~Wakeable() = default;
  // Look again: send what is new, end the stream if its token was revoked. From any thread,
  // never under the hub's lock.
  virtual void Wake() = 0;
};

// The open Watch streams, woken by publishes and revocations: the control plane pushes to them
// without a thread or a timer of their own.
class WatchHub {
 public:
  void Add(const std::shared_ptr<Wakeable>& stream);
  void Remove(const Wakeable* stream);
  // Wakes every stream open now.
  void WakeAll();
  size_t size() const;

 private:
  mutable std::mutex mutex_;
  // Weak: a stream lives until gRPC is done with it, not as long as the hub.
  std::unordered_map<const Wakeable*, std::weak_ptr<Wakeable>> streams_;
};

}  // namespace gatehouse::api
