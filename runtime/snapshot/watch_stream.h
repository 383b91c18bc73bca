#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "runtime/snapshot/reconnect_backoff.h"

namespace grpc {
class Channel;
class ClientContext;
}  // namespace grpc

namespace gatehouse::api::v1 {
class SnapshotUpdate;
class WatchRequest;
}  // namespace gatehouse::api::v1

namespace gatehouse::runtime {

// The client end of the control plane's SnapshotService.Watch stream, on its own thread:
// connects, hands every update on, and reconnects with exponential backoff and jitter whenever
// the stream ends. Knows nothing of snapshots: what to ask for and what to do with an update are
// its delegate's.
class WatchStream {
 public:
  class Delegate {
   public:
    virtual ~Delegate() = default;
    // Fills the request of the next stream (what the proxy holds and rejected).
    virtual void FillRequest(api::v1::WatchRequest& request) = 0;
    // One update, on the stream's thread; the next is read once this returns.
    virtual void OnUpdate(const api::v1::SnapshotUpdate& update) = 0;
  };
  struct Options {
    std::string address;  // for log lines
    std::string token;    // bearer token; empty: none
    std::chrono::milliseconds initial_backoff{100};
    std::chrono::milliseconds max_backoff{5000};
  };

  WatchStream(Options options, std::shared_ptr<grpc::Channel> channel, Delegate& delegate);
  ~WatchStream();
  WatchStream(const WatchStream&) = delete;
  WatchStream& operator=(const WatchStream&) = delete;

  void Start();
  // Ends the stream in progress at once, or the wait before the next within a poll slice
  // (50 ms), and joins the thread.
  void Stop();

 private:
  void Run();
  // One Watch stream, until it ends.
  void WatchOnce();
  // Sits out the backoff `wait` while polling the channel: gRPC advances a connection attempt
  // (TCP, TLS handshake, settings) only while a thread polls the channel, else only at its 5 s
  // backup poll. Ends early when a channel that was not connected connects; false: stopping.
  bool AwaitRetry(std::chrono::milliseconds wait);

  const Options options_;
  const std::shared_ptr<grpc::Channel> channel_;
  Delegate& delegate_;
  ReconnectBackoff backoff_;  // stream thread only
  std::thread thread_;
  std::mutex mutex_;
  bool stopping_ = false;                         // under mutex_
  grpc::ClientContext* active_context_ = nullptr;  // under mutex_
};

}  // namespace gatehouse::runtime
