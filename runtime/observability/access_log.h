#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "runtime/workers/worker_shards.h"

namespace gatehouse::runtime {

// What a managed ruleset found in one request: its id, the anomaly score it reached and the ids
// of the rules that matched.
struct ManagedLogEntry {
  std::string ruleset;
  int64_t score = 0;
  std::vector<std::string> rule_ids;
};

// What the access log says of one request. Views only: Record() copies what it keeps.
struct AccessLogEntry {
  std::string_view ray_id;
  std::string_view client_ip;
  std::string_view zone;
  std::string_view method;
  std::string_view protocol;  // "HTTP/1.1", "HTTP/2", …: what the client spoke
  std::string_view host;
  std::string_view target;
  int status = 0;
  std::string_view action;  // what decided the response: "proxied", "block", "serve_error", …
  uint64_t snapshot_version = 0;
  uint64_t request_body_bytes = 0;
  uint64_t response_body_bytes = 0;
  double duration_ms = 0;
  double upstream_ms = 0;  // connect + send + response header; 0 when not forwarded
  std::string_view upstream;  // host:port of the origin server, if any
  // Matched rules, in order: (rule id, action).
  const std::vector<std::pair<std::string_view, std::string_view>>* rules = nullptr;
  // Actions not applied because a value they computed cannot go on the wire: (rule id, reason).
  const std::vector<std::pair<std::string_view, std::string_view>>* refused = nullptr;
  // What managed rulesets found (omitted when none matched).
  const std::vector<ManagedLogEntry>* managed = nullptr;
};

// The access log: one JSON object per line. Workers only format a line and append it to their
// own shard's buffer; a writer thread drains the buffers to the file, so a slow disk never
// blocks a request. When a worker's buffer is full the line is dropped and counted.
class AccessLog {
 public:
  struct Options {
    std::string path;
    size_t max_buffered_bytes_per_worker = 4 << 20;
    std::chrono::milliseconds flush_interval{100};
  };

  // One worker's buffer (runtime/workers/worker_shards.h): only its worker records into it.
  class Shard {
   public:
    explicit Shard(AccessLog& log) : log_(log) {}
    void Record(const AccessLogEntry& entry);

   private:
    friend class AccessLog;
    AccessLog& log_;
    std::mutex mutex_;  // contended only by the writer's swap
    std::string lines_;
  };

  static absl::StatusOr<std::unique_ptr<AccessLog>> Open(Options options);
  ~AccessLog();  // writes what is buffered, then closes

  // A shard for a new worker, which records only into it; it lives as long as the log.
  Shard& AddShard() { return shards_.Add(*this); }

  // Lines written to the file, and lines dropped because a buffer was full.
  uint64_t written() const { return written_.load(std::memory_order_relaxed); }
  uint64_t dropped() const { return dropped_.load(std::memory_order_relaxed); }

  // Writes out everything buffered so far (tests, shutdown).
  void Flush();

  // The JSON line for `entry`, newline included.
  static std::string Format(const AccessLogEntry& entry, std::chrono::system_clock::time_point at);

 private:
  AccessLog(Options options, std::FILE* file);
  void WriterLoop();
  void Drain();

  const Options options_;
  std::FILE* file_;
  WorkerShards<Shard> shards_;
  std::mutex drain_mutex_;
  std::mutex wake_mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::atomic<uint64_t> written_{0};
  std::atomic<uint64_t> dropped_{0};
  std::thread writer_;
};

}  // namespace gatehouse::runtime
