#include "geoip/geo_database_source.h"

#include <utility>

#include "common/logging.h"

namespace gatehouse::geoip {

GeoDatabaseSource::GeoDatabaseSource(GeoDatabasePaths paths,
                                     std::chrono::milliseconds poll_interval)
    : paths_(std::move(paths)), poll_interval_(poll_interval) {}

GeoDatabaseSource::~GeoDatabaseSource() { Stop(); }

GeoDatabaseSource::Stamps GeoDatabaseSource::Stat() const {
  return {StampOf(paths_.geoip), paths_.asn.empty() ? FileStamp() : StampOf(paths_.asn)};
}

absl::Status GeoDatabaseSource::LoadNow() {
  loaded_stamps_ = Stat();
  absl::StatusOr<std::unique_ptr<const GeoDatabases>> opened = GeoDatabases::Open(paths_);
  if (!opened.ok()) {
    GH_LOG(WARNING) << "geolocation databases not loaded, the last good ones stay: "
                    << opened.status().message();
    return opened.status();
  }
  std::shared_ptr<const GeoDatabases> next = *std::move(opened);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    current_.swap(next);
  }
  loads_.fetch_add(1, std::memory_order_relaxed);
  GH_LOG(INFO) << "geolocation databases loaded: " << paths_.geoip
               << (paths_.asn.empty() ? "" : ", ") << paths_.asn;
  return absl::OkStatus();  // `next`, the old databases, closes here unless a lookup holds it
}

void GeoDatabaseSource::Locate(const rules::IpAddress& ip, rules::GeoLocation& out) const {
  std::shared_ptr<const GeoDatabases> databases;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    databases = current_;
  }
  if (databases == nullptr) {
    out.Clear();
    return;
  }
  databases->Locate(ip, out);
}

void GeoDatabaseSource::Start() {
  thread_ = std::thread([this] { Run(); });
}

void GeoDatabaseSource::Stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

void GeoDatabaseSource::Run() {
  const auto tick = std::chrono::milliseconds(20);
  auto next_poll = std::chrono::steady_clock::now() + poll_interval_;
  while (!stopping_) {
    std::this_thread::sleep_for(tick);
    bool reload = reload_requested_.exchange(false, std::memory_order_relaxed);
    if (!reload && poll_interval_.count() > 0 && std::chrono::steady_clock::now() >= next_poll) {
      next_poll = std::chrono::steady_clock::now() + poll_interval_;
      // A changed file is loaded once per change: a bad one is reported once, not every poll.
      const Stamps stamps = Stat();
      reload = stamps.geoip.exists && !(stamps == loaded_stamps_);
    }
    if (reload) (void)LoadNow();
  }
}

}  // namespace gatehouse::geoip
