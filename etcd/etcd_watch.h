#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "etcd/etcd_client.h"

namespace gatehouse::etcd {

// Follows every change under a key prefix from a revision on, on its own thread: when the
// stream breaks (a member died, lost its leader) it opens another, on the next member, from
// the revision after the last one delivered, so no change is missed or delivered twice. When
// etcd has compacted the revisions it needs, its owner reloads the state instead (Resync) and
// the watch goes on from there: it never stops following while etcd runs.
class PrefixWatch {
 public:
  // The changes of one response, in revision order (a transaction's changes together).
  using OnEvents = std::function<void(const google::protobuf::RepeatedPtrField<mvccpb::Event>&)>;
  // The changes since the last delivered revision were compacted away: reload what the prefix
  // holds now and return the revision it was read at; the watch resumes after it. An error is
  // tried again after a backoff.
  using Resync = std::function<absl::StatusOr<int64_t>()>;

  PrefixWatch(const Client& client, std::string prefix, int64_t start_revision, OnEvents on_events,
              Resync resync);
  ~PrefixWatch();
  PrefixWatch(const PrefixWatch&) = delete;
  PrefixWatch& operator=(const PrefixWatch&) = delete;

  void Start();
  // Ends the stream and joins the thread.
  void Stop();

 private:
  void Run();
  // One stream until it ends; false when the watch must stop (Stop).
  bool WatchOnce();

  const Client& client_;
  const std::string prefix_;
  int64_t next_revision_;  // watch thread only
  const OnEvents on_events_;
  const Resync resync_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;                          // under mutex_
  grpc::ClientContext* active_context_ = nullptr;  // under mutex_
};

}  // namespace gatehouse::etcd
