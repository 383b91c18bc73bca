#pragma once

#include <cstdint>
#include <memory>

#include "api/config_controller.h"
#include "api/etcd_config_store.h"
#include "etcd/etcd_watch.h"

namespace gatehouse::api {

// Makes a control replica publish every zone version stored in the shared etcd store, by this
// replica or another, in store order: a push through one replica reaches the proxies of all, and
// snapshot versions (etcd revisions) are the same on every replica, so a proxy resumes on any
// replica from the version it holds. When etcd has compacted the versions the follower still
// needs (it was cut off for long), it publishes the store's current state instead and follows
// on from there. The controller runs in PublishMode::kFromStore.
class StoreFollower {
 public:
  // Follows from the revision after `published` (the snapshot LoadFromStore published).
  StoreFollower(const EtcdConfigStore& store, ConfigController& controller, uint64_t published);
  ~StoreFollower();
  StoreFollower(const StoreFollower&) = delete;
  StoreFollower& operator=(const StoreFollower&) = delete;

  void Start();
  void Stop();

 private:
  void Apply(const mvccpb::KeyValue& kv);
  // Publishes the store's current state; the revision it was read at.
  absl::StatusOr<int64_t> Resync();

  const EtcdConfigStore& store_;
  ConfigController& controller_;
  etcd::PrefixWatch watch_;
};

}  // namespace gatehouse::api
