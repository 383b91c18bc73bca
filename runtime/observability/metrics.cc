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

// A counter with a zone label and one more.
void RenderZoneCounter(std::string& out, std::string_view name, std::string_view help,
                       std::string_view label,
                       const std::map<std::tuple<std::string, std::string>, uint64_t>& counts) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n");
  out.append("# TYPE ").append(name).append(" counter\n");
  for (const auto& [key, count] : counts) {
    const auto& [zone, value] = key;
    out.append(name).append("{zone=\"").append(Escape(zone)).append("\",").append(label);
    out.append("=\"").append(Escape(value)).append("\"} ").append(std::to_string(count));
    out.append("\n");
  }
}

}  // namespace

ProxyMetrics::ProxyMetrics() = default;

ProxyMetrics::~ProxyMetrics() = default;

void ProxyMetrics::Shard::RecordRequest(std::string_view zone, int status,
                                        std::string_view action, double latency_seconds) {
  std::lock_guard lock(mutex_);
  ++Slot(requests_, std::make_tuple(zone, status, action));
  Histogram& histogram = Slot(latency_, zone);
  for (size_t i = 0; i < kLatencyBuckets.size(); ++i) {
    if (latency_seconds <= kLatencyBuckets[i]) ++histogram.buckets[i];
  }
  ++histogram.count;
  histogram.sum += latency_seconds;
}

void ProxyMetrics::Shard::RecordUpstreamError(std::string_view zone, std::string_view kind) {
  std::lock_guard lock(mutex_);
  ++Slot(upstream_errors_, std::make_tuple(zone, kind));
}

void ProxyMetrics::Shard::RecordRefusedValue(std::string_view zone, std::string_view rule_id) {
  std::lock_guard lock(mutex_);
  ++Slot(refused_values_, std::make_tuple(zone, rule_id));
}

void ProxyMetrics::Shard::RecordManagedRuleMatch(std::string_view zone, std::string_view ruleset,
                                                 std::string_view rule_id) {
  std::string rule;
  rule.reserve(ruleset.size() + 1 + rule_id.size());
  rule.append(ruleset).append(":").append(rule_id);
  std::lock_guard lock(mutex_);
  ++Slot(managed_matches_, std::make_tuple(zone, std::string_view(rule)));
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
  std::map<std::tuple<std::string, std::string>, uint64_t> refused_values;
  std::map<std::tuple<std::string, std::string>, uint64_t> managed_matches;
  std::vector<Callback> callbacks;
  {
    std::lock_guard lock(callbacks_mutex_);
    callbacks = callbacks_;
  }
  {
    for (Shard* shard : shards_.All()) {
      std::lock_guard shard_lock(shard->mutex_);
      for (const auto& [key, count] : shard->requests_) requests[key] += count;
      for (const auto& [zone, h] : shard->latency_) {
        Histogram& total = latency[zone];
        for (size_t i = 0; i < h.buckets.size(); ++i) total.buckets[i] += h.buckets[i];
        total.count += h.count;
        total.sum += h.sum;
      }
      for (const auto& [key, count] : shard->upstream_errors_) upstream_errors[key] += count;
      for (const auto& [key, count] : shard->refused_values_) refused_values[key] += count;
      for (const auto& [key, count] : shard->managed_matches_) managed_matches[key] += count;
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
  RenderZoneCounter(out, "gatehouse_upstream_errors_total", "Origin failures, by zone and kind.",
                    "kind", upstream_errors);
  RenderZoneCounter(out, "gatehouse_refused_values_total",
                    "Rule actions not applied because a computed value cannot go on the wire "
                    "(CR, LF, NUL, a space in a path), by zone and rule.",
                    "rule", refused_values);
  RenderZoneCounter(out, "gatehouse_managed_rule_matches_total",
                    "Matches of managed rules (ruleset:rule id), by zone and rule.", "rule",
                    managed_matches);
  for (const Callback& callback : callbacks) {
    out += "# HELP " + callback.name + " " + callback.help + "\n";
    out += "# TYPE " + callback.name + " " + callback.type + "\n";
    out += callback.name + " " + Number(callback.read()) + "\n";
  }
  return out;
}

}  // namespace gatehouse::runtime
