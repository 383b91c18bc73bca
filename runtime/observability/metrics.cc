#include "runtime/observability/metrics.h"

#include <atomic>
#include <cstdio>
#include <unordered_map>

namespace gatehouse::runtime {
namespace {

// Label values are escaped as the text format requires.
std::string Escape(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string Number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.15g", value);
  return buffer;
}

// The entry for a label set given as views, created on first use: only a label set not seen
// before costs its strings.
template <typename Map, typename KeyView>
typename Map::mapped_type& Slot(Map& entries, const KeyView& labels) {
  auto it = entries.find(labels);
  if (it == entries.end()) {
    it = entries.emplace(typename Map::key_type(labels), typename Map::mapped_type{}).first;
  }
  return it->second;
}

}  // namespace

ProxyMetrics::ProxyMetrics() = default;

ProxyMetrics::~ProxyMetrics() = default;

void ProxyMetrics::RecordRequest(std::string_view zone, int status, std::string_view action,
                                 double latency_seconds) {
  Shard& shard = shards_.Local();
  std::lock_guard lock(shard.mutex);
  ++Slot(shard.requests, std::make_tuple(zone, status, action));
  Histogram& histogram = Slot(shard.latency, zone);
  for (size_t i = 0; i < kLatencyBuckets.size(); ++i) {
    if (latency_seconds <= kLatencyBuckets[i]) ++histogram.buckets[i];
  }
  ++histogram.count;
  histogram.sum += latency_seconds;
}

void ProxyMetrics::RecordUpstreamError(std::string_view zone, std::string_view kind) {
  Shard& shard = shards_.Local();
  std::lock_guard lock(shard.mutex);
  ++Slot(shard.upstream_errors, std::make_tuple(zone, kind));
}

void ProxyMetrics::AddGauge(std::string name, std::string help, std::function<double()> read) {
  std::lock_guard lock(callbacks_mutex_);
  callbacks_.push_back({std::move(name), std::move(help), "gauge", std::move(read)});
}

void ProxyMetrics::AddCounter(std::string name, std::string help, std::function<double()> read) {
  std::lock_guard lock(callbacks_mutex_);
  callbacks_.push_back({std::move(name), std::move(help), "counter", std::move(read)});
}

std::string ProxyMetrics::RenderPrometheus() const {
  std::map<std::tuple<std::string, int, std::string>, uint64_t> requests;
  std::map<std::string, Histogram> latency;
  std::map<std::tuple<std::string, std::string>, uint64_t> upstream_errors;
  std::vector<Callback> callbacks;
  {
    std::lock_guard lock(callbacks_mutex_);
    callbacks = callbacks_;
  }
  {
    for (const auto& shard : shards_.All()) {
      std::lock_guard shard_lock(shard->mutex);
      for (const auto& [key, count] : shard->requests) requests[key] += count;
      for (const auto& [zone, h] : shard->latency) {
        Histogram& total = latency[zone];
        for (size_t i = 0; i < h.buckets.size(); ++i) total.buckets[i] += h.buckets[i];
        total.count += h.count;
        total.sum += h.sum;
      }
      for (const auto& [key, count] : shard->upstream_errors) upstream_errors[key] += count;
    }
  }
  std::string out;
  out += "# HELP gatehouse_requests_total Requests served, by zone, status and deciding action.\n";
  out += "# TYPE gatehouse_requests_total counter\n";
  for (const auto& [key, count] : requests) {
    const auto& [zone, status, action] = key;
    out += "gatehouse_requests_total{zone=\"" + Escape(zone) + "\",status=\"" +
           std::to_string(status) + "\",action=\"" + Escape(action) + "\"} " +
           std::to_string(count) + "\n";
  }
  out += "# HELP gatehouse_request_duration_seconds Time from a request's headers to its response.\n";
  out += "# TYPE gatehouse_request_duration_seconds histogram\n";
  for (const auto& [zone, h] : latency) {
    const std::string label = "zone=\"" + Escape(zone) + "\"";
    for (size_t i = 0; i < kLatencyBuckets.size(); ++i) {
      out += "gatehouse_request_duration_seconds_bucket{" + label + ",le=\"" +
             Number(kLatencyBuckets[i]) + "\"} " + std::to_string(h.buckets[i]) + "\n";
    }
    out += "gatehouse_request_duration_seconds_bucket{" + label + ",le=\"+Inf\"} " +
           std::to_string(h.count) + "\n";
    out += "gatehouse_request_duration_seconds_sum{" + label + "} " + Number(h.sum) + "\n";
    out += "gatehouse_request_duration_seconds_count{" + label + "} " + std::to_string(h.count) +
           "\n";
  }
  out += "# HELP gatehouse_upstream_errors_total Origin failures, by zone and kind.\n";
  out += "# TYPE gatehouse_upstream_errors_total counter\n";
  for (const auto& [key, count] : upstream_errors) {
    const auto& [zone, kind] = key;
    out += "gatehouse_upstream_errors_total{zone=\"" + Escape(zone) + "\",kind=\"" +
           Escape(kind) + "\"} " + std::to_string(count) + "\n";
  }
  for (const Callback& callback : callbacks) {
    out += "# HELP " + callback.name + " " + callback.help + "\n";
    out += "# TYPE " + callback.name + " " + callback.type + "\n";
    out += callback.name + " " + Number(callback.read()) + "\n";
  }
  return out;
}

}  // namespace gatehouse::runtime
