#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "common/file_stamp.h"
#include "runtime/snapshot/snapshot_loader.h"

namespace gatehouse::runtime {

// Serves a snapshot file (--snapshot-file): loads it at start, then again whenever it changes
// on disk (polled: modification time, size and inode) or a reload is requested (SIGHUP). Runs
// on its own thread, off the request path. A file that fails to load leaves the last good
// snapshot serving.
class SnapshotFileSource {
 public:
  // `poll_interval` zero: no polling, reloads on RequestReload() only.
  SnapshotFileSource(std::string path, SnapshotLoader& loader,
                     std::chrono::milliseconds poll_interval = std::chrono::milliseconds(500));
  ~SnapshotFileSource();

  // Loads the file once, on the caller's thread.
  absl::Status LoadNow();
  void Start();
  void Stop();
  // Asks the thread to reload at once (async-signal-safe: it only sets a flag).
  void RequestReload() { reload_requested_.store(true, std::memory_order_relaxed); }

 private:
  void Run();

  const std::string path_;
  SnapshotLoader& loader_;
  const std::chrono::milliseconds poll_interval_;
  FileStamp loaded_stamp_;
  std::atomic<bool> reload_requested_{false};
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace gatehouse::runtime
