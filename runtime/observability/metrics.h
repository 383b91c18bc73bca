#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "runtime/workers/worker_shards.h"

namespace gatehouse::runtime {

// The proxy's metrics, rendered in Prometheus text format. Request-path updates go to the
// worker's own shard (its mutex is contended only by a scrape), so workers never share a lock
// or a cache line; a scrape merges the shards.
class ProxyMetrics {
 private:
  struct Histogram;

 public:
  static constexpr std::array<double, 14> kLatencyBuckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  // One worker's counts (runtime/workers/worker_shards.h): only its worker records into it.
  class Shard {
   public:
    // One finished request. `action` is what decided it: "proxied", "block", "serve_error", …
    void RecordRequest(std::string_view zone, int status, std::string_view action,
                       double latency_seconds);
    // An origin failure: "connect", "timeout", "bad_response".
    void RecordUpstreamError(std::string_view zone, std::string_view kind);
    // A rule's action not applied because a value it computed cannot go on the wire.
    void RecordRefusedValue(std::string_view zone, std::string_view rule_id);
    // A managed ruleset's rule matched a request of the zone.
    void RecordManagedRuleMatch(std::string_view zone, std::string_view ruleset,
                                std::string_view rule_id);

   private:
    friend class ProxyMetrics;
    std::mutex mutex_;
    // Transparent comparators: the request path looks labels up by view and allocates only for
    // a label set it has not seen before.
    std::map<std::tuple<std::string, int, std::string>, uint64_t, std::less<>> requests_;
    std::map<std::string, Histogram, std::less<>> latency_;
    std::map<std::tuple<std::string, std::string>, uint64_t, std::less<>> upstream_errors_;
    std::map<std::tuple<std::string, std::string>, uint64_t, std::less<>> refused_values_;
    // (zone, "ruleset:rule id")
    std::map<std::tuple<std::string, std::string>, uint64_t, std::less<>> managed_matches_;
  };

  ProxyMetrics();
  ~ProxyMetrics();

  // A shard for a new worker, which records only into it; it lives as long as the metrics.
  Shard& AddShard() { return shards_.Add(); }

  // A value read at scrape time (snapshot version, live snapshots, open connections, …).
  void AddGauge(std::string name, std::string help, std::function<double()> read);
  // A monotonically increasing value read at scrape time.
  void AddCounter(std::string name, std::string help, std::function<double()> read);

  std::string RenderPrometheus() const;

 private:
  struct Histogram {
    std::array<uint64_t, kLatencyBuckets.size()> buckets{};
    uint64_t count = 0;
    double sum = 0;
  };
  struct Callback {
    std::string name;
    std::string help;
    std::string type;
    std::function<double()> read;
  };

  WorkerShards<Shard> shards_;
  mutable std::mutex callbacks_mutex_;
  std::vector<Callback> callbacks_;
};

}  // namespace gatehouse::runtime
