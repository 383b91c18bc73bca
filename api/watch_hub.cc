#include "api/watch_hub.h"

#include <vector>

namespace gatehouse::api {

void WatchHub::Add(const std::shared_ptr<Wakeable>& stream) {
  std::lock_guard lock(mutex_);
  streams_[stream.get()] = stream;
}

void WatchHub::Remove(const Wakeable* stream) {
  std::lock_guard lock(mutex_);
  streams_.erase(stream);
}

void WatchHub::WakeAll() {
  std::vector<std::shared_ptr<Wakeable>> streams;
  {
    std::lock_guard lock(mutex_);
    streams.reserve(streams_.size());
    for (const auto& [key, weak] : streams_) {
      if (auto stream = weak.lock()) streams.push_back(std::move(stream));
    }
  }
  // Outside the lock: a stream that finishes removes itself.
  for (const auto& stream : streams) stream->Wake();
}

size_t WatchHub::size() const {
  std::lock_guard lock(mutex_);
  return streams_.size();
}

}  // namespace gatehouse::api
