#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <thread>

#include "absl/status/status.h"
#include "common/file_stamp.h"
#include "geoip/geo_databases.h"
#include "rules/geo_location.h"

namespace gatehouse::geoip {

// The proxy's geolocation databases (--geoip-db, --asn-db): loaded once and shared by every
// worker, and swapped whole, off the request path, when a file changes on disk (polled) or a
// reload is asked for (SIGHUP), as snapshot files are. A file that fails to load leaves the last
// good databases serving. A request that reads a geolocation field looks its client up in the
// databases current at that moment; one that reads none never touches them.
class GeoDatabaseSource : public rules::GeoLocator {
 public:
  // `poll_interval` zero: reloads on RequestReload() only.
  GeoDatabaseSource(GeoDatabasePaths paths, std::chrono::milliseconds poll_interval);
  ~GeoDatabaseSource() override;

  // Loads the files on the caller's thread; the error if they cannot be opened.
  absl::Status LoadNow();
  void Start();
  void Stop();
  // Async-signal-safe: it only sets a flag.
  void RequestReload() { reload_requested_.store(true, std::memory_order_relaxed); }
  uint64_t loads() const { return loads_.load(std::memory_order_relaxed); }

  void Locate(const rules::IpAddress& ip, rules::GeoLocation& out) const override;

 private:
  struct Stamps {
    FileStamp geoip;
    FileStamp asn;
    bool operator==(const Stamps&) const = default;
  };
  Stamps Stat() const;
  void Run();

  const GeoDatabasePaths paths_;
  const std::chrono::milliseconds poll_interval_;
  mutable std::mutex mutex_;
  std::shared_ptr<const GeoDatabases> current_;  // under mutex_
  Stamps loaded_stamps_;                         // the watcher's thread (and LoadNow before Start)
  std::atomic<uint64_t> loads_{0};
  std::atomic<bool> reload_requested_{false};
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace gatehouse::geoip
