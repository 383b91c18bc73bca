#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "runtime/snapshot/linked_snapshot.h"

namespace gatehouse::runtime {

// The snapshot the proxy serves now, and the order in which snapshots replace one another.
// Off the request path (loaders, the watcher) Current() reads the last one swapped in. The
// request path reads its worker's own reference instead, which the store publishes to every
// subscriber on each swap (RCU by reference counting): a request pins its worker's snapshot to
// its end, whatever swaps happen meanwhile, and takes no lock to do so. A swapped-in snapshot is
// served (Served(), /readyz, reports to the control plane) only once every subscriber says it
// uses it: until then some worker may still answer with the one before.
// "still serving snapshot N" or "nothing is served yet": what a refusal leaves in place.
std::string ServingNote(const LinkedSnapshot* current);

class SnapshotStore {
 public:
  // Called once a subscriber uses the snapshot it was handed; from any thread.
  using Done = std::function<void()>;
  using Publisher = std::function<void(const std::shared_ptr<const LinkedSnapshot>&, Done)>;

  // The last snapshot swapped in; null until the first.
  std::shared_ptr<const LinkedSnapshot> Current() const;
  // The last snapshot every subscriber uses (Current() at once when there are none); null until
  // the first is.
  std::shared_ptr<const LinkedSnapshot> Served() const;

  // Swaps in `next` and publishes it, unless it is of the current snapshot's lineage with a
  // lower version (a proxy never goes back within one source) and `replace` is false: that is
  // refused and counted (NoteRefused). A snapshot of another lineage replaces the current one
  // whatever the versions (a new or restored control plane, a file after the control plane),
  // with a log line. `replace`: the control plane's full snapshot, which is its whole truth.
  // Returns whether it swapped. `on_served` (may be empty) is called once every subscriber uses
  // `next` (on the thread of the last to switch, or in Swap when there are none): it must only
  // hand the news on. Never called for a snapshot not swapped in, nor when a subscriber stops
  // (unsubscribes) before it switched.
  bool Swap(std::shared_ptr<const LinkedSnapshot> next, bool replace = false,
            Done on_served = {});

  // An update refused as a whole (older, or not loadable). A proxy that keeps refusing updates
  // says so: /readyz, /snapshot, metrics, and its reports to the control plane.
  void NoteRefused(std::string reason);
  struct Refusals {
    uint64_t in_a_row = 0;  // since the last swap
    uint64_t total = 0;
    std::string last;
  };
  Refusals refusals() const;
  // Refusals in a row after which the proxy is not ready (/readyz 503).
  static constexpr uint64_t kRefusalsBeforeUnready = 3;

  // Calls `publish` with the current snapshot, if any, and then with every snapshot swapped in,
  // in swap order. It runs under the store's lock: it must only hand the snapshot on (post it
  // to an event loop), and call the Done it is given once it uses the snapshot. The store must
  // outlive those calls. Returns an id for Unsubscribe.
  int Subscribe(Publisher publish);
  void Unsubscribe(int id);

  uint64_t swap_count() const { return swaps_.load(std::memory_order_relaxed); }

 private:
  // One swap on its way to the subscribers.
  struct Publication;
  // Creates the swap's publication, with its `subscribers` countdown.
  std::shared_ptr<Publication> NewPublicationLocked(Done on_served);
  // One subscriber of `publication` uses its snapshot.
  void Arrived(const std::shared_ptr<Publication>& publication);

  mutable std::mutex mutex_;
  std::shared_ptr<const LinkedSnapshot> current_;
  uint64_t sequence_ = 0;  // swaps so far, under mutex_
  // The served snapshot, under its own lock: a subscriber may say it switched from within a
  // publisher (under mutex_).
  mutable std::mutex served_mutex_;
  std::shared_ptr<const LinkedSnapshot> served_;
  uint64_t served_sequence_ = 0;
  std::vector<std::pair<int, Publisher>> publishers_;
  int next_subscription_ = 0;
  std::atomic<uint64_t> swaps_{0};
  Refusals refusals_;  // under mutex_
};

}  // namespace gatehouse::runtime
