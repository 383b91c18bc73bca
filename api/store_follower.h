#pragma once

#include <cstdint>
#include <memory>

#include "api/config_controller.h"
#include "api/etcd_config_store.h"
#include "api/list_controller.h"
#include "etcd/etcd_watch.h"

namespace gatehouse::api {

// Makes a control replica publish every zone and account-level list version stored in the
// shared etcd store, by this replica or another, in store order (one watch over the store's
// prefix, so a zone naming a list new in the same moment is published after it): a push or a
// list change through one replica reaches the proxies of all, and
// snapshot versions (etcd revisions) are the same on every replica, so a proxy resumes on any
// replica from the version it holds. When etcd has compacted the versions the follower still
// needs (it was cut off for long), it publishes the store's current state instead and follows
// on from there. The controllers run in PublishMode::kFromStore.
class StoreFollower {
 public:
  // Follows from the revision after `published` (the snapshot LoadFromStore published).
  StoreFollower(const EtcdConfigStore& store, ConfigController& controller, ListController& lists,
                uint64_t published);
  ~StoreFollower();
  StoreFollower(const StoreFollower&) = delete;
  StoreFollower& operator=(const StoreFollower&) = delete;

  void Start();
  void Stop();

 private:
  void Apply(const mvccpb::KeyValue& kv);
  void ApplyZone(const ZoneRecord& version, int64_t revision);
  void ApplyList(const mvccpb::KeyValue& kv);
  // Publishes the store's current state; the revision it was read at.
  absl::StatusOr<int64_t> Resync();

  const EtcdConfigStore& store_;
  ConfigController& controller_;
  ListController& lists_;
  etcd::PrefixWatch watch_;
};

}  // namespace gatehouse::api
