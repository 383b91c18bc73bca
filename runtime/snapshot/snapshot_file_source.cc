#include "runtime/snapshot/snapshot_file_source.h"

namespace gatehouse::runtime {

SnapshotFileSource::SnapshotFileSource(std::string path, SnapshotLoader& loader,
                                       std::chrono::milliseconds poll_interval)
    : path_(std::move(path)), loader_(loader), poll_interval_(poll_interval) {}

SnapshotFileSource::~SnapshotFileSource() { Stop(); }

absl::Status SnapshotFileSource::LoadNow() {
  loaded_stamp_ = StampOf(path_);
  return loader_.ApplyFile(path_);
}

void SnapshotFileSource::Start() { thread_ = std::thread([this] { Run(); }); }

void SnapshotFileSource::Stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

void SnapshotFileSource::Run() {
  const auto tick = std::chrono::milliseconds(20);
  auto next_poll = std::chrono::steady_clock::now() + poll_interval_;
  while (!stopping_) {
    std::this_thread::sleep_for(tick);
    bool reload = reload_requested_.exchange(false, std::memory_order_relaxed);
    if (!reload && poll_interval_.count() > 0 && std::chrono::steady_clock::now() >= next_poll) {
      next_poll = std::chrono::steady_clock::now() + poll_interval_;
      // A changed file is loaded once per change: a bad one is reported once, not every poll.
      const FileStamp stamp = StampOf(path_);
      reload = stamp.exists && !(stamp == loaded_stamp_);
    }
    if (reload) (void)LoadNow();  // failures are counted and logged by the loader
  }
}

}  // namespace gatehouse::runtime
