#include "runtime/observability/access_log.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <unordered_map>

#include "common/json_string.h"

namespace gatehouse::runtime {
namespace {


void AppendField(std::string& out, std::string_view name, std::string_view value) {
  out += ",\"";
  out += name;
  out += "\":";
  AppendJsonString(out, value);
}

void AppendNumber(std::string& out, std::string_view name, double value, const char* format) {
  char buffer[48];
  std::snprintf(buffer, sizeof(buffer), format, value);
  out += ",\"";
  out += name;
  out += "\":";
  out += buffer;
}

// `,"<name>":[{"id":…,"<second>":…},…]`
void AppendRulePairs(std::string& out, std::string_view name, std::string_view second,
                     const std::vector<std::pair<std::string_view, std::string_view>>* pairs) {
  out += ",\"";
  out += name;
  out += "\":[";
  if (pairs != nullptr) {
    bool first = true;
    for (const auto& [id, value] : *pairs) {
      if (!first) out += ',';
      first = false;
      out += "{\"id\":";
      AppendJsonString(out, id);
      out += ",\"";
      out += second;
      out += "\":";
      AppendJsonString(out, value);
      out += '}';
    }
  }
  out += ']';
}

}  // namespace

absl::StatusOr<std::unique_ptr<AccessLog>> AccessLog::Open(Options options) {
  std::FILE* file = std::fopen(options.path.c_str(), "a");
  if (file == nullptr) {
    return absl::UnavailableError("cannot open access log " + options.path + ": " +
                                  std::strerror(errno));
  }
  return std::unique_ptr<AccessLog>(new AccessLog(std::move(options), file));
}

AccessLog::AccessLog(Options options, std::FILE* file)
    : options_(std::move(options)), file_(file) {
  writer_ = std::thread([this] { WriterLoop(); });
}

AccessLog::~AccessLog() {
  {
    std::lock_guard lock(wake_mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  writer_.join();
  Drain();
  std::fclose(file_);
}

std::string AccessLog::Format(const AccessLogEntry& entry,
                              std::chrono::system_clock::time_point at) {
  std::string out;
  out.reserve(384);
  char time[40];
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch());
  std::snprintf(time, sizeof(time), "%lld.%03lld",
                static_cast<long long>(ms.count() / 1000), static_cast<long long>(ms.count() % 1000));
  out += "{\"time\":";
  out += time;
  AppendField(out, "ray_id", entry.ray_id);
  AppendField(out, "client_ip", entry.client_ip);
  AppendField(out, "zone", entry.zone);
  AppendField(out, "method", entry.method);
  AppendField(out, "protocol", entry.protocol);
  AppendField(out, "host", entry.host);
  AppendField(out, "path", entry.target);
  out += ",\"status\":" + std::to_string(entry.status);
  AppendField(out, "action", entry.action);
  out += ",\"snapshot\":" + std::to_string(entry.snapshot_version);
  out += ",\"request_bytes\":" + std::to_string(entry.request_body_bytes);
  out += ",\"response_bytes\":" + std::to_string(entry.response_body_bytes);
  AppendNumber(out, "duration_ms", entry.duration_ms, "%.3f");
  AppendNumber(out, "upstream_ms", entry.upstream_ms, "%.3f");
  AppendField(out, "upstream", entry.upstream);
  AppendRulePairs(out, "rules", "action", entry.rules);
  if (entry.refused != nullptr && !entry.refused->empty()) {
    AppendRulePairs(out, "refused", "reason", entry.refused);
  }
  if (entry.managed != nullptr && !entry.managed->empty()) {
    // "managed":[{"ruleset":"owasp-crs","score":20,"rules":["942100","942190"]}]
    out += ",\"managed\":[";
    for (size_t i = 0; i < entry.managed->size(); ++i) {
      const ManagedLogEntry& managed = (*entry.managed)[i];
      if (i > 0) out += ',';
      out += "{\"ruleset\":";
      AppendJsonString(out, managed.ruleset);
      out += ",\"score\":" + std::to_string(managed.score) + ",\"rules\":[";
      for (size_t j = 0; j < managed.rule_ids.size(); ++j) {
        if (j > 0) out += ',';
        AppendJsonString(out, managed.rule_ids[j]);
      }
      out += "]}";
    }
    out += ']';
  }
  out += "}\n";
  return out;
}

void AccessLog::Shard::Record(const AccessLogEntry& entry) {
  const std::string line = Format(entry, std::chrono::system_clock::now());
  std::lock_guard lock(mutex_);
  if (lines_.size() + line.size() > log_.options_.max_buffered_bytes_per_worker) {
    log_.dropped_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  lines_ += line;
}

void AccessLog::Drain() {
  std::lock_guard drain_lock(drain_mutex_);
  std::string batch;
  for (Shard* shard : shards_.All()) {
    batch.clear();
    {
      // Swap out under the shard's lock; the slow write happens after it is released.
      std::lock_guard lock(shard->mutex_);
      batch.swap(shard->lines_);
    }
    if (batch.empty()) continue;
    std::fwrite(batch.data(), 1, batch.size(), file_);
    written_.fetch_add(static_cast<uint64_t>(std::count(batch.begin(), batch.end(), '\n')),
                       std::memory_order_relaxed);
  }
  std::fflush(file_);
}

void AccessLog::Flush() { Drain(); }

void AccessLog::WriterLoop() {
  std::unique_lock lock(wake_mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, options_.flush_interval);
    lock.unlock();
    Drain();
    lock.lock();
  }
}

}  // namespace gatehouse::runtime
