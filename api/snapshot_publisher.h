#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "compiler/snapshot_assembly.h"
#include "schemas/snapshot.pb.h"

namespace gatehouse::api {

// One published state of the deployment: every live zone at one snapshot version. Immutable;
// consecutive states share every unchanged zone (the same shared_ptr) and every shard of the
// zone map a change did not touch, so a change to one zone costs one shard's copy and one hash
// bucket, never work over the other zones.
struct PublishedState {
  uint64_t version = 0;
  compiler::ZoneSet zones;
  std::string content_hash;
  // The content hash's bucket digests, so the next state rehashes only the buckets it changes.
  ContentHashBuckets hash_buckets;
  std::string lineage;  // the store's (ConfigStore::Lineage)
  // The managed rulesets every snapshot carries (fixed for the control plane's life); null for
  // none.
  std::shared_ptr<const compiler::ManagedRulesets> managed_rulesets;
  // The account-level lists, by name; never null. A list change copies this map of pointers
  // (lists are few) and shares every other list and every zone.
  std::shared_ptr<const compiler::AccountLists> lists;
};

// How stored versions reach the publisher.
enum class PublishMode {
  // Each write publishes what it stored: the control plane is the store's only writer.
  kDirect,
  // The store is shared by replicas: every version, this replica's and the others', is
  // published by ApplyStored in store order (api/store_follower.h); a write returns once its
  // version is published, so its caller reads it back from this replica's snapshots.
  kFromStore,
};

// kFromStore: how long a write waits for its version to be published here. The watch delivers
// a replica's own writes within milliseconds; a slower one is a watch reconnecting, which
// publishes it once back. The write is durable either way.
inline constexpr std::chrono::seconds kFromStorePublishWait{5};

// The current state of the deployment and a way to wait for the next one.
class SnapshotPublisher {
 public:
  // `lineage`: the store's lineage id, stamped on every state. `managed_rulesets`: carried by
  // every state (null: none).
  explicit SnapshotPublisher(
      std::string lineage = "",
      std::shared_ptr<const compiler::ManagedRulesets> managed_rulesets = nullptr);

  // Publishes `zone` (or removes `zone_name` when `zone` is null) as snapshot `version`. A version
  // not above the current one is bumped so versions stay strictly increasing.
  void Publish(uint64_t version, const std::string& zone_name,
               std::shared_ptr<const snapshot::v1::CompiledZone> zone);
  // Replaces every zone (and every account list) at once (start-up: one state, not one per
  // zone).
  void PublishAll(uint64_t version, compiler::ZoneSet zones, compiler::AccountLists lists = {});
  // Publishes account list `name` (or removes it when `list` is null) as snapshot `version`;
  // every zone is shared with the state before.
  void PublishList(uint64_t version, const std::string& name,
                   std::shared_ptr<const snapshot::v1::AccountList> list);

  std::shared_ptr<const PublishedState> Current() const;

  // Waits until a state newer than `version` is published, up to `timeout`. Returns it, or null
  // on timeout or shutdown.
  std::shared_ptr<const PublishedState> WaitNewerThan(uint64_t version,
                                                      std::chrono::milliseconds timeout);
  // Waits until snapshot `version` (or a later one) is published, up to `timeout`; false on
  // timeout or shutdown. For a replica, whose writes are published by its store follower.
  bool AwaitPublished(uint64_t version, std::chrono::milliseconds timeout);

  // Wakes every waiter; later waits return at once.
  void Shutdown();
  bool shut_down() const;

  // Calls `changed` after every publish and at shutdown, outside the publisher's lock (it may
  // read Current()), on the publishing thread: it must be quick. Returns an id for Unsubscribe.
  int Subscribe(std::function<void()> changed);
  void Unsubscribe(int id);

 private:
  void SetLocked(uint64_t version, compiler::ZoneSet zones, ContentHashBuckets hash_buckets,
                 std::shared_ptr<const compiler::AccountLists> lists);
  void NotifySubscribers();

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  const std::string lineage_;
  const std::shared_ptr<const compiler::ManagedRulesets> managed_rulesets_;
  std::shared_ptr<const PublishedState> current_;
  bool shut_down_ = false;
  // Separate from mutex_: subscribers are called without it.
  std::mutex subscribers_mutex_;
  std::vector<std::pair<int, std::function<void()>>> subscribers_;
  int next_subscriber_ = 0;
};

}  // namespace gatehouse::api
